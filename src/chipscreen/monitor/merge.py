"""The watched parties a change reaches, worked from their stored forward results instead of screened forward.

``monitor.results`` keeps ``P_S(q)`` for every watched reading whose window is open in the run's old snapshot
``S``, and shows that ``P_S'(q)`` is ``P_S(q)`` without the changed entries' pairs, with the new side's changed
rows eligible for ``q`` scored, whenever ``bound(q) + n'(q) < limit``. A party all of whose readings meet that
condition is *merged*: its results in both snapshots on the run's day are derived from ``P_S`` and ``P_S'``
(``results.name_matches`` per name, the best level per listing over its names, as ``findings.full_rescreen``),
so it needs no forward screen. Only parties whose pairs the change touches (a changed entry's pair dropped, a
changed row scored) can differ; the others keep ``P_S' == P_S``, hence the same result. Any other party is
left to ``delta``'s check and forward screen, as are the merged parties with a finding on an unchanged entry
(one the ``max_matches`` cut lets in or pushes out): its explanation needs that entry's comparison, which only
the snapshot's index holds (counted as a fallback). A finding on a changed entry takes its match, with its
explanation, from the changed entries' own index screened for that name (``Screener(index=...)``: with the
window open it scores the same rows as the snapshot's screener).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from chipscreen.dates import day_number
from chipscreen.errors import InputError
from chipscreen.monitor.findings import Key, Listing, PartyFinding, compare
from chipscreen.monitor.forking import can_fork, chunks, forked_map, spans
from chipscreen.monitor.reach import Pairs
from chipscreen.monitor.results import Pair, Results, Scored, carry, lowest_floor, name_matches, scored
from chipscreen.monitor.windows import Windows
from chipscreen.names import Match, Screener
from chipscreen.names.index import NameIndex
from chipscreen.names.index_arrays import load_rows
from chipscreen.names.screener import validate_name
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import NormalizedName
from chipscreen.store import DiffRow
from chipscreen.text import fold_words

Best = dict[Listing, tuple[float, int, str, str, str]]
"""A party's result: per listing, the best score, the number of the name that gave it, list, entity, primary."""


@dataclass
class Merged:
    """What ``merge`` worked out: the findings of the merged parties, which parties have every window open
    (``open_party``, by ``Results.party`` number: their results are known here, changed or not), the parties
    left to the forward screen after all (``fallback``), and ``P_S'`` for the next run."""

    findings: list[PartyFinding]
    open_party: np.ndarray
    fallback: set[str]
    carried: Results
    stats: dict[str, float] = field(default_factory=dict)

    def left(self, rows: set[int], party: np.ndarray) -> set[int]:
        """The reached rows of the parties whose results are not known here (``delta``'s check looks at them)."""
        if not rows:
            return rows
        ordered = np.fromiter(rows, dtype=np.int64, count=len(rows))
        return set(ordered[~self.open_party[party[ordered]]].tolist())


@dataclass
class Change:
    """The change as ``merge`` needs it: the changed entries' indexes, their keys, the diff rows by key, the new
    snapshot's screener lists and ``max_matches``, and the run's day."""

    new: NameIndex | None
    old: NameIndex | None
    rows: Sequence[DiffRow]
    lists: list[str] | None
    max_matches: int
    on: dt.date
    keys: set[Key] = field(init=False)

    def __post_init__(self) -> None:
        self.keys = {(r.list_code, r.entity_id) for r in self.rows}


def merge(watch_index: NameIndex, wins: Windows, change: Change, workers: int = 1) -> Merged:
    """The merged parties' findings and the carried results (see the module docstring); ``workers`` processes
    score the new side's changed rows."""
    res = wins.results
    assert res is not None
    t0 = time.perf_counter()
    distinct = int(res.where.max()) + 1 if len(res.where) else 0
    dropped = res.touching(change.keys)
    bound = np.zeros(distinct, dtype=np.int32)
    np.maximum.at(bound, res.where, wins.eligible.astype(np.int32))
    nprime, added = _new_pairs(watch_index, res, wins.reached_new, change, bound >= wins.limit, workers)
    t1 = time.perf_counter()
    parties = int(res.party.max()) + 1 if len(res.party) else 0
    open_party = np.ones(parties, dtype=bool)
    open_party[res.party[(bound + nprime >= wins.limit)[res.where]]] = False
    touched = np.zeros(distinct, dtype=bool)
    touched[res.readings[dropped]] = True
    touched[list(added)] = True
    worked = np.unique(res.party[touched[res.where]])
    worked = worked[open_party[worked]]
    t2 = time.perf_counter()
    findings, fallback = _findings(watch_index, res, worked, dropped, added, change, workers)
    t3 = time.perf_counter()
    after = np.zeros(distinct, dtype=np.int32)
    np.maximum.at(after, res.where, (wins.carried if wins.carried is not None else wins.eligible).astype(np.int32))
    flat: list[Pair] = [(d, *p) for d, got in added.items() for p in got]
    kept = carry(res, dropped, flat, after < wins.limit)
    return Merged(findings, open_party, fallback, kept, {
        "parties merged": len(worked) - len(fallback), "merge fallbacks": len(fallback), "pairs scored": len(flat),
        "new pairs s": t1 - t0, "merge findings s": t3 - t2, "merge other s": t2 - t1 + time.perf_counter() - t3})


