"""Blocking: an in-memory key index over every listed name, so that scoring sees a few candidates, not all.

A listed name is filed under several keys per identifying word, each catching a kind of variation (the
word, its deletions, prefix and suffix, metaphone, consonant skeleton, Korean-folded form: see
``chipscreen.names.keys``), and under keys for adjacent words joined ("Hua Wei" -> "huawei"). A query
looks up the same kinds of keys, plus joins of its own adjacent words.

Generic words, place names, stop words and initials are not indexed: they can never make a hit on their
own (the scorer caps such matches), so they only add optimistic credit to the bound below.

Each candidate gets an upper bound of its score from the query weight its keys cover (a word it only
resembles counts at ``fuzzy_credit``, the most the scorer's rules give two different words); candidates whose
bound cannot reach the review threshold are dropped, the rest are ranked by bound and scored in full.
The recall of this stage is measured on its own by ``benchmarks/bench_names_quality.py``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa

from chipscreen import collector, progress
from chipscreen.dates import OPEN_END, OPEN_START, day_number
from chipscreen.names.chinese_aliases import NOTE_COLUMN, with_chinese_aliases
from chipscreen.names.keys import INDEXED_ROLES, KeyPlan, identifier_key, name_keys, query_key_plan
from chipscreen.names.normalize import normalize_name
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import NormalizedName, Token

__all__ = ["IndexedName", "NameIndex", "Ranked", "fuzzy_credit", "fuzzy_credits"]


@lru_cache(maxsize=1)
def fuzzy_credits() -> tuple[float, float]:
    """The most a word can score against a different word, by the scorer's rules: (the floor for a Latin
    word, whose one edit scores 1 - 1/length, or a vowel-only or doubled-letter difference or a
    romanisation; a word of any other script, which Korean romanisations and transliterations reach)."""
    t = thresholds()
    s = t.similarity
    latin = max(s.vowels_only, s.doubled_letter, t.token_similarity.romanisation, t.token_similarity.nickname)
    other = max(s.korean_fold, s.transliteration, s.stem, s.vowels_only, s.doubled_letter)
    return latin, other


def fuzzy_credit(tok: Token) -> float:
    """Upper bound of a word's similarity to a different word (see ``fuzzy_credits``)."""
    latin, other = fuzzy_credits()
    if tok.script != "Latin":
        return other
    return max(latin, 1.0 - 1.0 / max(len(tok.text), 1))


_EMPTY: frozenset[int] = frozenset()
_NO_ROWS = np.zeros(0, dtype=np.int64)
_SMALL_GATHER = 128
"""Up to this many (row, word) entries a query's bounds are computed in plain Python, above it with numpy."""
_TOKEN_CACHE_SIZE = 100_000
"""Query words whose candidate rows are memoised (the memo is emptied when it grows past this)."""


@dataclass
class IndexedName:
    """One listed name (one reading of it) and the entry it belongs to."""

    entity_id: str
    list_code: str
    name: str
    primary_name: str
    kind: str
    country: str | None
    normalized: NormalizedName
    note: str | None = None  # where an alias the list does not print comes from (chinese_aliases.py)


@dataclass
class Ranked:
    """A query's candidate rows, best first, with their score bounds; rows of equal bound rank by row number, and
    those of a query of descriptive words only (``by_row``: no bounds) by row number alone."""

    rows: list[int]
    bounds: list[float]
    by_row: bool


_Part = tuple[Collection[int], np.ndarray, float] | tuple[Collection[int], None, float]
_TokenRows = tuple[frozenset[int], frozenset[int], np.ndarray, np.ndarray, tuple[int, ...]]
_TokenCache = dict[tuple[str, str, bool], _TokenRows]


