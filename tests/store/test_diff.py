"""What `lists diff` counts as a change of a listing, and what it ignores."""

from __future__ import annotations

from chipscreen.model import Address, Listing, Party
from chipscreen.sources.base import make_name
from chipscreen.store import ListedEntry
from chipscreen.store.diff import changed_fields, diff_entries, norm_text


def _entry(pid: str, name: str, **listing: object) -> ListedEntry:
    party = Party(id=pid, names=[make_name(name)])
    return ListedEntry(
        party=party,
        listing=Listing.model_validate({"party_id": pid, "list_code": "EL", "source": "t", **listing}),
        dataset_id="d",
    )


def test_formatting_is_not_a_change() -> None:
    assert norm_text("Room 3,  Bldg. A") == norm_text("room 3 bldg a")
    a = _entry("x", "Acme", license_requirement="For all items subject to the EAR.")
    b = _entry("x", "Acme", license_requirement="for all items subject to the EAR")
    assert changed_fields(a, b) == {}


def test_a_field_one_format_does_not_carry_is_not_a_change() -> None:
    a = _entry("x", "Acme", review_policy="Presumption of denial")
    b = _entry("x", "Acme")
    assert changed_fields(a, b) == {}
    assert changed_fields(a, _entry("x", "Acme", review_policy="Case-by-case")) != {}


def test_entries_are_matched_by_list_and_entity_id() -> None:
    rows = diff_entries([_entry("x", "Acme"), _entry("y", "Gone")], [_entry("x", "Acme Ltd"), _entry("z", "New")])
    assert [(r.entity_id, r.change) for r in rows] == [("x", "changed"), ("y", "removed"), ("z", "added")]
    assert rows[0].fields == {"name": ("Acme", "Acme Ltd")}


def _at(pid: str, *addresses: Address) -> ListedEntry:
    entry = _entry(pid, "Acme")
    return ListedEntry(entry.party.model_copy(update={"addresses": list(addresses)}), entry.listing, "d")


def test_an_address_written_another_way_is_not_a_change() -> None:
    csl = _at("x", Address(text="No. 8 Zhongguancun St., Haidian, Beijing, China"))
    ecfr = _at("x", Address(text="no 8 zhongguancun st haidian beijing, CN"))
    ofac = _at("x", Address(text="No. 8 Zhongguancun St, Haidian, Beijing", country="CN"))
    assert changed_fields(csl, ecfr) == {} and changed_fields(csl, ofac) == {}


def test_a_moved_address_is_a_change() -> None:
    old = _at("x", Address(text="No. 8 Zhongguancun St., Haidian, Beijing, China"))
    assert set(changed_fields(old, _at("x", Address(text="No. 9 Zhongguancun St., Haidian, Beijing, China")))) == {
        "addresses"}
    assert set(changed_fields(old, _at("x", Address(text="No. 8 Zhongguancun St., Haidian, Beijing, Russia")))) == {
        "addresses"}
