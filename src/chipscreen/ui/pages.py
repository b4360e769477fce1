"""What every page needs from the service: the snapshot view in service (a page while it warms says so),
a date field read as a date, a country field as ISO-2, each refusal naming the field."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from fastapi import Request

from chipscreen.countries import to_iso2
from chipscreen.service.state import NotReady, View
from chipscreen.service.yente_routes import view_of
from chipscreen.store import ListedEntry
from chipscreen.ui.session import PageError


def view(request: Request) -> View:
    try:
        return view_of(request)
    except NotReady as exc:
        raise PageError(503, f"the service is not ready: {exc}") from None


def read_date(value: str | None, field: str) -> dt.date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PageError(400, f"{field}: {text[:40]!r} is not a date (YYYY-MM-DD)") from None


def read_country(value: str | None, field: str = "country") -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    code = text.upper() if len(text) == 2 and text.isalpha() else to_iso2(text)
    if code is None:
        raise PageError(400, f"{field}: {text[:60]!r} is not a country name or ISO-2 code")
    return code


def entries_by_id(view: View, entity_ids: Sequence[str]) -> dict[str, list[ListedEntry]]:
    """The full listed entries (citations, dates, licence text) of some entities, in one store query."""
    grouped: dict[str, list[ListedEntry]] = defaultdict(list)
    if entity_ids:
        for e in view.store.entries(view.snapshot.id, entity_ids=sorted(set(entity_ids))):
            grouped[e.party.id].append(e)
    return grouped
