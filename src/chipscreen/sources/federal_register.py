"""Federal Register citations as the lists write them: ``84 FR 54004, 10/9/19``, ``46 F.R. 46154 9/17/81``,
``91 FR 35189 (June 10, 2026)``, ``Vol. 86, No. 51, 03/18/21``, with citation and date split over lines.

The earliest citation date is the listing's start date, which is what makes "listed on date D?" answerable
for the Entity List (whose eCFR text has no effective-date column).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from chipscreen.model import FRCitation

_CITE = re.compile(r"(?P<vol>\d{1,3})\s*F\.?\s?R\.?\s*(?:preview citation details\s*)?(?P<page>\d{1,6})")
_VOL = re.compile(r"Vol\.\s*(?P<vol>\d{1,3}),\s*No\.\s*\d+")
_NUMERIC_DATE = re.compile(r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\d/])")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_WORD_DATE = re.compile(rf"(?P<mon>{_MONTHS})\.?\s+(?P<d>\d{{1,2}}),\s*(?P<y>\d{{4}})")


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:  # the lists use two-digit years from the 1980s (DPL) to today
        y += 2000 if y < 70 else 1900
    return y


def _date_at(text: str, pos: int) -> tuple[dt.date | None, int]:
    """The first date at or after ``pos``, and where it ends."""
    candidates = []
    m = _NUMERIC_DATE.search(text, pos)
    if m:
        with contextlib.suppress(ValueError):
            candidates.append((m.start(), dt.date(_year(m["y"]), int(m["m"]), int(m["d"])), m.end()))
    w = _WORD_DATE.search(text, pos)
    if w:
        try:
            month = dt.datetime.strptime(w["mon"][:3], "%b").month
            candidates.append((w.start(), dt.date(int(w["y"]), month, int(w["d"])), w.end()))
        except ValueError:
            pass
    if not candidates:
        return None, pos
    _, date, end = min(candidates)
    return date, end


def parse_citations(text: str | None) -> list[FRCitation]:
    """Every citation in a list's Federal Register cell, each paired with the date that follows it
    (before the next citation). A date with no citation of its own is kept as a dated citation."""
    if not text:
        return []
    flat = re.sub(r"\s+", " ", text)
    marks = sorted(
        [(m.start(), m.end(), int(m["vol"]), int(m["page"])) for m in _CITE.finditer(flat)]
        + [(m.start(), m.end(), int(m["vol"]), None) for m in _VOL.finditer(flat)]
    )
    out: list[FRCitation] = []
    if not marks:
        pos = 0
        while True:
            date, end = _date_at(flat, pos)
            if date is None:
                break
            out.append(FRCitation(text=flat[pos:end].strip(" ,.;"), date=date))
            pos = end
        return out
    for i, (start, end, vol, page) in enumerate(marks):
        limit = marks[i + 1][0] if i + 1 < len(marks) else len(flat)
        date, date_end = _date_at(flat[:limit], end)
        stop = date_end if date else end
        out.append(FRCitation(text=flat[start:stop].strip(" ,.;"), volume=vol, page=page, date=date))
    return out


def earliest_date(citations: list[FRCitation]) -> dt.date | None:
    dates = [c.date for c in citations if c.date]
    return min(dates) if dates else None
