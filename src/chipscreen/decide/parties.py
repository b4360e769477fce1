"""What the engines know about each party of a transaction on its date: list matches (names engine) and
ownership, control and headquarters (ownership engine). Cached, because a batch sees the same customers
over and over."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from chipscreen.bounded import bounded
from chipscreen.dates import DateRange
from chipscreen.model import TxParty
from chipscreen.names.screener import Match, Screener
from chipscreen.ownership.control import Control, ControlStatus
from chipscreen.store import Store


@dataclass
class PartyFacts:
    party: TxParty
    hits: list[Match] = field(default_factory=list)  # at or above the product hit threshold, listed on the date
    possible: list[Match] = field(default_factory=list)  # between the review and the hit threshold
    control: ControlStatus | None = None
    headquarters: str | None = None  # as stated in the transaction, else from ownership data
    headquarters_source: str | None = None
    parent_headquarters: str | None = None
    parent_name: str | None = None

    @property
    def name(self) -> str:
        return self.party.name

    def hits_on(self, code: str) -> list[Match]:
        return [m for m in self.hits if m.list == code]

    def match_evidence(self, m: Match) -> dict[str, Any]:
        return {
            "entity_id": m.entity_id,
            "listed_name": m.name,
            "matched_name": m.matched_name,
            "list": m.list,
            "score": round(m.score, 4),
            "explanation": m.explanation,
        }


FactsKey = tuple[str, str | None, str | None, dt.date, str | None]  # name, country, headquarters, date, id


class PartyResolver:
    """Screens and resolves parties once per (name, country, date) and remembers the answer."""

    def __init__(self, store: Store, *, snapshot: str | None = None) -> None:
        self.store = store
        # more matches than an interactive screen: later listings must not crowd out those of an earlier date
        self.screener = Screener(store, snapshot=snapshot, max_matches=25)
        self.control = Control(store, snapshot=snapshot)
        self.snapshot_id = self.screener.snapshot_id or store.snapshot(snapshot).id
        self._cache: dict[FactsKey, PartyFacts] = bounded("decide.party_facts")
        self._screens: dict[tuple[str, str | None, str | None], list[Match]] = bounded("decide.party_screens")

    @property
    def hit_threshold(self) -> float:
        return self.screener.hit_threshold

    @property
    def review_threshold(self) -> float:
        return self.screener.review_threshold

    def facts(self, party: TxParty, date: dt.date) -> PartyFacts:
        key = (party.name, party.country, party.headquarters, date, party.id)
        got = self._cache.get(key)
        if got is None:
            got = self._facts(party, date)
            self._cache[key] = got
        return got

    def matches(self, party: TxParty, date: dt.date) -> list[Match]:
        """The party's matches among entries listed on ``date``: screened once for all dates, then
        filtered by each entry's listing period, so a batch screens each customer once."""
        key = (party.name, party.country, party.id)
        found = self._screens.get(key)
        if found is None:
            idents = [party.id] if party.id else None
            result = self.screener.screen(party.name, country=party.country, identifiers=idents, all_dates=True)
            found = result.matches
            self._screens[key] = found
        return [m for m in found if DateRange(m.start_date, m.end_date).contains(date)]

    def _facts(self, party: TxParty, date: dt.date) -> PartyFacts:
        listed = self.matches(party, date)
        hits = [m for m in listed if m.hit]
        possible = [m for m in listed if not m.hit]
        facts = PartyFacts(party=party, hits=hits, possible=possible)
        view = self.control.as_of(date)
        # resolve the ownership record through the list entry the name matched, when there is one
        query = hits[0].entity_id if hits else party.name
        status = view.status(query)
        if not status.found and hits:
            status = view.status(party.name)
        facts.control = status if status.found else None
        if party.headquarters:
            facts.headquarters, facts.headquarters_source = party.headquarters, "transaction"
        elif status.found and (status.headquarters_for_test or status.headquarters):
            facts.headquarters = status.headquarters_for_test or status.headquarters
            facts.headquarters_source = "ownership data"
        parent = status.ultimate_parent if status.found else None
        if parent is not None and parent.party_id != status.party_id:
            facts.parent_headquarters = parent.hq_country_for_test or parent.hq_country
            facts.parent_name = parent.name
        return facts
