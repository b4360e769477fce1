"""``lists diff``: entries added, removed and changed between two snapshots or two datasets.

Entries are matched by their stable entity id; what counts as a change ignores the formatting differences
between list formats, so that re-publishing the same listing in another format is not reported.
"""

from __future__ import annotations

from typing import Any, Final

from chipscreen.countries import country_named
from chipscreen.model import Address
from chipscreen.store.records import DiffRow, ListedEntry
from chipscreen.text import fold_words

DIFF_FIELDS: Final = (
    "name",
    "country",
    "aliases",
    "addresses",
    "start_date",
    "end_date",
    "license_requirement",
    "review_policy",
    "federal_register",
    "footnotes",
    "identifiers",
)

# Fields a source format may simply not carry (the 2026 eCFR extract has no review-policy column): a value
# on one side and nothing on the other is not a change of the listing.
OPTIONAL_FIELDS: Final = ("review_policy", "license_requirement", "footnotes", "identifiers")


def norm_text(text: str) -> str:
    """Case, punctuation and spacing differ between list formats for the same content."""
    return fold_words(text)


def address_key(address: Address) -> str:
    """An address as sources that differ only in form all write it: the CSL ends "..., Shenzhen, China", the
    eCFR "..., Shenzhen, CN", OFAC carries the country in a field of its own. The trailing country (a name
    or a code) becomes its ISO code, the address's own country is added when the text leaves it out, and
    case, punctuation and spacing are folded."""
    parts = [p.strip() for p in address.text.split(",") if p.strip()]
    code = country_named(parts[-1]) if parts else None
    if code is not None and (address.country is None or code == address.country):
        parts.pop()
    else:
        code = address.country
    return " ".join([*(norm_text(p) for p in parts), *([code] if code else [])])


def entry_view(e: ListedEntry) -> dict[str, Any]:
    """What a list update can change about an entry, in a form that ignores formatting differences
    (the CSL writes "85 FR 34505" where the eCFR writes "85 FR 34505, 6/5/20.")."""
    return {
        "name": e.party.name,
        "country": e.party.country,
        "aliases": sorted({n.value for n in e.party.names if n.kind != "primary"}),
        "addresses": sorted({address_key(a) for a in e.party.addresses}),
        "start_date": e.listing.start_date.isoformat() if e.listing.start_date else None,
        "end_date": e.listing.end_date.isoformat() if e.listing.end_date else None,
        "license_requirement": norm_text(e.listing.license_requirement or "") or None,
        "review_policy": norm_text(e.listing.review_policy or "") or None,
        "federal_register": sorted(
            {f"{c.volume} FR {c.page}" if c.page else c.text for c in e.listing.federal_register}
        ),
        "footnotes": sorted(e.listing.footnotes),
        "identifiers": sorted(f"{i.scheme}:{i.value}" for i in e.party.identifiers),
    }


def changed_fields(old: ListedEntry, new: ListedEntry) -> dict[str, tuple[Any, Any]]:
    va, vb = entry_view(old), entry_view(new)
    return {
        f: (va[f], vb[f])
        for f in DIFF_FIELDS
        if va[f] != vb[f] and (va[f] and vb[f] if f in OPTIONAL_FIELDS else va[f] or vb[f])
    }


def diff_entries(old: list[ListedEntry], new: list[ListedEntry]) -> list[DiffRow]:
    a = {(e.listing.list_code, e.party.id): e for e in old}
    b = {(e.listing.list_code, e.party.id): e for e in new}
    rows: list[DiffRow] = []
    for key in sorted(set(a) | set(b)):
        code, eid = key
        if key not in a:
            rows.append(DiffRow(eid, code, b[key].party.name, "added"))
        elif key not in b:
            rows.append(DiffRow(eid, code, a[key].party.name, "removed"))
        else:
            changed = changed_fields(a[key], b[key])
            if changed:
                rows.append(DiffRow(eid, code, b[key].party.name, "changed", changed))
    return rows
