"""One transaction with what every deciding step reads, resolved once: the rulebook of the day, the item and
its classification, what the names and ownership engines know of each party, who receives and who exports.

Frozen and shared by the engine's steps and the routes, so that the reasons and the flags are worked out
from the same facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chipscreen.decide.parties import PartyFacts
from chipscreen.model import Item, Transaction, TransactionKind, TxParty
from chipscreen.rules import ItemClassification, Rulebook
from chipscreen.rules.question import LicenceQuestion


@dataclass(frozen=True)
class Shipment:
    tx: Transaction
    rulebook: Rulebook
    item: Item
    item_key: str  # what caches key the item by (see Decider.item_key)
    cls: ItemClassification
    facts: Mapping[int, PartyFacts]  # by id() of each of tx.parties
    receivers: tuple[TxParty, ...]  # the parties that receive what the transaction kind moves
    exporter: TxParty | None  # the party whose is-informed letters bind the shipment
    moves: bool  # the transaction moves the item (a cloud service does only if remote access is controlled)
    remote_controlled: bool  # the rulebook treats remote access as an export

    def facts_of(self, party: TxParty) -> PartyFacts:
        return self.facts[id(party)]

    def question(
        self, destination: str, party: PartyFacts | None, kind: TransactionKind | None
    ) -> LicenceQuestion:
        """The rules engine's question for sending this item to ``destination`` for ``party``'s use."""
        return LicenceQuestion(
            item=self.item,
            classification=self.cls,
            destination=destination,
            date=self.tx.date,
            rulebook=self.rulebook,
            headquarters=party.headquarters if party else None,
            parent_headquarters=party.parent_headquarters if party else None,
            exporter=self.exporter.name if self.exporter else None,
            export_from=self.tx.from_,
            transaction_kind=kind,
        )
