"""The content hash of a list entry and of a decision: what a remembered disposition is tied to.

An entry's hash covers every listed fact of the party (names, country, addresses, identifiers) and of each
of its listings (list, dates, licence requirement, review policy, citations, footnotes, programs, remarks),
but not the file it came from: reloading an unchanged entry from a newer file keeps its hash, so the
disposition holds; a changed name, date or citation changes it, so the case re-opens."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from chipscreen.bounded import LRU, bounded
from chipscreen.model import Decision
from chipscreen.store import ListedEntry, Store

NOT_CONTENT = frozenset({"source"})  # where an entry was read from, not what it says


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def entry_hash(entries: Sequence[ListedEntry]) -> str:
    """One hash for an entity's listings in one snapshot (on one list or several under one id)."""
    facts = sorted(
        _digest([e.party.model_dump(mode="json", exclude=set(NOT_CONTENT)),
                  e.listing.model_dump(mode="json", exclude=set(NOT_CONTENT))]) for e in entries
    )
    return _digest(facts)


# (snapshot id, entity id) -> content hash. A snapshot id names its datasets, whose ids hash their content, so
# an entry's hash under one snapshot never changes: the service files the API's findings on every /match, and
# reading the same entries back from the store for each answer cost it more than the screening did.
_HASHES: LRU[tuple[str, str], str] = bounded("review.entry_hashes")


def entry_hashes(store: Store, snapshot: str, entity_ids: Sequence[str]) -> dict[str, str]:
    """The content hash of each entity id in a snapshot (one store query for those not yet hashed)."""
    known = {eid: h for eid in set(entity_ids) if (h := _HASHES.get((snapshot, eid))) is not None}
    missing = sorted(set(entity_ids) - set(known))
    if not missing:
        return known
    grouped: dict[str, list[ListedEntry]] = defaultdict(list)
    for e in store.entries(snapshot, entity_ids=missing):
        grouped[e.party.id].append(e)
    for eid, es in grouped.items():
        known[eid] = _HASHES[(snapshot, eid)] = entry_hash(es)
    return known


def _outcome_digest(license_required: bool, policy: str | None, reasons: Iterable[list[Any]],
                    flags: Iterable[list[Any]]) -> str:
    def ordered(rows: Iterable[list[Any]]) -> list[list[Any]]:
        # one per code and party, as a monitor run keeps them; the order they were found in is no fact
        keyed = {f"{code}|{party or ''}": [code, party, detail] for code, party, detail in rows}
        return [keyed[k] for k in sorted(keyed)]

    return _digest({"license_required": license_required, "policy": policy, "reasons": ordered(reasons),
                    "flags": ordered(flags)})


def decision_hash(d: Decision) -> str:
    """What a transaction case is about: the licence answer, the reasons and the flags (not the decision's
    id or snapshot, so re-deciding the same transaction to the same answer files nothing new)."""
    return _outcome_digest(d.license_required, d.review_policy, ([r.code, r.party, r.detail] for r in d.reasons),
                           ([f.code, f.party, f.detail] for f in d.flags))


def summary_hash(summary: Mapping[str, Any]) -> str:
    """``decision_hash`` of a decision kept as ``monitor run`` keeps it (its reasons and flags by key), so a
    transaction filed from the API and again from a monitor run, deciding the same, is one case."""
    return _outcome_digest(summary["license_required"], summary["review_policy"],
                           ([r["code"], r["party"], r["detail"]] for r in summary["reasons"].values()),
                           ([f["code"], f["party"], f["detail"]] for f in summary["flags"].values()))
