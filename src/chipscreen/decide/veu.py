"""The Data Center VEU (15 CFR 748.15): a note when a receiving party is a listed validated end user.

An authorisation, not an exception the engine can grant: it covers only the items and data centers its
listing names, which a Transaction does not carry. So the engine says where it may apply, with the listing's
citation, and leaves the licence answer as it is (``data/decide/data_center_veu.yaml``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chipscreen.dates import to_date
from chipscreen.decide.shipment import Shipment
from chipscreen.errors import DataError
from chipscreen.model import Flag
from chipscreen.paths import parsed_file

__all__ = ["VeuEntry", "VeuList", "data_center_veu", "veu_notes"]


@dataclass(frozen=True)
class VeuEntry:
    names: frozenset[str]  # casefolded name and aliases
    name: str
    countries: frozenset[str]
    since: dt.date
    until: dt.date | None
    data_centers: tuple[str, ...]
    items: tuple[str, ...]
    citation: str


@dataclass(frozen=True)
class VeuList:
    citation: str
    verified: bool
    start: dt.date
    entries: tuple[VeuEntry, ...]


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _entry(e: Any, where: str) -> VeuEntry:
    since = to_date(e["since"])
    if since is None:
        raise DataError(where, "entries[].since", "a date is required")
    return VeuEntry(
        names=frozenset(_key(str(n)) for n in [e["name"], *(e.get("aliases") or ())]),
        name=str(e["name"]),
        countries=frozenset(str(c).upper() for c in e["countries"]),
        since=since,
        until=to_date(e.get("until")),
        data_centers=tuple(str(d) for d in e.get("data_centers") or ()),
        items=tuple(str(i) for i in e.get("items") or ()),
        citation=str(e["citation"]),
    )


def _parse(raw: Any, where: str) -> VeuList:
    try:
        start = to_date(raw["from"])
        if start is None:
            raise DataError(where, "from", "a date is required")
        return VeuList(
            str(raw["citation"]), bool(raw["verified"]), start, tuple(_entry(e, where) for e in raw["entries"] or ())
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(where, None, f"missing or malformed key {exc}") from None


_load = parsed_file(_parse, "decide", "data_center_veu.yaml")


def data_center_veu(path: Path | None = None) -> VeuList:
    return _load(path)


def veu_notes(sh: Shipment, veus: VeuList | None = None) -> list[Flag]:
    """A note for each receiving party listed as a Data Center VEU for the destination on the date."""
    v = veus or data_center_veu()
    day = sh.tx.date
    if day < v.start or not sh.moves:
        return []
    out: list[Flag] = []
    for party in sh.receivers:
        key = _key(party.name)
        for e in v.entries:
            if key not in e.names or sh.tx.to not in e.countries or day < e.since or (e.until and day > e.until):
                continue
            out.append(
                Flag(
                    code="rule_note",
                    party=party.name,
                    detail=f"{party.name!r} is a Data Center VEU ({e.citation}) in {sh.tx.to} since {e.since}: "
                    "Authorization VEU may cover this shipment if the item is among its eligible items and goes "
                    "to a listed data center; the licence answer above assumes it does not",
                    evidence={
                        "authorization": "VEU",
                        "veu": e.name,
                        "citation": v.citation,
                        "listing": e.citation,
                        "data_centers": list(e.data_centers),
                        "items": list(e.items),
                    },
                )
            )
    return out
