"""The Monitor page: what the watch set holds and what the last ``monitor run`` found, each finding with
the list entry or the rule that caused it. ``monitor run`` is a separate process writing the store, so the
page opens the store afresh (read-only) rather than the service's view, which may predate that run."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from chipscreen.errors import ChipscreenError
from chipscreen.review import Session
from chipscreen.store import Store, watch
from chipscreen.ui.desk import render
from chipscreen.ui.session import PageError, need

router = APIRouter()
SHOWN = 500  # party findings on the page (a baseline over a large watch set finds thousands); --json and --out have all


def read_monitor(request: Request) -> dict[str, Any]:
    """The watch set's counts, the last run and its recorded report (None before the first run)."""
    try:
        with Store(request.app.state.config.home, read_only=True) as store:
            parties, txs = watch.counts(store)
            last = watch.last_run(store)
            report = watch.last_report(store)
    except ChipscreenError as exc:
        raise PageError(503, f"the store cannot be read: {exc}") from None
    found = len(report["parties"]) if report else 0
    if report:
        report["parties"] = report["parties"][:SHOWN]
    return {"parties": parties, "transactions": txs, "last": last, "report": report, "party_findings": found}


@router.get("/monitor")
def monitor_page(request: Request, session: Annotated[Session, Depends(need("read"))]) -> Response:
    return render(request, "monitor.html", session=session, **read_monitor(request))
