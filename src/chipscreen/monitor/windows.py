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

A reading whose window is full still needs no lookup when the change stays below it. Forward screening ranks
eligible rows by bound, then by row, and a row's bound depends on the reading and the row alone (``NameIndex``), so
it is the same in every index that holds the row. The *cut* of a full window is the bound of its last row ranked
without the listing dates (``NameIndex.ranked``), with the days ``first..last`` on which all of its rows are in
force. On such a day the day's window is those rows, since every row in force on it is eligible on some date. When
every changed row in force on the day and eligible for the reading has a bound under the cut, no changed row is in
the old window (its rows are then unchanged, present in the new snapshot with the same bounds, still in force) and
none enters the new one (each ranks after them): both windows hold the same rows, and the reading's result cannot
change (``Cuts.valid``). A changed row that reaches the cut can still leave the result alone. ``m`` new rows
entering the window push out its last ``m`` rows; ``r`` old rows leaving it let in the ``r`` rows ranked next (a
changed row under the cut may rank among those too, so when any old row leaves, every changed row whose bound
reaches ``lowest``, the bound of the last row ``spare`` counts, is counted in ``m`` or ``r``). When the window's
last ``m`` rows (``tail``: how many of its last rows do, counted up to ``TAIL``) and the ``r`` rows after it
(``spare``, counting only rows in force whenever the cut holds) all score under the lowest floor, the rows scored in
one snapshot only are the changed rows and rows that are never reported, and ``delta`` decides the reading from the
changed rows' comparisons alone, as for an open window (a changed row counted that is in neither window, as one that
only ties with the cut may be, can only add a party to those screened forward, where the findings are made). Rows
listed until a day before the survey's (``since``) are never in force again: the window is cut from the others, and
the cut holds from that day on. The cut is carried to the next snapshot unchanged when no changed row, on any date,
has an upper bound (``monitor.reach.Pairs``) that reaches it (``spare`` is then forgotten for the readings a changed
row reaches); otherwise it is forgotten (NaN) until the next baseline counts the windows afresh. Readings of
descriptive words only rank their rows by row number and have no cut.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from chipscreen.dates import OPEN_START, day_number
from chipscreen.monitor.forking import can_fork, forked_map, spans, write_folder
from chipscreen.monitor.reach import Pairs, ReachTable, reach_pairs
from chipscreen.monitor.results import Pair, Results, lowest_floor, scored
from chipscreen.names.index import NameIndex, Ranked
from chipscreen.names.score import compare_above
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import NormalizedName


@dataclass
class Cuts:
    """Per row of the watch set's reverse index: its reading's cut in the snapshot (NaN where none is known) and
    the days on which every row of the window is in force (see the module docstring)."""

    bound: np.ndarray
    first: np.ndarray
    last: np.ndarray
    tail: np.ndarray
    spare: np.ndarray
    lowest: np.ndarray

    def valid(self, row: int, day: int) -> float | None:
        """The reading's cut, when one is known and its window's rows are all in force on ``day``."""
        cut = float(self.bound[row])
        return cut if cut == cut and int(self.first[row]) <= day <= int(self.last[row]) else None

    def spared(self, rows: np.ndarray, day: int, pairs: Sequence[Pairs]) -> np.ndarray:
        """The ``rows`` (sorted) whose two windows are alike on ``day`` whatever the exact bounds: the upper bounds
        of their changed rows in force on the day (``pairs``, one per side) stay under the cut."""
        top = np.full(len(rows), -np.inf)
        for p in pairs:
            live = p.in_force & np.isin(p.readings, rows)
            np.maximum.at(top, np.searchsorted(rows, p.readings[live]), p.upper[live])
        ok = (top < self.bound[rows]) & (self.first[rows] <= day) & (day <= self.last[rows])
        spared: np.ndarray = rows[ok]
        return spared

    def carried(self, pairs: Sequence[Pairs]) -> Cuts:
        """The cuts in the next snapshot: forgotten where a changed row's upper bound reaches the cut."""
        bound = np.array(self.bound, dtype=np.float64)
        spare = np.array(self.spare, dtype=np.int8)
        for p in pairs:
            bound[p.readings[p.upper >= bound[p.readings]]] = np.nan
            spare[p.readings] = 0  # a changed row under the cut may now rank just after the window
        return Cuts(bound, self.first, self.last, self.tail, spare, self.lowest)


@dataclass
class Windows:
    """The bounds of a run's old snapshot, for forward screening's candidate ``limit``; ``carried``: those of its
    new snapshot, once the change is known (``delta.party_findings`` sets them). ``results``: the watched
    readings' forward results in the old snapshot (``monitor.results``), ``carried_results`` those of the new
    one; ``reached_new``: (reading, changed row) for each new-side changed row that may be eligible for a
    reading on any date (``monitor.reach.reach_pairs``), sorted by reading; ``reached``: those pairs of
    both sides. ``cuts``: the full windows' cuts in the old snapshot (None: unknown), ``carried_cuts`` in the
    new one."""

    eligible: np.ndarray
    limit: int
    carried: np.ndarray | None = None
    results: Results | None = None
    carried_results: Results | None = None
    reached_new: Pairs | None = None
    cuts: Cuts | None = None
    carried_cuts: Cuts | None = None
    reached: list[Pairs] = field(default_factory=list)


