"""Is the item subject to the EAR? The question the EAR asks before any licence requirement (15 CFR 734.3).

An item in the United States or made there is; a foreign-made item outside the US is only when its controlled
US content passes de minimis or a foreign-direct-product rule reaches it (``data/decide/jurisdiction.yaml``).
Every test writes its step, so the answer shows why; a fact the item does not state leaves the test open, and
an open answer is decided as "subject" (never cleared for want of a fact) with the missing facts named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipscreen.decide.shipment import Shipment
from chipscreen.errors import ChipscreenError, DataError
from chipscreen.model import Flag, Item
from chipscreen.paths import parsed_file
from chipscreen.rules import ItemClassification
from chipscreen.rules.countries import CountryGroups, Scope, country_groups

__all__ = [
    "FdpRule",
    "Jurisdiction",
    "JurisdictionRules",
    "PartyView",
    "Where",
    "jurisdiction_rules",
    "shipment_jurisdiction",
    "subject_to_ear",
]


@dataclass(frozen=True)
class Step:
    start: dt.date
    citation: str
    destinations: Scope | None = None
    headquarters: Scope | None = None


@dataclass(frozen=True)
class FdpRule:
    key: str
    title: str
    citation: str
    verified: bool
    items: frozenset[str] | None  # None: any item
    steps: tuple[Step, ...]
    end_use: str | None = None
    footnote: int | None = None

    def step(self, day: dt.date) -> Step | None:
        return next((s for s in reversed(self.steps) if s.start <= day), None)


@dataclass(frozen=True)
class JurisdictionRules:
    in_us: str
    us_origin: str
    unknown_as_us_origin: bool
    de_minimis: str
    levels: tuple[tuple[float, Scope, str], ...]
    fdp: tuple[FdpRule, ...]


@dataclass(frozen=True)
class PartyView:
    """What the FDP tests read of a receiving party."""

    name: str
    headquarters: tuple[str, ...] = ()
    footnotes: frozenset[int] = frozenset()


@dataclass
class Jurisdiction:
    subject: bool | None  # None: open (decided as subject)
    basis: str
    citation: str
    work: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def flag(self) -> Flag:
        if self.subject is False:
            detail = "not subject to the EAR: " + self.work[-1]
        else:
            detail = f"subject to the EAR may turn on {', '.join(self.missing)}; decided as subject until stated"
        return Flag(
            code="rule_note",
            detail=detail,
            evidence={"subject_to_ear": self.subject, "basis": self.basis, "work": self.work, "missing": self.missing},
        )


def _parse(raw: Any, where: str, groups: CountryGroups) -> JurisdictionRules:
    try:
        levels = tuple(
            (float(lv["percent"]), Scope.parse(lv["destinations"], f"{where}: de_minimis", groups), str(lv["text"]))
            for lv in raw["de_minimis"]["levels"]
        )
        fdp = tuple(_fdp(str(k), v, where, groups) for k, v in raw["fdp"].items())
        return JurisdictionRules(
            in_us=str(raw["in_us"]["citation"]),
            us_origin=str(raw["us_origin"]["citation"]),
            unknown_as_us_origin=bool(raw["us_origin"]["unknown_as_us_origin"]),
            de_minimis=str(raw["de_minimis"]["citation"]),
            levels=levels,
            fdp=fdp,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(where, None, f"missing or malformed key {exc}") from None
    except ChipscreenError as exc:
        raise DataError(where, None, str(exc)) from None


def _fdp(key: str, v: Mapping[str, Any], where: str, groups: CountryGroups) -> FdpRule:
    def scope(s: Any, name: str) -> Scope | None:
        return None if s is None else Scope.parse(s, f"{where}: fdp.{key}.{name}", groups)

    steps = tuple(
        Step(s["from"], str(s["citation"]), scope(s.get("destinations"), "to"), scope(s.get("headquarters"), "hq"))
        for s in v["steps"]
    )
    items = v["items"]
    return FdpRule(
        key=key,
        title=str(v["title"]),
        citation=str(v["citation"]),
        verified=bool(v.get("verified", False)),
        items=None if items == "any" else frozenset(str(i) for i in items),
        steps=steps,
        end_use=v.get("end_use"),
        footnote=v.get("footnote"),
    )


_load = parsed_file(lambda raw, where: _parse(raw, where, country_groups()), "decide", "jurisdiction.yaml")


def jurisdiction_rules(path: Path | None = None) -> JurisdictionRules:
    return _load(path)


@dataclass(frozen=True)
class Where:
    """The shipment's places as the country groups see them on the day (HK as CN)."""

    origin: str
    destination: str
    day: dt.date
    groups: CountryGroups

    def dest_in(self, scope: Scope) -> bool:
        return scope.matches(self.destination, self.day, self.groups)

    def hq_in(self, scope: Scope, party: PartyView) -> bool:
        return any(scope.matches(self.groups.canonical(h, self.day), self.day, self.groups) for h in party.headquarters)


