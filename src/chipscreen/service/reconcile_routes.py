"""The reconciliation endpoints: ``/reconcile/{dataset}`` (manifest, ``queries``, ``extend``; GET or a POSTed
form), suggest and property proposal. JSONP with ``callback``; CORS is set for the whole app."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from chipscreen.service import reconcile as rc
from chipscreen.service.audit import AuditLog
from chipscreen.service.auth import require
from chipscreen.service.keys import ApiKey
from chipscreen.service.responses import FastJSON
from chipscreen.service.yente_routes import ERRORS, view_of

router = APIRouter(prefix="/reconcile/{dataset}", tags=["Reconciliation"])
CALLBACK = re.compile(r"^[A-Za-z_$][\w$.]{0,99}$")
screen_key = require("screen")


def answer(body: Any, callback: str | None) -> Response:
    """JSON, or JSONP when the browser asks with ``callback``."""
    if callback is None:
        return FastJSON(body)
    if not CALLBACK.match(callback):
        raise HTTPException(400, detail="callback: a JavaScript identifier")
    return Response(f"{callback}({json.dumps(body)});", media_type="application/javascript")


def parse(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise HTTPException(400, detail=f"{name}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
                            ) from None


async def serve(request: Request, dataset: str, queries: str | None, extend: str | None, callback: str | None
                ) -> Response:
    view = view_of(request)
    lists = view.lists_of(dataset)
    limits = request.app.state.config.limits
    if queries is None and extend is None:
        base = str(request.base_url)
        return answer(rc.manifest(base, dataset, limits.reconcile_batch_size, request.app.state.config.auth), callback)
    key: ApiKey = await screen_key(request)
    try:
        if extend is not None:
            return answer(rc.extend(view, parse("extend", extend) or {}), callback)
        batch = parse("queries", queries or "{}")
        if not isinstance(batch, dict):
            raise HTTPException(400, detail="queries: an object of queries keyed q0, q1, ...")
        if len(batch) > limits.max_batch:
            raise HTTPException(400, detail=f"queries: {len(batch)} in one batch; the limit is {limits.max_batch}")
        result = rc.reconcile(view, lists, batch, limits.match_limit_max)
    except rc.BadQuery as exc:
        raise HTTPException(400, detail=str(exc)) from None
    log: AuditLog = request.app.state.audit
    summary = {k: {"matches": [c["id"] for c in v["result"] if c["match"]], "candidates": len(v["result"])}
               for k, v in result.items()}
    log.append(key_id=key.id, endpoint=f"/reconcile/{dataset}", request=batch, snapshot=view.snapshot.id,
               rulebook=None, summary=summary)
    return answer(result, callback)


@router.get("", responses=ERRORS)
async def reconcile_get(request: Request, dataset: str, queries: Annotated[str | None, Query(max_length=1_000_000)]
                        = None, extend: Annotated[str | None, Query(max_length=1_000_000)] = None,
                        callback: str | None = None) -> Response:
    """The manifest (no parameters), a batch (``queries=``) or a data extension (``extend=``)."""
    return await serve(request, dataset, queries, extend, callback)


@router.post("", responses=ERRORS)
async def reconcile_post(request: Request, dataset: str) -> Response:
    """A batch or a data extension as a POSTed form (``queries=`` / ``extend=``), as OpenRefine sends it."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await serve(request, dataset, fields.get("queries"), fields.get("extend"), fields.get("callback"))


@router.get("/suggest/entity", responses=ERRORS)
async def suggest_entity(request: Request, dataset: str, prefix: Annotated[str, Query(max_length=200)] = "",
                         callback: str | None = None) -> Response:
    view = view_of(request)
    await screen_key(request)
    return answer(rc.suggest_entities(view, view.lists_of(dataset), prefix), callback)


@router.get("/suggest/type", responses=ERRORS)
async def suggest_type(dataset: str, prefix: Annotated[str, Query(max_length=200)] = "",
                       callback: str | None = None) -> Response:
    return answer(rc.suggest_types(prefix), callback)


@router.get("/suggest/property", responses=ERRORS)
async def suggest_property(dataset: str, prefix: Annotated[str, Query(max_length=200)] = "",
                           callback: str | None = None) -> Response:
    return answer(rc.suggest_properties(prefix), callback)


@router.get("/extend/propose", responses=ERRORS)
async def extend_propose(dataset: str, type: str | None = None,
                         limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
                         callback: str | None = None) -> Response:
    return answer(rc.propose(type, limit), callback)