class NameIndex:
    """Listed names of one snapshot, ready for candidate search. Build with ``from_tables``."""

    def __init__(self, rows: Sequence[IndexedName], starts: np.ndarray, ends: np.ndarray,
                 identifiers: dict[str, list[tuple[str, int]]] | None = None, *,
                 read_back: tuple[np.ndarray, np.ndarray, Mapping[str, list[int]]] | None = None) -> None:
        """``read_back``: the weights, list codes and postings of an index read from a cache (``from_parts``),
        else built here from the rows."""
        self.rows = rows
        self.starts = starts
        self.ends = ends
        self.identifiers = identifiers or {}
        self._arrays: dict[str, np.ndarray] = {}
        self._token_cache: _TokenCache = {}
        self._plain_cache: tuple[list[float], list[int], list[int], Sequence[IndexedName]] | None = None
        self.build_seconds = 0.0
        if read_back is not None:
            self.weights, self.list_codes, self.postings = read_back
            return
        self.weights = np.array([r.normalized.total_weight for r in rows], dtype=np.float64)
        self.list_codes = np.array([r.list_code for r in rows], dtype=object)
        postings: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            for key in name_keys(r.normalized):
                lst = postings.get(key)
                if lst is None:
                    postings[key] = [i]
                else:
                    lst.append(i)  # rows arrive in order and keys are a set per row: lists stay sorted, unique
        self.postings = postings

    @classmethod
    def from_tables(cls, names: pa.Table, identifiers: pa.Table | None = None) -> NameIndex:
        """Build from ``Store.names_table`` (and ``identifiers_table``) output."""
        t0 = time.perf_counter()
        # the build allocates millions of objects that all stay alive: collector passes over them are
        # pure waste (a third of the build time), so it is paused for the build
        with collector.paused():
            # registered Chinese names and Pinyin readings join the lists' names (chinese_aliases.py)
            index = cls._build(with_chinese_aliases(names), identifiers)
        index.build_seconds = time.perf_counter() - t0
        return index

    @classmethod
    def _build(cls, names: pa.Table, identifiers: pa.Table | None) -> NameIndex:
        cols = {c: names.column(c).to_pylist() for c in names.column_names}
        n = names.num_rows
        rows: list[IndexedName] = []
        starts: list[int] = []
        ends: list[int] = []
        first_row: dict[tuple[str, str], int] = {}
        # optional columns looked up once: a default built per name made a 500k-row build quadratic (9 min)
        absent: list[None] = [None] * n
        notes, starts_in, ends_in = (cols.get(c) or absent for c in (NOTE_COLUMN, "start_date", "end_date"))
        primary, kinds, countries = cols.get("primary_name") or cols["name"], cols.get("kind"), cols.get("country")
        for i in progress.Ticker("names index: names read", n).over(range(n)):
            raw = cols["name"][i]
            if not raw:
                continue
            start, end = starts_in[i], ends_in[i]
            for reading in normalize_name(raw):
                if not reading.tokens:
                    continue
                key = (cols["list_code"][i], cols["entity_id"][i])
                first_row.setdefault(key, len(rows))
                rows.append(IndexedName(
                    entity_id=cols["entity_id"][i], list_code=cols["list_code"][i], name=raw,
                    primary_name=primary[i] or raw, kind=(kinds[i] if kinds else None) or "alias",
                    country=countries[i] if countries else None, normalized=reading, note=notes[i],
                ))
                starts.append(day_number(start) if start else OPEN_START)
                ends.append(day_number(end) if end else OPEN_END)
        idents: dict[str, list[tuple[str, int]]] = defaultdict(list)
        if identifiers is not None and identifiers.num_rows:
            icols = {c: identifiers.column(c).to_pylist() for c in identifiers.column_names}
            min_chars = thresholds().blocking.identifier_min_chars
            for j in range(identifiers.num_rows):
                key = (icols["list_code"][j], icols["entity_id"][j])
                row = first_row.get(key)
                value = icols["value"][j]
                if row is None or not value:
                    continue
                norm = identifier_key(str(value))
                if len(norm) >= min_chars:
                    idents[norm].append((str(icols["scheme"][j] or ""), row))
        return cls(rows, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64), dict(idents))

    def __len__(self) -> int:
        return len(self.rows)

    # ------------------------------------------------------------------------------------------ search
    def candidates(
        self, query: NormalizedName, *, min_bound: float, limit: int = 64, on: dt.date | None = None,
        lists: Sequence[str] | None = None,
    ) -> list[int]:
        """Row numbers worth scoring for one query reading, best bound first."""
        return self.ranked(query, min_bound=min_bound, limit=limit, on=on, lists=lists).rows

    def ranked(
        self, query: NormalizedName, *, min_bound: float, limit: int = 64, on: dt.date | None = None,
        lists: Sequence[str] | None = None, plan: KeyPlan | None = None,
    ) -> Ranked:
        """``candidates`` with the bound of each row: what decides whether another row would rank among them
        (``Ranked``). ``plan``: the query's ``query_key_plan``, when the caller asks several indexes about it."""
        toks = query.tokens
        if query.total_weight <= 0:
            return Ranked([], [], False)
        plan = query_key_plan(query) if plan is None else plan
        if not plan.words:
            return Ranked(self._generic_candidates(plan.generic, limit=limit, on=on, lists=lists), [], True)
        free_credit = sum((t.weight for t in toks if t.role not in INDEXED_ROLES), 0.0)
        rows, bounds = self._gather(query, plan, free_credit, min_bound=min_bound, limit=limit, on=on, lists=lists)
        return Ranked(rows, bounds, False)

    def clear_memos(self) -> None:
        """Forget the query words' candidate rows (tests show that no answer depends on what the memo holds)."""
        self._token_cache = {}

    def _plain(self) -> tuple[list[float], list[int], list[int], Sequence[IndexedName]]:
        """Python-list copies of the per-row arrays (indexing numpy arrays one item at a time is slow)."""
        cached = self._plain_cache
        if cached is None:
            cached = (self.weights.tolist(), self.starts.tolist(), self.ends.tolist(), self.rows)
            self._plain_cache = cached
        return cached

    def _gather(
        self, query: NormalizedName, plan: KeyPlan, free_credit: float, *, min_bound: float,
        limit: int, on: dt.date | None, lists: Sequence[str] | None,
    ) -> tuple[list[int], list[float]]:
        """Rows reached by the query's keys, with the bound of their score.

        A word's own rows come from its memo; the rows its joined runs (and the acronym) add are kept
        beside them, never merged into copies of the memo's sets (a common word reaches thousands of rows,
        a run a handful). Each word's exact rows and fuzzy-only rows are then handed on as disjoint pieces:
        a row still gets one addition per word, in word order, so the sums are those of merged sets."""
        extra_exact, extra_fuzzy = self._run_rows(plan, len(query.tokens))
        acro: set[int] = set()
        if plan.acronym is not None:
            acro = set(self.postings.get(plan.acronym) or ())
            if acro:
                k = next(i for i, t in enumerate(query.tokens) if t.role != "stop")
                _add_rows(extra_fuzzy, k, k + 1, acro)
        parts: list[_Part] = []
        for tok, keys, xe, xf in zip(query.tokens, plan.words, extra_exact, extra_fuzzy, strict=True):
            parts.extend(self._word_pieces(tok, keys, xe, xf))
        if not parts:
            return [], []
        if sum(len(p[0]) for p in parts) <= _SMALL_GATHER:
            return self._bounds_small(query, parts, free_credit, acro, min_bound, limit, on, lists)
        return self._bounds_numpy(query, parts, free_credit, acro, min_bound, limit, on, lists)

    def _run_rows(self, plan: KeyPlan, n: int) -> tuple[list[set[int] | None], list[set[int] | None]]:
        """The rows the joined runs of two and three words reach, per word of the run: under the run
        itself (exact) and under its other keys (fuzzy)."""
        post = self.postings
        extra_exact: list[set[int] | None] = [None] * n
        extra_fuzzy: list[set[int] | None] = [None] * n
        for s, size, jkeys in plan.runs:
            p = post.get(jkeys[0])
            if p:
                _add_rows(extra_exact, s, s + size, p)
            for p in map(post.get, jkeys[1:]):
                if p:
                    _add_rows(extra_fuzzy, s, s + size, p)
        return extra_exact, extra_fuzzy

    def _word_pieces(self, tok: Token, keys: Sequence[str], xe: set[int] | None, xf: set[int] | None
                     ) -> list[_Part]:
        """One query word's covered weight, as disjoint pieces of rows: w for a row sharing the word, w *
        fuzzy credit for a row it only resembles (a row is in at most one piece of a word)."""
        if keys:
            e, f, e_arr, fe_arr, fe = self._token_rows(tok, keys)
        else:
            e, f, e_arr, fe_arr, fe = _EMPTY, _EMPTY, _NO_ROWS, _NO_ROWS, ()
        w = tok.weight
        pieces: list[_Part] = []
        if e:
            pieces.append((e, e_arr, w))
        wf = w * fuzzy_credit(tok) if (fe or xf) else 0.0
        if xe:
            xe_only = xe - e
            if xe_only:
                pieces.append((xe_only, None, w))
            fe_left = [r for r in fe if r not in xe]  # a run's exact key makes these rows exact
            if fe_left:
                pieces.append((fe_left, None, wf))
        elif fe:
            pieces.append((fe, fe_arr, wf))
        if xf:
            xf_only = {r for r in xf if r not in f and r not in e and not (xe and r in xe)}
            if xf_only:
                pieces.append((xf_only, None, wf))
        return pieces

    def _bounds_small(
        self, query: NormalizedName, parts: Sequence[_Part],
        free_credit: float, acro: set[int], min_bound: float, limit: int, on: dt.date | None,
        lists: Sequence[str] | None,
    ) -> tuple[list[int], list[float]]:
        """``_bounds_numpy`` for the usual query, which reaches a few dozen rows: numpy's fixed cost per call
        is then most of the time. The same float operations in the same order (a row's weights added in
        part order, starting from 0.0 as ``bincount`` does), so the same bounds, bit for bit, and the same
        order (bound descending, then row number)."""
        cov: dict[int, float] = {}
        get = cov.get
        for rows_, _, w in parts:
            for r in rows_:
                cov[r] = get(r, 0.0) + w
        weights, starts, ends, rows = self._plain()
        wq = query.total_weight
        d = day_number(on) if on is not None else None
        wanted = set(lists) if lists else None
        kept: list[tuple[float, int]] = []
        acro_bound = thresholds().acronym.long
        for r, c in cov.items():
            c += free_credit
            wc = weights[r]
            bound = (c + (wc if wc < c else c)) / (wq + wc)
            if acro and r in acro and bound < acro_bound:
                bound = acro_bound
            if bound < min_bound:
                continue
            if d is not None and not (starts[r] <= d <= ends[r]):
                continue
            if wanted is not None and rows[r].list_code not in wanted:
                continue
            kept.append((-bound, r))
        kept.sort()
        del kept[limit:]
        return [r for _, r in kept], [-b for b, _ in kept]

    def _bounds_numpy(
        self, query: NormalizedName, parts: Sequence[_Part],
        free_credit: float, acro: set[int], min_bound: float, limit: int, on: dt.date | None,
        lists: Sequence[str] | None,
    ) -> tuple[list[int], list[float]]:
        """The bound of every reached row at once, for queries that reach many rows (a common word's).
        Rows are summed per row in part order, as numpy's bincount adds (the same sums, bit for bit, as
        adding one part after another in a dict), and numpy does the same float operations, in the same
        order, as the scalar formula: the bounds, and so the ranking, are identical."""
        arrays = [a if a is not None else np.fromiter(p, dtype=np.int64, count=len(p)) for p, a, _ in parts]
        if len(arrays) == 1:
            rows = arrays[0]
            cov = np.full(len(rows), 0.0)
            cov += parts[0][2]
        else:
            rows, inverse = np.unique(np.concatenate(arrays), return_inverse=True)
            cov = np.bincount(inverse, weights=np.repeat([w for _, _, w in parts], [len(a) for a in arrays]),
                              minlength=len(rows))
        cov += free_credit
        wc = self.weights[rows]
        bound = (cov + np.minimum(wc, cov)) / (query.total_weight + wc)
        if acro:
            is_acro = np.isin(rows, np.fromiter(acro, dtype=np.int64, count=len(acro)))
            bound[is_acro] = np.maximum(bound[is_acro], thresholds().acronym.long)
        keep = bound >= min_bound
        if on is not None:
            d = day_number(on)
            keep &= (self.starts[rows] <= d) & (d <= self.ends[rows])
        if lists:
            keep &= np.isin(self.list_codes[rows], list(lists))
        rows = rows[keep]
        if not len(rows):
            return [], []
        neg = -bound[keep]
        order = np.lexsort((rows, neg))[:limit]
        return rows[order].tolist(), (-neg[order]).tolist()

    def _token_rows(self, tok: Token, keys: Sequence[str]) -> _TokenRows:
        """Rows under a query word's first key (the word itself) and under its other keys (as sets, and as
        sorted arrays: the first set, and the second without the first), memoised per word: a day's
        screening meets the same words again and again."""
        ck = _cache_key(tok)
        cache = self._token_cache
        if len(cache) > _TOKEN_CACHE_SIZE:
            cache = {}
            self._token_cache = cache
        got = cache.get(ck)
        if got is None:
            post = self.postings
            p = post.get(keys[0])
            e = frozenset(p) if p else _EMPTY
            f: set[int] = set()
            for key in keys[1:]:
                p = post.get(key)
                if p:
                    f.update(p)
            fs = frozenset(f)
            fe = tuple(sorted(fs - e))
            got = cache[ck] = (e, fs, np.array(sorted(e), dtype=np.int64), np.array(fe, dtype=np.int64), fe)
        return got

    def _generic_candidates(
        self, keys: Sequence[str], *, limit: int, on: dt.date | None, lists: Sequence[str] | None,
    ) -> list[int]:
        """A query made only of descriptive words can still equal a listed name word for word; those
        names are found through exact ``g:`` keys (all words must be present; ``keys`` is empty for a
        query of fewer than two such words)."""
        if not keys:
            return []
        sets: list[np.ndarray] = []
        for key in keys:
            found = self._posting(key)
            if found is None:
                return []
            sets.append(found)
        common = sets[0]
        for s_ in sets[1:]:
            common = np.intersect1d(common, s_)
        if on is not None:
            d = day_number(on)
            common = common[(self.starts[common] <= d) & (self.ends[common] >= d)]
        if lists:
            common = common[np.isin(self.list_codes[common], list(lists))]
        return [int(x) for x in common[:limit]]

    def _posting(self, key: str) -> np.ndarray | None:
        """A key's rows as an array, converted on first use (building every array up front is slower
        than the whole search over a day's screening)."""
        arr = self._arrays.get(key)
        if arr is None:
            lst = self.postings.get(key)
            if lst is None:
                return None
            arr = np.array(lst, dtype=np.int32)
            self._arrays[key] = arr
        return arr

    def by_identifier(self, value: str) -> list[tuple[str, int]]:
        """Rows whose entry carries this identifier (normalised: upper case, letters and digits only)."""
        return self.identifiers.get(identifier_key(value), [])

    @classmethod
    def from_parts(cls, rows: Sequence[IndexedName], starts: np.ndarray, ends: np.ndarray, weights: np.ndarray,
                   list_codes: np.ndarray, identifiers: dict[str, list[tuple[str, int]]],
                   postings: Mapping[str, list[int]]) -> NameIndex:
        """An index read back from a cache (``names.index_arrays``); rows and postings may be lazy views."""
        return cls(rows, starts, ends, identifiers, read_back=(weights, list_codes, postings))


def _add_rows(extra: list[set[int] | None], start: int, stop: int, rows: Iterable[int]) -> None:
    """Add ``rows`` to the extra rows of words ``start`` to ``stop - 1``."""
    for k in range(start, stop):
        got = extra[k]
        if got is None:
            extra[k] = set(rows)
        else:
            got.update(rows)


def _cache_key(tok: Token) -> tuple[str, str, bool]:
    """What a query word's candidate rows depend on (its keys are derived from these alone)."""
    return (tok.text, tok.script, tok.role == "number")
