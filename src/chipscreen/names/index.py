"""Blocking: an in-memory key index over every listed name, so that scoring sees a few candidates, not all.

A listed name is filed under several keys per identifying word, each catching a kind of variation:
``t:`` the word, ``d:`` the word with one letter deleted (catches any single typo: SymSpell's idea),
``p:``/``x:`` five-letter prefix and suffix of long words (two typos at the other end), ``m:`` its metaphone
(phonetic spellings), ``k:`` its consonant skeleton (Arabic/Hebrew/Thai queries), ``f:`` its Korean-folded
form, and ``t:`` keys for adjacent word pairs joined ("Hua Wei" -> "huawei"). A query looks up the same
kinds of keys, plus joins of its own adjacent words.

Generic words, place names, stop words and initials are not indexed: they can never make a hit on their
own (the scorer caps such matches), so they only add optimistic credit to the bound below.

Each candidate gets an upper bound of its score from the query weight its keys cover; candidates whose
bound cannot reach the review threshold are dropped, the rest are ranked by bound and scored in full.
The recall of this stage is measured on its own by ``benchmarks/bench_names_quality.py``.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import time
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pyarrow as pa

from chipscreen.names.normalize import (
    NormalizedName,
    Token,
    korean_fold,
    nickname_partners,
    normalize_name,
    skeleton,
)
from chipscreen.names.romanisation import may_be_wade_giles, pinyin_spellings
from chipscreen.names.score import _ABJAD, _phonetic, acronym_of

INDEXED_ROLES = frozenset({"distinctive", "number", "patronymic"})
FUZZY_CREDIT = 0.97
"""Upper bound of a token pair's similarity when the two words differ (Korean romanisations reach 0.97)."""


def fuzzy_credit(tok: Token) -> float:
    """The most a word can score against a different word, by the scorer's rules: for Latin words one
    edit (1 - 1/length) or a vowel-only difference (0.9); other scripts up to FUZZY_CREDIT."""
    if tok.script != "Latin":
        return FUZZY_CREDIT
    return max(0.9, 1.0 - 1.0 / max(len(tok.text), 1))
_EMPTY: frozenset[int] = frozenset()
_NO_ROWS = np.zeros(0, dtype=np.int64)
_SMALL_GATHER = 128
"""Up to this many (row, word) entries a query's bounds are computed in plain Python, above it with numpy."""
_TOKEN_CACHE_SIZE = 100_000
"""Query words whose candidate rows are memoised (the memo is emptied when it grows past this)."""
_FAR_PAST = dt.date.min.toordinal()
_FAR_FUTURE = dt.date.max.toordinal()


def _deletions(text: str) -> list[str]:
    return [text[:i] + text[i + 1 :] for i in range(len(text))]


def _deletions2(text: str) -> set[str]:
    """Every form of ``text`` with two letters deleted. Filed together with the word itself and its
    one-letter deletions under ``e:``, so that any two edits between two long words meet on a key."""
    return {d[:j] + d[j + 1 :] for d in _deletions(text) for j in range(len(d))}


def token_keys(tok: Token, *, query: bool = False) -> list[str]:
    """The keys one word is filed (or, with ``query=True``, looked up) under. A query word only uses the
    keys that can lead to a similar word under the scorer's rules for its script."""
    text = tok.text
    keys = ["t:" + text]
    if tok.role == "number":
        return keys
    script = tok.script
    n = len(text)
    if query and script == "Han":
        return keys  # pinyin syllables match exactly (runs of them are joined separately)
    if query and script in _ABJAD and script != "Thai":
        sk = skeleton(text)
        if len(sk) >= 2:
            keys.append("k:" + sk)
        return keys
    if n >= 4:
        keys.extend("d:" + d for d in _deletions(text))
        keys.append("d:" + text)
        if n < 8 and not query:
            keys.append("e:" + text)
    if n >= 8:
        # two deletions: any two edits in a long word ("Selenskyj" / "Zelenskyy", "Trafalgura" / "Trafigura")
        dels = _deletions(text)
        keys.extend("e:" + d for d in {text, *dels, *_deletions2(text)})
    if n >= 7:
        keys.append("p:" + text[:4])
        keys.append("x:" + text[-4:])
    if n >= 5:
        ph = _phonetic(text)
        if ph and len(ph) >= 2:
            keys.append("m:" + ph)
    if not query or script == "Thai":
        sk = skeleton(text)
        if len(sk) >= 2:
            keys.append("k:" + sk)
    if not query or script == "Hangul":
        keys.append("f:" + korean_fold(text))
    if script == "Latin":
        # a Chinese name in Wade-Giles is filed and looked up under its Pinyin too ("hsi" / "xi"), at a
        # similarity (0.9) no higher than the fuzzy credit of a Latin word
        keys.extend("t:" + p for p in pinyin_spellings(text) if p != text)
        if query:
            # a nickname finds its given names and a given name its nicknames ("Ted" / "Theodore"), at a
            # similarity (0.85) under the fuzzy credit of every Latin word (0.9 or more)
            keys.extend("t:" + other for other in nickname_partners().get(text, ()))
    return keys


