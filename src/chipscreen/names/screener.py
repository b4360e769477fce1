"""The screener: a name (plus optional country, date and identifiers) in, ranked explained matches out.

``Screener(store).screen("HUAWEI TECH CO LTD", country="CN")`` builds (once per snapshot, then cached in
the process) an index of every name and alias of the snapshot's lists, finds candidates by blocking, scores
them, keeps the best name per listed entry, and applies the entry-level evidence: country (a qualifier: a
mismatch lowers the score a little and never removes the match) and identifiers (an exact LEI / USCC /
registration number match is decisive). Only entries listed on ``date`` (default today) count, unless
``all_dates=True``: then no entry is left out for its dates and each match carries its listing
``start_date`` / ``end_date`` (``Match.to_dict()`` adds them as two extra keys).

The output shape is a public contract: ``ScreenResult.to_dict()`` gives
``{"row", "query", "hit", "matches": [{"entity_id", "name", "matched_name", "list", "score", "hit",
"explanation"}]}``.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from chipscreen import collector
from chipscreen.dates import OPEN_END, OPEN_START, day_number, from_day_number
from chipscreen.errors import InputError
from chipscreen.names.features import Adjustment, country_evidence
from chipscreen.names.index import NameIndex
from chipscreen.names.index_cache import load_or_build
from chipscreen.names.keys import identifier_key
from chipscreen.names.score import Comparison, compare, compare_above
from chipscreen.names.tails import normalize_query
from chipscreen.names.thresholds import thresholds
from chipscreen.names.tokens import NormalizedName

if TYPE_CHECKING:
    from chipscreen.store import Store

MAX_INPUT_CHARS = 10_000
"""Input longer than this is refused as not a name (a pasted document, a corrupted cell)."""


@dataclass
class Match:
    """One listed entry that resembles the query."""

    entity_id: str
    name: str  # the entry's primary name
    matched_name: str  # the name or alias that matched
    list: str
    score: float
    hit: bool
    explanation: dict[str, Any]
    country: str | None = None
    start_date: dt.date | None = None  # the entry's listing period (None: open); set with all_dates=True
    end_date: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "entity_id": self.entity_id, "name": self.name, "matched_name": self.matched_name,
            "list": self.list, "score": round(self.score, 4), "hit": self.hit, "explanation": self.explanation,
        }
        if self.start_date is not None or self.end_date is not None:
            # extra keys, only when known (date-free screening): the public shape above is unchanged
            out["start_date"] = self.start_date.isoformat() if self.start_date else None
            out["end_date"] = self.end_date.isoformat() if self.end_date else None
        return out


@dataclass
class ScreenResult:
    query: str
    hit: bool
    matches: list[Match] = field(default_factory=list)
    row: int | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "row": self.row, "query": self.query, "hit": self.hit, "matches": [m.to_dict() for m in self.matches],
        }
        if self.error is not None:
            out["error"] = self.error
            out["hit"] = None
        return out


ScreenInput = str | Mapping[str, Any] | tuple[Any, ...]

_INDEX_CACHE: dict[tuple[str, str, tuple[str, ...]], NameIndex] = {}


def validate_name(name: object) -> str:
    """The checks every query passes; raises InputError with a message a user can act on."""
    if name is None:
        raise InputError("empty name")
    if not isinstance(name, str):
        name = str(name)
    if len(name) > MAX_INPUT_CHARS:
        raise InputError(f"name is {len(name):,} characters long; names over {MAX_INPUT_CHARS:,} are refused")
    if not name.strip():
        raise InputError("empty name")
    if not any(ch.isalnum() for ch in name):
        raise InputError(f"name {name[:60]!r} has no letters or digits to screen")
    return name


class Screener:
    """Screens names against the lists of one store snapshot."""

    def __init__(
        self, store: Store | None = None, *, snapshot: str | None = None, lists: Sequence[str] | None = None,
        index: NameIndex | None = None, max_matches: int = 10, candidates: int = 64,
    ) -> None:
        thr = thresholds()
        self.hit_threshold: float = thr.hit
        self.review_threshold: float = thr.review
        self.max_matches = max_matches
        self.candidate_limit = candidates
        self.lists = list(lists) if lists else None
        self.store = store
        self.snapshot_id: str | None = None
        # comparisons kept for another screener of the same query (see ``_best_by_entry``); None: none kept
        self.comparisons: Kept | None = None
        if index is not None:
            self.index = index
            return
        if store is None:
            raise ValueError("Screener needs a store or an index")
        snap = store.snapshot(snapshot)
        self.snapshot_id = snap.id
        key = (str(store.path), snap.id, tuple(sorted(self.lists or ())))
        cached = _INDEX_CACHE.get(key)
        if cached is None:
            cached = load_or_build(store, snap.id, self.lists)
            _INDEX_CACHE[key] = cached
            # the index is millions of long-lived objects: keep the cyclic garbage collector from walking
            # them again and again (and, in forked workers, from copying every page it touches)
            gc.freeze()
        self.index = cached

    # ------------------------------------------------------------------------------------------ one
    def screen(
        self, name: object, country: str | None = None, date: dt.date | None = None,
        identifiers: Iterable[str | Mapping[str, str] | Any] | None = None, *, row: int | None = None,
        all_dates: bool = False, readings: Sequence[NormalizedName] | None = None,
    ) -> ScreenResult:
        """Ranked matches for one name. Raises InputError for input that is not a name.

        Only entries listed on ``date`` (default today) count. With ``all_dates=True`` no entry is left
        out for its listing dates (``date`` is ignored) and every match carries the entry's listing
        ``start_date`` / ``end_date`` (None when open), for callers that apply dates themselves.
        ``readings``: the name's readings (``normalize_query(name)``, those without words may be left out: they
        match nothing) when the caller has them, so that a name screened against two snapshots, or one a watch
        set's index has read, is not read again (a tenth of a millisecond a name)."""
        name = validate_name(name)
        on: dt.date | None = None if all_dates else (date or dt.date.today())
        country = country.strip().upper() if country and country.strip() else None
        floor = None if identifiers else self._floor(country)
        best = self._best_by_entry(normalize_query(name) if readings is None else readings, on, floor)
        if not best and not identifiers:
            return ScreenResult(query=name, hit=False, matches=[], row=row)  # what the steps below give
        matches = self._identifier_matches(self._identifier_hits(identifiers, on), best, all_dates)
        seen = {(m.list, m.entity_id) for m in matches}
        for key, (r, cmp_) in best.items():
            if key not in seen:
                got = self._name_match(r, cmp_, country, all_dates)
                if got is not None:
                    matches.append(got)
        matches.sort(key=lambda m: (-m.score, m.list, m.entity_id))
        matches = matches[: self.max_matches]
        return ScreenResult(query=name, hit=any(m.hit for m in matches), matches=matches, row=row)

    def _best_by_entry(self, readings: Iterable[NormalizedName], on: dt.date | None, floor: float | None
                       ) -> dict[tuple[str, str], tuple[int, Comparison]]:
        """The best comparison per listed entry (list, entity id) over the query's readings and the
        entry's names, with its row; candidates certain to score below ``floor`` are left out.

        With ``comparisons`` set, each comparison is looked up there first and kept there: a caller that screens
        one query against two snapshots whose indexes share most names (``monitor.findings.full_rescreens``)
        scores those once. A comparison depends on the two names alone, and both screens put the same floor
        under the query; it is filed under the reading's place among the query's readings and the listed name's
        text and reading (hashing the normalised name itself, tokens and all, cost more than it saved)."""
        idx = self.index
        rows = idx.rows
        memo = self.comparisons
        best: dict[tuple[str, str], tuple[int, Comparison]] = {}
        for n, reading in enumerate(readings):
            for r in idx.candidates(reading, min_bound=self.review_threshold, limit=self.candidate_limit,
                                    on=on, lists=self.lists):
                entry = rows[r]
                got = _compared(reading, entry.normalized, floor) if memo is None else \
                    _kept(memo, n, reading, entry.normalized, floor)
                if got is None:
                    continue  # below the review threshold whatever the country: never reported
                cmp_ = got
                if entry.kind == "weak":
                    cmp_ = weak_alias_capped(cmp_)
                key = (entry.list_code, entry.entity_id)
                prev = best.get(key)
                if prev is None or cmp_.score > prev[1].score:
                    best[key] = (r, cmp_)
        return best

    def _identifier_matches(self, id_hits: Mapping[tuple[str, str], tuple[int, str, str]],
                            best: Mapping[tuple[str, str], tuple[int, Comparison]], all_dates: bool) -> list[Match]:
        """Entries whose identifier the query carries: decisive, whatever their names' scores (the best
        name comparison, if any, is part of the explanation)."""
        matches: list[Match] = []
        for key, (r, scheme, value) in id_hits.items():
            entry = self.index.rows[r]
            expl: dict[str, Any] = {"identifier": {"scheme": scheme, "value": value, "match": "exact"},
                                    "adjustments": [{"feature": "identifier_match", "delta": 1.0,
                                                     "why": f"{scheme or 'identifier'} {value} matches exactly"}]}
            if key in best:
                expl["name"] = best[key][1].explain()
            matches.append(Match(entry.entity_id, entry.primary_name, entry.name, entry.list_code, 1.0, True,
                                 expl, entry.country, *self._listing(r, all_dates)))
        return matches

    def _name_match(self, r: int, cmp_: Comparison, country: str | None, all_dates: bool) -> Match | None:
        """Row ``r``'s entry as a match on its name, with the country evidence applied; None below the
        review threshold."""
        entry = self.index.rows[r]
        score = cmp_.score
        country_adj = country_evidence(country, entry.country)
        if country_adj is not None:
            score += country_adj.delta
        score = min(1.0, max(0.0, score))
        if score < self.review_threshold:
            return None
        adjustments = list(cmp_.adjustments)
        if country_adj is not None:
            adjustments.append(country_adj)
        explanation = replace(cmp_, adjustments=adjustments).explain()  # ``cmp_`` may be kept (``comparisons``)
        if entry.note:  # an alias added to the list's names (chinese_aliases.py): say where it comes from
            explanation["matched_name_source"] = entry.note
        return Match(entry.entity_id, entry.primary_name, entry.name, entry.list_code, score,
                     score >= self.hit_threshold, explanation, entry.country, *self._listing(r, all_dates))

    def _floor(self, country: str | None) -> float:
        """The name score below which a candidate cannot be reported: the review threshold less the most
        the country can add (and a margin for rounding). Leaving such a candidate out of ``best`` changes
        nothing: another name of its entry only replaces it there with a lower score, also below. Only
        without identifiers: an identifier match explains the entry's best name comparison, whatever its
        score."""
        up = 0.0
        if country:
            thr = thresholds()
            up = max(0.0, thr.bonuses.country_match, -thr.penalties.country_mismatch)
        return self.review_threshold - up - 1e-9

    def _listing(self, r: int, wanted: bool) -> tuple[dt.date | None, dt.date | None]:
        """The listing period of row ``r``'s entry as dates (None for an open end), if wanted."""
        if not wanted:
            return None, None
        start, end = int(self.index.starts[r]), int(self.index.ends[r])
        return (from_day_number(start) if start > OPEN_START else None,
                from_day_number(end) if end < OPEN_END else None)

    def _identifier_hits(
        self, identifiers: Iterable[Any] | None, on: dt.date | None
    ) -> dict[tuple[str, str], tuple[int, str, str]]:
        out: dict[tuple[str, str], tuple[int, str, str]] = {}
        if not identifiers:
            return out
        d = day_number(on) if on is not None else None
        for ident in identifiers:
            if isinstance(ident, str):
                scheme, value = "", ident
            elif isinstance(ident, Mapping):
                scheme, value = str(ident.get("scheme") or ""), str(ident.get("value") or "")
            else:
                scheme, value = str(getattr(ident, "scheme", "") or ""), str(getattr(ident, "value", "") or "")
            if len(identifier_key(value)) < thresholds().blocking.identifier_min_chars:
                continue
            for listed_scheme, r in self.index.by_identifier(value):
                if scheme and listed_scheme and scheme.lower() != listed_scheme.lower():
                    continue
                if d is not None and not (self.index.starts[r] <= d <= self.index.ends[r]):
                    continue
                if self.lists and self.index.rows[r].list_code not in self.lists:
                    continue
                row = self.index.rows[r]
                out[(row.list_code, row.entity_id)] = (r, listed_scheme or scheme, value)
        return out

    # ------------------------------------------------------------------------------------------ many
    def screen_many(
        self, items: Iterable[ScreenInput], *, date: dt.date | None = None, workers: int = 1,
        chunk: int = 2000, all_dates: bool = False,
    ) -> Iterator[ScreenResult]:
        """Screen many names in input order. Items are names, ``(name, country)`` tuples or mappings with
        ``name`` (and optional ``country``, ``date``, ``identifiers``, ``row``). A bad item yields a result
        with ``error`` set instead of stopping the run. ``workers > 1`` forks processes (POSIX) that share
        the built index copy-on-write. ``all_dates=True`` screens without the listing-date filter, as in
        ``screen`` (each match then carries its entry's ``start_date`` / ``end_date``)."""
        numbered = ((i, item) for i, item in enumerate(items, start=1))
        if workers <= 1 or os.name != "posix":
            for i, item in numbered:
                yield self._screen_item(i, item, date, all_dates)
            return
        import multiprocessing as mp

        global _WORKER_SCREENER
        _WORKER_SCREENER = self
        gc.freeze()  # workers share the index copy-on-write; a GC pass over it would copy it into each
        ctx = mp.get_context("fork")
        with ctx.Pool(workers) as pool:
            for batch in pool.imap(_screen_batch, _batches(numbered, chunk, date, all_dates)):
                for got in batch:
                    # a name without matches comes back as (row, query): see _screen_batch
                    yield got if isinstance(got, ScreenResult) else ScreenResult(query=got[1], hit=False, row=got[0])

    def _screen_item(self, i: int, item: ScreenInput, date: dt.date | None, all_dates: bool = False
                     ) -> ScreenResult:
        name: Any
        country: str | None = None
        idents: Any = None
        row = i
        on = date
        if isinstance(item, str):
            name = item
        elif isinstance(item, Mapping):
            name = item.get("name")
            country = item.get("country")
            idents = item.get("identifiers")
            row = int(item.get("row") or i)
            if item.get("date"):
                d = item["date"]
                on = d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d))
        elif isinstance(item, tuple):
            name = item[0] if item else None
            country = item[1] if len(item) > 1 else None
        else:
            name = item
        try:
            return self.screen(name, country=country, date=on, identifiers=idents, row=row, all_dates=all_dates)
        except InputError as exc:
            shown = name if isinstance(name, str) else ("" if name is None else str(name))
            if len(shown) > 200:
                shown = shown[:200] + "..."
            return ScreenResult(query=shown, hit=False, row=row, error=str(exc))


