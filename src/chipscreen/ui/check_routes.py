"""The Check page (a form for the common transaction kinds, a JSON paste box, a JSONL upload) and what it
leads to: the Decision page with its permalink, its JSON export and its printable form, and the ownership
graph of any party on a date. Decisions come from the service's ``Decider`` (the engine, never a copy);
each decision that needs a licence or carries a flag is filed as a case."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from chipscreen.errors import ChipscreenError
from chipscreen.model import Decision, Role, Transaction, TransactionKind
from chipscreen.review import Session, decision_inputs
from chipscreen.rules import catalog
from chipscreen.ui.decision_view import decision_page, ownership_page
from chipscreen.ui.desk import PREFIX, SECURITY_HEADERS, desk_of, render
from chipscreen.ui.pages import read_date, view
from chipscreen.ui.session import PageError, check_csrf, need

router = APIRouter()
KINDS: tuple[str, ...] = get_args(TransactionKind)
ROLES: tuple[str, ...] = get_args(Role)
PARTY_ROWS = 3
Parsed = list[tuple[str, dict[str, Any]]]  # (where it came from, the raw transaction)


@router.get("/check")
def check_page(request: Request, session: Annotated[Session, Depends(need("read"))]) -> Response:
    return render(request, "check.html", session=session, kinds=KINDS, roles=ROLES, party_rows=PARTY_ROWS,
                  items=[e.item.id for e in catalog()], today=dt.date.today().isoformat())


@router.post("/check")
async def check_post(request: Request, session: Annotated[Session, Depends(need("screen"))]) -> Response:
    form = await request.form()
    check_csrf(session, str(form.get("csrf") or ""))
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        parsed = read_jsonl(upload.filename, await upload.read())
    elif str(form.get("json") or "").strip():
        parsed = read_json(str(form.get("json")))
    else:
        parsed = [("form", from_fields({k: str(v) for k, v in form.items() if isinstance(v, str)}))]
    return decide_all(request, session, parsed)


def read_jsonl(filename: str, data: bytes) -> Parsed:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PageError(400, f"{filename}: not UTF-8 text (byte {exc.start})") from None
    out: Parsed = []
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{filename}:{n}: not JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(raw, dict):
            problems.append(f"{filename}:{n}: a transaction is a JSON object")
            continue
        out.append((f"{filename}:{n}", raw))
    if problems or not out:
        raise PageError(400, "\n".join(problems) or f"{filename}: no transactions in the file")
    return out


def read_json(text: str) -> Parsed:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PageError(400, f"json: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    items = raw if isinstance(raw, list) else [raw]
    if not items or not all(isinstance(r, dict) for r in items):
        raise PageError(400, "json: a transaction object, or a list of them")
    return [(f"json[{i}]" if isinstance(raw, list) else "json", r) for i, r in enumerate(items)]


def from_fields(f: dict[str, str]) -> dict[str, Any]:
    """The form's fields as a Transaction's JSON (blank fields left out, so the model names what is missing)."""
    tx: dict[str, Any] = {k: f[k].strip() for k in ("id", "date", "kind", "item", "from", "to", "end_use",
                                                      "acquired") if f.get(k, "").strip()}
    tx.setdefault("id", f"desk-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S}")
    if f.get("quantity", "").strip():
        tx["quantity"] = f["quantity"].strip()
    parties = []
    for i in range(PARTY_ROWS):
        p = {k: f.get(f"party{i}_{k}", "").strip() for k in ("role", "name", "country", "headquarters")}
        if p["name"]:
            parties.append({k: v for k, v in p.items() if v})
    tx["parties"] = parties
    return tx


def decide_all(request: Request, session: Session, parsed: Parsed) -> Response:
    v, desk = view(request), desk_of(request)
    txs: list[tuple[str, Transaction]] = []
    problems: list[str] = []
    for where, raw in parsed:
        try:
            txs.append((where, Transaction.model_validate(raw)))
        except ValidationError as exc:
            problems.extend(f"{where}: {'.'.join(str(p) for p in e['loc']) or '(transaction)'}: {e['msg']}"
                            for e in exc.errors())
    if problems:
        raise PageError(400, "\n".join(problems[:200]))
    done: list[tuple[str, Transaction, Decision, str]] = []
    for where, tx in txs:
        try:
            d = v.decider.decide(tx)
        except (ChipscreenError, ValueError) as exc:
            raise PageError(400, f"{where}: {exc}") from None
        pid = desk.decisions.keep(tx, d, session.user.name)
        desk.cases.file(decision_inputs(tx, d, source="ui/check", link=f"{PREFIX}/decisions/{pid}"))
        done.append((where, tx, d, pid))
    desk.audit.append(key_id=f"user:{session.user.name}", endpoint="/ui/check",
                      request=[raw for _, raw in parsed], snapshot=v.snapshot.id,
                      rulebook=",".join(sorted({d.rulebook for _, _, d, _ in done})),
                      summary={pid: {"license_required": d.license_required, "flags": [f.code for f in d.flags]}
                               for _, _, d, pid in done})
    if len(done) == 1:
        return RedirectResponse(f"{PREFIX}/decisions/{done[0][3]}", 303, headers=SECURITY_HEADERS)
    return render(request, "decisions.html", session=session, done=done)


@router.get("/decisions/{pid}.json")
def decision_json(request: Request, pid: str, _session: Annotated[Session, Depends(need("read"))]) -> Response:
    tx, d, user, at = desk_of(request).decisions.get(pid)
    body = {"permalink": f"{PREFIX}/decisions/{pid}", "decided_by": user, "decided_at": at,
            "transaction": tx.model_dump(mode="json", by_alias=True), "decision": d.model_dump(mode="json")}
    return Response(json.dumps(body, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="decision-{pid}.json"'})


@router.get("/decisions/{pid}")
def decision(request: Request, pid: str, session: Annotated[Session, Depends(need("read"))],
             print: bool = False) -> Response:
    try:
        tx, d, user, at = desk_of(request).decisions.get(pid)
    except ChipscreenError as exc:
        raise PageError(404, str(exc)) from None
    return render(request, "decision.html", session=session, pid=pid, tx=tx, d=d, decided_by=user,
                  decided_at=at, printable=print, **decision_page(d))


@router.get("/ownership")
async def ownership(request: Request, session: Annotated[Session, Depends(need("read"))], party: str = "",
              date: str = "") -> Response:
    day = read_date(date, "date") or dt.date.today()
    if not party.strip():
        return render(request, "ownership.html", session=session, party="", day=day, status=None, graphs=[])
    try:
        status = view(request).control().as_of(day).status(party[:1000])
    except ChipscreenError as exc:
        raise PageError(400, f"party: {exc}") from None
    return render(request, "ownership.html", session=session, party=party, day=day, status=status,
                  graphs=ownership_page(status))
