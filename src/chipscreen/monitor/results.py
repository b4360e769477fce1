"""Each watched reading's forward result in one snapshot, kept so that a delta run merges it with the change
instead of screening the parties the change reaches forward again.

``monitor.windows`` bounds, per watched reading ``q``, the rows of snapshot ``S`` eligible for it on any date.
When that bound is under the candidate limit, forward screening of ``q`` scores every eligible row in force on
the day (``monitor.delta``'s module docstring), so its result on ANY day follows from the set

    P_S(q) = {(row, s) : row eligible for q on some date, on the screener's lists,
                         s = compare_above(q, row, lowest floor), weak-alias capped, not None}

with each row's entry (list code, entity id, primary name, listed country) and listing days (a row without a
listed country only from the review threshold up: no country evidence can raise it): the rows in force
on the day, the best score per entry, the country evidence of the watched name, the review threshold, the
order and the ``max_matches`` cut of ``Screener.screen`` (``name_matches``). A row left out of ``P_S`` scores
under the lowest floor, so under every name's floor: forward screening never reports it, and it never stands
as its entry's best comparison where a reported one could. Most readings have no pair at all.

For a change from ``S`` to ``S'`` with ``n'(q)`` new-side changed rows eligible for ``q`` (any date):
``monitor.windows`` shows that ``bound(q) + n'(q) < limit`` keeps both windows open; unchanged rows are the
same rows (same signature, same comparison) in both snapshots, so

    P_S'(q) = P_S(q) - {pairs of changed entries} + {(row, s) : row a new-side changed row eligible for q}

exactly (``carry``). A reading whose window may be full has no result here: its party is screened forward.
Built with the windows at a baseline run (one ``candidates`` call and the scoring of its rows per distinct
reading: ``windows.survey``), carried to the next snapshot by every run, and kept beside the windows under
``$CHIPSCREEN_HOME/cache`` as an Arrow table and two arrays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chipscreen.monitor.forking import write_folder
from chipscreen.names.features import country_evidence
from chipscreen.names.index import NameIndex
from chipscreen.names.score import compare_above
from chipscreen.names.screener import weak_alias_capped
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import NormalizedName

SCHEMA = pa.schema([("reading", pa.int32()), ("list_code", pa.string()), ("entity_id", pa.string()),
                    ("primary_name", pa.string()), ("country", pa.string()), ("start", pa.int64()),
                    ("end", pa.int64()), ("score", pa.float64())])
Pair = tuple[int, str, str, str, str | None, int, int, float]
"""One row of ``SCHEMA``: the distinct reading, the listed row's entry and listing days, the capped score."""
Scored = tuple[str, str, str, str | None, int, int, float]
"""A pair without its reading: what ``name_matches`` reads."""
NameMatch = tuple[float, str, str, str]
"""A reported match of one name: score with the country evidence, list code, entity id, primary name."""


def lowest_floor() -> float:
    """The floor ``Screener._floor`` puts under the comparisons of a name with a country: the lowest of all."""
    thr = thresholds()
    return thr.review - max(0.0, thr.bonuses.country_match, -thr.penalties.country_mismatch) - 1e-9


def scored(index: NameIndex, q: NormalizedName, rows: Iterable[int], floor: float) -> list[Scored]:
    """The rows (eligible for ``q``) whose comparison ``compare_above`` keeps over ``floor``, each with its entry
    and days, the score held at the weak-alias cap for a weak alias (as ``Screener._best_by_entry``). A row
    without a listed country gets no country evidence, so it is reported only from the review threshold up
    (``Screener._name_match``): under it, it is left out too (it never outscores a reported row of its entry,
    whose rows share its country)."""
    review = thresholds().review
    out: list[Scored] = []
    for r in rows:
        row = index.rows[r]
        got = compare_above(q, row.normalized, floor)
        if got is not None:
            score = weak_alias_capped(got).score if row.kind == "weak" else got.score
            if row.country or score >= review:
                out.append((row.list_code, row.entity_id, row.primary_name, row.country, int(index.starts[r]),
                            int(index.ends[r]), score))
    return out


def table(pairs: Sequence[Pair]) -> pa.Table:
    """The pairs as ``SCHEMA``, sorted by reading (``Results.of`` finds a reading's by binary search)."""
    cols: list[Sequence[object]] = list(zip(*pairs, strict=True)) if pairs else [() for _ in SCHEMA]
    got = pa.table([pa.array(c, f.type) for c, f in zip(cols, SCHEMA, strict=True)], schema=SCHEMA)
    return got.sort_by([("reading", "ascending")])


