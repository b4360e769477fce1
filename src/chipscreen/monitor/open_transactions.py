"""Open leases and cloud contracts whose decision changes: each is decided again, as of the run's date (an
open contract is performed today, under today's rules and lists), and compared with the decision the last
run recorded. A difference names what caused it: the reasons and flags that appeared or went (each with the
list entry or rule citation the decision engine gives it), and the rulebook when a newer one applies.

Only a change is worked: transactions are decided again only when the snapshot or the rulebooks on file
changed since the last run, or when the transaction is new to the watch set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from chipscreen.decide import Decider
from chipscreen.model import Decision, Transaction
from chipscreen.store import SnapshotInfo, Store


@dataclass
class TxFinding:
    """An open transaction whose decision changed (or that is new and needs a licence)."""

    tx_id: str
    before: dict[str, Any] | None
    after: dict[str, Any]
    appeared: list[dict[str, Any]] = field(default_factory=list)  # reasons and flags new in ``after``
    went: list[str] = field(default_factory=list)  # reasons and flags ``before`` had and ``after`` lacks

    @property
    def needs_attention(self) -> bool:
        return bool(self.appeared) or (self.after["license_required"] and not (self.before or {}).get(
            "license_required"))


def summary(d: Decision) -> dict[str, Any]:
    """What a decision says, in a form two runs compare: its outcome, reasons and flags keyed by code and party."""
    return {
        "license_required": d.license_required, "review_policy": d.review_policy, "rulebook": d.rulebook,
        "snapshot": d.snapshot,
        "reasons": {f"{r.code}|{r.party or ''}": {"code": r.code, "party": r.party, "citation": r.citation,
                                                   "detail": r.detail, "evidence": r.evidence} for r in d.reasons},
        "flags": {f"{f.code}|{f.party or ''}": {"code": f.code, "party": f.party, "detail": f.detail,
                                                 "evidence": f.evidence} for f in d.flags},
    }


def compare(tx_id: str, before: dict[str, Any] | None, after: dict[str, Any]) -> TxFinding | None:
    """The change between two summaries; None when nothing that matters changed."""
    old_keys = {**(before or {}).get("reasons", {}), **(before or {}).get("flags", {})}
    new_items = {**after["reasons"], **after["flags"]}
    appeared = [v for k, v in new_items.items() if k not in old_keys]
    went = sorted(k for k in old_keys if k not in new_items)
    if before is None:
        appeared = list(after["reasons"].values())  # a new transaction: what requires a licence
        went = []
    finding = TxFinding(tx_id, before, after, appeared, went)
    if before is None:
        return finding if finding.needs_attention else None
    same = before.get("license_required") == after["license_required"] and not appeared and not went
    return None if same else finding


def decide_open(store: Store, snap: SnapshotInfo, txs: dict[str, dict[str, Any]], on: dt.date,
                decider: Decider | None = None) -> dict[str, dict[str, Any]]:
    """Each open transaction decided as of ``on`` against ``snap``: its summary by id. A ``decider`` of
    ``snap`` already warm (one per Spark executor process, serving every slice) is used as it is."""
    out: dict[str, dict[str, Any]] = {}
    if not txs:
        return out  # a Decider warms the names and ownership engines: not for nothing
    decider = decider or Decider(store, snapshot=snap.id)
    for tx_id, body in txs.items():
        tx = Transaction.model_validate(body)
        if tx.date < on:
            tx = tx.model_copy(update={"date": on})
        out[tx_id] = summary(decider.decide(tx))
    return out


def transaction_findings(previous: dict[str, dict[str, Any]], current: dict[str, dict[str, Any]]
                         ) -> list[TxFinding]:
    found = [f for tx_id, after in current.items() if (f := compare(tx_id, previous.get(tx_id), after))]
    return sorted(found, key=lambda f: (not f.needs_attention, f.tx_id))
