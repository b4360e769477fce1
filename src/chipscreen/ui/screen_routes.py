"""The Screen page: a name in any script, an optional country and date -> the screener's ranked matches, each
with its explanation, its listings (Federal Register citations, dates, licence requirement, review policy)
and the other lists the party is on. Screening by POST (analysts) files the matches as cases; a match whose
party and entry content were cleared before is shown apart with who cleared it, when and why.

The routes that read the snapshot view are ``async``: they run on the event loop as the service's own routes
do, since the view's DuckDB connection serves one call at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from chipscreen.errors import InputError
from chipscreen.names import Match, validate_name
from chipscreen.review import Case, Session, entry_hash, match_inputs
from chipscreen.service.matching import explanations
from chipscreen.store import ListedEntry
from chipscreen.ui.desk import desk_of, render
from chipscreen.ui.pages import entries_by_id, read_country, read_date, view
from chipscreen.ui.session import PageError, check_csrf, need

router = APIRouter()
SHOWN = 20  # matches shown per screening


@dataclass
class Row:
    match: Match
    features: dict[str, dict[str, Any]]
    entries: list[ListedEntry]
    other_lists: list[str]
    memory: Case | None
    case: Case | None

    @property
    def suppressed(self) -> bool:
        return self.memory is not None and self.memory.disposition == "false_positive"


@router.get("/screen")
async def screen_page(request: Request, session: Annotated[Session, Depends(need("read"))], name: str = "",
                country: str = "", date: str = "") -> Response:
    if not name:
        return render(request, "screen.html", session=session, form={"name": "", "country": "", "date": ""},
                      rows=None, filed=[])
    return screened(request, session, name, country, date, file=False)


@router.post("/screen")
async def screen_post(request: Request, session: Annotated[Session, Depends(need("screen"))],
                name: Annotated[str, Form(max_length=2000)], country: Annotated[str, Form(max_length=100)] = "",
                date: Annotated[str, Form(max_length=40)] = "", csrf: Annotated[str, Form(max_length=200)] = ""
                ) -> Response:
    check_csrf(session, csrf)
    return screened(request, session, name, country, date, file=True)


def screened(request: Request, session: Session, name: str, country: str, date: str, *, file: bool) -> Response:
    try:
        name = validate_name(name)
    except InputError as exc:
        raise PageError(400, f"name: {exc}") from None
    cc, day = read_country(country), read_date(date, "date") or dt.date.today()
    v, desk = view(request), desk_of(request)
    result = v.screener.screen(name, country=cc, date=day)
    matches = result.matches[:SHOWN]
    entries = entries_by_id(v, [m.entity_id for m in matches])
    hashes = {eid: entry_hash(es) for eid, es in entries.items()}
    filed: list[Case] = []
    if file:
        filed = desk.cases.file(match_inputs(name, cc, matches, hashes, source="ui/screen", snapshot=v.snapshot.id))
        desk.audit.append(key_id=f"user:{session.user.name}", endpoint="/ui/screen",
                          request={"name": name, "country": cc, "date": day.isoformat()}, snapshot=v.snapshot.id,
                          rulebook=None, summary={"matches": [m.entity_id for m in matches],
                                                  "filed": [c.id for c in filed]})
    known = desk.cases.lookup(name, cc, hashes)
    rows = []
    for m in matches:
        case = known.get(m.entity_id)
        rows.append(Row(m, explanations(m), entries.get(m.entity_id, []),
                        other_lists(v.entities.get(m.entity_id), m.list),
                        case if case is not None and case.status == "closed" else None, case))
    form = {"name": name, "country": country, "date": day.isoformat()}
    return render(request, "screen.html", session=session, form=form, rows=rows, filed=filed, hit=result.hit,
                  snapshot=v.snapshot.id)


def other_lists(entity: dict[str, Any] | None, shown: str) -> list[str]:
    if entity is None:
        return []
    return sorted({d.upper() for d in entity.get("datasets", [])} - {shown.upper()})
