"""chipscreen's own endpoints in yente's envelope (``{"queries": {key: ...}}`` -> ``{"responses": {key: ...}}``):
/check (Transactions -> Decisions), /classify, /ownership, /replay, /lists and /lists/changes.

One bad query gives that query a ``status`` 4xx with its ``detail`` (field path from ``queries.<key>``);
the others are answered."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from pydantic import BaseModel, Field, ValidationError

from chipscreen.decide import Decider, replay
from chipscreen.decide.report import replay_html
from chipscreen.errors import ChipscreenError
from chipscreen.model import Decision, Transaction
from chipscreen.rules import classify, parse_item
from chipscreen.service.audit import AuditLog, export_line
from chipscreen.service.auth import require
from chipscreen.service.errors import validation_detail
from chipscreen.service.keys import ApiKey
from chipscreen.service.responses import FastJSON
from chipscreen.service.state import View
from chipscreen.service.yente_routes import ERRORS, view_of

router = APIRouter(tags=["chipscreen"])
DecideKey = Annotated[ApiKey, Depends(require("decide"))]
ScreenKey = Annotated[ApiKey, Depends(require("screen"))]


class Batch(BaseModel):
    """Queries keyed by the caller's ids; each value is read by the endpoint (a Transaction for /check)."""

    queries: dict[str, dict[str, Any]] = Field(examples=[{"t1": {"id": "t1", "date": "2026-08-01",
                                                                  "kind": "export", "item": "nvidia-h100-sxm5",
                                                                  "from": "US", "to": "CN"}}])


class Outcome(BaseModel):
    status: int
    detail: Any = None
    model_config = {"extra": "allow"}


class BatchResponse(BaseModel):
    responses: dict[str, Outcome]


def check_batch(request: Request, batch: Batch) -> None:
    limit = request.app.state.config.limits.max_batch
    if len(batch.queries) > limit:
        raise HTTPException(400, detail=f"queries: {len(batch.queries)} in one batch; the limit is {limit}")
    if not batch.queries:
        raise HTTPException(400, detail="queries: no queries provided")


def failed(key: str, exc: Exception) -> dict[str, Any]:
    """One query's error with the path of the field inside the batch."""
    if isinstance(exc, ValidationError):
        detail = validation_detail(list(exc.errors()))
        for d in detail:
            d["loc"] = ["queries", key, *d["loc"]]
            d["field"] = ".".join(str(p) for p in d["loc"])
        return {"status": 422, "detail": detail}
    return {"status": 400, "detail": f"queries.{key}: {exc}"[:2000]}


class CheckFindings(Protocol):
    """Where /check hands its decisions once answered and audited (``app.state.check_findings``, set by
    ``chipscreen.ui`` when the desk files the API's findings as cases): each transaction read and its decision,
    under the view that decided. It must return at once: the request is waiting."""

    def __call__(self, view: View, decided: list[tuple[Transaction, Decision]]) -> None: ...


def decide_one(decider: Decider, raw: dict[str, Any]) -> tuple[Transaction, Decision]:
    tx = Transaction.model_validate(raw)
    return tx, decider.decide(tx)


def decision_summary(d: Decision) -> dict[str, Any]:
    return {"license_required": d.license_required, "reasons": [r.code for r in d.reasons],
            "flags": [f.code for f in d.flags], "rulebook": d.rulebook}


