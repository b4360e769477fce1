"""Rows of the rule data that hold over a date range (a group membership, a window inside a rule version).

The data writes the ends as ``from`` / ``until`` (inclusive); the rows keep them as one
``chipscreen.dates.DateRange`` so that every "does it hold on day D?" is ``DateRange.contains``.
"""

from __future__ import annotations

import datetime as dt

from chipscreen.dates import DateRange


class Spanned:
    """A row with an inclusive ``span``; ``start`` and ``until`` name its ends as the data files do."""

    span: DateRange

    @property
    def start(self) -> dt.date | None:
        return self.span.start

    @property
    def until(self) -> dt.date | None:
        return self.span.end

    def on(self, day: dt.date) -> bool:
        return self.span.contains(day)
