"""The API reads the desk's memory: ``POST /match?ignore_cleared=true`` leaves out the entities an analyst
cleared for the query's party and that entry's content, the same memory ``chipscreen screen --ignore-cleared``
reads (``chipscreen.review.without_cleared``). Set on the app by ``install`` so that the service's matching
knows only the ``ReviewMemory`` protocol, not the review package."""

from __future__ import annotations

from collections.abc import Mapping

from chipscreen.names import Match
from chipscreen.review import CaseStore, without_cleared
from chipscreen.service.ftm import Example
from chipscreen.service.state import View


class DeskMemory:
    def __init__(self, cases: CaseStore, ignores_by_default: bool) -> None:
        self.cases, self.ignores_by_default = cases, ignores_by_default

    def __call__(self, view: View, ex: Example, best: Mapping[str, Match]) -> set[str]:
        """Cleared for any of the query's names (a case goes by the name and first country it was filed with)."""
        country = ex.countries[0].upper() if ex.countries else None
        gone: set[str] = set()
        for name in ex.names:
            gone.update(without_cleared(self.cases, view.store, view.snapshot.id, name, country,
                                        list(best.values()))[1])
        return gone
