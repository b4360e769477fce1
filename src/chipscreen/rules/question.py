"""The licence-requirement question: one item, destination, date and set of party facts, resolved once.

``review.license_requirement`` answers it; the decision engine builds one per receiving party, and the routes
one per hypothetical export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from chipscreen.model import Item, TransactionKind
from chipscreen.rules.catalog import catalog
from chipscreen.rules.classify import ItemClassification, Resolver, classify
from chipscreen.rules.rulebook import load_rulebook, rulebook_for
from chipscreen.rules.rulebook_model import Rulebook


class ShipmentFacts(TypedDict, total=False):
    """Who sends and receives, as keywords: what ``controlled_since`` needs besides the item and destination."""

    headquarters: str | None
    parent_headquarters: str | None
    exporter: str | None
    export_from: str | None


class QuestionFacts(ShipmentFacts, total=False):
    """The optional facts of a question, as keywords (``LicenceQuestion.ask`` and ``license_requirement``)."""

    rulebook: Rulebook | str | None
    transaction_kind: TransactionKind | None
    classification: ItemClassification | None
    resolve: Resolver | None


@dataclass(frozen=True)
class LicenceQuestion:
    """One licence-requirement question with every fact resolved: the item and its classification under
    the rulebook of the day, where it goes, and who the end user and exporter are.

    Frozen so that a batch can build it once and hand it to several readers (the decision, the hypothetical
    export of each route) without any of them changing what the others asked."""

    item: Item
    classification: ItemClassification
    destination: str  # ISO-2 as given; the answer canonicalises it (HK -> CN)
    date: dt.date
    rulebook: Rulebook
    headquarters: str | None = None  # ISO-2 of the end user's headquarters (the HQ rule)
    parent_headquarters: str | None = None  # ISO-2 of its ultimate parent's headquarters
    exporter: str | None = None  # the exporter's name: is-informed letters bind only the named exporter
    export_from: str | None = None  # ISO-2 the item leaves from (the 2026 case-by-case envelope needs the US)
    transaction_kind: TransactionKind | None = None  # cloud_service / lease are exports only if the rulebook says so

    @classmethod
    def ask(
        cls,
        item: Item | str,
        destination: str,
        date: dt.date | None = None,
        *,
        headquarters: str | None = None,
        parent_headquarters: str | None = None,
        exporter: str | None = None,
        export_from: str | None = None,
        rulebook: Rulebook | str | None = None,
        transaction_kind: TransactionKind | None = None,
        classification: ItemClassification | None = None,
        resolve: Resolver | None = None,
    ) -> LicenceQuestion:
        """The question from raw facts: the rulebook in force on ``date`` unless one is named, the date the
        rulebook took effect when none is given, a catalog id looked up, and the item classified."""
        rb = load_rulebook(rulebook) if rulebook is not None else rulebook_for(date)
        day = date or rb.effective or dt.date.today()
        if isinstance(item, str):
            item = catalog().item(item)
        return cls(
            item=item,
            classification=classification or classify(item, day, rb, resolve=resolve),
            destination=destination,
            date=day,
            rulebook=rb,
            headquarters=headquarters,
            parent_headquarters=parent_headquarters,
            exporter=exporter,
            export_from=export_from,
            transaction_kind=transaction_kind,
        )
