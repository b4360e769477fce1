"""What a ``monitor run`` files as cases (``chipscreen monitor run --queue``): each watched party a changed
list entry now matches (a hit or a possible match; a delisting needs no one's review), and each open
transaction whose decision in the run needs a licence or is flagged. Read from the run's report as it is recorded
(``MonitorReport.to_dict``), so this package does not depend on the monitor's classes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chipscreen.model import Transaction
from chipscreen.review.cases import CaseInput
from chipscreen.review.content import summary_hash
from chipscreen.review.intake import receiver

SOURCE = "monitor"
MATCH_KINDS = ("hit", "possible match")


def party_inputs(report: Mapping[str, Any], countries: Mapping[str, str | None],
                 hashes: Mapping[str, str]) -> list[CaseInput]:
    """One case per party finding whose entry is in the run's snapshot (``hashes``: its content)."""
    out = []
    for f in report["parties"]:
        if f["kind"] not in MATCH_KINDS or f["entity_id"] not in hashes:
            continue
        detail = {"hit": f["kind"] == "hit", "explanation": f["explanation"], "monitor_run": report["run"],
                  "entry_change": f["change"], "changed_fields": f["changed_fields"], "party_id": f["party_id"]}
        out.append(CaseInput(f["party_name"], countries.get(f["party_id"]), f["entity_id"], f["list_code"],
                             f["entry_name"], hashes[f["entity_id"]], "match", SOURCE, round(f["score"], 4),
                             report["new_snapshot"], detail))
    return out


def transaction_inputs(report: Mapping[str, Any], decisions: Mapping[str, Mapping[str, Any]],
                       bodies: Mapping[str, Mapping[str, Any]]) -> list[CaseInput]:
    """One case per open transaction whose decision in this run (``decisions``: its summary by id) needs a
    licence or carries a flag, whether or not it changed since the last run (filing is deduplicated)."""
    changes = {t["tx_id"]: t for t in report["transactions"]}
    out = []
    for tx_id, after in sorted(decisions.items()):
        body = bodies.get(tx_id)
        if body is None or not (after["license_required"] or after["flags"]):
            continue
        tx = Transaction.model_validate(body)
        name, country = receiver(tx)
        item = tx.item if isinstance(tx.item, str) else tx.item.id
        change = changes.get(tx_id, {})
        detail = {"license_required": after["license_required"], "review_policy": after["review_policy"],
                  "reasons": list(after["reasons"].values()), "flags": list(after["flags"].values()),
                  "rulebook": after["rulebook"], "appeared": change.get("appeared", []),
                  "went": change.get("went", []), "monitor_run": report["run"]}
        summary = f"{tx.kind} of {tx.quantity} x {item} {tx.from_} -> {tx.to} (open; monitor run {report['run']})"
        out.append(CaseInput(name, country, f"tx:{tx.id}", "decision", summary, summary_hash(after),
                             "transaction", SOURCE, None, after.get("snapshot"), detail))
    return out
