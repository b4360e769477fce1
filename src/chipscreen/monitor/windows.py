"""Each watched reading's forward window in one snapshot, kept so that a delta run rarely asks the lists' index.

Forward screening scores, for a reading ``q``, the best ``candidate_limit`` rows of the snapshot's index that
are eligible for it (``monitor.delta``'s module docstring). When a snapshot has fewer eligible rows than the
limit, its window is not full: it scores every eligible row, and which rows it scores needs no ranking. This
file keeps, per row of the watch set's reverse index, ``eligible``: an upper bound of the rows of snapshot
``S`` eligible for the reading on ANY date (counted without the listing dates: the rows in force on a day are
some of them), capped at the limit. Then for a change from ``S`` to ``S'``:

    eligible in S' on the day  <=  eligible in S  -  changed rows of S  +  changed rows of S' eligible (any date)
                               <=  eligible[q]  +  (rows of the changed entries' index of S' eligible for q)

so when ``eligible[q] + n' < limit`` (``n'`` counted by ``candidates`` on the changed entries' own index, without
dates) neither snapshot fills its window: each scores all its eligible rows, the rows scored in one snapshot
only are the changed rows eligible there, and ``delta`` decides the reading from the changed entries' indexes
alone. Otherwise it falls back to asking both snapshots' indexes (counted as a fallback).

The bound is carried from one run to the next without asking the index again: the next snapshot's bound is the
old one plus the number of new-side changed rows whose ``monitor.reach`` upper bound reaches the review threshold
for the reading (an upper bound of the rows that become eligible; removed rows are not subtracted, so the bound
only grows, and the window is counted afresh when ``build`` runs again: at a baseline run). Built once per watch
set at its baseline run (a ``candidates`` call per distinct reading), kept beside the reach table under
``$CHIPSCREEN_HOME/cache`` as one memory-mapped array per (watch set, snapshot, limit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from chipscreen.monitor.forking import can_fork, forked_map, spans, write_folder
from chipscreen.monitor.reach import ReachTable, within_reach_pairs
from chipscreen.monitor.results import Pair, Results, lowest_floor, scored
from chipscreen.names.index import NameIndex
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import NormalizedName


@dataclass
class Windows:
    """The bounds of a run's old snapshot, for forward screening's candidate ``limit``; ``carried``: those of its
    new snapshot, once the change is known (``delta.party_findings`` sets them). ``results``: the watched
    readings' forward results in the old snapshot (``monitor.results``), ``carried_results`` those of the new
    one; ``reached_new``: (reading, changed row) for each new-side changed row that may be eligible for a
    reading on any date (``monitor.reach.within_reach_pairs``), sorted by reading."""

    eligible: np.ndarray
    limit: int
    carried: np.ndarray | None = None
    results: Results | None = None
    carried_results: Results | None = None
    reached_new: tuple[np.ndarray, np.ndarray] | None = None


PARALLEL_FROM = 5000
"""Readings below which forking workers costs more than it saves."""


def build(snapshot_index: NameIndex, readings: Sequence[NormalizedName], limit: int,
          lists: Sequence[str] | None = None, workers: int = 1) -> np.ndarray:
    """``eligible`` of each reading against ``snapshot_index`` (exact, capped at ``limit``); each distinct reading
    is asked once, by ``workers`` forked processes sharing the index copy-on-write."""
    return survey(snapshot_index, readings, limit, lists, workers, score=False)[0]


def survey(snapshot_index: NameIndex, readings: Sequence[NormalizedName], limit: int,
           lists: Sequence[str] | None = None, workers: int = 1, score: bool = True
           ) -> tuple[np.ndarray, np.ndarray, list[Pair]]:
    """``eligible`` of each reading, its distinct reading's number, and (``score``) the pairs of each distinct
    reading whose window is open (``monitor.results``): one ``candidates`` call per distinct reading."""
    first: dict[NormalizedName, int] = {}
    where = np.fromiter((first.setdefault(q, len(first)) for q in readings), dtype=np.int32, count=len(readings))
    distinct = list(first)
    if can_fork(workers, len(distinct), PARALLEL_FROM):
        parts = forked_map(_count_part, (snapshot_index, distinct, limit, lists, score),
                           spans(len(distinct), workers), workers)
    else:
        parts = [_count(snapshot_index, distinct, 0, limit, lists, score)]
    counts = np.concatenate([c for c, _ in parts]) if parts else np.zeros(0, dtype=np.int16)
    pairs = [p for _, got in parts for p in got]
    eligible = counts[where].astype(np.int16) if len(where) else np.zeros(0, dtype=np.int16)
    return eligible, where, pairs


def _count_part(shared: tuple[NameIndex, list[NormalizedName], int, Sequence[str] | None, bool],
                span: tuple[int, int]) -> tuple[np.ndarray, list[Pair]]:
    index, distinct, limit, lists, score = shared
    return _count(index, distinct[span[0] : span[1]], span[0], limit, lists, score)


def _count(index: NameIndex, readings: Sequence[NormalizedName], first: int, limit: int,
           lists: Sequence[str] | None, score: bool) -> tuple[np.ndarray, list[Pair]]:
    review, floor = thresholds().review, lowest_floor()
    counts = np.zeros(len(readings), dtype=np.int16)
    pairs: list[Pair] = []
    for i, q in enumerate(readings):
        rows = index.candidates(q, min_bound=review, limit=limit, on=None, lists=lists)
        counts[i] = len(rows)
        if score and len(rows) < limit:
            pairs.extend((first + i, *p) for p in scored(index, q, rows, floor))
    return counts, pairs


def carried(eligible: np.ndarray, limit: int, rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The next snapshot's bound: ``eligible`` plus, per reading (``rows``), the new-side changed rows that may be
    eligible for it on any date (``counts``: per reading of ``monitor.reach.within_reach_pairs``), capped at
    ``limit``."""
    out = eligible.astype(np.int32)
    np.add.at(out, rows, counts)
    return np.minimum(out, limit).astype(np.int16)


def reached_carrying(table: ReachTable, changed: Sequence[NameIndex], new_side: NameIndex | None, on: dt.date,
                     windows: Windows) -> set[int]:
    """``monitor.reach.within_reach`` of each changed entries' index, the windows' bounds carried to the new
    snapshot on the way (``windows.carried``: one pass over the new side's postings serves both)."""
    out: set[int] = set()
    windows.carried = windows.eligible
    for i in changed:
        rows, pairs = within_reach_pairs(table, i, on)
        out.update(rows.tolist())
        if i is new_side:
            reach_rows, counts = np.unique(pairs[0], return_counts=True)
            windows.carried = carried(windows.eligible, windows.limit, reach_rows, counts)
            windows.reached_new = pairs
    return out


def folder(cache: Path, watch_version: str, snapshot_id: str, limit: int) -> Path:
    return cache / f"watch-windows-{watch_version}-{snapshot_id}-{limit}"


def save(eligible: np.ndarray, where: Path) -> None:
    """Write the array, renamed into place whole; the windows of other snapshots of the watch set are dropped
    (a run only ever needs those of its old snapshot)."""
    write_folder(where, lambda tmp: np.save(tmp / "eligible.npy", eligible.astype(np.int16)), "watch-windows-")


def load(where: Path, readings: int) -> np.ndarray | None:
    """The array saved there, memory-mapped; None when absent or not one bound per reading (it is then not
    used: every reading takes the fallback)."""
    try:
        got = np.load(where / "eligible.npy", mmap_mode="r")
    except (OSError, ValueError):
        return None
    return got if got.dtype == np.int16 and got.shape == (readings,) and (not readings or int(got.min()) >= 0) \
        else None
