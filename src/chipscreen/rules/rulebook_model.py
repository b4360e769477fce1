"""A rulebook compiled for evaluation: conditions built, scopes resolved, dates as ranges.

What classification and the licence checks read. Built from the section models of ``rulebook_schema``
by ``rulebook_parse``; nothing here reads a file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from chipscreen.dates import DateRange
from chipscreen.model import ItemKind
from chipscreen.rules.countries import CountryGroups, Scope
from chipscreen.rules.expr import Cond, Op, Threshold
from chipscreen.rules.rulebook_schema import Eccn, EccnParagraph, RequirementCode, Status
from chipscreen.rules.spans import Spanned
from chipscreen.rules.yaml_values import Confidence
from chipscreen.text import fold_words

DatedStatus = Literal["active", "not_yet", "expired", "before_compliance", "not_enforced"]


@dataclass(frozen=True)
class Window(Spanned):
    """A dated window inside a rule version (in force, suspended, not enforced) with its citation."""

    span: DateRange
    citation: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.start, "until": self.until, "citation": self.citation or None}


@dataclass(frozen=True)
class Dated(Spanned):
    """Shared date logic: in the text over ``span``; binding from ``compliance_from``; not enforced in windows."""

    span: DateRange
    compliance_from: dt.date | None
    not_enforced: tuple[Window, ...]

    def status(self, day: dt.date) -> DatedStatus:
        if not self.span.contains(day):
            return "not_yet" if self.span.start is not None and day < self.span.start else "expired"
        if self.compliance_from is not None and day < self.compliance_from:
            return "before_compliance"
        if any(w.on(day) for w in self.not_enforced):
            return "not_enforced"
        return "active"


@dataclass(frozen=True)
class Paragraph:
    label: str  # "a.1", "b.2", "3A090" (2022)
    paragraph: EccnParagraph
    cond: Cond
    citation: str


@dataclass(frozen=True)
class Exclusion:
    id: str
    applies_to: frozenset[str]
    cond: Cond
    citation: str
    text: str


@dataclass(frozen=True)
class KindRules:
    """How one item kind (ic, hbm, system) is classified under a rulebook."""

    eccn: Eccn
    paragraphs: tuple[Paragraph, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    from_contained: Mapping[str, str | None] = field(default_factory=dict)
    citation: str = ""


@dataclass(frozen=True)
class Requirement:
    id: str
    code: RequirementCode
    paragraphs: frozenset[str]
    destinations: Scope | None
    headquarters: Scope | None
    dates: Dated
    citation: str
    detail: str


@dataclass(frozen=True)
class ExceptionWhere:
    destinations: Scope | None
    headquarters: Scope | None
    not_headquarters: Scope | None
    notification: bool
    kinds: frozenset[str] | None = None  # the transaction kinds it covers; None: every kind

    def covers(self, kind: str | None) -> bool:
        """A question without a transaction kind is an export."""
        return self.kinds is None or (kind or "export") in self.kinds


@dataclass(frozen=True)
class LicenseException:
    name: str
    title: str
    eligible: Mapping[str, Cond | str]  # paragraph -> condition, or CONTAINED
    where: tuple[ExceptionWhere, ...]
    dates: Dated
    citation: str
    detail: str
    notes: str
    procedure: str = ""
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReviewPolicyRule:
    id: str
    priority: int
    policy: str  # one of model.ReviewPolicy (checked on load); str while review.py assigns it with a cast
    paragraphs: frozenset[str] | None
    destinations: Scope | None
    headquarters: Scope | None
    export_from: Scope | None
    item: Cond | None
    dates: Dated
    citation: str
    detail: str
    conditions: tuple[str, ...]


@dataclass(frozen=True)
class Letter:
    """An exporter-specific "is-informed" letter: binds only the named exporter's shipments."""

    id: str
    title: str
    exporter: str
    exporter_match: tuple[str, ...]
    items: frozenset[str]
    criteria: Cond | None
    destinations: Scope | None
    headquarters: Scope | None
    dates: Dated
    citation: str
    confidence: Confidence
    notes: str

    def binds(self, exporter: str | None) -> bool:
        if not exporter:
            return False
        words = f" {fold_words(exporter)} "
        return any(f" {m} " in words for m in self.exporter_match)


@dataclass(frozen=True)
class ItemNotice:
    id: str
    items: frozenset[str]
    dates: Dated
    text: str
    citation: str


@dataclass(frozen=True)
class FeedingList:
    """A list whose parties' holdings the Affiliates rule aggregates; ``programs`` narrows it (SDN)."""

    code: str
    title: str
    programs: tuple[str, ...] | None
    citation: str


@dataclass(frozen=True)
class AffiliatesRuleData:
    threshold_ppm: int
    op: Op
    lists: tuple[Mapping[str, Any], ...]  # the entries as written (shown by ``rules show``)
    feeds: tuple[FeedingList, ...]
    in_force: tuple[Window, ...]
    suspended: tuple[Window, ...]
    citation: str
    text: str
    notes: str

    def in_force_on(self, day: dt.date) -> bool:
        return any(w.on(day) for w in self.in_force) and not any(w.on(day) for w in self.suspended)


@dataclass(frozen=True)
class RemoteAccess:
    controlled: bool
    transaction_kinds: frozenset[str]
    citation: str
    notes: str


@dataclass
class Rulebook:
    """One rule version, merged with everything it extends, compiled for evaluation."""

    id: str
    title: str
    status: Status
    extends: str | None
    effective: dt.date | None
    published: dt.date | None
    compliance: dt.date | None
    citation: str
    summary: str
    chain: tuple[str, ...]
    path: Path
    precision_bits: Mapping[str, int]
    bits_citation: str
    thresholds: Mapping[str, Threshold]
    classification: Mapping[ItemKind, KindRules]
    requirements: tuple[Requirement, ...]
    license_exceptions: tuple[LicenseException, ...]
    review_policies: tuple[ReviewPolicyRule, ...]
    letters: tuple[Letter, ...]
    item_notices: tuple[ItemNotice, ...]
    affiliates: AffiliatesRuleData | None
    remote_access: RemoteAccess
    notices: tuple[Mapping[str, Any], ...]
    groups: CountryGroups
    raw: Mapping[str, Any] = field(repr=False)

    @property
    def is_proposal(self) -> bool:
        return self.status == "proposal"

    def meta(self) -> dict[str, Any]:
        """The metadata callers show next to a result: id, title, dates, citation."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "extends": self.extends,
            "effective": self.effective,
            "published": self.published,
            "compliance": self.compliance,
            "citation": self.citation,
            "chain": list(self.chain),
        }