def _joined_keys(text: str, query: bool, scripts: set[str], wade_giles: bool = True) -> list[str]:
    """The keys of a run of words joined (``wade_giles``: whether one of its words may be Wade-Giles, as
    one must be for the run to be)."""
    keys = ["t:" + text, "f:" + korean_fold(text)] if not query or "Hangul" in scripts else ["t:" + text]
    if wade_giles and scripts == {"Latin"}:
        keys.extend("t:" + p for p in pinyin_spellings(text) if p != text)  # "tse tung" -> zedong
    if query:
        if len(text) >= 4:
            keys.extend(["d:" + text[:i] + text[i + 1 :] for i in range(len(text))])  # its deletions
            keys.append("d:" + text)
        if scripts & _ABJAD:
            keys.append("k:" + skeleton(text))
    else:
        keys.append("d:" + text)
    return keys


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


def _norm_ident(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


_TokenRows = tuple[frozenset[int], frozenset[int], np.ndarray, np.ndarray, tuple[int, ...]]
_TokenCache = dict[tuple[str, str, bool], _TokenRows]


class NameIndex:
    """Listed names of one snapshot, ready for candidate search. Build with ``from_tables``."""

    _token_cache: _TokenCache

    def __init__(self, rows: list[IndexedName], starts: np.ndarray, ends: np.ndarray,
                 identifiers: dict[str, list[tuple[str, int]]] | None = None) -> None:
        self.rows = rows
        self.starts = starts
        self.ends = ends
        self.weights = np.array([r.normalized.total_weight for r in rows], dtype=np.float64)
        self.identifiers = identifiers or {}
        self.list_codes = np.array([r.list_code for r in rows], dtype=object)
        postings: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            for key in _name_keys(r.normalized):
                lst = postings.get(key)
                if lst is None:
                    postings[key] = [i]
                else:
                    lst.append(i)  # rows arrive in order and keys are a set per row: lists stay sorted, unique
        self.postings = postings
        self._arrays: dict[str, np.ndarray] = {}
        self.build_seconds = 0.0

    @classmethod
    def from_tables(cls, names: pa.Table, identifiers: pa.Table | None = None) -> NameIndex:
        """Build from ``Store.names_table`` (and ``identifiers_table``) output."""
        t0 = time.perf_counter()
        # the build allocates millions of objects that all stay alive: collector passes over them are
        # pure waste (a third of the build time), so it is paused for the build
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            index = cls._build(names, identifiers)
        finally:
            if was_enabled:
                gc.enable()
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
        for i in range(n):
            raw = cols["name"][i]
            if not raw:
                continue
            start = cols.get("start_date", [None] * n)[i]
            end = cols.get("end_date", [None] * n)[i]
            for reading in normalize_name(raw):
                if not reading.tokens:
                    continue
                key = (cols["list_code"][i], cols["entity_id"][i])
                first_row.setdefault(key, len(rows))
                rows.append(IndexedName(
                    entity_id=cols["entity_id"][i], list_code=cols["list_code"][i], name=raw,
                    primary_name=(cols.get("primary_name") or cols["name"])[i] or raw,
                    kind=(cols.get("kind") or ["alias"] * n)[i] or "alias",
                    country=(cols.get("country") or [None] * n)[i], normalized=reading,
                ))
                starts.append(start.toordinal() if start else _FAR_PAST)
                ends.append(end.toordinal() if end else _FAR_FUTURE)
        idents: dict[str, list[tuple[str, int]]] = defaultdict(list)
        if identifiers is not None and identifiers.num_rows:
            icols = {c: identifiers.column(c).to_pylist() for c in identifiers.column_names}
            for j in range(identifiers.num_rows):
                key = (icols["list_code"][j], icols["entity_id"][j])
                row = first_row.get(key)
                value = icols["value"][j]
                if row is None or not value:
                    continue
                norm = _norm_ident(str(value))
                if len(norm) >= 6:
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
        toks = query.tokens
        wq = query.total_weight
        if wq <= 0:
            return []
        free_credit = sum(t.weight for t in toks if t.role not in INDEXED_ROLES)
        if not any(t.role in INDEXED_ROLES for t in toks):
            return self._generic_candidates(query, min_bound=min_bound, limit=limit, on=on, lists=lists)
        key_lists = [_query_token_keys(t) if t.role in INDEXED_ROLES else () for t in toks]
        return self._gather(query, key_lists, free_credit, min_bound=min_bound, limit=limit, on=on, lists=lists)

    def __getstate__(self) -> dict[str, object]:
        """Pickled without the caches derived from the postings (rebuilt on use)."""
        state = dict(self.__dict__)
        state.pop("_plain_cache", None)
        state.pop("_token_cache", None)
        state["_arrays"] = {}
        return state

    def _plain(self) -> tuple[list[float], list[int], list[int], list[IndexedName]]:
        """Python-list copies of the per-row arrays (indexing numpy arrays one item at a time is slow)."""
        cached = getattr(self, "_plain_cache", None)
        if cached is None:
            cached = (self.weights.tolist(), self.starts.tolist(), self.ends.tolist(), self.rows)
            self._plain_cache = cached
        return cached

    def _gather(
        self, query: NormalizedName, key_lists: Sequence[Sequence[str]], free_credit: float, *, min_bound: float,
        limit: int, on: dt.date | None, lists: Sequence[str] | None,
    ) -> list[int]:
        """Rows reached by the query's keys, with the bound of their score.

        A word's own rows come from its memo; the rows its joined runs (and the acronym) add are kept
        beside them, never merged into copies of the memo's sets (a common word reaches thousands of rows,
        a run a handful). Each word's exact rows and fuzzy-only rows are then handed on as disjoint pieces:
        a row still gets one addition per word, in word order, so the sums are those of merged sets."""
        toks = query.tokens
        post = self.postings
        n = len(toks)
        extra_exact: list[set[int] | None] = [None] * n
        extra_fuzzy: list[set[int] | None] = [None] * n
        for size in (2, 3):
            for s in range(n - size + 1):
                run = toks[s : s + size]
                if not any(t.role in INDEXED_ROLES for t in run):
                    continue
                jkeys = _joined_keys("".join(t.text for t in run), True, {t.script for t in run},
                                     any(may_be_wade_giles(t.text) for t in run))
                p = post.get(jkeys[0])
                if p:
                    _add_rows(extra_exact, s, s + size, p)
                for p in map(post.get, jkeys[1:]):
                    if p:
                        _add_rows(extra_fuzzy, s, s + size, p)
        acro: set[int] = set()
        if query.acronym_word is not None:
            acro = set(post.get("a:" + query.acronym_word) or ())
            if acro:
                k = next(i for i, t in enumerate(toks) if t.role != "stop")
                _add_rows(extra_fuzzy, k, k + 1, acro)
        # each row's covered query weight: w for a word it shares, w * fuzzy credit for a word it only
        # resembles, added per row in word order (a row is in at most one piece of a word)
        parts: list[tuple[Collection[int], np.ndarray | None, float]] = []
        size = 0
        for tok, keys, xe, xf in zip(toks, key_lists, extra_exact, extra_fuzzy, strict=True):
            if keys:
                e, f, e_arr, fe_arr, fe = self._token_rows(tok, keys)
            else:
                e, f, e_arr, fe_arr, fe = _EMPTY, _EMPTY, _NO_ROWS, _NO_ROWS, ()
            w = tok.weight
            pieces: list[tuple[Collection[int], np.ndarray | None, float]] = []
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
            for piece in pieces:
                parts.append(piece)
                size += len(piece[0])
        if not parts:
            return []
        if size <= _SMALL_GATHER:
            return self._bounds_small(query, parts, free_credit, acro, min_bound, limit, on, lists)
        return self._bounds_numpy(query, parts, free_credit, acro, min_bound, limit, on, lists)

    def _bounds_small(
        self, query: NormalizedName, parts: Sequence[tuple[Collection[int], np.ndarray | None, float]],
        free_credit: float, acro: set[int], min_bound: float, limit: int, on: dt.date | None,
        lists: Sequence[str] | None,
    ) -> list[int]:
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
        d = on.toordinal() if on is not None else None
        wanted = set(lists) if lists else None
        kept: list[tuple[float, int]] = []
        for r, c in cov.items():
            c += free_credit
            wc = weights[r]
            bound = (c + (wc if wc < c else c)) / (wq + wc)
            if acro and r in acro and bound < 0.85:
                bound = 0.85
            if bound < min_bound:
                continue
            if d is not None and not (starts[r] <= d <= ends[r]):
                continue
            if wanted is not None and rows[r].list_code not in wanted:
                continue
            kept.append((-bound, r))
        kept.sort()
        return [r for _, r in kept[:limit]]

    def _bounds_numpy(
        self, query: NormalizedName, parts: Sequence[tuple[Collection[int], np.ndarray | None, float]],
        free_credit: float, acro: set[int], min_bound: float, limit: int, on: dt.date | None,
        lists: Sequence[str] | None,
    ) -> list[int]:
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
            bound[is_acro] = np.maximum(bound[is_acro], 0.85)
        keep = bound >= min_bound
        if on is not None:
            d = on.toordinal()
            keep &= (self.starts[rows] <= d) & (d <= self.ends[rows])
        if lists:
            keep &= np.isin(self.list_codes[rows], list(lists))
        rows = rows[keep]
        if not len(rows):
            return []
        neg = -bound[keep]
        order = np.lexsort((rows, neg))[:limit]
        return [int(r) for r in rows[order]]

    def _token_rows(self, tok: Token, keys: Sequence[str]) -> _TokenRows:
        """Rows under a query word's first key (the word itself) and under its other keys (as sets, and as
        sorted arrays: the first set, and the second without the first), memoised per word: a day's
        screening meets the same words again and again."""
        ck = _cache_key(tok)
        cache: _TokenCache | None = getattr(self, "_token_cache", None)
        if cache is None or len(cache) > _TOKEN_CACHE_SIZE:
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
        self, query: NormalizedName, *, min_bound: float, limit: int, on: dt.date | None, lists: Sequence[str] | None,
    ) -> list[int]:
        """A query made only of descriptive words can still equal a listed name word for word; those
        names are found through exact ``g:`` keys (all words must be present)."""
        words = [t.text for t in query.tokens if t.role in ("generic", "place")]
        if len(words) < 2:
            return []
        sets: list[np.ndarray] = []
        for w in words:
            found = self._posting("g:" + w)
            if found is None:
                return []
            sets.append(found)
        common = sets[0]
        for s_ in sets[1:]:
            common = np.intersect1d(common, s_)
        if on is not None:
            d = on.toordinal()
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
        return self.identifiers.get(_norm_ident(value), [])


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


@lru_cache(maxsize=200_000)
def _query_token_keys(tok: Token) -> tuple[str, ...]:
    return tuple(token_keys(tok, query=True))


@lru_cache(maxsize=200_000)
def _index_token_keys(tok: Token) -> tuple[str, ...]:
    return tuple(token_keys(tok))


def _name_keys(name: NormalizedName) -> set[str]:
    keys: set[str] = set()
    toks = name.tokens
    for tok in toks:
        if tok.role in INDEXED_ROLES:
            keys.update(_index_token_keys(tok))
    if not any(t.role in INDEXED_ROLES for t in toks):
        keys.update("g:" + t.text for t in toks if t.role in ("generic", "place"))
    for size in (2, 3):
        for s in range(len(toks) - size + 1):
            run = toks[s : s + size]
            if any(t.role in INDEXED_ROLES for t in run):
                keys.update(_joined_keys("".join(t.text for t in run), False, {t.script for t in run}))
    words = [t for t in toks if t.role != "stop"]
    if len(words) >= 2:
        letters = "".join(t.text[0] for t in words if t.text[:1].isalpha())
        for acro in {letters, acronym_of(name)}:
            if 2 <= len(acro) <= 6:
                keys.add("a:" + acro)
    return keys
