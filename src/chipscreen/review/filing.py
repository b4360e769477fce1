"""Screening from outside the desk reads and feeds the same memory: ``without_cleared`` leaves out the matches
an analyst cleared for this party and this entry content (``chipscreen screen --ignore-cleared``), and
``CaseFiler`` files a bulk run's matches as cases in batches (``chipscreen screen-file --queue``), each
batch's entry hashes read in one store query; ``file_monitor_report`` files a monitor run's findings
(``chipscreen monitor run --queue``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chipscreen.names import Match
from chipscreen.review.cases import Case, CaseStore
from chipscreen.review.content import entry_hashes
from chipscreen.review.intake import match_inputs
from chipscreen.review.monitor_intake import party_inputs, transaction_inputs
from chipscreen.store import Store, watch

BATCH = 500


def without_cleared(cases: CaseStore, store: Store, snapshot: str, name: str, country: str | None,
                    matches: Sequence[Match]) -> tuple[list[Match], dict[str, Case]]:
    """The matches left once those cleared before are taken out, and the cleared ones by entity id."""
    hashes = entry_hashes(store, snapshot, [m.entity_id for m in matches])
    cleared = cases.cleared(name, country, hashes)
    return [m for m in matches if m.entity_id not in cleared], cleared


class CaseFiler:
    def __init__(self, cases: CaseStore, store: Store, snapshot: str, source: str) -> None:
        self.cases, self.store, self.snapshot, self.source = cases, store, snapshot, source
        self._pending: list[tuple[str, str | None, list[Match]]] = []
        self.filed = 0

    def add(self, name: str, country: str | None, matches: Sequence[Match]) -> None:
        if matches:
            self._pending.append((name, country, list(matches)))
        if len(self._pending) >= BATCH:
            self.flush()

    def flush(self) -> int:
        """File what is pending; returns how many cases were new."""
        pending, self._pending = self._pending, []
        if not pending:
            return 0
        hashes = entry_hashes(self.store, self.snapshot, [m.entity_id for _, _, ms in pending for m in ms])
        inputs = [c for name, country, ms in pending
                  for c in match_inputs(name, country, ms, hashes, source=self.source, snapshot=self.snapshot)]
        new = len(self.cases.file(inputs))
        self.filed += new
        return new


def file_monitor_report(cases: CaseStore, store: Store, report: Mapping[str, Any]) -> int:
    """File a ``monitor run``'s findings (its ``to_dict`` form) as cases; returns how many were new."""
    ids = [f["entity_id"] for f in report["parties"]]
    hashes = entry_hashes(store, report["new_snapshot"], ids) if ids else {}
    inputs = party_inputs(report, watch.party_countries(store), hashes)
    inputs += transaction_inputs(report, watch.decisions(store), watch.transactions(store))
    return len(cases.file(inputs))
