"""The endpoints yente's clients call, with yente's paths, parameters and JSON: /match, /search,
/entities, /catalog, /algorithms, /healthz and /readyz."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from chipscreen.names import Match
from chipscreen.service.audit import AuditLog
from chipscreen.service.auth import require
from chipscreen.service.config import service_data
from chipscreen.service.ftm import dataset_name, read_example
from chipscreen.service.keys import ApiKey
from chipscreen.service.matching import MatchFindings, MatchParams, ReviewMemory, match_example, search
from chipscreen.service.models import (
    ALGORITHM,
    AlgorithmResponse,
    DataCatalogModel,
    EntityMatchQuery,
    EntityMatchResponse,
    EntityResponse,
    ErrorResponse,
    MatchParameters,
    SearchResponse,
    StatusResponse,
)
from chipscreen.service.responses import FastJSON
from chipscreen.service.state import ServiceState, View

router = APIRouter()
ScreenKey = Annotated[ApiKey, Depends(require("screen"))]
ALGORITHM_ALIASES = (ALGORITHM, "best", "default")
FEATURES = {
    "name_match": {"description": "chipscreen's name comparison: normalised words paired by spelling, sound and "
                   "transliteration, generic words weighed down (docs/names.md)", "coefficient": 1.0,
                   "url": "docs/names.md"},
    "identifier_match": {"description": "an exact identifier (LEI, USCC, registration number) of the listed entry",
                         "coefficient": 1.0, "url": "docs/names.md"},
}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse}, 401: {"model": ErrorResponse}, 403: {"model": ErrorResponse},
    404: {"model": ErrorResponse}, 413: {"model": ErrorResponse}, 422: {"model": ErrorResponse},
    429: {"model": ErrorResponse}, 503: {"model": ErrorResponse},
}


def state_of(request: Request) -> ServiceState:
    state: ServiceState = request.app.state.service
    return state


def view_of(request: Request) -> View:
    return state_of(request).view()


def check_algorithm(algorithm: str) -> None:
    if algorithm not in ALGORITHM_ALIASES:
        raise HTTPException(400, detail=f"algorithm: unknown {algorithm!r}; this service offers {ALGORITHM!r} "
                            "(also under 'best' and 'default')")


@router.post("/match/{dataset}", response_model=EntityMatchResponse, responses=ERRORS, tags=["Matching"])
async def match(
    request: Request, body: EntityMatchQuery, dataset: str, key: ScreenKey,
    q: Annotated[MatchParameters, Query()],
) -> Response:
    """Query by example, as yente: each query's candidates, scored and explained by chipscreen's engine."""
    view = view_of(request)
    limits = request.app.state.config.limits
    check_algorithm(q.algorithm)
    if len(body.queries) > limits.max_batch:
        raise HTTPException(400, detail=f"queries: {len(body.queries)} in one batch; the limit is {limits.max_batch}")
    if not body.queries:
        raise HTTPException(400, detail="queries: no queries provided")
    n = min(q.limit or limits.match_limit_default, limits.match_limit_max)
    params = MatchParams(chosen_lists(view, dataset, q.include_dataset, q.exclude_dataset), n, q.threshold,
                         q.cutoff, frozenset(q.exclude_entity_ids or ()), memory_for(request, q.ignore_cleared))
    responses: dict[str, Any] = {}
    answered: list[tuple[Mapping[str, Any], list[Match]]] = []
    for qid, example in body.queries.items():
        try:
            ex = read_example(example.schema_, example.properties, example.id)
        except ValueError as exc:
            raise HTTPException(400, detail=f"queries.{qid}.schema: {exc}") from None
        if not ex.names and not ex.identifiers:
            raise HTTPException(400, detail=f"queries.{qid}.properties: give a name (or an identifier) to match")
        matched = match_example(view, ex, params)
        responses[qid] = {"status": 200, "results": matched.rows, "total": {"value": matched.total, "relation": "eq"},
                          "query": ex.echo}
        answered.append((example.properties, matched.matches))
    audit_match(request, key, view, body.model_dump(by_alias=True), responses, dataset)
    findings: MatchFindings | None = getattr(request.app.state, "match_findings", None)
    if findings is not None:
        findings(view, answered)
    out = {"responses": responses, "matcher": FEATURES, "limit": n}
    # which snapshot answered: during a swap each response is wholly the old one's or the new one's
    return FastJSON(out, headers={"x-batch-size": str(len(responses)), "x-chipscreen-snapshot": view.snapshot.id})


def memory_for(request: Request, ignore_cleared: bool | None) -> ReviewMemory | None:
    """The review memory when the query (or, unset, the desk's setting) asks to leave out cleared pairs."""
    memory: ReviewMemory | None = getattr(request.app.state, "review_memory", None)
    wanted = ignore_cleared if ignore_cleared is not None else bool(memory and memory.ignores_by_default)
    if wanted and memory is None:
        raise HTTPException(400, detail="ignore_cleared: this service keeps no review memory")
    return memory if wanted else None


def chosen_lists(view: View, dataset: str, include: list[str] | None, exclude: list[str] | None) -> list[str]:
    """The lists of the path's dataset, narrowed to ``include_dataset`` and without ``exclude_dataset``."""
    lists = view.lists_of(dataset)
    if include:
        wanted = {c for d in include for c in view.lists_of(d)}
        lists = [c for c in lists if c in wanted]
    if exclude:
        unwanted = {c for d in exclude for c in view.lists_of(d)}
        lists = [c for c in lists if c not in unwanted]
    if not lists:
        raise HTTPException(400, detail="include_dataset: no list is left to match against")
    return lists


def audit_match(request: Request, key: ApiKey, view: View, body: Any, responses: dict[str, Any], dataset: str
                ) -> None:
    log: AuditLog = request.app.state.audit
    summary = {q: {"matches": [r["id"] for r in resp["results"] if r["match"]],
                   "candidates": len(resp["results"]),
                   "best": resp["results"][0]["score"] if resp["results"] else None}
               for q, resp in responses.items()}
    log.append(key_id=key.id, endpoint=f"/match/{dataset}", request=body, snapshot=view.snapshot.id, rulebook=None,
               summary=summary)


@router.get("/search/{dataset}", response_model=SearchResponse, responses=ERRORS, tags=["Matching"])
async def search_route(
    request: Request, dataset: str, _key: ScreenKey, q: Annotated[str, Query(max_length=10_000)] = "",
    schema: str | None = None, countries: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int, Query(ge=0, le=1000)] = 10, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    fuzzy: bool = False,
) -> Response:
    """Free-text search (the text is screened as a name), with country, schema and dataset facets."""
    view = view_of(request)
    limit = min(limit, request.app.state.config.limits.search_limit_max)
    if schema is not None and schema not in ("Thing", "LegalEntity", "Organization", "Company", "Person",
                                             "PublicBody", "Vessel", "Airplane"):
        raise HTTPException(400, detail=f"schema: unknown {schema!r}")
    results, total, facets = search(view, q, view.lists_of(dataset), schema, countries or [], limit, offset)
    return FastJSON({"limit": limit, "offset": offset, "total": {"value": total, "relation": "eq"},
                         "results": results, "facets": facets})


