"""yente's ``/match`` and ``/search`` answered by chipscreen's screener, with its explanations.

A query's names are screened one by one (with its first country as the qualifier and its identifiers as
decisive evidence); an entity keeps its best score. ``match`` is the engine's hit when the client sets no
``threshold`` and ``score >= threshold`` when it does, as in yente."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

from chipscreen.names import Match
from chipscreen.service.ftm import COMPATIBLE, Example
from chipscreen.service.state import View


class ReviewMemory(Protocol):
    """The review desk's memory as /match reads it (``app.state.review_memory``, set by ``chipscreen.ui``): the
    entity ids among ``best`` that an analyst cleared for the example's party."""

    ignores_by_default: bool

    def __call__(self, view: View, ex: Example, best: Mapping[str, Match]) -> Collection[str]: ...


class MatchFindings(Protocol):
    """Where /match hands its answer once it is given and audited (``app.state.match_findings``, set by
    ``chipscreen.ui`` when the desk files the API's findings as cases): per query, its properties as asked and
    the screener's matches its results were made from, as answered (``Matched.matches``), under the view that
    answered. It must return at once: the request is waiting."""

    def __call__(self, view: View, answered: list[tuple[Mapping[str, Any], list[Match]]]) -> None: ...


@dataclass(frozen=True)
class Matched:
    """One example's answer: its result rows, how many candidates passed the cutoff, and the matches the rows
    were dressed from, with the score and ``hit`` as the rows state them (what the desk files as cases)."""

    rows: list[dict[str, Any]]
    total: int
    matches: list[Match]


@dataclass(frozen=True)
class MatchParams:
    lists: list[str]
    limit: int
    threshold: float | None
    cutoff: float | None
    exclude_ids: frozenset[str]
    memory: ReviewMemory | None = None  # given when the query asks to leave out what the desk cleared


def explanations(m: Match) -> dict[str, dict[str, Any]]:
    """The engine's explanation as yente's per-feature results: the name comparison (with the whole
    breakdown under ``breakdown``) and each rule that moved the score."""
    expl = m.explanation
    out: dict[str, dict[str, Any]] = {
        "name_match": {
            "score": float(expl.get("name_score", m.score)),
            "detail": f"{m.matched_name!r} on {m.list}", "candidate": m.matched_name, "breakdown": expl,
        }
    }
    for adj in expl.get("adjustments", []) or []:
        out[str(adj.get("feature", "adjustment"))] = {"score": float(adj.get("delta", 0.0)),
                                                      "detail": str(adj.get("why", ""))}
    return out


def best_matches(view: View, ex: Example, lists: list[str], limit: int) -> dict[str, Match]:
    """The best match per entity id over the example's names (an entity on several lists counts once)."""
    screener = view.screener_for(lists, max(limit * 4, 20))
    country = ex.countries[0] if ex.countries else None
    best: dict[str, Match] = {}
    for name in ex.names or ([] if not ex.identifiers else [ex.identifiers[0]]):
        result = screener.screen(name, country=country, identifiers=ex.identifiers or None)
        for m in result.matches:
            prev = best.get(m.entity_id)
            if prev is None or m.score > prev.score:
                best[m.entity_id] = m
    return best


def match_example(view: View, ex: Example, p: MatchParams) -> Matched:
    """The scored results for one example (best first, at most ``limit``) and how many passed the cutoff.
    Candidates are ranked first and only the ``limit`` kept are dressed with entity and explanation: the
    screener returns several times more than a client keeps, and building each answer was most of the cost."""
    allowed: Collection[str] = COMPATIBLE[ex.schema]
    kept: list[tuple[float, str, Match]] = []
    best = best_matches(view, ex, p.lists, p.limit)
    cleared = p.memory(view, ex, best) if p.memory is not None and best else ()
    for eid, m in best.items():
        entity = view.entities.get(eid)
        if entity is None or eid in p.exclude_ids or eid in cleared or entity["schema"] not in allowed:
            continue
        if p.cutoff is not None and m.score < p.cutoff:
            continue
        kept.append((round(m.score, 4), eid, m))
    kept.sort(key=lambda r: (-r[0], r[1]))
    rows: list[dict[str, Any]] = []
    answered: list[Match] = []
    for score, eid, m in kept[: p.limit]:
        expl = explanations(m)
        hit = m.hit if p.threshold is None else score >= p.threshold
        rows.append({**view.entities[eid], "score": score, "match": hit,
                     "features": {k: round(v["score"], 4) for k, v in expl.items()}, "explanations": expl})
        answered.append(replace(m, score=score, hit=hit))
    return Matched(rows, len(kept), answered)


def search(view: View, q: str, lists: list[str], schema: str | None, countries: list[str], limit: int,
           offset: int) -> tuple[list[dict[str, Any]], int, dict[str, dict[str, Any]]]:
    """Entities for a free-text query (screened as a name) or, without one, every entity of the lists;
    filtered by schema and country; one page of them, the total, and facets over all that matched."""
    wanted = set(lists)
    if q.strip():
        ex = Example(schema=schema or "Thing", names=[q])
        found = best_matches(view, ex, lists, offset + limit + 50)
        order = sorted(found, key=lambda e: (-found[e].score, e))
        candidates = [view.entities[e] for e in order if e in view.entities]
    else:
        candidates = [e for e in view.entities.values() if wanted & {d.upper() for d in e["datasets"]}]
    allowed = COMPATIBLE.get(schema or "Thing", {schema})
    cc = {c.lower() for c in countries}
    hits = [e for e in candidates
            if e["schema"] in allowed and (not cc or cc & set(e["properties"].get("country", [])))]
    return hits[offset: offset + limit], len(hits), facets(hits)


def facets(entities: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """yente's facets: counts of countries, schemata and datasets among the entities that matched."""
    spec: dict[str, tuple[str, Callable[[dict[str, Any]], list[str]]]] = {
        "countries": ("Countries", lambda e: e["properties"].get("country", [])),
            "schema": ("Types", lambda e: [e["schema"]]),
            "datasets": ("Data sources", lambda e: e["datasets"])}
    out: dict[str, dict[str, Any]] = {}
    for key, (label, values_of) in spec.items():
        counts: dict[str, int] = {}
        for e in entities:
            for v in values_of(e):
                counts[v] = counts.get(v, 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        out[key] = {"label": label, "values": [{"name": k, "label": k, "count": n} for k, n in ranked]}
    return out