@dataclass
class Results:
    """``P_S`` of every watched reading in one snapshot: ``where`` maps each row of the watch set's reverse index
    to its distinct reading, ``party`` to its party's number; ``pairs`` (``SCHEMA``) holds the pairs by
    reading. Only the readings whose window bound is under the limit have meaningful pairs."""

    where: np.ndarray
    party: np.ndarray
    pairs: pa.Table

    def __post_init__(self) -> None:
        self.readings = self.pairs.column("reading").to_numpy()
        self._rows: list[Scored] | None = None
        self._by_party: tuple[np.ndarray, np.ndarray] | None = None

    def by_party(self) -> tuple[np.ndarray, np.ndarray]:
        """The reverse index's rows ordered by party (stable: each party's rows in order) and their party
        numbers, sorted: a party's rows are ``order[lo:hi]`` where ``parties`` holds its number. Sorted once a run
        (a million rows: 50 ms), for the merged parties' comparison and the forward screens alike."""
        if self._by_party is None:
            order = np.argsort(self.party, kind="stable")
            self._by_party = (order, self.party[order])
        return self._by_party

    def of(self, reading: int) -> list[Scored]:
        """The pairs of one distinct reading."""
        # the bounds in the array's own type: a list of Python ints would have numpy convert the whole array
        lo, hi = np.searchsorted(self.readings, np.array([reading, reading + 1], dtype=self.readings.dtype))
        if lo == hi:
            return []
        return self.decoded()[int(lo) : int(hi)]

    def decoded(self) -> list[Scored]:
        """Every pair as a tuple, decoded once, when a run first asks (the table is small): before forking
        workers, so that they share one copy."""
        if self._rows is None:
            cols = [self.pairs.column(f.name).to_pylist() for f in SCHEMA][1:]
            self._rows = list(zip(*cols, strict=True)) if self.pairs.num_rows else []
        return self._rows

    def touching(self, keys: set[tuple[str, str]]) -> np.ndarray:
        """A mask of the pairs whose entry is one of ``keys`` (list code, entity id)."""
        if not keys or not self.pairs.num_rows:
            return np.zeros(self.pairs.num_rows, dtype=bool)
        joined = pc.binary_join_element_wise(self.pairs.column("list_code"), self.pairs.column("entity_id"), "\x1f")
        wanted = pa.array(sorted(f"{c}\x1f{e}" for c, e in keys), pa.string())
        return np.asarray(pc.is_in(joined, value_set=wanted).to_numpy(zero_copy_only=False), dtype=bool)


def carry(results: Results, dropped: np.ndarray, added: Sequence[Pair], keep: np.ndarray) -> Results:
    """``P_S'``: the pairs without the ``dropped`` ones (changed entries), with the new side's changed rows
    ``added``, only for the distinct readings ``keep`` marks (window bound still under the limit)."""
    old = results.pairs.filter(pa.array(~dropped)) if results.pairs.num_rows else results.pairs
    new = table(added)
    both = pa.concat_tables([old, new]) if new.num_rows else old
    if both.num_rows:
        both = both.filter(pa.array(keep[both.column("reading").to_numpy()]))
    return Results(results.where, results.party, both.sort_by([("reading", "ascending")]))


def name_matches(pairs: Iterable[Scored], country: str | None, day: int, max_matches: int) -> list[NameMatch]:
    """What ``Screener.screen`` reports for one watched name (with ``country``, folded as it folds it) on ``day``
    from the pairs of its readings: the best score per entry over the rows in force, the country evidence, the
    review threshold, the order by score, list and entity, the first ``max_matches``."""
    thr = thresholds()
    best: dict[tuple[str, str], tuple[float, str | None, str]] = {}
    for list_code, entity_id, primary, listed, start, end, score in pairs:
        if start <= day <= end:
            k = (list_code, entity_id)
            prev = best.get(k)
            if prev is None or score > prev[0]:
                best[k] = (score, listed, primary)
    out: list[NameMatch] = []
    for (list_code, entity_id), (score, listed, primary) in best.items():
        adj = country_evidence(country, listed)
        final = min(1.0, max(0.0, score + (adj.delta if adj is not None else 0.0)))
        if final >= thr.review:
            out.append((final, list_code, entity_id, primary))
    out.sort(key=lambda m: (-m[0], m[1], m[2]))
    return out[:max_matches]


def folder(cache: Path, watch_version: str, snapshot_id: str, limit: int) -> Path:
    return cache / f"watch-results-{watch_version}-{snapshot_id}-{limit}"


def save(results: Results, where: Path) -> None:
    """Write the results, renamed into place whole; those of other snapshots of the watch set are dropped."""

    def write(tmp: Path) -> None:
        np.save(tmp / "where.npy", results.where.astype(np.int32))
        np.save(tmp / "party.npy", results.party.astype(np.int32))
        with pa.OSFile(str(tmp / "pairs.arrow"), "wb") as fh, pa.ipc.new_file(fh, SCHEMA) as w:
            w.write_table(results.pairs.cast(SCHEMA))

    write_folder(where, write, "watch-results-")


def load(where: Path, readings: int) -> Results | None:
    """The results saved there; None when absent or not one reading and party per row of the reverse index."""
    try:
        w = np.load(where / "where.npy", mmap_mode="r")
        p = np.load(where / "party.npy", mmap_mode="r")
        pairs = pa.ipc.open_file(pa.memory_map(str(where / "pairs.arrow"))).read_all()
    except (OSError, ValueError, pa.ArrowException):
        return None
    ok = (w.shape == p.shape == (readings,) and w.dtype == p.dtype == np.int32 and pairs.schema.equals(SCHEMA)
          and (not pairs.num_rows or (int(pc.min(pairs.column("reading")).as_py()) >= 0
                                      and int(pc.max(pairs.column("reading")).as_py()) <= int(w.max()))))
    return Results(np.asarray(w), np.asarray(p), pairs) if ok else None
