"""Dated things: one type for "in force from START to END", and one day-number for array kernels.

Every list entry, ownership edge, country-group membership and rulebook window answers the same question,
"does this hold on day D?". Both ends are inclusive (an end date is the last day in force) and a missing
end is open, as the Federal Register and the list files write them. Kernels that compare millions of dates
use integer day numbers instead of ``date`` objects; ``OPEN_START`` and ``OPEN_END`` stand for a missing end
so that the comparison needs no special case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

EPOCH = dt.date(1970, 1, 1)
"""Day number 0 (the Unix epoch, so day numbers agree with DuckDB's and numpy's ``datetime64[D]``)."""
OPEN_START = -(1 << 40)
"""The day number of a missing start: earlier than any real date."""
OPEN_END = 1 << 40
"""The day number of a missing end: later than any real date."""


def to_date(value: object) -> dt.date | None:
    """A date as a data file writes it: a YAML date (quoted or not), a timestamp's day, or ``None`` (an open end).

    Raises ``ValueError`` naming the value; each reader turns it into its own error with the file and key."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


def from_day_number(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=n)


@dataclass(frozen=True, slots=True)
class DateRange:
    """A window with inclusive ends; ``None`` is an open end."""

    start: dt.date | None = None
    end: dt.date | None = None

    def contains(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def start_day(self) -> int:
        return OPEN_START if self.start is None else day_number(self.start)

    def end_day(self) -> int:
        return OPEN_END if self.end is None else day_number(self.end)

    def __str__(self) -> str:
        start = self.start.isoformat() if self.start else "..."
        end = self.end.isoformat() if self.end else "..."
        return f"{start} to {end}"
