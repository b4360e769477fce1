"""Who is at the desk: the session cookie (HttpOnly, SameSite=Strict, Secure over TLS, scoped to /ui), the
role's permissions checked on the server for every page and form, and the CSRF token every form carries
(compared in constant time; the login form, before any session, uses a double-submit cookie)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from chipscreen.review import Session
from chipscreen.ui.desk import PREFIX, desk_of

COOKIE = "chipscreen_desk"
LOGIN_COOKIE = "chipscreen_login"


class NeedLogin(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class PageError(Exception):
    """A refusal or bad input shown as a page with its status (403, 400, 404, 409)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def current(request: Request) -> Session | None:
    token = request.cookies.get(COOKIE)
    return desk_of(request).users.session(token) if token else None


def need(permission: str) -> Callable[[Request], Session]:
    """A dependency admitting a session whose role has ``permission``; no session: to the login page."""

    def dependency(request: Request) -> Session:
        session = current(request)
        if session is None:
            path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise NeedLogin(path if request.method == "GET" else PREFIX + "/")
        if not desk_of(request).settings.allows(session.user.role, permission):
            raise PageError(403, f"{session.user.name} ({session.user.role}) may not {permission} at this desk")
        return session

    return dependency


def check_csrf(session: Session, token: str | None) -> None:
    if not token or not secrets.compare_digest(token.encode(), session.csrf.encode()):
        raise PageError(403, "the form's CSRF token is missing or stale: reload the page and submit it again")


def is_tls(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path=PREFIX, httponly=True, samesite="strict",
                        secure=is_tls(request))


def safe_next(value: str | None) -> str:
    """Only a path of this desk (never another host, ``//evil`` or a scheme)."""
    if value and value.startswith(PREFIX + "/") and not value.startswith("//") and "\\" not in value:
        return value
    return PREFIX + "/screen"


def login_url(next_url: str) -> str:
    return f"{PREFIX}/login?next={quote(next_url, safe='')}"
