"""The desk's parts held by the app (accounts, cases, decisions, templates) and the one way a page is
rendered: Jinja2 with autoescaping on for every template (party names, list text and uploads are
untrusted), and headers that forbid inline script, framing and caching."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml
from chipscreen.review import CaseStore, DecisionLog, DeskSettings, Session, UserStore, desk_settings
from chipscreen.service.audit import AuditLog

HERE = Path(__file__).resolve().parent
PREFIX = "/ui"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
NAV = (("screen", "Screen"), ("check", "Check"), ("queue", "Queue"), ("replay", "Replay"), ("lists", "Lists"),
       ("monitor", "Monitor"))


@dataclass
class Desk:
    users: UserStore
    cases: CaseStore
    decisions: DecisionLog
    audit: AuditLog
    settings: DeskSettings
    templates: Environment

    def close(self) -> None:
        self.users.close()
        self.cases.close()
        self.decisions.close()


def make_desk(home: Path, audit: AuditLog) -> Desk:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(prefix=PREFIX, nav=NAV, flag_words=flag_words().get, routes=route_codes())
    return Desk(UserStore(home), CaseStore(home), DecisionLog(home), audit, desk_settings(), env)


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def render(request: Request, template: str, *, http_status: int = 200, session: Session | None = None,
           **context: Any) -> HTMLResponse:
    desk = desk_of(request)
    page = desk.templates.get_template(template)
    body = page.render(session=session, csrf=session.csrf if session else "", active=template.split(".")[0],
                       can=(lambda perm: bool(session and desk.settings.allows(session.user.role, perm))),
                       **context)
    return HTMLResponse(body, status_code=http_status, headers=SECURITY_HEADERS)


def flags_file() -> Path:
    return data_dir() / "ui" / "flags.yml"


@lru_cache(maxsize=1)
def _flags() -> tuple[dict[str, str], tuple[str, ...]]:
    path = flags_file()
    raw: Any = read_yaml(path)
    try:
        return ({str(k): str(v) for k, v in raw["flags"].items()}, tuple(str(r) for r in raw["routes"]))
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataError(str(path), None, f"bad flag words: {exc!r}") from None


def flag_words() -> dict[str, str]:
    """Each flag code in plain words (``data/ui/flags.yml``)."""
    return _flags()[0]


def route_codes() -> tuple[str, ...]:
    """The flag codes that are circumvention routes."""
    return _flags()[1]
