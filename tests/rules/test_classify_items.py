"""Items a user ships beyond the catalog's chips (issue 13, items 10-12): a server with a chip the catalog
does not know, a computer with no accelerator, an item that carries its own ECCN, and the .z paragraphs
(docs/export-controls.md §2.4; 88 FR 73458)."""

from __future__ import annotations

import pytest
from rules_helpers import d

from chipscreen.errors import InputError
from chipscreen.model import Item
from chipscreen.rules import classify, parse_item

BEFORE_2023 = d("2023-11-16")
R2023 = d("2023-11-17")

NEW_CHIP = {"id": "new-accel", "kind": "ic", "datacenter": True, "dense_tops": {"fp16": 1000}, "die_area_mm2": 800}


def test_an_inline_ic_inside_contains_is_classified_like_a_catalog_one() -> None:
    server = Item.model_validate(
        {"id": "new-server", "kind": "system", "datacenter": True, "contains": {"item": NEW_CHIP, "count": 8}}
    )
    res = classify(server, R2023)
    assert res.paragraph == "4A090.a"
    assert res.contained is not None and res.contained.item == "new-accel" and res.contained.tpp == 16000
    assert res.contained_count == 8


def test_an_inline_ic_below_the_thresholds_leaves_the_server_outside_4a090() -> None:
    small = {**NEW_CHIP, "dense_tops": {"fp16": 50}}
    server = Item.model_validate({"id": "s", "kind": "system", "contains": {"item": small, "count": 2}})
    assert classify(server, R2023).status == "not_controlled"


# ------------------------------------------------------------------ item 10: no accelerator, a given ECCN
def test_a_server_with_no_accelerator_is_not_4a090() -> None:
    res = classify(Item(id="file-server", kind="system"), R2023)
    assert res.status == "not_controlled" and res.eccn is None
    assert "names no contained IC" in res.work[0]


def test_a_given_eccn_is_the_classification_when_no_figure_says_otherwise() -> None:
    pc = classify(Item(id="pc", kind="system", eccn="5a992.C"), R2023)
    assert (pc.status, pc.eccn, pc.paragraph, pc.given_eccn) == ("not_controlled", "5A992", "5A992.c", "5A992.c")
    ear99 = classify(Item(id="cable", eccn="EAR99"), R2023)  # an IC with no figures would be undetermined
    assert (ear99.status, ear99.eccn, ear99.paragraph) == ("not_controlled", "EAR99", None)
    assert any("not assessed" in line for line in ear99.work)


def test_figures_that_meet_3a090_outrank_a_given_ear99() -> None:
    res = classify(Item.model_validate({**NEW_CHIP, "eccn": "EAR99"}), R2023)
    assert res.paragraph == "3A090.a" and res.given_eccn == "EAR99"
    assert any("whatever the given EAR99" in line for line in res.work)


def test_a_given_3a090_paragraph_without_figures_is_taken_as_controlled() -> None:
    res = classify(Item(id="x", eccn="3A090.b"), R2023)
    assert (res.status, res.paragraph) == ("controlled", "3A090.b")


def test_a_malformed_eccn_is_an_input_error_naming_the_field() -> None:
    with pytest.raises(InputError) as exc:
        parse_item({"id": "x", "eccn": "5A99"})
    assert exc.value.problems[0].field == "eccn"


# ------------------------------------------------------------------ item 12: the .z paragraphs
def test_a_5a992_server_holding_3a090a_chips_is_5a992z_from_17_november_2023() -> None:
    server = Item(id="crypto-server", kind="system", eccn="5A992", contains={"item": "nvidia-h100-sxm5", "count": 8})
    after = classify(server, R2023)
    assert (after.eccn, after.paragraph, after.licence_scope) == ("5A992", "5A992.z", ["4A090.a"])
    assert after.paragraphs() == ["4A090.a"]
    assert any("5A992.z.1" in line and "licence requirements of 4A090.a" in line for line in after.work)
    before = classify(server, BEFORE_2023)
    assert before.paragraph == "4A090" and before.licence_scope == []


def test_a_5a002_card_meeting_3a090b_follows_3a090b() -> None:
    card = Item(id="nic", eccn="5A002", datacenter=True, dense_tops={"fp16": 181}, die_area_mm2=609)  # as an L40
    res = classify(card, R2023)
    assert (res.paragraph, res.licence_scope) == ("5A002.z", ["3A090.b"])


def test_a_given_z_paragraph_without_figures_takes_the_scope_of_its_level() -> None:
    z1 = classify(Item(id="x", kind="system", eccn="5A992.z.1"), R2023)
    assert (z1.status, z1.paragraph, z1.licence_scope) == ("controlled", "5A992.z", ["3A090.a", "4A090.a"])
    bare = classify(Item(id="x", kind="system", eccn="4A003.z"), R2023)
    assert set(bare.licence_scope) == {"3A090.a", "4A090.a", "3A090.b", "4A090.b"}
    early = classify(Item(id="x", kind="system", eccn="4A003.z"), BEFORE_2023)
    assert (early.status, early.eccn, early.paragraph) == ("not_controlled", "4A003", None)


def test_a_z_base_item_below_the_thresholds_is_its_base_eccn() -> None:
    res = classify(Item(id="fw", eccn="5A002", dense_tops={"fp16": 10}, die_area_mm2=100), R2023)
    assert (res.status, res.eccn, res.paragraph) == ("not_controlled", "5A002", None)



def test_the_unverified_start_of_the_5a_5d_z_paragraphs_is_said_from_the_2022_rule_to_the_2023_rule() -> None:
    """data/eccns.yaml: whether 5A992.z dates from 87 FR 62186 was not read; between the two rules the
    classification says so instead of guessing (day before / day of each date)."""

    def unverified(eccn: str, day: str) -> list[str]:
        return classify(Item(id="x", kind="system", eccn=eccn), d(day)).unverified

    assert unverified("5A992.z.1", "2022-10-06") == []
    assert "87 FR 62186" in unverified("5A992.z.1", "2022-10-07")[0]
    assert unverified("5D002", "2023-11-16") and unverified("5A992.z.1", "2023-11-17") == []
    assert unverified("4A003.z", "2022-10-07") == []  # the 3A/4A bases date from 88 FR 73458 alone
    work = classify(Item(id="x", kind="system", eccn="5A992.z.1"), d("2023-11-16")).work
    line = next(w for w in work if "unverified" in w)
    assert "5A992.z on 2023-11-16" in line
