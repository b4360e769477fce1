"""An ECCN the user gives an item, read against what the figures say (``data/eccns.yaml``).

Classification is the exporter's job, and many items a user ships carry an ECCN already (EAR99, 5A992.c,
4A994). chipscreen computes only 3A090/4A090 from figures. So the given ECCN is taken as it stands when the
figures say nothing, checked when they do (figures that meet 3A090 outrank a given EAR99), and turned into
its .z paragraph when an item of a .z ECCN meets 3A090/4A090: such an item takes the licence requirements of
the 3A090/4A090 paragraph it meets (15 CFR 742.6(a)(6)(iii)).

Works on plain values and returns the fields to update, so that ``classify`` can apply them without this
module importing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from chipscreen.dates import to_date
from chipscreen.errors import DataError
from chipscreen.model import Item
from chipscreen.paths import data_dir, read_yaml

__all__ = ["DateQuestion", "EccnTable", "Verdict", "ZBase", "eccn_table", "given_updates", "split_eccn"]


@dataclass(frozen=True)
class ZBase:
    eccn: str
    what: str
    software: bool


@dataclass(frozen=True)
class DateQuestion:
    """An open question about when the .z paragraphs of some bases began: before ``z_from`` and from
    ``start``, a decision on one of ``bases`` says the datum is unverified rather than guess either way."""

    start: dt.date
    bases: frozenset[str]
    text: str


@dataclass(frozen=True)
class EccnTable:
    computed: frozenset[str]
    caveat: str
    z_from: dt.date
    z_citation: str
    z_verified: bool
    z_scope: Mapping[str, tuple[str, ...]]  # "z.1" -> ("3A090.a", "4A090.a")
    z_bases: Mapping[str, ZBase]
    z_date_question: DateQuestion | None = None

    def z_date_caveat(self, base: str, day: dt.date) -> str | None:
        """What a decision on ``base`` on ``day`` must say about the unverified start of its .z paragraph."""
        q = self.z_date_question
        if q is None or base not in q.bases or not q.start <= day < self.z_from:
            return None
        return f"{base}.z on {day}: {q.text}; chipscreen applies the .z paragraphs from {self.z_from}"

    def z_in_force(self, base: str, day: dt.date) -> bool:
        return base in self.z_bases and day >= self.z_from


class Verdict(Protocol):
    """What the figures decided (an ItemClassification)."""

    @property
    def status(self) -> str: ...
    @property
    def eccn(self) -> str | None: ...
    @property
    def paragraph(self) -> str | None: ...
    @property
    def work(self) -> list[str]: ...


def split_eccn(code: str) -> tuple[str, str]:
    """``5A992.z.1`` -> (``5A992``, ``z.1``); ``EAR99`` -> (``EAR99``, ``""``)."""
    base, _, rest = code.partition(".")
    return base, rest


def _parse(raw: Any, where: str) -> EccnTable:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("z_paragraphs"), Mapping):
        raise DataError(where, "z_paragraphs", "expected a mapping")
    z = raw["z_paragraphs"]
    try:
        start = to_date(z.get("from"))
    except ValueError as exc:
        raise DataError(where, "z_paragraphs.from", str(exc)) from None
    if start is None or not z.get("citation"):
        raise DataError(where, "z_paragraphs", "a start date (from) and a citation are required")
    scope = {str(k): tuple(str(p) for p in v["scope"]) for k, v in (z.get("subparagraphs") or {}).items()}
    bases = {
        str(k): ZBase(str(k), str(v.get("what", "")), bool(v.get("software", False)))
        for k, v in (z.get("bases") or {}).items()
    }
    if not scope or not bases:
        raise DataError(where, "z_paragraphs", "subparagraphs and bases must not be empty")
    question = _date_question(z.get("date_question"), where)
    return EccnTable(
        computed=frozenset(str(c) for c in raw.get("computed") or ()),
        caveat=" ".join(str(raw.get("caveat", "")).split()),
        z_from=start,
        z_citation=str(z["citation"]),
        z_verified=bool(z.get("verified", False)),
        z_scope=scope,
        z_bases=bases,
        z_date_question=question,
    )


def _date_question(raw: Any, where: str) -> DateQuestion | None:
    if raw is None:
        return None
    key = "z_paragraphs.date_question"
    if not isinstance(raw, Mapping) or not raw.get("text") or not raw.get("bases"):
        raise DataError(where, key, "expected a mapping with from, bases and text")
    try:
        start = to_date(raw.get("from"))
    except ValueError as exc:
        raise DataError(where, f"{key}.from", str(exc)) from None
    if start is None:
        raise DataError(where, f"{key}.from", "a date is required")
    return DateQuestion(start, frozenset(str(b) for b in raw["bases"]), " ".join(str(raw["text"]).split()))


@lru_cache(maxsize=4)
def _load(path: Path) -> EccnTable:
    return _parse(read_yaml(path), str(path))


def eccn_table(path: Path | None = None) -> EccnTable:
    """The shipped table (cached)."""
    return _load(path or data_dir() / "eccns.yaml")


def _has_figures(item: Item) -> bool:
    return bool(item.dense_tops) or item.contains is not None or item.memory_bandwidth_density is not None


def _z_level(paragraph: str) -> str | None:
    """``3A090.a`` -> ``z.1``; ``4A090.b`` -> ``z.2``; no .z for HBM (3A090.c) or the 2022 paragraphs."""
    level = paragraph.rpartition(".")[2]
    return {"a": "z.1", "b": "z.2"}.get(level)


def given_updates(item: Item, res: Verdict, day: dt.date) -> dict[str, Any]:
    """The fields of the classification that the given ECCN changes (``{}`` when the item has none)."""
    if item.eccn is None:
        return {}
    t = eccn_table()
    code = item.eccn
    work = [*res.work, f"ECCN given by the user: {code}"]
    caveat = t.z_date_caveat(split_eccn(code)[0], day)
    if caveat is not None:
        work.append(f"unverified: {caveat}")
        return {"unverified": [caveat], **_given(item, res, day, t, code, work)}
    return _given(item, res, day, t, code, work)


def _given(item: Item, res: Verdict, day: dt.date, t: EccnTable, code: str, work: list[str]) -> dict[str, Any]:
    base, sub = split_eccn(code)
    if res.status == "controlled":
        return {"given_eccn": code, "work": work, **_controlled(t, code, base, res, day, work)}
    if res.status == "undetermined" and _has_figures(item):
        work.append(f"the figures leave the classification open; {code} is not checked against them")
        return {"given_eccn": code, "work": work}
    if res.status == "not_controlled" and _has_figures(item) and (base in t.computed or sub.startswith("z")):
        work.append(f"the figures do not meet {code}: the item is outside 3A090/4A090 and {code} is not applied")
        work.append(f"note: {t.caveat}")
        return {"given_eccn": code, "work": work, "eccn": base if base not in t.computed else None}
    return {"given_eccn": code, "work": work, **_as_given(t, code, base, sub, day, work)}


def _controlled(t: EccnTable, code: str, base: str, res: Verdict, day: dt.date, work: list[str]) -> dict[str, Any]:
    """Figures that meet 3A090/4A090: a .z ECCN becomes its .z paragraph; any other given ECCN yields."""
    para = res.paragraph or ""
    level = _z_level(para)
    if t.z_in_force(base, day) and level is not None:
        work.append(
            f"{base}.{level}: a {base} item ({t.z_bases[base].what}) that meets {para} -> {base}.z, with the "
            f"licence requirements of {para} ({t.z_citation})"
        )
        return {"eccn": base, "paragraph": f"{base}.z", "licence_scope": [para]}
    if base != res.eccn:
        work.append(f"the figures meet {para}: the item is {para}, whatever the given {code}")
    return {}


def _as_given(t: EccnTable, code: str, base: str, sub: str, day: dt.date, work: list[str]) -> dict[str, Any]:
    """No figures decide: the given ECCN is the classification."""
    determined: dict[str, Any] = {"candidates": [], "missing": [], "possibly_uncontrolled": False}
    if sub.startswith("z") and t.z_in_force(base, day):
        levels = [sub] if sub in t.z_scope else list(t.z_scope)
        scope = list(dict.fromkeys(p for lv in levels for p in t.z_scope[lv]))
        work.append(f"=> {base}.z as given: the licence requirements of {'/'.join(scope)} ({t.z_citation})")
        return {**determined, "status": "controlled", "eccn": base, "paragraph": f"{base}.z", "licence_scope": scope}
    if sub.startswith("z"):
        work.append(f"{code}: no .z paragraph before {t.z_from}; taken as {base}")
        code, sub = base, ""
    if base in t.computed:
        if not sub:
            work.append(f"{code} is given without its paragraph; the figures decide")
            return {}
        work.append(f"=> {code} as given (no figures to check it against)")
        return {**determined, "status": "controlled", "eccn": base, "paragraph": code}
    work.append(f"=> {code} as given: outside 3A090/4A090")
    work.append(f"note: {t.caveat}")
    return {**determined, "status": "not_controlled", "eccn": base, "paragraph": code if sub else None}
