"""What a list change means for the watched parties, worked from the change alone (reverse screening).

The findings are defined by forward screening. ``R_S(p)`` is what ``Screener(store, snapshot=S).screen``
reports for the names of watched party ``p`` (each with the party's country, on the run's date, with the
screener's defaults: 64 candidates, 10 matches, the review threshold), as one level per *listing* (hit or
possible match, the best over the party's names). A listing is a list code and the folded primary name of
an entry, so that a listing that moves to another source under another entity id stays the same listing.
A finding is a (party, listing) whose level differs between ``R_old(p)`` and ``R_new(p)``.

Only the parties whose result can differ are screened. Forward screening of a reading scores the best
``candidate_limit`` rows of the index whose bound reaches the review threshold (its *eligible* rows), ranked
by bound, then row (index rows are sorted by content, so unchanged rows keep their order), and keeps per
entry the best comparison that ``compare_above`` does not leave under the floor (the review threshold less
what the party's country can add). Say no changed entry of snapshot ``S`` is among the rows ``S`` scores for
a reading of ``p``, in either snapshot: each snapshot then scores the best ``candidate_limit`` unchanged
eligible rows, the same rows in the same order, and ``R_old(p) == R_new(p)``. Say one is: compare the rows
the two snapshots score, a row standing for its *signature* (entry, names, kind, country, note, listing
dates, reading: what screening reads of it). The rows in both give the same comparisons in both; the rows
in one only are the changed rows scored and the unchanged rows the limit lets in (a removed row frees a
place) or pushes out (a new row takes one). A row ``compare_above`` leaves under the lowest floor (the floor with
a country) is certain to score under it: it is never reported, and never replaces a comparison of its entry
that could be. If every row in one only is, both snapshots report the same matches, hence the same first
``max_matches`` of them: equal results, whatever the caps. If an unchanged row in one only is not,
the reading is affected. If only changed rows are not, the results can differ only if one of those rows is a
match in its snapshot (its comparison, held at the weak-alias cap for a weak alias, with the name's country
evidence, reaches the review threshold): an entry's rows in one snapshot share its country, so when none of its
rows in one only is a match, its best comparison is a match in both snapshots (from rows in both, which every
row in one only is under) or in neither; the reported matches, hence the first ``max_matches``, are then the
same. Hence:

1. the changed entries get an index of their own per snapshot, and each key of each of their rows is looked
   up in the watch set's reverse index (``watch_index``): every watched reading whose forward lookup could
   reach a changed row, by construction (``monitor.reach`` narrows them, for all at once, to the readings a
   changed row's upper bound reaches: the others cannot have it eligible);
2. each reading found is put to those indexes' ``candidates``, the function and bound forward screening
   uses; where a changed row is eligible, the snapshot's index is asked for the rows it scores for the
   reading, and where a changed row is among them, both snapshots' rows are compared as above (each
   distinct reading once): the party is *affected* when a row in one only reaches the floor and is
   unchanged, or is changed and a match for the name's country (``monitor.windows`` spares most readings the
   snapshots' indexes: when neither window can be full, the rows in one only are the eligible changed rows, and
   when one is, the bound of its last row mostly shows which rows the change can move);
3. the affected parties are screened forward against both snapshots and their results compared (where the
   stored results number the parties, by the worker whose check found them: ``monitor.forward``). With the
   watched readings' forward results of the old snapshot (``monitor.results``), a party all of whose windows
   stay open skips steps 2 and 3: ``monitor.merge`` derives both results from them and the changed rows.

Two things the argument takes from elsewhere: the changed entries are those of the lists' diff
(``store.diff``), which compares alias values, not their quality marks (an alias that only becomes weak is no
change there, and so none here); and watched parties are screened by name, as before, not by identifier.
The findings are therefore those of a full re-screen of the watch set, by construction, at the cost of the
change and the parties it reaches; ``benchmarks/bench_monitor.py`` and ``tests/monitor/test_delta.py`` check
it against one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from chipscreen.dates import day_number
from chipscreen.monitor.changed import Changed, changed_indexes
from chipscreen.monitor.findings import PartyFinding, compare, finding_order, full_rescreen, full_rescreens
from chipscreen.monitor.forking import can_fork, chunks, forked_map
from chipscreen.monitor.forward import Forward
from chipscreen.monitor.merge import Change, Merged, merge
from chipscreen.monitor.reach import ReachTable, reach_pairs
from chipscreen.monitor.results import lowest_floor
from chipscreen.monitor.windows import Cuts, Windows, reached_carrying
from chipscreen.names import Screener
from chipscreen.names.features import country_evidence
from chipscreen.names.index import NameIndex
from chipscreen.names.index_arrays import load_rows
from chipscreen.names.keys import query_key_plan
from chipscreen.names.score import compare_above
from chipscreen.names.screener import weak_alias_capped
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import NormalizedName
from chipscreen.store import DiffRow, SnapshotInfo, Store, watch


def reached(watch_index: NameIndex, changed: Sequence[NameIndex]) -> set[int]:
    """Rows of the reverse index filed under a key of a changed row (step 1 of the module docstring)."""
    post = watch_index.postings
    out: set[int] = set()
    for idx in changed:
        for k in idx.postings:
            got = post.get(k)
            if got:
                out.update(got)
    return out


def affected(watch_index: NameIndex, changed: Changed, rows: set[int], on: dt.date, workers: int = 1,
             windows: np.ndarray | None = None, stats: dict[str, float] | None = None, cuts: Cuts | None = None
             ) -> set[str]:
    """The parties of those rows whose forward result a changed row can alter (step 2); ``workers > 1``
    forks processes that share the indexes copy-on-write, each asking about a run of the rows. ``windows``:
    the readings' ``monitor.windows`` bounds in the old snapshot, for the old screener's candidate limit (None:
    every reading asks both snapshots' indexes), ``cuts`` their full windows' cuts; ``stats`` receives how many
    readings asked the indexes."""
    return _checked(watch_index, _Reader(changed, on, windows, cuts), rows, workers, stats, None)[0]


def _checked(watch_index: NameIndex, reader: _Reader, rows: set[int], workers: int, stats: dict[str, float] | None,
             forward: Forward | None) -> tuple[set[str], dict[str, list[PartyFinding]]]:
    """``affected``; with ``forward``, each party found is also screened forward (step 3) where it was found
    (``monitor.forward``), and its findings come back with it. A party whose rows two runs share may be found,
    and screened, twice: its findings are the same."""
    ordered = sorted(rows)
    if can_fork(workers, len(ordered), PARALLEL_FROM):
        parts = forked_map(_affected_part, (watch_index, reader, forward), chunks(ordered, workers), workers)
    else:
        parts = [_affected_part((watch_index, reader, forward), ordered)]
    if stats is not None:
        stats["index lookups"] = sum(n for _, n, _ in parts)
    return set().union(*(p for p, _, _ in parts)), {pid: f for _, _, got in parts for pid, f in got.items()}


PARALLEL_FROM = 2000
"""Rows below which forking workers costs more than it saves."""


def _affected_part(shared: tuple[NameIndex, _Reader, Forward | None], rows: Sequence[int]
                   ) -> tuple[set[str], int, dict[str, list[PartyFinding]]]:
    """The parties of ``rows`` the change alters, how many readings asked the snapshots' indexes, and (with a
    ``Forward``) those parties' findings."""
    watch_index, reader, forward = shared
    out: dict[str, int] = {}
    before = reader.lookups  # a worker's reader serves several runs of rows
    load_rows(watch_index.rows, rows)
    for r in rows:
        row = watch_index.rows[r]
        if row.entity_id not in out and reader.alters(row.normalized, row.name, row.country, r):
            out[row.entity_id] = forward.party(r) if forward is not None else -1
    found = forward.findings(watch_index, out) if forward is not None and out else {}
    return set(out), reader.lookups - before, found