def subject_to_ear(
    item: Item,
    cls: ItemClassification,
    where: Where,
    parties: Sequence[PartyView],
    end_use: str | None,
    rules: JurisdictionRules | None = None,
) -> Jurisdiction:
    """The answer, with each test written out."""
    r = rules or jurisdiction_rules()
    if where.origin == "US":
        return Jurisdiction(True, "in_us", r.in_us, [f"the item is in the United States ({r.in_us})"])
    if item.us_origin or (item.us_origin is None and r.unknown_as_us_origin):
        how = "US-made" if item.us_origin else "of unstated origin, treated as US-made"
        return Jurisdiction(True, "us_origin", r.us_origin, [f"the item is {how} ({r.us_origin})"])
    out = Jurisdiction(False, "none", "15 CFR 734.3", [f"foreign-made, outside the US (in {where.origin})"])
    _de_minimis(item, where, r, out)
    for rule in r.fdp:
        _fdp_test(rule, item, cls, where, parties, end_use, out)
    if out.subject is False:
        tests = "de minimis and every foreign-direct-product rule" if not out.missing else ""
        out.work.append(f"no test brings the foreign-made item under the EAR ({tests or 'see above'})")
    return out


def _de_minimis(item: Item, where: Where, r: JurisdictionRules, out: Jurisdiction) -> None:
    level = next((lv for lv in r.levels if where.dest_in(lv[1])), None)
    if level is None:
        return
    pct, _, text = level
    if item.us_content_percent is None:
        out.work.append(f"de minimis: controlled US content not stated ({text}) -> open")
        _open(out, "us_content_percent")
        return
    over = item.us_content_percent > pct
    out.work.append(f"de minimis: US content {item.us_content_percent:g}% {'>' if over else '<='} {pct:g}% ({text})")
    if over:
        _subject(out, "de_minimis", r.de_minimis)


def _fdp_test(
    rule: FdpRule,
    item: Item,
    cls: ItemClassification,
    where: Where,
    parties: Sequence[PartyView],
    end_use: str | None,
    out: Jurisdiction,
) -> None:
    """One FDP rule: in force, the item in its scope, and the destination, a party or the end use in reach."""
    step = rule.step(where.day)
    if step is None or not _item_in(rule, cls):
        return
    reach = _reach(rule, step, where, parties, end_use)
    if reach is None:
        return
    cite = f"{rule.citation}; {step.citation}" + ("" if rule.verified else " [unverified]")
    if item.us_technology is None:
        out.work.append(f"{rule.title}: {reach}; whether the item is a direct product of US technology -> open")
        _open(out, "us_technology")
    elif item.us_technology:
        out.work.append(f"{rule.title}: {reach}, direct product of US technology ({cite})")
        _subject(out, f"fdp:{rule.key}", cite)
    else:
        out.work.append(f"{rule.title}: {reach}, but not a direct product of US technology")


def _item_in(rule: FdpRule, cls: ItemClassification) -> bool:
    if rule.items is None:
        return True
    paragraphs = [cls.paragraph or "", *cls.candidates]
    return (cls.eccn in rule.items) or any(
        p.partition(".")[0] in rule.items or ("z" in rule.items and p.endswith(".z")) for p in paragraphs if p
    )


def _reach(rule: FdpRule, step: Step, where: Where, parties: Sequence[PartyView], end_use: str | None) -> str | None:
    """Why the rule reaches this shipment, or None."""
    if rule.footnote is not None:
        hit = [p.name for p in parties if rule.footnote in p.footnotes]
        return f"Entity List footnote {rule.footnote} party {', '.join(hit)}" if hit else None
    if rule.end_use is not None and end_use != rule.end_use:
        return None
    if step.destinations is not None and where.dest_in(step.destinations):
        return f"destined to {where.destination}" + (f" for a {end_use}" if rule.end_use else "")
    if step.headquarters is not None:
        hq = [p.name for p in parties if where.hq_in(step.headquarters, p)]
        if hq:
            return f"party headquartered in {step.headquarters.describe()}: {', '.join(hq)}"
    return None


def _subject(out: Jurisdiction, basis: str, citation: str) -> None:
    if out.subject is not True:
        out.subject, out.basis, out.citation = True, basis, citation


def _open(out: Jurisdiction, fact: str) -> None:
    if fact not in out.missing:
        out.missing.append(fact)
    if out.subject is False:
        out.subject = None


def shipment_jurisdiction(sh: Shipment, footnotes: Callable[[str], Iterable[int]], end_use: str | None) -> Jurisdiction:
    """The answer for a shipment: ``footnotes`` gives the FDP footnotes of an Entity List entry by its id."""
    day, groups = sh.tx.date, sh.rulebook.groups
    views = []
    for p in sh.receivers:
        pf = sh.facts_of(p)
        fns = frozenset(n for m in pf.hits if m.list == "EL" for n in footnotes(m.entity_id))
        views.append(PartyView(p.name, tuple(h for h in (pf.headquarters, pf.parent_headquarters) if h), fns))
    where = Where(groups.canonical(sh.tx.from_, day, "from"), groups.canonical(sh.tx.to, day, "to"), day, groups)
    return subject_to_ear(sh.item, sh.cls, where, views, end_use)
