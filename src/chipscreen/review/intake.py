"""What becomes a case: every match of a screening (a hit or a possible match a person must look at) and
every transaction whose decision needs a licence or carries a flag. Shared by the desk's pages, the API's
/match and /check, and ``screen-file``, so each files the same cases for the same findings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chipscreen.model import Decision, Transaction
from chipscreen.names import Match
from chipscreen.review.cases import CaseInput
from chipscreen.review.content import decision_hash

RECEIVERS = ("end_user", "consignee", "lessee", "customer")  # whose name a transaction case goes by


def match_inputs(name: str, country: str | None, matches: Sequence[Match], hashes: Mapping[str, str], *,
                 source: str, snapshot: str | None) -> list[CaseInput]:
    """One case per matched entry whose content is known in the snapshot (best match per entry)."""
    best: dict[str, Match] = {}
    for m in matches:
        if m.entity_id in hashes and (m.entity_id not in best or m.score > best[m.entity_id].score):
            best[m.entity_id] = m
    return [CaseInput(name, country, eid, m.list, m.name, hashes[eid], "match", source, round(m.score, 4), snapshot,
                      {"matched_name": m.matched_name, "hit": m.hit, "explanation": m.explanation})
            for eid, m in best.items()]


def needs_review(d: Decision) -> bool:
    return d.license_required or bool(d.flags)


def receiver(tx: Transaction) -> tuple[str, str | None]:
    """The name and country a transaction's case goes by: its receiving party's, else its destination's."""
    party = next((p for role in RECEIVERS for p in tx.parties if p.role == role),
                 tx.parties[0] if tx.parties else None)
    return (party.name, party.country) if party else (f"to {tx.to}", tx.to)


def decision_inputs(tx: Transaction, d: Decision, *, source: str, link: str | None = None) -> list[CaseInput]:
    """One case for a transaction whose decision needs a licence or is flagged; none otherwise."""
    if not needs_review(d):
        return []
    name, country = receiver(tx)
    item = tx.item if isinstance(tx.item, str) else tx.item.id
    detail: dict[str, Any] = {
        "license_required": d.license_required, "review_policy": d.review_policy,
        "reasons": [{"code": r.code, "citation": r.citation, "detail": r.detail} for r in d.reasons],
        "flags": [{"code": f.code, "detail": f.detail} for f in d.flags], "rulebook": d.rulebook,
    }
    if link:
        detail["decision"] = link
    summary = f"{tx.kind} of {tx.quantity} x {item} {tx.from_} -> {tx.to} on {tx.date.isoformat()}"
    return [CaseInput(name, country, f"tx:{tx.id}", "decision", summary, decision_hash(d), "transaction", source,
                      None, d.snapshot, detail)]