Reading = int | tuple[tuple[float, str | None], ...]
"""What a change does to a watched reading: 0 nothing, 1 alters its party's result; else the comparisons of the
changed rows one snapshot only scores that reach the floor (score, listed country): it alters the result of a
name whose country makes one of them a match."""
Signature = tuple[str, str, str, str, str, str | None, str | None, int, int, NormalizedName]


def signature(index: NameIndex, r: int) -> Signature:
    """What forward screening takes from row ``r`` of ``index``: rows of two snapshots' indexes with the same
    signature give the same comparison and the same match (a name read two ways is two rows, told apart by
    the reading)."""
    row = index.rows[r]
    return (row.list_code, row.entity_id, row.name, row.primary_name, row.kind, row.country, row.note,
            int(index.starts[r]), int(index.ends[r]), row.normalized)


@dataclass
class _Eligible:
    """A changed entries' index (old or new side) with its snapshot's screener: its rows eligible for a reading
    that forward screening can score (in force on the day, on the screener's lists), their bounds (``inf``
    where rows rank by row number), and how many rows are eligible on any date."""

    index: NameIndex
    screener: Screener
    rows: list[int]
    bounds: list[float]
    every: int


class _Reader:
    """The changed entries and both snapshots' forward screeners, asked per watched reading whether the change
    can alter what forward screening reports for it (step 2), each answer remembered: watched names repeat."""

    def __init__(self, changed: Changed, on: dt.date, windows: np.ndarray | None = None, cuts: Cuts | None = None
                 ) -> None:
        self.changed, self.on, self.windows, self.cuts, self.lookups = changed, on, windows, cuts, 0
        self.review = thresholds().review
        self.floor = lowest_floor()  # the lowest floor forward screening puts under a name's comparisons
        self.keys = {(r.list_code, r.entity_id) for i in changed.indexes for r in i.rows}
        self.readings: dict[NormalizedName, Reading] = {}
        self.numbers: dict[Signature, int] = {}  # a number per distinct signature, in either snapshot
        self.of_changed: list[bool] = []  # by signature number: whether it is a changed entry's
        self.signed: dict[tuple[int, int], int] = {}  # (id of an index, row) -> its signature's number
        self.usable: dict[int, list[bool]] = {}  # id of a changed entries' index -> ``_usable``

    def alters(self, q: NormalizedName, name: str, country: str | None, row: int) -> bool:
        """Whether the change can alter the result of ``name`` (with ``country``), read as ``q``, row ``row`` of
        the watch set's reverse index."""
        got = self.readings.get(q)
        if got is None:
            got = self.readings[q] = self._reading(q, row)
        if isinstance(got, int):
            return bool(got)
        country = country.strip().upper() if country and country.strip() else None  # as ``Screener.screen``
        return any(self._reported(score, country, listed) for score, listed in got)

    def _reported(self, score: float, country: str | None, listed: str | None) -> bool:
        """Whether a comparison of this score with a row listed in ``listed`` is a match for a name of
        ``country`` (``Screener._name_match``)."""
        adj = country_evidence(country, listed)
        return min(1.0, max(0.0, score + (adj.delta if adj is not None else 0.0))) >= self.review

    def _reading(self, q: NormalizedName, row: int) -> Reading:
        """Whether a changed row is among the rows forward screening scores for ``q`` in its snapshot
        (``Screener._best_by_entry``: the ``candidate_limit`` best eligible rows): when none is, in either
        snapshot, both score the same best unchanged rows (0). When one is, the rows each snapshot scores are
        compared: see ``_moved``. When neither fills its limit, each scores every eligible row (a snapshot without
        an eligible changed row has only the other's unchanged ones, fewer than the limit): the rows in one only
        are the changed ones it scores, and no second lookup is needed."""
        old, new = self.changed.forward
        if old is None:  # the baseline: every entry is new, an eligible row is enough
            side = self.changed.new
            return int(side is not None and bool(side.candidates(q, min_bound=self.review, limit=1, on=self.on)))
        found = self._eligible(q)
        sides = [(e.index, e.screener) for e in found if e.rows]
        if not sides:
            return 0
        if self.windows is not None:
            got = self._open_windows(q, int(self.windows[row]), found, old.candidate_limit)
            if got is not None:
                return got
        if self.cuts is not None:
            got = self._under_cut(q, row, found)
            if got is not None:
                return got
        self.lookups += 1
        scored = {id(s): self._scored(s, q) for _, s in sides}
        if not any(self.of_changed[sig] for got in scored.values() for sig in got):
            return 0
        if all(len(scored[id(s)]) < s.candidate_limit for _, s in sides):
            only = [(s.index, {g: r for g, r in scored[id(s)].items() if self.of_changed[g]}) for _, s in sides]
            return self._changed_only(q, only)
        return self._moved(q, [(s.index, scored[id(s)] if id(s) in scored else self._scored(s, q)) for s in (old, new)])

    def _eligible(self, q: NormalizedName) -> list[_Eligible]:
        """Per changed entries' index (old, new): ``_Eligible``; one lookup per index, the keys planned once."""
        out, plan = [], query_key_plan(q)
        for i, s in zip((self.changed.old, self.changed.new), self.changed.forward, strict=True):
            if i is not None and s is not None:
                every, usable = i.ranked(q, min_bound=self.review, limit=len(i.rows), plan=plan), self._usable(i, s)
                kept = [(r, b) for r, b in zip(every.rows, every.bounds or [np.inf] * len(every.rows), strict=True)
                        if usable[r]]
                out.append(_Eligible(i, s, [r for r, _ in kept], [b for _, b in kept], len(every.rows)))
        return out

    def _usable(self, index: NameIndex, screener: Screener) -> list[bool]:
        """Which rows of a changed entries' index forward screening can score on the run's day (in force, on the
        screener's lists), worked out once per run rather than for every reading a row reaches."""
        got = self.usable.get(id(index))
        if got is None:
            d, lists = day_number(self.on), screener.lists
            got = self.usable[id(index)] = [
                bool(index.starts[r] <= d <= index.ends[r]) and (not lists or index.rows[r].list_code in lists)
                for r in range(len(index.rows))]
        return got

    def _open_windows(self, q: NormalizedName, eligible: int, found: list[_Eligible], limit: int) -> Reading | None:
        """``_reading`` without asking the snapshots' indexes, when the reading's ``monitor.windows`` bound shows
        that neither snapshot fills its window (None when it cannot): both then score every eligible row, so the
        rows scored in one snapshot only are its eligible changed rows (``found``: ``_eligible``)."""
        if eligible + sum(e.every for e in found if e.index is self.changed.new) >= limit:
            return None
        return self._changed_only(q, [(e.index, self._by_signature(e.index, e.rows)) for e in found])

    def _under_cut(self, q: NormalizedName, row: int, found: list[_Eligible]) -> Reading | None:
        """``_reading`` without asking the snapshots' indexes, when the reading's window is full and its cut
        shows what the change does to it (``monitor.windows``): the new changed rows that reach the cut (entering
        the window, at most) push out only rows that score under the lowest floor (``Cuts.tail``), and the old
        ones (leaving it, at most) let in only such rows (``Cuts.spare``). The rows scored in one snapshot only
        are then changed rows and rows never reported. None when the cut cannot tell."""
        assert self.cuts is not None
        cut = self.cuts.valid(row, day_number(self.on))
        if cut is None:
            return None
        crossing = [(e.index, [r for r, b in zip(e.rows, e.bounds, strict=True) if b >= cut]) for e in found]
        if any(rows for i, rows in crossing if i is not self.changed.new):
            # a place freed in the window goes to the best row under the cut: a new changed row, or an unchanged
            # one that an old changed row no longer ranks before; the changed rows down to ``lowest`` count
            low = float(self.cuts.lowest[row])
            crossing = [(e.index, [r for r, b in zip(e.rows, e.bounds, strict=True) if b >= low]) for e in found]
        entering = sum(len(rows) for i, rows in crossing if i is self.changed.new)
        leaving = sum(len(rows) for i, rows in crossing if i is not self.changed.new)
        if entering > int(self.cuts.tail[row]) or leaving > int(self.cuts.spare[row]):
            return None
        if not entering and not leaving:
            return 0
        return self._changed_only(q, [(i, self._by_signature(i, rows)) for i, rows in crossing])

    def _changed_only(self, q: NormalizedName, sides: list[tuple[NameIndex, dict[int, int]]]) -> Reading:
        """``_moved`` of changed rows that each snapshot alone scores (one side per snapshot with such rows): the
        other snapshot's side, when there is none, scores nothing the first does not."""
        return self._moved(q, [*sides, (self.changed.forward[1].index, {})][:2])

    def _scored(self, fwd: Screener, q: NormalizedName) -> dict[int, int]:
        got = fwd.index.candidates(q, min_bound=self.review, limit=fwd.candidate_limit, on=self.on, lists=fwd.lists)
        return self._by_signature(fwd.index, got)

    def _by_signature(self, index: NameIndex, rows: Sequence[int]) -> dict[int, int]:
        """The rows by the number of their signature: rows of either snapshot's index with equal signatures get
        one number. A row's signature is built and hashed once per run, not once per reading that reaches it
        (hashing the name's reading, tokens and all, was a tenth of the checks)."""
        out: dict[int, int] = {}
        for r in rows:
            n = self.signed.get((id(index), r))
            if n is None:
                sig = signature(index, r)
                n = self.signed[id(index), r] = self.numbers.setdefault(sig, len(self.numbers))
                if n == len(self.of_changed):
                    self.of_changed.append(sig[:2] in self.keys)
            out[n] = r
        return out

    def _moved(self, q: NormalizedName, scored: list[tuple[NameIndex, dict[int, int]]]) -> Reading:
        """Rows scored in both snapshots (by signature) give the same comparisons in both. A row scored in one
        only (a changed row, or an unchanged one the limit lets in or pushes out) that scores under the lowest
        floor is left out of the best comparisons there, so changes nothing: when every such row does, the
        results are equal (0). When a changed row scores above it but no unchanged one does, the results can
        differ only in changed entries, so only if one of those rows is a match (see ``Reading``). ``scored``:
        each snapshot's index and its rows by signature (or, when no limit is reached, its changed rows only,
        against an empty side when only one snapshot has eligible changed rows)."""
        found: list[tuple[float, str | None]] = []
        for (index, mine), (_, other) in ((scored[0], scored[1]), (scored[1], scored[0])):
            for sig, r in mine.items():
                got = None if sig in other else compare_above(q, index.rows[r].normalized, self.floor)
                if got is None:
                    continue
                if not self.of_changed[sig]:
                    return 1  # an unchanged row scored in one snapshot only
                entry = index.rows[r]
                found.append((weak_alias_capped(got).score if entry.kind == "weak" else got.score, entry.country))
        return tuple(found) if found else 0