def _new_pairs(watch_index: NameIndex, res: Results, reached: Pairs | None, change: Change,
               full: np.ndarray, workers: int) -> tuple[np.ndarray, dict[int, list[Scored]]]:
    """Per distinct reading the new side's changed rows may reach (``reached``: ``Windows.reached_new``): how
    many may be eligible for it (``n'``, an upper bound: the rows the reach table lets reach it), and the pairs
    of those that are, on the screener's lists; ``workers`` forked processes share the indexes. A reading whose
    window may already be full in the old snapshot (``full``) keeps no results and leaves its party unmerged:
    it is not scored (its ``n'`` stays 0: the window is full without it)."""
    nprime = np.zeros(len(full), dtype=np.int32)
    added: dict[int, list[Scored]] = {}
    if change.new is None or reached is None or not len(reached.readings):
        return nprime, added
    readings = reached.readings
    starts = np.flatnonzero(np.concatenate([[True], readings[1:] != readings[:-1]]))
    ends = np.append(starts[1:], len(readings))
    ds = res.where[readings[starts]]
    open_ = np.flatnonzero(~full[ds])
    _, first = np.unique(ds[open_], return_index=True)
    at = np.sort(open_[first])  # each distinct reading once, at the first reverse-index row holding it
    nprime[ds[at]] = (ends - starts)[at]
    todo = _Todo(watch_index, change, ds[at], readings[starts[at]], starts[at], ends[at], reached.rows)
    if can_fork(workers, len(at), PARALLEL_FROM):
        parts = forked_map(_scored_part, todo, spans(len(at), workers), workers)
    else:
        parts = [_scored_part(todo, (0, len(at)))]
    for part in parts:
        added.update(part)
    return nprime, added


PARALLEL_FROM = 2000
"""Readings below which forking workers costs more than it saves."""


@dataclass
class _Todo:
    """The distinct readings to score, shared with forked workers: each reading's number, a reverse-index row
    holding it, and the span of the reach table's pairs (``rows[start:end]``) with the changed rows that may
    reach it."""

    watch_index: NameIndex
    change: Change
    readings: np.ndarray
    rows_of: np.ndarray
    start: np.ndarray
    end: np.ndarray
    rows: np.ndarray


def _scored_part(todo: _Todo, run: tuple[int, int]) -> dict[int, list[Scored]]:
    """The pairs of the readings ``run[0]:run[1]`` of ``todo`` that have any. The rows are scored first: the
    eligible ones (``candidates``, the index's own test) are asked for only when one of them scores, which few
    do."""
    watch_index, change, (a, b) = todo.watch_index, todo.change, run
    side = change.new
    assert side is not None
    review, floor = thresholds().review, lowest_floor()
    out: dict[int, list[Scored]] = {}
    load_rows(watch_index.rows, todo.rows_of[a:b].tolist())
    for d, r, s, e in zip(*(x[a:b].tolist() for x in (todo.readings, todo.rows_of, todo.start, todo.end)),
                          strict=True):
        q = watch_index.rows[r].normalized
        mine = [c for c in todo.rows[s:e].tolist() if not change.lists or side.rows[c].list_code in change.lists]
        got = scored(side, q, mine, floor)
        if got:
            eligible = set(side.candidates(q, min_bound=review, limit=len(side.rows)))
            got = scored(side, q, [c for c in mine if c in eligible], floor)
            if got:
                out[d] = got
    return out


@dataclass
class _Worked:
    """What every worked party's comparison reads (``_findings``), shared with forked workers."""

    watch_index: NameIndex
    res: Results
    order: np.ndarray  # reverse-index rows by party
    gone: set[int]  # distinct readings that lose a changed entry's pairs
    added: Mapping[int, list[Scored]]
    change: Change
    by_key: dict[Key, DiffRow]


def _findings(watch_index: NameIndex, res: Results, worked: np.ndarray, dropped: np.ndarray,
              added: Mapping[int, list[Scored]], change: Change, workers: int) -> tuple[list[PartyFinding], set[str]]:
    """Each worked party's results before and after, compared: its findings, or the party in ``fallback``;
    ``workers`` forked processes share the results."""
    order, sorted_party = res.by_party()
    lo = np.searchsorted(sorted_party, worked, side="left")
    hi = np.searchsorted(sorted_party, worked, side="right")
    shared = _Worked(watch_index, res, order, {int(d) for d in np.unique(res.readings[dropped])}, added, change,
                     {(r.list_code, r.entity_id): r for r in change.rows})
    todo = list(zip(lo.tolist(), hi.tolist(), strict=True))
    if can_fork(workers, len(todo), PARALLEL_FROM):
        res.decoded()
        parts = forked_map(_worked_part, shared, chunks(todo, workers), workers)
    else:
        parts = [_worked_part(shared, todo)]
    return [f for found, _ in parts for f in found], set().union(*(fallback for _, fallback in parts))


