"""Which watched readings a changed row can be eligible for, decided for all of them at once (numpy).

Forward screening's candidate bound for a query reading ``q`` and a listed row ``c`` is
``(cov + min(w_c, cov)) / (w_q + w_c)`` (``NameIndex._bounds_small``), rising with ``cov``: the weight of
``q``'s words not filed in the index (always counted), plus, per word of ``q``, at most its weight when a key
of that word, or of a joined run holding it, or (for its first word) of its acronym, is one ``c`` is filed
under; an acronym key can raise the bound to the acronym floor. This table files, under each key a watched
reading looks up (``names.keys.query_key_plan``), the reading and a bit mask of the words that key credits. For
a changed row, or-ing the masks of the keys it shares with a reading gives every word that can be credited,
hence an upper bound of the bound: a reading whose upper bound stays under the review threshold for every
changed row cannot have a changed row eligible, and is left out exactly. The rest are put to the exact
checks of ``delta.affected``. Readings made only of descriptive words (found by exact ``g:`` keys, not by a
bound) are always kept.

Built once per watch set from its reverse index and kept beside it under ``$CHIPSCREEN_HOME/cache`` as
memory-mapped arrays, so a run reads only the postings its changed keys reach.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from chipscreen.dates import day_number
from chipscreen.monitor.forking import can_fork, chunks, forked_map, write_folder
from chipscreen.names.index import NameIndex
from chipscreen.names.index_arrays import key_hash
from chipscreen.names.keys import INDEXED_ROLES, query_key_plan
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import NormalizedName

WORDS = 8
"""Words with a bit of their own; a reading's later words share the last bit (credited together)."""
ACRONYM_BIT = 1 << WORDS
MARGIN = 1e-9
"""Rounding slack: the upper bound sums weights in another order than forward screening does."""
_ARRAYS = ("off", "rows", "masks", "word_weights", "free", "total", "generic", "hashes", "by_hash")


@dataclass
class ReachTable:
    keys: pa.Array  # large_string: the keys, each filing rows[off[i]:off[i+1]] with masks alike
    off: np.ndarray
    rows: np.ndarray
    masks: np.ndarray
    word_weights: np.ndarray  # (readings, WORDS)
    free: np.ndarray  # weight of a reading's words the index does not file
    total: np.ndarray
    generic: np.ndarray  # readings made only of descriptive words
    hashes: np.ndarray  # the keys' ``key_hash``es, sorted: a run finds its changed keys by binary search
    by_hash: np.ndarray  # the key of each of ``hashes``


def word_masks(q: NormalizedName) -> dict[str, int]:
    """Key -> the bits of the words of ``q`` that key credits, over the keys of ``query_key_plan(q)``."""
    plan = query_key_plan(q)
    out = dict.fromkeys(plan.generic, 0)
    for i, keys in enumerate(plan.words):
        for k in keys:
            out[k] = out.get(k, 0) | _bit(i)
    for s, size, keys in plan.runs:
        bits = 0
        for i in range(s, s + size):
            bits |= _bit(i)
        for k in keys:
            out[k] = out.get(k, 0) | bits
    if plan.acronym is not None:
        first = next(i for i, t in enumerate(q.tokens) if t.role != "stop")
        out[plan.acronym] = out.get(plan.acronym, 0) | _bit(first) | ACRONYM_BIT
    return out


def _bit(i: int) -> int:
    return 1 << min(i, WORDS - 1)