_WORKER_SCREENER: Screener | None = None

_Batch = tuple[list[tuple[int, ScreenInput]], dt.date | None, bool]


def _batches(numbered: Iterator[tuple[int, ScreenInput]], size: int, date: dt.date | None, all_dates: bool
             ) -> Iterator[_Batch]:
    batch: list[tuple[int, ScreenInput]] = []
    for pair in numbered:
        batch.append(pair)
        if len(batch) >= size:
            yield batch, date, all_dates
            batch = []
    if batch:
        yield batch, date, all_dates


def _screen_batch(args: _Batch) -> list[ScreenResult | tuple[int | None, str]]:
    """Screen one batch in a worker. Almost every name of a bulk run matches nothing: its result goes back
    as a (row, query) pair, which the parent turns into the same ScreenResult (pickling and unpickling a
    dataclass costs the parent, which shares the two cores with the workers, several times more)."""
    batch, date, all_dates = args
    assert _WORKER_SCREENER is not None
    # A worker's memos (word similarities, candidate rows, normalised names) grow to millions of long-lived
    # objects, and each full collection walks them all (a seventh of a bulk run's time). What survived the
    # previous batches is moved out of the collector's sight; cyclic garbage of the batch itself is still
    # collected by the young generations. Only in the forked worker: the caller's process is left alone.
    gc.freeze()
    collector.rarer_young_passes()
    out: list[ScreenResult | tuple[int | None, str]] = []
    for i, item in batch:
        res = _WORKER_SCREENER._screen_item(i, item, date, all_dates)
        if not res.matches and not res.hit and res.error is None:
            out.append((res.row, res.query))
        else:
            out.append(res)
    return out