PARALLEL_FROM = 5000
"""Readings below which forking workers costs more than it saves."""
TAIL = 16
"""The last rows of a full window scored at a baseline (``Cuts.tail``): as many new rows may enter it."""


def build(snapshot_index: NameIndex, readings: Sequence[NormalizedName], limit: int,
          lists: Sequence[str] | None = None, workers: int = 1) -> np.ndarray:
    """``eligible`` of each reading against ``snapshot_index`` (exact, capped at ``limit``); each distinct reading
    is asked once, by ``workers`` forked processes sharing the index copy-on-write."""
    return survey(snapshot_index, readings, limit, lists, workers, score=False).eligible


@dataclass
class Survey:
    """What ``survey`` counted: ``eligible`` and the ``cuts`` per reading, each reading's distinct number
    (``where``), and the pairs of each distinct reading whose window is open (``monitor.results``)."""

    eligible: np.ndarray
    where: np.ndarray
    pairs: list[Pair]
    cuts: Cuts


def survey(snapshot_index: NameIndex, readings: Sequence[NormalizedName], limit: int,
           lists: Sequence[str] | None = None, workers: int = 1, score: bool = True, since: dt.date | None = None
           ) -> Survey:
    """``eligible`` and the cut of each reading, and (``score``) the pairs of the open windows: one ``ranked``
    call per distinct reading. The cuts hold from ``since`` on (None: on any date): rows listed until an earlier
    day are never in force again, and are left out of the windows they are cut from."""
    first: dict[NormalizedName, int] = {}
    where = np.fromiter((first.setdefault(q, len(first)) for q in readings), dtype=np.int32, count=len(readings))
    distinct = list(first)
    day = day_number(since) if since is not None else None
    if can_fork(workers, len(distinct), PARALLEL_FROM):
        parts = forked_map(_count_part, (snapshot_index, distinct, limit, lists, score, day),
                           spans(len(distinct), workers), workers)
    else:
        parts = [_count(snapshot_index, distinct, 0, limit, lists, score, day)]
    if not parts:
        parts = [_count(snapshot_index, [], 0, limit, lists, score, day)]
    counts, cut, days, tail, spare, lowest = (np.concatenate([p[k] for p in parts]) for k in range(6))
    pairs = [x for p in parts for x in p[6]]
    return Survey(counts[where].astype(np.int16), where, pairs,
                  Cuts(cut[where], days[where, 0], days[where, 1], tail[where], spare[where], lowest[where]))


_Counted = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[Pair]]


def _count_part(shared: tuple[NameIndex, list[NormalizedName], int, Sequence[str] | None, bool, int | None],
                span: tuple[int, int]) -> _Counted:
    index, distinct, limit, lists, score, day = shared
    return _count(index, distinct[span[0] : span[1]], span[0], limit, lists, score, day)


def _count(index: NameIndex, readings: Sequence[NormalizedName], first: int, limit: int,
           lists: Sequence[str] | None, score: bool, since: int | None) -> _Counted:
    review, floor = thresholds().review, lowest_floor()
    counts = np.zeros(len(readings), dtype=np.int16)
    cut = np.full(len(readings), np.nan)
    days = np.zeros((len(readings), 2), dtype=np.int64)
    tail = np.zeros(len(readings), dtype=np.int8)
    spare = np.zeros(len(readings), dtype=np.int8)
    lowest = np.full(len(readings), np.nan)
    pairs: list[Pair] = []
    for i, q in enumerate(readings):
        got = index.ranked(q, min_bound=review, limit=limit + TAIL, on=None, lists=lists)
        rows = got.rows[:limit]
        counts[i] = len(rows)
        if len(rows) >= limit and not got.by_row:
            found = _cut(index, q, got, limit, lists, since, floor)
            if found is not None:
                cut[i], days[i, 0], days[i, 1], tail[i], spare[i], lowest[i] = found
        if score and len(rows) < limit:
            pairs.extend((first + i, *p) for p in scored(index, q, rows, floor))
    return counts, cut, days, tail, spare, lowest, pairs