def build(readings: Iterable[NormalizedName]) -> ReachTable:
    """The table of these readings (row ``i`` is the reverse index's row ``i``)."""
    postings: dict[str, tuple[array[int], array[int]]] = {}  # C arrays: a million readings file ~60M entries
    weights: list[list[float]] = []
    free: list[float] = []
    total: list[float] = []
    generic: list[bool] = []
    for r, q in enumerate(readings):
        ww = [0.0] * WORDS
        for i, t in enumerate(q.tokens):
            ww[min(i, WORDS - 1)] += t.weight
        weights.append(ww)
        free.append(sum(t.weight for t in q.tokens if t.role not in INDEXED_ROLES))
        total.append(q.total_weight)
        generic.append(not any(t.role in INDEXED_ROLES for t in q.tokens))
        for k, m in word_masks(q).items():
            got = postings.get(k)
            if got is None:
                got = postings[k] = (array("i"), array("H"))
            got[0].append(r)
            got[1].append(m)
    keys = list(postings)
    hashes = np.fromiter((key_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
    by_hash = np.argsort(hashes, kind="stable")
    lengths = np.fromiter((len(postings[k][0]) for k in keys), dtype=np.int64, count=len(keys))
    rows = np.concatenate([np.frombuffer(postings[k][0], dtype=np.int32) for k in keys]) if keys else np.zeros(0)
    masks = np.concatenate([np.frombuffer(postings[k][1], dtype=np.uint16) for k in keys]) if keys else np.zeros(0)
    return ReachTable(
        pa.array(keys, pa.large_string()), np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        rows.astype(np.int32), masks.astype(np.uint16),
        np.array(weights, dtype=np.float64).reshape(-1, WORDS), np.array(free, dtype=np.float64),
        np.array(total, dtype=np.float64), np.array(generic, dtype=bool), hashes[by_hash], by_hash.astype(np.int64))


def within_reach(table: ReachTable, changed: NameIndex, on: dt.date) -> np.ndarray:
    """The watched readings (rows, sorted) for which some row of ``changed`` in force on ``on`` may be
    eligible: its upper bound reaches the review threshold (see the module docstring)."""
    return reach_pairs(table, [changed], on)[0][0]


@dataclass
class Pairs:
    """Every (watched reading, row of a changed entries' index) pair whose upper bound reaches the review
    threshold on any date, sorted by reading, with that upper bound (``inf`` for a reading made only of
    descriptive words: no bound ranks its rows) and whether the row is in force on the run's day."""

    readings: np.ndarray
    rows: np.ndarray
    upper: np.ndarray
    in_force: np.ndarray


PARALLEL_FROM = 256
"""Changed rows below which forking workers costs more than it saves (a row takes about a millisecond on a
million-party watch set; a pool of two, some 50 ms)."""


def reach_pairs(table: ReachTable, indexes: Sequence[NameIndex], on: dt.date, workers: int = 1
                ) -> list[tuple[np.ndarray, Pairs]]:
    """Per one of ``indexes``: ``within_reach``, and its ``Pairs`` (the only rows that may be eligible for each
    reading). The changed keys are looked up in the table once for all of them, and ``workers`` forked processes
    (sharing the memory-mapped table) work out the rows' upper bounds."""
    at = dict(_positions(table, sorted({k for i in indexes for k in i.postings})))
    todo: list[tuple[int, int, list[int]]] = []
    for n, index in enumerate(indexes):
        per_row: dict[int, list[int]] = {}
        for k, filed in index.postings.items():
            p = at.get(k)
            if p is not None:
                for c in filed:
                    per_row.setdefault(c, []).append(p)
        todo += [(n, c, ps) for c, ps in per_row.items()]
    if can_fork(workers, len(todo), PARALLEL_FROM):
        parts = forked_map(_bounded, (table, indexes), chunks(todo, workers), workers)
    else:
        parts = [_bounded((table, indexes), todo)]
    found: list[list[tuple[int, np.ndarray, np.ndarray]]] = [[] for _ in indexes]
    for part in parts:
        for n, c, rows, upper in part:
            found[n].append((c, rows, upper))
    return [_pairs(index, every, day_number(on)) for index, every in zip(indexes, found, strict=True)]


def _pairs(changed: NameIndex, every: list[tuple[int, np.ndarray, np.ndarray]], d: int) -> tuple[np.ndarray, Pairs]:
    none = np.zeros(0, dtype=np.int64)
    if not every:
        return none, Pairs(none, none, np.zeros(0), np.zeros(0, dtype=bool))
    readings = np.concatenate([r for _, r, _ in every]).astype(np.int64)
    rows = np.concatenate([np.full(len(r), c, dtype=np.int64) for c, r, _ in every])
    upper = np.concatenate([u for _, _, u in every])
    live = (changed.starts[rows] <= d) & (d <= changed.ends[rows])
    order = np.argsort(readings, kind="stable")
    return np.unique(readings[live]), Pairs(readings[order], rows[order], upper[order], live[order])


def _bounded(shared: tuple[ReachTable, Sequence[NameIndex]], todo: Sequence[tuple[int, int, list[int]]]
             ) -> list[tuple[int, int, np.ndarray, np.ndarray]]:
    """For each (index number, changed row, positions of its keys in the table) of ``todo``: the readings
    (distinct) its upper bound reaches, and those upper bounds (``inf`` for a reading of descriptive words
    only)."""
    table, indexes = shared
    review, floor = thresholds().review - MARGIN, thresholds().acronym.long
    out = []
    for n, c, ps in todo:
        spans = [(int(table.off[p]), int(table.off[p + 1])) for p in ps]
        rows = np.concatenate([table.rows[a:b] for a, b in spans])
        masks = np.concatenate([table.masks[a:b] for a, b in spans])
        order = np.argsort(rows, kind="stable")
        rows, masks = rows[order], masks[order]
        starts = np.flatnonzero(np.concatenate([[True], rows[1:] != rows[:-1]]))
        rows, masks = rows[starts], np.bitwise_or.reduceat(masks, starts)
        bits = (masks[:, None] >> np.arange(WORDS, dtype=np.uint16)) & 1
        cov = table.free[rows] + (table.word_weights[rows] * bits).sum(axis=1)
        wc = float(indexes[n].weights[c])
        bound = (cov + np.minimum(wc, cov)) / (table.total[rows] + wc)
        bound[(masks & ACRONYM_BIT) != 0] = np.maximum(bound[(masks & ACRONYM_BIT) != 0], floor)
        generic = table.generic[rows]
        keep = (bound >= review) | generic
        out.append((n, c, rows[keep], np.where(generic, np.inf, bound + MARGIN)[keep]))
    return out


def _positions(table: ReachTable, keys: list[str]) -> Iterator[tuple[str, int]]:
    """Each of ``keys`` some watched reading looks up, with its position in the table: found by its hash among the
    table's sorted ones, then compared (equal hashes of other keys are passed over). Scanning the millions of
    the table's keys instead cost a run a third of a second at a million parties, growing with the watch set."""
    wanted = np.fromiter((key_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
    lo = np.searchsorted(table.hashes, wanted, side="left")
    counts = np.searchsorted(table.hashes, wanted, side="right") - lo
    owner = np.repeat(np.arange(len(keys)), counts)  # the changed key each table key of an equal hash is put to
    starts = np.cumsum(counts) - counts
    at = table.by_hash[np.repeat(lo, counts) + np.arange(len(owner)) - np.repeat(starts, counts)]
    texts = table.keys.take(pa.array(at, pa.int64())).to_pylist()
    for i, p, text in zip(owner.tolist(), at.tolist(), texts, strict=True):
        if text == keys[i]:
            yield keys[i], p


def save(table: ReachTable, folder: Path) -> None:
    """Write the table as a folder of arrays, renamed into place whole (a reader never sees half of it); the
    tables of earlier watch sets are dropped (``forking.write_folder``)."""

    def write(tmp: Path) -> None:
        with pa.OSFile(str(tmp / "keys.arrow"), "wb") as fh, pa.ipc.new_file(
                fh, pa.schema([("key", pa.large_string())])) as w:
            w.write_table(pa.table({"key": table.keys}))
        for name in _ARRAYS:
            np.save(tmp / f"{name}.npy", getattr(table, name))

    write_folder(folder, write, "watch-reach-")


def load(folder: Path) -> ReachTable | None:
    """The table saved there, memory-mapped; None when absent or inconsistent (it is then built again). The arrays
    are plain ndarray views of the maps: slicing or indexing a ``numpy.memmap`` builds another memmap each time,
    some microseconds a slice, and a run slices the table for every key of every changed row."""
    try:
        keys = pa.ipc.open_file(pa.memory_map(str(folder / "keys.arrow"))).read_all().column("key").combine_chunks()
        got = {name: np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r")) for name in _ARRAYS}
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return None
    table = ReachTable(keys, **got)
    n, off = len(table.total), table.off
    ok = (len(off) == len(keys) + 1 and off[0] == 0 and off[-1] == len(table.rows) == len(table.masks)
          and len(table.hashes) == len(table.by_hash) == len(keys) and table.hashes.dtype == np.uint64
          and (not len(keys) or (int(table.by_hash.min()) >= 0 and int(table.by_hash.max()) < len(keys)))
          and bool(np.all(np.diff(off) >= 0)) and table.word_weights.shape == (n, WORDS)
          and len(table.free) == len(table.generic) == n and (not len(table.rows) or int(table.rows.max()) < n))
    return table if ok else None