__all__ = ["MAX_INPUT_CHARS", "Match", "ScreenResult", "Screener", "validate_name"]


Kept = dict[tuple[int, str, str], list[tuple[NormalizedName, Comparison | None]]]
"""Comparisons kept for the next screen of the same query (``Screener.comparisons``): by the reading's place and
the listed name's original text and reading, each with the listed name it was made with."""


def _kept(memo: Kept, n: int, reading: NormalizedName, listed: NormalizedName, floor: float | None
          ) -> Comparison | None:
    """The comparison of ``reading`` (the query's ``n``-th) with ``listed``: from ``memo`` when made before with an
    equal listed name, else made now and kept."""
    bucket = memo.setdefault((n, listed.original, listed.reading), [])
    for name, got in bucket:
        if name is listed or name == listed:
            return got
    got = _compared(reading, listed, floor)
    bucket.append((listed, got))
    return got


def _compared(reading: NormalizedName, listed: NormalizedName, floor: float | None) -> Comparison | None:
    """``compare``, or ``compare_above`` when a floor is put under the query (None: certainly under it)."""
    return compare(reading, listed) if floor is None else compare_above(reading, listed, floor)


def weak_alias_capped(cmp_: Comparison) -> Comparison:
    """A comparison with a name the list marks low quality, held below a hit: the list's own compilers say
    such an alias identifies nobody alone, so it can raise a possible match for an analyst, not decide one."""
    cap = thresholds().kind_rules.weak_alias_cap
    if cmp_.score <= cap:
        return cmp_
    why = "the list marks this alias low quality: a possible match, never a hit"
    return replace(cmp_, score=cap, adjustments=[*cmp_.adjustments, Adjustment("weak_alias", cap - cmp_.score, why,
                                                                              sets=cap)])
