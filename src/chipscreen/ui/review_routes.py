"""The review queue's pages: the open and pending cases a page at a time, one case with its evidence, an
analyst's disposition (with its required comment) and a reviewer's approval or sending back. The rules (who may, four
eyes, what a disposition does) are ``chipscreen.review``'s; every step is appended to the audit log."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from chipscreen.errors import ChipscreenError, InputError, NotFoundError
from chipscreen.review import Case, CaseRefused, Session
from chipscreen.ui.api_intake import flush_api_filing
from chipscreen.ui.desk import PREFIX, SECURITY_HEADERS, Desk, desk_of, render
from chipscreen.ui.session import PageError, check_csrf, need

router = APIRouter()
Comment = Annotated[str, Form(max_length=5000)]
Csrf = Annotated[str, Form(max_length=200)]


@router.get("/queue")
def queue(request: Request, session: Annotated[Session, Depends(need("read"))],
          page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    desk = desk_of(request)
    size = desk.settings.page_size
    flush_api_filing(request)
    cases, total = desk.cases.queue(page, size)
    pages = max(1, math.ceil(total / size))
    return render(request, "queue.html", session=session, cases=cases, total=total, page=min(page, pages),
                  pages=pages)


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: int, session: Annotated[Session, Depends(need("read"))]) -> Response:
    desk = desk_of(request)
    case = get_case(desk, case_id)
    reopens = get_case(desk, case.reopens) if case.reopens else None
    return render(request, "case.html", session=session, case=case, reopens=reopens,
                  dispositions=desk.settings.dispositions, returns=desk.cases.returns(case_id))


@router.post("/cases/{case_id}/dispose")
def dispose(request: Request, case_id: int, session: Annotated[Session, Depends(need("dispose"))],
            disposition: Annotated[str, Form(max_length=40)], comment: Comment = "", csrf: Csrf = "") -> Response:
    check_csrf(session, csrf)
    desk = desk_of(request)
    case = step(lambda: desk.cases.dispose(case_id, session.user.name, disposition, comment))
    audit(desk, session, f"/ui/cases/{case_id}/dispose", case, {"disposition": disposition, "comment": comment})
    return RedirectResponse(f"{PREFIX}/cases/{case_id}", 303, headers=SECURITY_HEADERS)


@router.post("/cases/{case_id}/approve")
def approve(request: Request, case_id: int, session: Annotated[Session, Depends(need("approve"))],
            csrf: Csrf = "") -> Response:
    check_csrf(session, csrf)
    desk = desk_of(request)
    case = step(lambda: desk.cases.approve(case_id, session.user.name))
    audit(desk, session, f"/ui/cases/{case_id}/approve", case, {"approved": True})
    return RedirectResponse(f"{PREFIX}/cases/{case_id}", 303, headers=SECURITY_HEADERS)


@router.post("/cases/{case_id}/send-back")
def send_back(request: Request, case_id: int, session: Annotated[Session, Depends(need("approve"))],
              comment: Comment = "", csrf: Csrf = "") -> Response:
    check_csrf(session, csrf)
    desk = desk_of(request)
    before = get_case(desk, case_id)
    case = step(lambda: desk.cases.send_back(case_id, session.user.name, comment))
    audit(desk, session, f"/ui/cases/{case_id}/send-back", case,
          {"sent_back": before.disposition, "disposed_by": before.disposed_by, "comment": comment})
    return RedirectResponse(f"{PREFIX}/cases/{case_id}", 303, headers=SECURITY_HEADERS)


def get_case(desk: Desk, case_id: int) -> Case:
    try:
        return desk.cases.get(case_id)
    except NotFoundError as exc:
        raise PageError(404, str(exc)) from None


def step(change: Callable[[], Case]) -> Case:
    try:
        return change()
    except CaseRefused as exc:
        raise PageError(409, str(exc)) from None
    except NotFoundError as exc:
        raise PageError(404, str(exc)) from None
    except (InputError, ChipscreenError) as exc:
        raise PageError(400, str(exc)) from None


def audit(desk: Desk, session: Session, endpoint: str, case: Case, request: dict[str, object]) -> None:
    desk.audit.append(key_id=f"user:{session.user.name}", endpoint=endpoint,
                      request={"case": case.id, **request}, snapshot=case.snapshot, rulebook=None,
                      summary={"case": case.id, "party": case.party_name, "entry": case.entry_id,
                               "entry_hash": case.entry_hash, "status": case.status,
                               "disposition": case.disposition, "disposed_by": case.disposed_by,
                               "approved_by": case.approved_by})
