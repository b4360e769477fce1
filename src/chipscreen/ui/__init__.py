"""The analyst's desk in the browser, served by ``chipscreen serve`` under ``/ui`` (same origin as the API).

Server-rendered pages (Jinja2, every value escaped) that read without JavaScript: Screen, Check and the
Decision page with its ownership graphs, Replay, Lists, Monitor, and the review queue. The logic they call is the
engines' public API and ``chipscreen.review``; this package only shows it. ``install(app)`` adds the pages,
their static files and the filing of the API's /match and /check findings as cases."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from chipscreen.review import entry_hash
from chipscreen.ui import auth_routes, check_routes, lists_routes, monitor_routes, review_routes, screen_routes
from chipscreen.ui.api_intake import ENTRY_HASH, BackgroundFiling
from chipscreen.ui.api_memory import DeskMemory
from chipscreen.ui.desk import HERE, PREFIX, Desk, make_desk, render
from chipscreen.ui.session import NeedLogin, PageError, current, login_url

__all__ = ["Desk", "install", "router"]

router = APIRouter(prefix=PREFIX, include_in_schema=False)
for _module in (auth_routes, screen_routes, check_routes, review_routes, lists_routes, monitor_routes):
    router.include_router(_module.router)

HEADINGS = {400: "That input cannot be used", 403: "Not allowed", 404: "Not found", 409: "Not possible now",
            503: "Not ready"}


def install(app: FastAPI) -> None:
    """Mount the desk on the service's app (its home holds the accounts, the cases and the audit log)."""
    app.state.desk = make_desk(app.state.config.home, app.state.audit)
    app.state.review_memory = DeskMemory(app.state.desk.cases, app.state.desk.settings.api_ignores_cleared)
    app.include_router(router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="desk-static")
    app.add_exception_handler(NeedLogin, _need_login)
    app.add_exception_handler(PageError, _page_error)
    if app.state.desk.settings.file_api_findings:
        app.state.api_filing = BackgroundFiling(app.state.desk.cases, app.state.config.home)
        app.state.match_findings = app.state.api_filing.match_answered  # /match hands its answers over
        app.state.check_findings = app.state.api_filing.check_answered  # and /check its decisions
        app.state.service.derive(ENTRY_HASH, entry_hash)  # each view carries its entries' content hashes


async def _need_login(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NeedLogin)
    return RedirectResponse(login_url(exc.next_url), 303)


async def _page_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PageError)
    return render(request, "error.html", http_status=exc.status, session=current(request), status_code=exc.status,
                  heading=HEADINGS.get(exc.status, "Error"), message=exc.message)