def _worked_part(w: _Worked, todo: Sequence[tuple[int, int]]) -> tuple[list[PartyFinding], set[str]]:
    """The findings and fallbacks of the parties whose reverse-index rows are ``w.order[a:b]``, per (a, b)."""
    day, res, change = day_number(w.change.on), w.res, w.change
    out: list[PartyFinding] = []
    fallback: set[str] = set()
    load_rows(w.watch_index.rows, (int(r) for a, b in todo for r in w.order[a:b]))
    for a, b in todo:
        names = _names(w.watch_index, res, w.order[a:b])
        pid = w.watch_index.rows[int(w.order[a])].entity_id
        before = _result(names, res.of, day, change.max_matches)
        now = _result(names, lambda d: _now(res, d, d in w.gone, w.added, change.keys), day, change.max_matches)
        got = _party_findings(pid, names, before, now, change, w.by_key)
        if got is None:
            fallback.add(pid)
        else:
            out.extend(got)
    return out, fallback


def _now(res: Results, d: int, touched: bool, added: Mapping[int, list[Scored]], keys: set[Key]) -> list[Scored]:
    was = res.of(d)
    if touched:
        was = [p for p in was if (p[0], p[1]) not in keys]
    return was + added.get(d, [])


Name = tuple[str, str | None, list[int], list[NormalizedName]]
"""A watched name: its text, country, distinct readings (``Results.where``) and the readings themselves, in the
order ``normalize_query`` gives them."""


def _names(watch_index: NameIndex, res: Results, rows: np.ndarray) -> list[Name]:
    """A party's names in the reverse index's order, each with its country and readings."""
    out: dict[tuple[str, str | None], tuple[list[int], list[NormalizedName]]] = {}
    for r in sorted(rows.tolist()):
        row = watch_index.rows[r]
        ds, readings = out.setdefault((row.name, row.country), ([], []))
        d = int(res.where[r])
        if d not in ds:  # a name a party gives twice is filed twice: its readings count once
            readings.append(row.normalized)
        ds.append(d)
    return [(name, country, ds, readings) for (name, country), (ds, readings) in out.items()]


def _result(names: list[Name], pairs_of: Callable[[int], list[Scored]], day: int,
            max_matches: int) -> Best:
    """The party's result (``findings.full_rescreen``'s: per listing, the best match over its names)."""
    best: Best = {}
    for i, (name, country, ds, _) in enumerate(names):
        try:
            validate_name(name)
        except InputError:
            continue  # forward screening refuses it: it matches nothing
        folded = country.strip().upper() if country and country.strip() else None  # as ``Screener.screen``
        for score, list_code, entity_id, primary in name_matches(
                (p for d in dict.fromkeys(ds) for p in pairs_of(d)), folded, day, max_matches):
            k = (list_code, fold_words(primary))
            if k not in best or score > best[k][0]:
                best[k] = (score, i, list_code, entity_id, primary)
    return best


def _party_findings(pid: str, names: list[Name], before: Best, now: Best,
                    change: Change, by_key: Mapping[Key, DiffRow]) -> list[PartyFinding] | None:
    """``findings.compare`` of the two results, the match it reports taken from the changed entries' index;
    None when that match is of an unchanged entry (the party is then screened forward)."""
    hit = thresholds().hit
    was: dict[Listing, Match] = {}
    got: dict[Listing, Match] = {}
    for k in set(before) | set(now):
        b, n = before.get(k), now.get(k)
        if _level(b, hit) == _level(n, hit):
            continue
        shown, side, out = (n, change.new, got) if n is not None else (b, change.old, was)
        assert shown is not None
        match = _match(names[shown[1]], shown, side, change) if (shown[2], shown[3]) in change.keys else None
        if match is None:
            return None
        out[k] = match
        other, into = (b, was) if out is got else (n, got)
        if other is not None:
            into[k] = Match(other[3], other[4], other[4], other[2], other[0], other[0] >= hit, {})
    return compare(pid, names[0][0], was, got, by_key) if was or got else []


def _level(m: tuple[float, int, str, str, str] | None, hit: float) -> int:
    return 0 if m is None else 2 if m[0] >= hit else 1


def _match(name: Name, shown: tuple[float, int, str, str, str], side: NameIndex | None, change: Change
           ) -> Match | None:
    """The match ``shown`` as the changed entries' own index reports it for that name, with its explanation (the
    name's readings are the reverse index's: not read again)."""
    if side is None:
        return None
    screener = Screener(index=side, lists=change.lists, max_matches=len(side.rows))
    for m in screener.screen(name[0], country=name[1], date=change.on, readings=name[3]).matches:
        if (m.list, m.entity_id) == (shown[2], shown[3]):
            return m
    return None
