"""A monitor run's findings: what changed, per watched party and listing, between two forward results.

``R_S(p)`` is what ``Screener(store, snapshot=S).screen`` reports for the names of watched party ``p`` (each with
the party's country, on the run's date, with the screener's defaults), as one level per *listing* (hit or
possible match, the best over the party's names). A listing is a list code and the folded primary name of an
entry, so that a listing that moves to another source under another entity id stays the same listing. A
finding is a (party, listing) whose level differs between ``R_old(p)`` and ``R_new(p)``; ``monitor.delta``
works out which parties can have one, ``monitor.merge`` and ``full_rescreen`` their results.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from chipscreen.errors import InputError
from chipscreen.monitor.forking import can_fork, forked_map, spans
from chipscreen.names import Match, Screener, ScreenResult
from chipscreen.names.screener import Kept, validate_name
from chipscreen.names.tails import normalize_query
from chipscreen.store import DiffRow
from chipscreen.text import fold_words

FindingKind = Literal["hit", "possible match", "captured affiliate", "lowered", "delisted", "no longer matched"]
ATTENTION: tuple[FindingKind, ...] = ("hit", "possible match", "captured affiliate")
"""What newly needs someone's attention: a new or raised match, a party newly owned by listed parties."""
LEVELS = (None, "possible match", "hit")
Key = tuple[str, str]  # (list code, entity id)
Listing = tuple[str, str]  # (list code, folded primary name)
Results = dict[str, dict[Listing, Match]]


@dataclass
class PartyFinding:
    """A watched party and the list entry whose change concerns it, with the match's explanation."""

    kind: FindingKind
    party_id: str
    party_name: str
    list_code: str
    entity_id: str
    entry_name: str
    change: str  # the entry's change: added, changed, removed (unchanged: moved by another entry's change)
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)
    changed_fields: list[str] = field(default_factory=list)
    before: str | None = None  # the listing's level for the party before the change (None: not reported)

    @property
    def needs_attention(self) -> bool:
        return self.kind in ATTENTION


