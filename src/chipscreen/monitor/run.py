"""``monitor run``: what changed since the last run, and what it means for the watch set.

The last run recorded the snapshot it saw, the rulebooks on file and the watch set's version. This run
compares the latest snapshot with that one (one diff, on the lists whose dataset changed), screens only the
changed entries against the watch set (``delta``), finds the watched parties the change leaves owned by
listed parties (``affiliates``), decides the open transactions again when the lists or the
rulebooks changed (``open_transactions``), and records itself. The first run, and the first run after
``monitor add`` changed the watch set, have nothing to compare with: they screen the watch set against the
whole snapshot (every entry counts as added) and make the baseline the next runs compare against.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from chipscreen import collector
from chipscreen.monitor.affiliates import captured_affiliates
from chipscreen.monitor.delta import party_findings
from chipscreen.monitor.findings import PartyFinding
from chipscreen.monitor.open_transactions import TxFinding, decide_open, transaction_findings
from chipscreen.monitor.watch_index import keep_windows, watch_index, watch_reach, watch_windows
from chipscreen.monitor.windows import Windows
from chipscreen.rules import list_rulebooks
from chipscreen.store import DiffRow, SnapshotInfo, Store, watch
from chipscreen.store.changes import step


@dataclass
class MonitorReport:
    run: int
    on: dt.date
    old_snapshot: str | None
    new_snapshot: str
    baseline: bool
    rulebooks_added: list[str]
    changes: list[DiffRow]
    parties: list[PartyFinding] = field(default_factory=list)
    transactions: list[TxFinding] = field(default_factory=list)
    watched: tuple[int, int] = (0, 0)
    seconds: dict[str, float] = field(default_factory=dict)
    steps: dict[str, float] = field(default_factory=dict)  # ``party_findings``' counts and times, for benchmarks

    @property
    def needs_attention(self) -> bool:
        return any(f.needs_attention for f in self.parties) or any(t.needs_attention for t in self.transactions)

    def summary(self) -> dict[str, int]:
        kinds = ("added", "removed", "changed")
        return {k: sum(1 for r in self.changes if r.change == k) for k in kinds}

    def to_dict(self) -> dict[str, Any]:
        return {
            "run": self.run, "date": self.on, "old_snapshot": self.old_snapshot, "new_snapshot": self.new_snapshot,
            "baseline": self.baseline, "rulebooks_added": self.rulebooks_added, "list_changes": self.summary(),
            "watched": {"parties": self.watched[0], "transactions": self.watched[1]},
            "needs_attention": self.needs_attention,
            "parties": [f.__dict__ | {"needs_attention": f.needs_attention} for f in self.parties],
            "transactions": [{"tx_id": t.tx_id, "needs_attention": t.needs_attention, "before": t.before,
                              "after": t.after, "appeared": t.appeared, "went": t.went} for t in self.transactions],
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


class MonitorWork(Protocol):
    """Where a run's two pieces of work are done, when not here: ``chipscreen.spark`` does them per slice of
    the watch set with these same functions (``party_findings``, ``decide_open``), so the findings are these."""

    def parties(self, store: Store, old: SnapshotInfo | None, new: SnapshotInfo, rows: list[DiffRow],
                on: dt.date) -> list[PartyFinding]: ...

    def transactions(self, store: Store, snap: SnapshotInfo, txs: dict[str, dict[str, Any]], on: dt.date
                     ) -> dict[str, dict[str, Any]]: ...


def run_monitor(store: Store, *, on: dt.date | None = None, record: bool = True,
                work: MonitorWork | None = None, workers: int = 1) -> MonitorReport:
    """Work out and (unless ``record`` is False) record one run; see the module docstring. ``workers``
    processes screen the parties the change affects."""
    on = on or dt.date.today()
    t0 = time.perf_counter()
    last = watch.last_run(store)
    new = store.snapshot()
    version = watch.watch_version(store)
    rulebooks = tuple(r.id for r in list_rulebooks())
    baseline = last is None or last.watch_version != version
    old = None if last is None or baseline else store.snapshot(last.snapshot_id)
    rows = [] if old is not None and old.id == new.id else step(store, old, new).changes
    added_rules = sorted(set(rulebooks) - set(last.rulebooks)) if last else []
    report = MonitorReport((last.run + 1) if last else 1, on, old.id if old else None, new.id, baseline,
                           added_rules, rows, watched=watch.counts(store))
    report.seconds["diff"] = time.perf_counter() - t0
    wins: Windows | None = None
    if rows and report.watched[0]:
        t1 = time.perf_counter()
        index = watch_index(store)
        table = watch_reach(store) if work is None else None  # built once per watch set, at its baseline run
        wins = watch_windows(store, old.id, workers, since=on) if work is None and old is not None else None
        report.seconds["watch_index"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        with collector.paused():  # reading a million parties' results makes no cycles: collector passes are waste
            report.parties = (work.parties(store, old, new, rows, on) if work is not None
                              else party_findings(store, old, new, rows, index, on, workers, table, report.steps,
                                                  wins))
        report.seconds["parties"] = time.perf_counter() - t1
        t1 = time.perf_counter()
        report.parties += captured_affiliates(store, old, new, index, on)
        report.seconds["affiliates"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    previous, txs = watch.decisions(store), watch.transactions(store)
    redo = baseline or old is None or old.id != new.id or bool(added_rules) or (last is not None and last.ran_at
                                                                                 .date() != on)
    todo = txs if redo else {k: v for k, v in txs.items() if k not in previous}
    current = work.transactions(store, new, todo, on) if work is not None else decide_open(store, new, todo, on)
    report.transactions = transaction_findings(previous, current)
    report.seconds["transactions"] = time.perf_counter() - t1
    if record:
        findings = len(report.parties) + len(report.transactions)
        watch.record_run(store, watch.RunRecord(report.run, dt.datetime.now(dt.UTC).replace(tzinfo=None), new.id,
                                                rulebooks, version, findings), current, report.to_dict())
        if work is None and report.watched[0]:
            _next_windows(store, old, new, wins, workers, on)
    report.seconds["total"] = time.perf_counter() - t0
    return report


def _next_windows(store: Store, old: SnapshotInfo | None, new: SnapshotInfo, wins: Windows | None, workers: int,
                  on: dt.date) -> None:
    """Leave the windows of the recorded snapshot for the next run: carried from this run's, counted afresh at a
    baseline, or kept when the snapshot did not change (``monitor.windows``)."""
    if old is None:
        watch_windows(store, new.id, workers, since=on)
    elif wins is not None:
        keep_windows(store, new.id, wins)
    elif old.id != new.id and (got := watch_windows(store, old.id, build=False)) is not None:
        keep_windows(store, new.id, got)
