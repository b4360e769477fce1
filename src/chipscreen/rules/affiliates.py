"""The BIS Affiliates (50%) rule on a date, as the ownership engine and ``rules show`` need it.

The rule's threshold, the lists that feed it and its in-force and suspension windows are rulebook data
(``data/rulebooks/2025-09-29-affiliates.yaml``, ``2025-11-10-affiliates-suspension.yaml``); this is the
one place that answers "does it apply on day D, and how", so no other package keeps its own copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from chipscreen.rules.expr import OPS, Op
from chipscreen.rules.rulebook import load_rulebook, rulebook_for
from chipscreen.rules.rulebook_model import FeedingList, Rulebook, Window

AffiliatesStatus = Literal["in_force", "suspended", "not_yet", "absent"]


@dataclass(frozen=True)
class AffiliatesRule:
    """What the ownership engine needs: is the 50% rule in force on the day, at which threshold, fed by which lists."""

    rulebook: str
    date: dt.date
    in_force: bool
    status: AffiliatesStatus
    threshold_ppm: int | None
    op: Op | None
    lists: tuple[str, ...]
    list_details: tuple[Mapping[str, Any], ...]  # the list entries as the rulebook writes them
    citation: str
    windows: tuple[Window, ...]
    suspended: tuple[Window, ...]
    feeds: tuple[FeedingList, ...] = ()

    def captures(self, share_ppm: int) -> bool:
        """Whether an aggregate listed-owner share meets the threshold (exact integer comparison)."""
        if not self.in_force or self.threshold_ppm is None or self.op is None:
            return False
        return OPS[self.op](share_ppm, self.threshold_ppm)

    def programs(self) -> dict[str, tuple[str, ...] | None]:
        """Feeding list code -> the sanctions programs that narrow it (``None``: every entry of the list)."""
        return {f.code: f.programs for f in self.feeds}

    def as_dict(self) -> dict[str, Any]:
        return {
            "rulebook": self.rulebook,
            "date": self.date,
            "in_force": self.in_force,
            "status": self.status,
            "threshold_ppm": self.threshold_ppm,
            "op": self.op,
            "lists": list(self.lists),
            "list_details": [dict(x) for x in self.list_details],
            "citation": self.citation,
            "windows": [w.as_dict() for w in self.windows],
            "suspended": [w.as_dict() for w in self.suspended],
        }


def affiliates_rule(when: dt.date | Rulebook | str | None = None, on: dt.date | None = None) -> AffiliatesRule:
    """The Affiliates (50%) rule on a date: ``affiliates_rule(date)`` or ``affiliates_rule(rulebook, on=date)``.

    With a date, the rulebook in force on it answers. With a rulebook and no ``on``, the rulebook's own
    effective date is used (so the suspension rulebook answers "suspended" and the 2025-09-29 rulebook
    "in force"). Status ``absent``: no rulebook of the day has the rule (before it was made)."""
    if isinstance(when, dt.date):
        rb, day = rulebook_for(when), when
    else:
        rb = load_rulebook(when)
        day = on or rb.effective or dt.date.today()
    a = rb.affiliates
    if a is None:
        return AffiliatesRule(rb.id, day, False, "absent", None, None, (), (), "", (), ())
    status: AffiliatesStatus
    if a.in_force_on(day):
        status = "in_force"
    elif any(w.on(day) for w in a.suspended):
        status = "suspended"
    else:
        status = "not_yet"
    return AffiliatesRule(
        rb.id,
        day,
        status == "in_force",
        status,
        a.threshold_ppm,
        a.op,
        tuple(f.code for f in a.feeds),
        a.lists,
        a.citation,
        a.in_force,
        a.suspended,
        a.feeds,
    )