@router.get("/entities/{entity_id}", response_model=EntityResponse, responses=ERRORS, tags=["Data access"])
async def entity(request: Request, entity_id: str, _key: ScreenKey, nested: bool = True) -> Response:
    """One listed entity by its id (``nested`` is accepted; listed entries have no nested entities here)."""
    got = view_of(request).entities.get(entity_id)
    if got is None:
        raise HTTPException(404, detail=f"entity_id: no entity {entity_id!r} in the snapshot in service")
    return FastJSON(got)


@router.get("/catalog", response_model=DataCatalogModel, responses=ERRORS, tags=["System information"])
async def catalog(request: Request, _key: ScreenKey) -> Response:
    """One dataset per list (``version`` = the list's dataset id) and the groups; an ETag per snapshot."""
    view = view_of(request)
    etag = '"' + hashlib.sha256(view.snapshot.id.encode()).hexdigest()[:32] + '"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return FastJSON(view.memo("catalog", catalog_of), headers={"ETag": etag})


def catalog_of(view: View) -> dict[str, Any]:
    data = service_data()
    counts = view.counts()
    sets: list[dict[str, Any]] = []
    for code, did in sorted(view.snapshot.lists.items()):
        ds = view.datasets[did]
        sets.append({"name": dataset_name(code), "title": data.titles.get(code, code),
                     "summary": f"{code} from {ds.name} (retrieved {ds.retrieved.isoformat()})", "load": True,
                     "version": did, "index_version": did, "index_current": True, "children": [],
                     "entity_count": counts.get(code, 0)})
    for group in data.groups.values():
        children = [dataset_name(c) for c in view.lists_of(group.name)]
        sets.append({"name": group.name, "title": group.title, "summary": None, "load": True,
                     "version": view.snapshot.id, "index_version": view.snapshot.id, "index_current": True,
                     "children": children, "entity_count": None})
    names = [s["name"] for s in sets]
    return {"datasets": sets, "current": names, "outdated": [], "index_stale": False}


@router.get("/algorithms", response_model=AlgorithmResponse, tags=["System information"])
async def algorithms() -> dict[str, Any]:
    return {"algorithms": [{"name": ALGORITHM, "description": "chipscreen's explained name screener "
                            "(names, country qualifier, decisive identifiers)", "features": FEATURES}],
            "default": ALGORITHM, "best": ALGORITHM}


@router.get("/healthz", response_model=StatusResponse, tags=["System information"])
async def healthz() -> dict[str, str]:
    """The process is up (it may still be warming its index: see /readyz)."""
    return {"status": "ok"}


@router.get("/readyz", response_model=StatusResponse, responses={503: {"model": ErrorResponse}},
            tags=["System information"])
async def readyz(request: Request) -> dict[str, str]:
    """503 until the index of the snapshot is built; then ok."""
    view_of(request)
    return {"status": "ok"}
