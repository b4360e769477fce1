"""The watch set filed for reverse screening: each watched name under the keys its own screening looks up.

Forward screening reads a name as a query (``normalize_query``: its readings, and the name without a trailing
address) and can only reach a listed name filed under one of the keys it looks up (``names.keys.query_keys``).
This index files every reading of every watched name under exactly those keys. A changed list entry's
readings are filed in the lists' index under ``name_keys``; looking those keys up here therefore finds every
watched reading whose forward screening could reach the entry, by construction: nothing relies on the keys
of a query and of a listed name being symmetric.

Built once per watch-set version and cached under ``$CHIPSCREEN_HOME/cache`` with the names cache's file
format and checks (``names.index_cache``: an Arrow file whose name carries its SHA-256 and the hash of every
names module and table, so nothing stale is read); read back, rows are decoded when a change reaches them.
Beside it, per version, the watch set's ``monitor.reach`` table (memory-mapped arrays), which bounds every
watched reading against a change at once, and its ``monitor.windows`` bounds in the last run's snapshot.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa

from chipscreen import collector, progress
from chipscreen.dates import OPEN_END, OPEN_START
from chipscreen.monitor import reach, results, windows
from chipscreen.names import Screener
from chipscreen.names.index import IndexedName, NameIndex
from chipscreen.names.index_cache import cache_files, key, load, save
from chipscreen.names.keys import query_keys
from chipscreen.names.tails import normalize_query
from chipscreen.names.tokens import NormalizedName
from chipscreen.store import Store, watch

WATCH_LIST = "WATCH"
"""The list code the watched parties carry inside their index."""

_MEMO: dict[tuple[str, str], NameIndex] = {}
_REACH: dict[tuple[str, str], reach.ReachTable] = {}


def build(parties: pa.Table) -> NameIndex:
    """The reverse index of a watch set (``store.watch.PARTY_COLUMNS``; a party's first name is its primary)."""
    with collector.paused():  # millions of long-lived objects: collector passes over them are pure waste
        return _build(parties)


def _build(parties: pa.Table) -> NameIndex:
    ids = parties.column("party_id").to_pylist()
    names = parties.column("name").to_pylist()
    kinds = parties.column("name_kind").to_pylist()
    countries = parties.column("country").to_pylist()
    primary: dict[str, str] = {}
    rows: list[IndexedName] = []
    postings: dict[str, list[int]] = {}
    read: dict[str, list[tuple[NormalizedName, set[str]]]] = {}  # a name many parties share is read once
    for pid, name, kind, country in zip(ids, names, kinds, countries, strict=True):
        if not name:
            continue
        primary.setdefault(pid, name)
        got = read.get(name)
        if got is None:
            got = read[name] = [(r, query_keys(r)) for r in normalize_query(name) if r.tokens]
        for reading, keys in got:
            row = len(rows)
            rows.append(IndexedName(pid, WATCH_LIST, name, primary[pid], kind or "name", country, reading))
            for k in keys:
                lst = postings.get(k)
                if lst is None:
                    postings[k] = [row]
                elif lst[-1] != row:
                    lst.append(row)
    n = len(rows)
    return NameIndex.from_parts(
        rows, np.full(n, OPEN_START, dtype=np.int64), np.full(n, OPEN_END, dtype=np.int64),
        np.array([r.normalized.total_weight for r in rows], dtype=np.float64),
        np.array([WATCH_LIST] * n, dtype=object), {}, postings)


def _stem(version: str) -> str:
    tag = f"watchq{version}"  # watchq: watched names filed under their query keys
    return f"names-index-{tag}-{key(tag, None)}"


def watch_index(store: Store) -> NameIndex:
    """The reverse index of the store's watch set: from memory, from the cache, or built (and cached)."""
    version = watch.watch_version(store)
    memo_key = (str(store.path), version)
    if memo_key in _MEMO:
        return _MEMO[memo_key]
    folder, stem = Path(store.home) / "cache", _stem(version)
    index = next((i for p in sorted(folder.glob(f"{stem}-*.arrow")) if (i := load(p)) is not None), None)
    if index is None:
        parties = watch.parties_table(store)
        with progress.step(f"indexing the watch set ({parties.num_rows:,} names, once per version)"):
            index = build(parties)
        with contextlib.suppress(OSError):
            saved = save(index, folder, stem)
            for old in cache_files(folder):
                if old.name.startswith("names-index-watch") and old != saved:
                    old.unlink()
    _MEMO.clear()
    _MEMO[memo_key] = index
    return index


def watch_reach(store: Store) -> reach.ReachTable:
    """The watch set's ``monitor.reach`` table: from memory, from the cache (memory-mapped), or built from its
    reverse index (and cached), once per watch-set version."""
    version = watch.watch_version(store)
    memo_key = (str(store.path), version)
    if memo_key in _REACH:
        return _REACH[memo_key]
    cache = Path(store.home) / "cache"
    folder = cache / f"watch-reach-{version}-{key(f'watchq{version}', None)}"
    table = reach.load(folder)
    if table is None:
        index = watch_index(store)
        with progress.step(f"bounding the watch set's readings ({len(index.rows):,}, once per version)"), \
                collector.paused():
            table = reach.build(index.rows[i].normalized for i in range(len(index.rows)))
        with contextlib.suppress(OSError):
            reach.save(table, folder)
    _REACH.clear()
    _REACH[memo_key] = table
    return table


def watch_windows(store: Store, snapshot_id: str, workers: int = 1, build: bool = True, since: dt.date | None = None
                  ) -> windows.Windows | None:
    """The watch set's ``monitor.windows`` bounds in this snapshot, for forward screening's candidate limit, with
    its ``monitor.results`` there: from the cache (memory-mapped), or counted and scored against the snapshot's
    index with ``workers`` processes (and cached; the cuts of full windows hold from ``since`` on); None when
    absent and ``build`` is False."""
    screener = Screener(store, snapshot=snapshot_id)
    where = _windows_folder(store, snapshot_id, screener.candidate_limit)
    index = watch_index(store)
    got = windows.load(where, len(index.rows))
    cuts = windows.load_cuts(where, len(index.rows))
    kept = results.load(_results_folder(store, snapshot_id, screener.candidate_limit), len(index.rows))
    if got is None and build:  # bounds without results (kept by an older version): runs screen forward
        with progress.step(f"counting the watch set's windows ({len(index.rows):,} readings, once per baseline)"):
            readings, parties = _readings(index)
            counted = windows.survey(screener.index, readings, screener.candidate_limit, screener.lists, workers,
                                     since=since)
            got, cuts = counted.eligible, counted.cuts
            kept = results.Results(counted.where, parties, results.table(counted.pairs))
        with contextlib.suppress(OSError):
            windows.save(got, where, cuts)
            results.save(kept, _results_folder(store, snapshot_id, screener.candidate_limit))
    return None if got is None else windows.Windows(got, screener.candidate_limit, results=kept, cuts=cuts)


def _readings(index: NameIndex) -> tuple[list[NormalizedName], np.ndarray]:
    """Each row's reading, and its party's number (parties numbered as first seen)."""
    readings: list[NormalizedName] = []
    numbers: dict[str, int] = {}
    parties = np.zeros(len(index.rows), dtype=np.int32)
    for i in range(len(index.rows)):
        row = index.rows[i]
        readings.append(row.normalized)
        parties[i] = numbers.setdefault(row.entity_id, len(numbers))
    return readings, parties


def keep_windows(store: Store, snapshot_id: str, bounds: windows.Windows) -> None:
    """Cache the bounds and results carried to ``snapshot_id`` (the next run's old snapshot), dropping the
    others (results that were not carried are dropped: the next run screens forward, the next baseline
    scores again)."""
    with contextlib.suppress(OSError):
        windows.save(bounds.eligible if bounds.carried is None else bounds.carried,
                     _windows_folder(store, snapshot_id, bounds.limit),
                     bounds.cuts if bounds.carried is None else bounds.carried_cuts)
        kept = bounds.results if bounds.carried is None else bounds.carried_results
        if kept is not None:
            results.save(kept, _results_folder(store, snapshot_id, bounds.limit))


def _windows_folder(store: Store, snapshot_id: str, limit: int) -> Path:
    return windows.folder(Path(store.home) / "cache", _cache_tag(store), snapshot_id, limit)


def _results_folder(store: Store, snapshot_id: str, limit: int) -> Path:
    return results.folder(Path(store.home) / "cache", _cache_tag(store), snapshot_id, limit)


def _cache_tag(store: Store) -> str:
    """What the windows and results of the watch set depend on: its version and the names code and tables."""
    version = watch.watch_version(store)
    return f"{version}-{key(f'watchq{version}', None)}"