def party_findings(store: Store, old: SnapshotInfo | None, new: SnapshotInfo, rows: list[DiffRow],
                   watch_index: NameIndex, on: dt.date, workers: int = 1,
                   reach_table: ReachTable | None = None, stats: dict[str, float] | None = None,
                   windows: Windows | None = None) -> list[PartyFinding]:
    """The watched parties a change concerns (see the module docstring), hits first; ``workers``
    processes screen the affected parties forward (step 3). With the watch set's ``reach_table``, step 1
    keeps only the readings a changed row's upper bound reaches (``monitor.reach``); with its ``windows`` in
    ``old`` (``monitor.windows``), step 2 asks the snapshots' indexes only about readings whose window may be
    full, and the windows' bounds in ``new`` are set (``windows.carried``). ``stats``, when given, receives how
    many readings each step kept and the seconds it took."""
    stats = {} if stats is None else stats
    t0 = time.perf_counter()
    forward = (Screener(store, snapshot=old.id) if old is not None else None, Screener(store, snapshot=new.id))
    changed = changed_indexes(store, old, new, rows, forward)
    if reach_table is not None and old is not None:
        found_rows = {int(r) for rows, _ in reach_pairs(reach_table, changed.indexes, on, workers) for r in rows} \
            if windows is None else reached_carrying(reach_table, changed.indexes, changed.new, on, windows, workers)
    else:
        found_rows = reached(watch_index, changed.indexes)
    t1 = time.perf_counter()
    bounds = windows.eligible if windows is not None and windows.limit == forward[1].candidate_limit else None
    merged = _merged(watch_index, changed, rows, on, windows, workers) if bounds is not None else None
    stats["readings reached"] = len(found_rows)
    if merged is not None:
        assert windows is not None and windows.results is not None
        found_rows = merged.left(found_rows, windows.results.party)
        windows.carried_results = merged.carried
        stats.update(merged.stats)
    cuts = windows.cuts if windows is not None and bounds is not None else None
    if cuts is not None and found_rows and windows is not None and windows.reached:
        ordered = np.fromiter(sorted(found_rows), dtype=np.int64, count=len(found_rows))
        spared = cuts.spared(ordered, day_number(on), windows.reached)
        found_rows.difference_update(spared.tolist())
        stats["readings under their cut"] = len(spared)
    here = Forward.of((forward[0], forward[1]), windows.results, rows, on) \
        if merged is not None and windows is not None and windows.results is not None and forward[0] is not None \
        else None
    ids, screened = _checked(watch_index, _Reader(changed, on, bounds, cuts), found_rows, workers, stats, here)
    fallback = merged.fallback if merged is not None else set()
    names = watch.party_names(store, sorted((ids - set(screened)) | fallback))
    t2 = time.perf_counter()
    if forward[0] is not None:
        before, now = full_rescreens([forward[0], forward[1]], names, on, workers)
    else:
        before, now = {pid: {} for pid in names}, full_rescreen(forward[1], names, on, workers)
    stats.update({"readings checked": len(found_rows), "parties affected": len(ids | fallback),
                  "parties screened where found": len(screened), "reach s": t1 - t0, "affected s": t2 - t1,
                  "forward s": time.perf_counter() - t2})
    by_key = {(r.list_code, r.entity_id): r for r in rows}
    found = [f for pid in sorted(names) for f in compare(pid, names[pid][0][0], before[pid], now[pid], by_key)]
    found += [f for pid in sorted(screened) for f in screened[pid]]
    found += merged.findings if merged is not None else []
    found.sort(key=finding_order)
    return found


def _merged(watch_index: NameIndex, changed: Changed, rows: Sequence[DiffRow], on: dt.date, windows: Windows | None,
            workers: int) -> Merged | None:
    """The parties ``monitor.merge`` works from their stored results, when the old snapshot has them."""
    old, new = changed.forward
    if windows is None or windows.results is None or old is None or old.lists != new.lists \
            or old.max_matches != new.max_matches or len(windows.results.where) != len(watch_index.rows) \
            or (changed.new is not None and windows.reached_new is None):  # the new side's reach is needed
        return None
    return merge(watch_index, windows, Change(changed.new, changed.old, rows, new.lists, new.max_matches, on), workers)
