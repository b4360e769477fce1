"""The foundry due-diligence rule (Note 1 to 3A090, 90 FR 5298): a decision when the exporter made the IC.

A foundry or OSAT cannot see what its customer's design will do, so the rule makes it presume that an
advanced-node logic IC is 3A090.a and needs a licence to every destination unless the presumption is
overcome. The facts come from ``Transaction.fabrication`` and the exporter's ``producer``; an unstated fact
leaves the presumption standing and is named (``data/decide/foundry.yaml``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipscreen.dates import to_date
from chipscreen.decide.shipment import Shipment
from chipscreen.errors import DataError
from chipscreen.model import Fabrication, Flag, Reason
from chipscreen.paths import parsed_file

__all__ = ["FoundryRule", "foundry_due_diligence", "foundry_rule"]


@dataclass(frozen=True)
class FoundryRule:
    title: str
    citation: str
    verified: bool
    effective: dt.date
    compliance: dt.date
    compliance_verified: bool
    producers: frozenset[str]
    item_kinds: frozenset[str]
    node_nm_at_most: float
    release: dict[str, str]
    thresholds: tuple[tuple[dt.date, float], ...]
    thresholds_verified: bool

    def threshold(self, day: dt.date) -> float | None:
        return next((b for start, b in reversed(self.thresholds) if start <= day), None)


@dataclass
class FoundryFindings:
    reasons: list[Reason] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)


def _day(value: Any) -> dt.date:
    got = to_date(value)
    if got is None:
        raise ValueError("a date is required")
    return got


def _parse(raw: Any, where: str) -> FoundryRule:
    try:
        r = raw["rule"]
        th = r["transistor_thresholds"]
        return FoundryRule(
            title=str(r["title"]),
            citation=str(r["citation"]),
            verified=bool(r["verified"]),
            effective=_day(r["effective"]),
            compliance=_day(r["compliance"]),
            compliance_verified=bool(r["compliance_verified"]),
            producers=frozenset(str(p) for p in r["producers"]),
            item_kinds=frozenset(str(k) for k in r["item_kinds"]),
            node_nm_at_most=float(r["node_nm_at_most"]),
            release={str(k): str(v) for k, v in r["release"].items()},
            thresholds=tuple((_day(s["from"]), float(s["billion"])) for s in th["steps"]),
            thresholds_verified=bool(th["verified"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(where, None, f"missing or malformed key {exc}") from None


_load = parsed_file(_parse, "decide", "foundry.yaml")


def foundry_rule(path: Path | None = None) -> FoundryRule:
    return _load(path)


def foundry_due_diligence(sh: Shipment, rule: FoundryRule | None = None) -> FoundryFindings:
    """The rule's answer for a shipment whose exporter is a foundry or OSAT (nothing otherwise)."""
    r = rule or foundry_rule()
    out = FoundryFindings()
    producer = sh.exporter.producer if sh.exporter else None
    day = sh.tx.date
    if producer not in r.producers or sh.item.kind not in r.item_kinds or not sh.moves or day < r.effective:
        return out
    evidence: dict[str, Any] = {"rule": "foundry_due_diligence", "citation": r.citation, "producer": producer}
    if day < r.compliance:
        out.flags.append(
            _note(
                f"{r.title}: in effect from {r.effective}, compliance required from {r.compliance}"
                f"{'' if r.compliance_verified else ' (compliance date unverified)'}",
                evidence,
            )
        )
        return out
    fab = sh.tx.fabrication or Fabrication()
    applicable, why, missing = _applicable(fab, r)
    evidence.update(applicable=why, missing=missing)
    if applicable is False:
        out.flags.append(_note(f"{r.title}: not an applicable advanced logic IC ({why})", evidence))
        return out
    released = _released(fab, r, day, evidence)
    if released:
        out.flags.append(_note(f"{r.title}: presumption overcome: {released}", evidence))
        return out
    detail = (
        f"{producer.replace('_', ' ')} {sh.exporter.name if sh.exporter else ''!r} exports an applicable "
        f"advanced logic IC ({why}): presumed 3A090.a, licence required to every destination until "
        f"the presumption is overcome ({'; '.join(r.release.values())})"
    )
    if missing:
        detail += f"; not stated: {', '.join(missing)}"
    out.reasons.append(
        Reason(
            code="foundry_due_diligence",
            citation=r.citation,
            party=sh.exporter.name if sh.exporter else None,
            detail=detail,
            evidence=evidence,
        )
    )
    return out


def _applicable(fab: Fabrication, r: FoundryRule) -> tuple[bool | None, str, list[str]]:
    """Is the IC an applicable advanced logic IC? (True, False, or None: unknown, so presumed)."""
    if fab.node_nm is not None and fab.node_nm <= r.node_nm_at_most:
        return True, f"{fab.node_nm:g} nm <= {r.node_nm_at_most:g} nm node", []
    if fab.non_planar:
        return True, "non-planar transistor architecture", []
    missing = [k for k in ("node_nm", "non_planar") if getattr(fab, k) is None]
    if not missing:
        return False, f"{fab.node_nm:g} nm > {r.node_nm_at_most:g} nm node, planar transistors", []
    return None, "node or transistor architecture not stated: presumed", [f"fabrication.{k}" for k in missing]


def _released(fab: Fabrication, r: FoundryRule, day: dt.date, evidence: dict[str, Any]) -> str | None:
    if fab.designer_approved:
        return r.release["designer_approved"]
    limit = r.threshold(day)
    evidence["transistor_threshold_billion"] = limit
    evidence["threshold_verified"] = r.thresholds_verified
    count = fab.transistors_billion
    if fab.osat_approved and count is not None and limit is not None and count < limit:
        unverified = "" if r.thresholds_verified else " (threshold unverified)"
        return f"{r.release['osat_approved']}: {count:g} bn < {limit:g} bn{unverified}"
    return None


def _note(detail: str, evidence: dict[str, Any]) -> Flag:
    return Flag(code="rule_note", detail=detail, evidence=evidence)