@router.post("/check", response_model=BatchResponse, responses=ERRORS)
async def check(request: Request, batch: Batch, key: DecideKey,
                rulebook: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    """Decide Transactions (docs/contracts.md): each response is ``{"status": 200, "decision": Decision}``."""
    check_batch(request, batch)
    view = view_of(request)
    decider = decider_for(view, rulebook)
    responses: dict[str, Any] = {}
    summaries: dict[str, Any] = {}
    decided: list[tuple[Transaction, Decision]] = []
    for qid, raw in batch.queries.items():
        try:
            tx, d = decide_one(decider, raw)
        except (ValidationError, ChipscreenError, ValueError) as exc:
            responses[qid] = failed(qid, exc)
            summaries[qid] = {"error": responses[qid]["status"]}
            continue
        responses[qid] = {"status": 200, "decision": d.model_dump(mode="json", by_alias=True)}
        summaries[qid] = decision_summary(d)
        decided.append((tx, d))
    rulebooks = sorted({s["rulebook"] for s in summaries.values() if "rulebook" in s})
    log: AuditLog = request.app.state.audit
    log.append(key_id=key.id, endpoint="/check", request=batch.queries, snapshot=view.snapshot.id,
               rulebook=",".join(rulebooks) or rulebook, summary=summaries)
    findings: CheckFindings | None = getattr(request.app.state, "check_findings", None)
    if findings is not None:
        findings(view, decided)
    return FastJSON({"responses": responses})


def decider_for(view: View, rulebook: str | None) -> Decider:
    if rulebook is None:
        return view.decider
    try:
        return Decider(view.store, rulebook=rulebook, resolver=view.decider.parties)
    except ChipscreenError as exc:
        raise HTTPException(400, detail=f"rulebook: {exc}") from None


@router.post("/classify", response_model=BatchResponse, responses=ERRORS)
async def classify_route(request: Request, batch: Batch, _key: DecideKey) -> Response:
    """Classify Items: each query is ``{"item": Item | catalog id, "date"?, "rulebook"?}``."""
    check_batch(request, batch)
    responses: dict[str, Any] = {}
    for qid, q in batch.queries.items():
        try:
            raw = q.get("item")
            item = raw if isinstance(raw, str) else parse_item(raw, f"queries.{qid}.item")
            date = dt.date.fromisoformat(str(q["date"])) if q.get("date") else None
            res = classify(item, date, q.get("rulebook"))
            responses[qid] = {"status": 200, "classification": res.model_dump(mode="json")}
        except (ValidationError, ChipscreenError, ValueError, TypeError) as exc:
            responses[qid] = failed(qid, exc)
    return FastJSON({"responses": responses})


def ownership_answer(view: View, party: Any, date: Any) -> dict[str, Any]:
    if not isinstance(party, str) or not party.strip():
        raise ValueError("party: a list entity id, ownership id, LEI or exact name")
    day = dt.date.fromisoformat(str(date)) if date else dt.date.today()
    st = view.control().as_of(day).status(party)
    return {"status": 200, "ownership": st.model_dump(mode="json")}


@router.get("/ownership", response_model=Outcome, responses=ERRORS)
async def ownership_get(request: Request, _key: DecideKey, party: Annotated[str, Query(max_length=1000)],
                        date: dt.date | None = None) -> Response:
    """Listed? Captured by a 50 % rule (with the proof tree)? Ultimate parent and headquarters."""
    try:
        return FastJSON(ownership_answer(view_of(request), party, date))
    except (ChipscreenError, ValueError) as exc:
        raise HTTPException(400, detail=str(exc)) from None


@router.post("/ownership", response_model=BatchResponse, responses=ERRORS)
async def ownership_post(request: Request, batch: Batch, _key: DecideKey) -> Response:
    """Ownership for several parties: each query is ``{"party": ..., "date"?}``."""
    check_batch(request, batch)
    view = view_of(request)
    responses: dict[str, Any] = {}
    for qid, q in batch.queries.items():
        try:
            responses[qid] = ownership_answer(view, q.get("party"), q.get("date"))
        except (ChipscreenError, ValueError) as exc:
            responses[qid] = failed(qid, exc)
    return FastJSON({"responses": responses})


@router.post("/replay", response_model=BatchResponse, responses=ERRORS)
async def replay_route(request: Request, batch: Batch, _key: DecideKey,
                       format: Annotated[str, Query(pattern="^(json|html)$")] = "json") -> Response:
    """Decide a history under two rulebooks: each query is ``{"transactions": [...], "rulebook": A, "vs": B}``;
    ``format=html`` gives the HTML report of the first query."""
    check_batch(request, batch)
    view = view_of(request)
    reports = {}
    responses: dict[str, Any] = {}
    for qid, q in batch.queries.items():
        try:
            txs = [Transaction.model_validate(t) for t in q.get("transactions") or []]
            if not txs:
                raise ValueError("transactions: at least one Transaction")
            report = replay(txs, str(q.get("rulebook")), str(q.get("vs")), store=view.store,
                            snapshot=view.snapshot.id)
        except (ValidationError, ChipscreenError, ValueError) as exc:
            responses[qid] = failed(qid, exc)
            continue
        reports[qid] = report
        responses[qid] = {"status": 200, "report": jsonable_encoder(report.to_dict())}
    if format == "html" and reports:
        return HTMLResponse(replay_html(list(reports.values()), title="chipscreen replay"))
    return FastJSON({"responses": responses}, status_code=200)


@router.get("/lists", responses=ERRORS)
async def lists(request: Request, _key: ScreenKey) -> dict[str, Any]:
    """The snapshot in service: each list's dataset, file, retrieval date and entry count."""
    view = view_of(request)
    counts = view.counts()
    out = []
    for code, did in sorted(view.snapshot.lists.items()):
        ds = view.datasets[did]
        out.append({"list": code, "dataset": did, "file": ds.name, "format": ds.format,
                    "retrieved": ds.retrieved.isoformat(), "entries": counts.get(code, 0)})
    return {"snapshot": view.snapshot.id, "created_at": view.snapshot.created_at.isoformat(), "lists": out}


@router.get("/lists/changes", responses=ERRORS)
async def list_changes(request: Request, _key: ScreenKey, since: Annotated[str, Query(max_length=100)]
                       ) -> dict[str, Any]:
    """Entries added, removed or changed since an earlier snapshot (id, prefix or ``latest~N``)."""
    view = view_of(request)
    try:
        rows = view.store.diff(since, view.snapshot)
    except ChipscreenError as exc:
        raise HTTPException(404, detail=f"since: {exc}") from None
    return {"since": since, "snapshot": view.snapshot.id,
            "changes": [{"entity_id": r.entity_id, "list": r.list_code, "name": r.name, "change": r.change,
                         "fields": {k: [str(a), str(b)] for k, (a, b) in r.fields.items()}} for r in rows]}


@router.get("/audit/export", responses=ERRORS, tags=["audit"])
async def audit_export(request: Request, _key: Annotated[ApiKey, Depends(require("admin"))],
                       since: dt.datetime | None = None) -> Response:
    """The audit log as JSON lines (admin only), from ``since`` on."""
    log: AuditLog = request.app.state.audit
    body = "".join(export_line(r) + "\n" for r in log.records(since))
    return PlainTextResponse(body, media_type="application/x-ndjson")