def _cut(index: NameIndex, q: NormalizedName, got: Ranked, limit: int, lists: Sequence[str] | None,
         since: int | None, floor: float) -> tuple[float, int, int, int, int, float] | None:
    """A full window's cut, days, ``tail``, ``spare`` and ``lowest`` (``Cuts``), from ``got`` (its first ``limit +
    TAIL`` rows ranked on any date); None when fewer than ``limit`` rows are left once those ended before ``since``
    are."""
    if since is not None and min(int(index.ends[r]) for r in got.rows) < since:
        got = index.ranked(q, min_bound=thresholds().review, limit=len(index.rows), on=None, lists=lists)
        kept = [k for k, r in enumerate(got.rows) if int(index.ends[r]) >= since][: limit + TAIL]
        got = Ranked([got.rows[k] for k in kept], [got.bounds[k] for k in kept], False)
    rows, after = got.rows[:limit], got.rows[limit:]
    if len(rows) < limit:
        return None
    start = max(int(index.starts[rows].max()), since if since is not None else OPEN_START)
    end = int(index.ends[rows].min())

    def under(r: int) -> bool:
        return compare_above(q, index.rows[r].normalized, floor) is None

    tail = next((k for k, r in enumerate(rows[: -TAIL - 1 : -1]) if not under(r)), TAIL)
    # past the last ranked row there is no row to pull in: rows ended before ``since`` never come back
    spare = next((k for k, r in enumerate(after)
                  if not (index.starts[r] <= start and end <= index.ends[r] and under(r))), TAIL)
    # the bound of the last row ``spare`` counts (the cut when none is); none at all when every eligible row was
    # ranked: no other row can be let in
    ranked_all = spare >= len(after) and len(after) < TAIL
    lowest = -np.inf if ranked_all else got.bounds[limit - 1 + min(spare, len(after))]
    return got.bounds[limit - 1], start, end, tail, spare, lowest


def carried(eligible: np.ndarray, limit: int, rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The next snapshot's bound: ``eligible`` plus, per reading (``rows``), the new-side changed rows that may be
    eligible for it on any date (``counts``: per reading of ``monitor.reach.reach_pairs``), capped at
    ``limit``."""
    out = eligible.astype(np.int32)
    np.add.at(out, rows, counts)
    return np.minimum(out, limit).astype(np.int16)


def reached_carrying(table: ReachTable, changed: Sequence[NameIndex], new_side: NameIndex | None, on: dt.date,
                     windows: Windows, workers: int = 1) -> set[int]:
    """``monitor.reach.within_reach`` of each changed entries' index, the windows' bounds and cuts carried to the
    new snapshot on the way (``windows.carried``, ``windows.carried_cuts``: one pass over the postings serves
    both); ``workers`` processes share the work (``reach.reach_pairs``)."""
    out: set[int] = set()
    windows.carried = windows.eligible
    for i, (rows, pairs) in zip(changed, reach_pairs(table, changed, on, workers), strict=True):
        out.update(rows.tolist())
        windows.reached.append(pairs)
        if i is new_side:
            reach_rows, counts = np.unique(pairs.readings, return_counts=True)
            windows.carried = carried(windows.eligible, windows.limit, reach_rows, counts)
            windows.reached_new = pairs
    if windows.cuts is not None:
        windows.carried_cuts = windows.cuts.carried(windows.reached)
    return out


def folder(cache: Path, watch_version: str, snapshot_id: str, limit: int) -> Path:
    return cache / f"watch-windows-{watch_version}-{snapshot_id}-{limit}"


def save(eligible: np.ndarray, where: Path, cuts: Cuts | None = None) -> None:
    """Write the arrays, renamed into place whole; the windows of other snapshots of the watch set are dropped
    (a run only ever needs those of its old snapshot)."""

    def write(tmp: Path) -> None:
        np.save(tmp / "eligible.npy", eligible.astype(np.int16))
        if cuts is not None:
            np.save(tmp / "cut.npy", cuts.bound.astype(np.float64))
            np.save(tmp / "days.npy", np.stack([cuts.first, cuts.last], axis=1).astype(np.int64))
            np.save(tmp / "tail.npy", cuts.tail.astype(np.int8))
            np.save(tmp / "spare.npy", cuts.spare.astype(np.int8))
            np.save(tmp / "lowest.npy", cuts.lowest.astype(np.float64))

    write_folder(where, write, "watch-windows-")


def load(where: Path, readings: int) -> np.ndarray | None:
    """The array saved there, memory-mapped; None when absent or not one bound per reading (it is then not
    used: every reading takes the fallback)."""
    try:
        got = np.load(where / "eligible.npy", mmap_mode="r")
    except (OSError, ValueError):
        return None
    return got if got.dtype == np.int16 and got.shape == (readings,) and (not readings or int(got.min()) >= 0) \
        else None


def load_cuts(where: Path, readings: int) -> Cuts | None:
    """The cuts saved there, memory-mapped; None when absent or not one per reading (full windows then ask the
    snapshots' indexes)."""
    try:
        cut = np.load(where / "cut.npy", mmap_mode="r")
        days = np.load(where / "days.npy", mmap_mode="r")
        tail = np.load(where / "tail.npy", mmap_mode="r")
        spare = np.load(where / "spare.npy", mmap_mode="r")
        lowest = np.load(where / "lowest.npy", mmap_mode="r")
    except (OSError, ValueError):
        return None
    ok = cut.dtype == lowest.dtype == np.float64 and cut.shape == tail.shape == spare.shape == lowest.shape \
        == (readings,) and days.dtype == np.int64 and days.shape == (readings, 2) and tail.dtype == spare.dtype \
        == np.int8
    return Cuts(cut, days[:, 0], days[:, 1], tail, spare, lowest) if ok else None
