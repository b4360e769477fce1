"""The Lists page (the snapshot in service, each list's file, retrieval date and count, the last load, and
the entries changed since a date, from ``Store.diff``) and the Replay page (two rulebooks and a history
file -> the engine's own HTML report, ``chipscreen.decide.report``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from chipscreen.decide import replay
from chipscreen.decide.report import replay_html
from chipscreen.errors import ChipscreenError
from chipscreen.model import Transaction
from chipscreen.review import Session
from chipscreen.rules import list_rulebooks
from chipscreen.service.state import View
from chipscreen.store import SnapshotInfo
from chipscreen.ui.check_routes import read_jsonl
from chipscreen.ui.desk import SECURITY_HEADERS, desk_of, render
from chipscreen.ui.pages import read_date, view
from chipscreen.ui.session import PageError, check_csrf, need

router = APIRouter()
CHANGES_SHOWN = 500
# the replay report styles itself inline and runs no script: its own, narrower policy
REPORT_HEADERS = {**SECURITY_HEADERS, "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                  "img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"}


@router.get("/lists")
async def lists_page(request: Request, session: Annotated[Session, Depends(need("read"))], since: str = "") -> Response:
    v = view(request)
    day = read_date(since, "since")
    counts = v.counts()
    rows = [{"code": code, "dataset": did, "file": v.datasets[did].name, "retrieved": v.datasets[did].retrieved,
             "loaded_at": v.datasets[did].loaded_at, "entries": counts.get(code, 0)}
            for code, did in sorted(v.snapshot.lists.items())]
    last_load = max((v.datasets[did].loaded_at for did in v.snapshot.lists.values()), default=None)
    changes: dict[str, Any] | None = None
    if day is not None:
        changes = changes_since(v, day)
    return render(request, "lists.html", session=session, snapshot=v.snapshot, rows=rows,
                  last_load=last_load, since=since, changes=changes)


def changes_since(v: View, day: dt.date) -> dict[str, Any]:
    """The changes from the snapshot in force at the end of ``day`` (the oldest, if none was yet) to now."""
    snaps = sorted(v.store.snapshots(), key=lambda s: s.seq)
    before: SnapshotInfo | None = None
    for s in snaps:
        if s.created_at.date() <= day:
            before = s
    base = before or snaps[0]
    rows = v.store.diff(base.id, v.snapshot.id)
    return {"base": base, "rows": rows[:CHANGES_SHOWN], "total": len(rows),
            "by_change": dict(Counter(r.change for r in rows)), "exact": before is not None}


@router.get("/replay")
def replay_page(request: Request, session: Annotated[Session, Depends(need("read"))]) -> Response:
    books = list_rulebooks()
    return render(request, "replay.html", session=session, rulebooks=books)


@router.post("/replay")
async def replay_post(request: Request, session: Annotated[Session, Depends(need("screen"))],
                      rulebook_a: Annotated[str, Form(max_length=200)],
                      rulebook_b: Annotated[str, Form(max_length=200)],
                      file: UploadFile, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(session, csrf)
    parsed = read_jsonl(file.filename or "history", await file.read())
    problems: list[str] = []
    txs: list[Transaction] = []
    for where, raw in parsed:
        try:
            txs.append(Transaction.model_validate(raw))
        except ValidationError as exc:
            problems.extend(f"{where}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    if problems:
        raise PageError(400, "\n".join(problems[:200]))
    v = view(request)
    try:
        report = replay(txs, rulebook_a, rulebook_b, store=v.store, snapshot=v.snapshot.id)
    except ChipscreenError as exc:
        raise PageError(400, f"rulebook: {exc}") from None
    desk_of(request).audit.append(key_id=f"user:{session.user.name}", endpoint="/ui/replay",
                                  request={"a": rulebook_a, "b": rulebook_b, "transactions": len(txs)},
                                  snapshot=v.snapshot.id, rulebook=f"{rulebook_a},{rulebook_b}",
                                  summary={"changes": len(report.changes)})
    return HTMLResponse(replay_html([report], title=f"replay: {rulebook_a} vs {rulebook_b}"), headers=REPORT_HEADERS)