def full_rescreen(screener: Screener, names: Mapping[str, list[tuple[str, str | None]]], on: dt.date,
                  workers: int = 1) -> Results:
    """``R_S(p)`` of every party by a forward screen of all its names (``screen_many``; a name that is not a
    name matches nothing): step 3 for the affected parties, and the full re-screen the delta is checked against
    (``benchmarks/bench_monitor.py``, ``tests/monitor/test_delta.py``) for all of them."""
    items, owners = _items(names)
    chunk = max(50, -(-len(items) // (4 * workers)))  # a few batches per worker however few the names
    return _best(names, owners, screener.screen_many(items, date=on, workers=workers, chunk=chunk))


def full_rescreens(screeners: Sequence[Screener], names: Mapping[str, list[tuple[str, str | None]]], on: dt.date,
                   workers: int = 1) -> list[Results]:
    """``full_rescreen`` by each of ``screeners`` (a run's two snapshots), in one pool of ``workers`` forked
    processes for all of them. Each name is screened by every screener in turn, sharing the comparisons: two
    snapshots' indexes hold mostly the same names, and a comparison depends on the two names alone
    (``Screener.comparisons``), so most of the second screen's comparisons are the first's."""
    items, owners = _items(names)
    runs = spans(len(items), workers)
    if can_fork(workers, len(items), PARALLEL_FROM):
        done = forked_map(_screened, (screeners, items, on), runs, workers)
    else:
        done = [_screened((screeners, items, on), (0, len(items)))]
    return [_best(names, owners, (r for got in done for r in got[n])) for n in range(len(screeners))]


PARALLEL_FROM = 50
"""Names below which forking workers costs more than it saves."""


def _screened(shared: tuple[Sequence[Screener], list[dict[str, Any]], dt.date], run: tuple[int, int]
              ) -> list[list[ScreenResult]]:
    """Items ``run[0]:run[1]`` screened by each screener, per screener; one item's readings and comparisons
    shared. A name that is not one matches nothing (``screen_many`` reports it as an error)."""
    screeners, items, on = shared
    memo: Kept = {}
    out: list[list[ScreenResult]] = [[] for _ in screeners]
    for s in screeners:
        s.comparisons = memo
    try:
        for item in items[run[0] : run[1]]:
            memo.clear()
            try:
                readings = normalize_query(validate_name(item["name"]))
            except InputError:
                continue
            for got, s in zip(out, screeners, strict=True):
                got.append(s.screen(item["name"], country=item["country"], date=on, row=item["row"],
                                    readings=readings))
    finally:
        for s in screeners:
            s.comparisons = None
    return out


def _items(names: Mapping[str, list[tuple[str, str | None]]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Every name of every party as a ``screen_many`` item numbered from 1, with its party."""
    items: list[dict[str, Any]] = []
    owners: list[str] = []
    for pid, pairs in names.items():
        for name, country in pairs:
            items.append({"name": name, "country": country, "row": len(items) + 1})
            owners.append(pid)
    return items, owners


def _best(names: Mapping[str, list[tuple[str, str | None]]], owners: list[str], screened: Iterable[ScreenResult]
          ) -> Results:
    """Per party, the best match per listing over its names' results."""
    out: Results = {pid: {} for pid in names}
    for res in screened:
        best = out[owners[int(res.row or 1) - 1]]
        for m in res.matches:
            k = listing(m)
            if k not in best or m.score > best[k].score:
                best[k] = m
    return out


def level_changes(before: Results, now: Results) -> set[tuple[str, Listing, str | None, str | None]]:
    """(party, listing, level before, level now) wherever the two differ: the findings, as a set."""
    out: set[tuple[str, Listing, str | None, str | None]] = set()
    for pid in set(before) | set(now):
        was, got = before.get(pid, {}), now.get(pid, {})
        for k in set(was) | set(got):
            lb, ln = level(was.get(k)), level(got.get(k))
            if lb != ln:
                out.add((pid, k, LEVELS[lb], LEVELS[ln]))
    return out


def finding_changes(found: Sequence[PartyFinding]) -> set[tuple[str, Listing, str | None, str | None]]:
    """Screening findings as ``level_changes`` gives them (a captured affiliate is no screening finding)."""
    now: dict[str, str | None] = {"hit": "hit", "possible match": "possible match", "lowered": "possible match"}
    return {(f.party_id, (f.list_code, fold_words(f.entry_name)), f.before, now.get(f.kind))
            for f in found if f.kind != "captured affiliate"}


def listing(m: Match) -> Listing:
    return (m.list, fold_words(m.name))


def level(m: Match | None) -> int:
    return 0 if m is None else 2 if m.hit else 1


def compare(pid: str, name: str, before: Mapping[Listing, Match], now: Mapping[Listing, Match],
            by_key: Mapping[Key, DiffRow]) -> list[PartyFinding]:
    """The party's listings whose level differs between the two results (step 3), each with its entry's change."""
    out: list[PartyFinding] = []
    for k in sorted(set(before) | set(now)):
        b, n = before.get(k), now.get(k)
        lb, ln = level(b), level(n)
        if lb == ln:
            continue
        m = n or b
        assert m is not None
        row = by_key.get((m.list, m.entity_id))
        change = row.change if row is not None else "unchanged"
        kind: FindingKind
        if ln > lb:
            kind = "hit" if ln == 2 else "possible match"
        elif ln:
            kind = "lowered"
        else:
            kind = "delisted" if change == "removed" else "no longer matched"
        out.append(PartyFinding(kind, pid, name, m.list, m.entity_id, m.name, change, m.score, m.explanation,
                                sorted(row.fields) if row is not None else [], LEVELS[lb]))
    return out


KIND_ORDER = {k: i for i, k in enumerate(("hit", "possible match", "lowered", "no longer matched", "delisted"))}


def finding_order(f: PartyFinding) -> tuple[int, float, str, str, str]:
    """Hits first, then possible matches, lowered and no longer matched ones, then delistings; the strongest
    match first within each. A party's findings depend only on its own names and the change, so the watch set may
    be worked in slices (``chipscreen.spark``), each slice's findings then put together in this order."""
    return KIND_ORDER.get(f.kind, 0), -f.score, f.party_id, f.list_code, f.entity_id
