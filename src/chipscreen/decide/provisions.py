"""The provisions of ``data/rulebooks/provisions/`` whose facts a shipment matches, as ``rule_note`` flags.

They never add a licence reason: §744.6 turns on U.S.-person involvement, which a transaction does not state,
and AI Diffusion's LPP cap never bound (not enforced before its compliance date). The flag says what to check,
with the provision's dated scope and citation, and for a cap the shipment's own arithmetic.
"""

from __future__ import annotations

from collections.abc import Collection

from chipscreen.decide.shipment import Shipment
from chipscreen.model import Flag
from chipscreen.rules.expr import fmt
from chipscreen.rules.provisions import Provision, provisions

__all__ = ["provision_flags"]


def provision_flags(sh: Shipment, end_uses: Collection[str]) -> list[Flag]:
    day, groups = sh.tx.date, sh.rulebook.groups
    dest = groups.canonical(sh.tx.to, day)
    paragraphs = set(sh.cls.paragraphs())
    out: list[Flag] = []
    for p in provisions():
        step = p.step(day)
        if step is None or (step.destinations is not None and not step.destinations.matches(dest, day, groups)):
            continue
        if (p.end_uses and not p.end_uses & set(end_uses)) or (p.paragraphs and not p.paragraphs & paragraphs):
            continue
        if p.transfers_only and not sh.moves:
            continue
        out.append(_flag(p, sh, step.citation))
    return out


def _flag(p: Provision, sh: Shipment, scope: str) -> Flag:
    detail = f"{p.title}: {p.detail}"
    evidence: dict[str, object] = {"provision": p.id, "citation": p.citation, "scope": scope, "verified": p.verified}
    if p.tpp_cap is not None:
        n = (sh.cls.contained_count or 1) * sh.tx.quantity
        if sh.cls.tpp is None:
            detail += f"; the shipment's total TPP is unknown (cap {fmt(p.tpp_cap)})"
        else:
            total = sh.cls.tpp * n
            evidence["total_tpp"] = total
            over = "over" if total > p.tpp_cap else "within"
            detail += f"; this shipment: {n} x {fmt(sh.cls.tpp)} = {fmt(total)} TPP, {over} the cap of {fmt(p.tpp_cap)}"
    off = p.enforcement_note(sh.tx.date)
    if off:
        detail += f" (not enforced on this date: {off})"
        evidence["not_enforced"] = off
    return Flag(code="rule_note", detail=detail, evidence=evidence)
