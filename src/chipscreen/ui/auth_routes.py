"""Logging in and out of the desk. A failed login says the same for an unknown name and a wrong password;
repeated failures lock the account (``chipscreen.review.accounts``)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from chipscreen.review import LoginRefused, Session
from chipscreen.ui.desk import PREFIX, SECURITY_HEADERS, desk_of, render
from chipscreen.ui.session import COOKIE, LOGIN_COOKIE, check_csrf, current, need, safe_next, set_cookie

router = APIRouter()
LOGIN_FORM_SECONDS = 3600


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    if current(request) is not None:
        return RedirectResponse(safe_next(next), 303)
    return login_form(request, next, None, 200)


def login_form(request: Request, next_url: str | None, error: str | None, status: int) -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", http_status=status, login_token=token, next=safe_next(next_url),
                      error=error)
    set_cookie(request, response, LOGIN_COOKIE, token, LOGIN_FORM_SECONDS)
    return response


@router.post("/login")
def login(request: Request, name: Annotated[str, Form(max_length=200)], password: Annotated[str, Form(max_length=1000)],
          login_token: Annotated[str, Form(max_length=200)] = "", next: Annotated[str, Form(max_length=2000)] = ""
          ) -> Response:
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie.encode(), login_token.encode()):
        return login_form(request, next, "the login form expired: please try again", 403)
    desk = desk_of(request)
    try:
        token, session = desk.users.login(name, password)
    except LoginRefused as exc:
        return login_form(request, next, str(exc), 401)
    response = RedirectResponse(safe_next(next), 303, headers=SECURITY_HEADERS)
    set_cookie(request, response, COOKIE, token, desk.settings.session_hours * 3600)
    response.delete_cookie(LOGIN_COOKIE, path=PREFIX)
    desk.audit.append(key_id=f"user:{session.user.name}", endpoint="/ui/login", request={"name": session.user.name},
                      snapshot=None, rulebook=None, summary={"role": session.user.role})
    return response


@router.post("/logout")
def logout(request: Request, session: Annotated[Session, Depends(need("read"))],
           csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
    check_csrf(session, csrf)
    token = request.cookies.get(COOKIE, "")
    desk_of(request).users.logout(token)
    response = RedirectResponse(f"{PREFIX}/login", 303, headers=SECURITY_HEADERS)
    response.delete_cookie(COOKIE, path=PREFIX)
    return response


@router.get("/")
def home(request: Request) -> Response:
    if current(request) is None:
        return RedirectResponse(f"{PREFIX}/login", 303)
    return RedirectResponse(f"{PREFIX}/screen", 303)

