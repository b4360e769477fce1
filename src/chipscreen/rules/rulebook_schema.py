"""A rulebook file as written: one typed model per section of ``data/rulebooks/*.yaml``.

These models check shape, types, dates and fixed codes, so that a bad edit is reported at its key path
(``thresholds.tpp_a1.value: expected a number``). They hold no references between sections: which
threshold a condition names and which country group a scope names are resolved when the sections are
compiled (``rulebook_parse``), because a version states only what changed and names what it inherits.
``data/rulebooks/README.md`` describes each section.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Field, ValidationInfo, field_validator

from chipscreen.model import ItemKind, ReviewPolicy, TransactionKind
from chipscreen.rules.countries import ScopeSpec
from chipscreen.rules.expr import Op, Param
from chipscreen.rules.yaml_values import CitationText, ConfidenceTag, FoldedText, IsoDate, Spec, one_of

Status = Literal["rule", "proposal"]
RequirementCode = Literal["destination", "headquarters"]
Eccn = Literal["3A090", "4A090"]
EccnParagraph = Literal["3A090", "3A090.a", "3A090.b", "3A090.c", "4A090", "4A090.a", "4A090.b"]
"""Every advanced-computing paragraph a rule version has used (3A090 and 4A090 undivided in 2022)."""

STATUSES: tuple[Status, ...] = get_args(Status)
REVIEW_POLICIES: tuple[ReviewPolicy, ...] = get_args(ReviewPolicy)
REQUIREMENT_CODES: tuple[RequirementCode, ...] = get_args(RequirementCode)
ITEM_KINDS: tuple[ItemKind, ...] = get_args(ItemKind)
INEQUALITIES: tuple[Op, ...] = get_args(Op)
PARAMETERS: tuple[Param, ...] = get_args(Param)
ECCNS: tuple[Eccn, ...] = get_args(Eccn)
PARAGRAPHS: tuple[EccnParagraph, ...] = get_args(EccnParagraph)

CONTAINED = "contained"
"""Exception eligibility that follows the ICs a system contains."""

Paragraph = Annotated[EccnParagraph, one_of("ECCN paragraph", PARAGRAPHS)]
Inequality = Annotated[Op, one_of("inequality", INEQUALITIES)]
Condition = Any
"""A threshold name, ``true``, ``{all: [...]}``, ``{any: [...]}`` or ``{not: ...}``: its shape and the
thresholds it names are checked together when it is compiled (``expr.compile_cond``)."""


class WindowSpec(Spec):
    start: IsoDate = Field(None, alias="from")
    until: IsoDate = None
    citation: CitationText = ""


class DatedSpec(Spec):
    """Dates a piece of a rule carries inside its version: in the text from/until, binding, not enforced."""

    start: IsoDate = Field(None, alias="from")
    until: IsoDate = None
    compliance_from: IsoDate = None
    not_enforced: list[WindowSpec] = Field(default_factory=list)


class PrecisionBitsSpec(Spec):
    values: dict[str, int] = Field(default_factory=dict)
    citation: CitationText = ""
    notes: str = ""


class ThresholdSpec(Spec):
    param: Annotated[Param, one_of("parameter", PARAMETERS)]
    op: Inequality
    value: float | bool = Field(validate_default=True, default=None)
    unit: str = ""
    text: str = ""
    citation: CitationText = Field("", validate_default=True)

    @field_validator("value", mode="plain")
    @classmethod
    def _value(cls, value: Any, info: ValidationInfo) -> float | bool:
        if info.data.get("param") == "datacenter":
            if not isinstance(value, bool):
                raise ValueError("datacenter thresholds compare with true/false")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {value!r}")
        return float(value)

    @field_validator("citation")
    @classmethod
    def _cited(cls, value: str) -> str:
        if not value:
            raise ValueError("every number needs its citation")
        return value


class ParagraphSpec(Spec):
    paragraph: Paragraph
    when: Condition
    citation: CitationText = ""


class ExclusionSpec(Spec):
    applies_to: list[Paragraph]
    when: Condition
    citation: CitationText = ""
    text: str = ""


class KindSpec(Spec):
    """How one item kind is classified: ordered paragraphs, exclusion notes, or (systems) the contained IC."""

    eccn: Annotated[Eccn, one_of("ECCN", ECCNS)]
    paragraphs: dict[str, ParagraphSpec] = Field(default_factory=dict)
    exclusions: dict[str, ExclusionSpec] = Field(default_factory=dict)
    from_contained: dict[Paragraph, Paragraph | None] = Field(default_factory=dict)
    citation: CitationText = ""


class RequirementSpec(DatedSpec):
    code: Annotated[RequirementCode, one_of("requirement code", REQUIREMENT_CODES)]
    paragraphs: list[Paragraph]
    destinations: ScopeSpec | None = Field(None, validate_default=True)
    headquarters: ScopeSpec | None = Field(None, validate_default=True)
    citation: CitationText
    detail: str = ""

    @field_validator("destinations")
    @classmethod
    def _destination_scope(cls, value: ScopeSpec | None, info: ValidationInfo) -> ScopeSpec | None:
        if info.data.get("code") == "destination" and value is None:
            raise ValueError("a destination rule needs a scope")
        return value

    @field_validator("headquarters")
    @classmethod
    def _headquarters_scope(cls, value: ScopeSpec | None, info: ValidationInfo) -> ScopeSpec | None:
        if info.data.get("code") == "headquarters" and value is None:
            raise ValueError("the headquarters rule needs a headquarters scope")
        return value


class WhereSpec(Spec):
    destinations: ScopeSpec | None = None
    headquarters: ScopeSpec | None = None
    not_headquarters: ScopeSpec | None = None
    notification: bool = False
    # only these transaction kinds (a transfer inside the country is ACA's, not NAC's); None: every kind
    transaction_kinds: list[TransactionKind] | None = None


class ExceptionSpec(DatedSpec):
    title: str | None = None
    eligible: dict[Paragraph, Condition]
    where: list[WhereSpec]
    citation: CitationText
    detail: str = ""
    notes: str = ""
    # what the exporter must do to use it (file, wait, report), shown with every answer that offers it
    procedure: FoldedText = ""
    # terms the engine cannot check from the transaction; the answer lists them as the user's to confirm
    conditions: list[FoldedText] = Field(default_factory=list)


class ReviewPolicySpec(DatedSpec):
    priority: int = 100
    policy: Annotated[ReviewPolicy, one_of("review policy", REVIEW_POLICIES)]
    paragraphs: list[Paragraph] | None = None
    destinations: ScopeSpec | None = None
    headquarters: ScopeSpec | None = None
    export_from: ScopeSpec | None = None
    item: Condition = None
    citation: CitationText
    detail: FoldedText = ""
    conditions: list[str] = Field(default_factory=list)


class ExporterSpec(Spec):
    name: str
    match: list[str]


class LetterSpec(DatedSpec):
    title: str | None = None
    exporter: ExporterSpec
    items: list[str] = Field(default_factory=list)
    criteria: Condition = None
    destinations: ScopeSpec | None = None
    headquarters: ScopeSpec | None = None
    citation: CitationText
    confidence: ConfidenceTag = "H"
    notes: FoldedText = ""


class ItemNoticeSpec(DatedSpec):
    items: list[str] = Field(default_factory=list)
    text: str = ""
    citation: CitationText = ""


class FeedingListSpec(Spec):
    """A list whose parties' holdings the Affiliates rule aggregates (``programs`` narrows the SDN list)."""

    code: str = Field(alias="list")
    title: str = ""
    programs: list[str] | None = None
    citation: CitationText = ""
    verified: bool = True  # False: the primary text naming the programmes was not found (shown with the rule)
    notes: FoldedText = ""


class AffiliatesSpec(Spec):
    threshold_ppm: int
    op: Inequality
    text: str = ""
    lists: list[FeedingListSpec]
    in_force: list[WindowSpec] = Field(default_factory=list)
    suspended: list[WindowSpec] = Field(default_factory=list)
    citation: CitationText
    notes: str = ""


class RemoteAccessSpec(Spec):
    controlled: bool = False
    transaction_kinds: list[str] = Field(default_factory=list)
    citation: CitationText = ""
    notes: str = ""


class NoticeSpec(Spec):
    date: IsoDate = None
    text: str = ""
    citation: CitationText = ""


class RulebookSpec(Spec):
    """One rule version after merging with what it extends (metadata is its own, never inherited)."""

    id: str
    title: str | None = None
    status: Annotated[Status, one_of("status", STATUSES)] = "rule"
    extends: str | None = None
    effective: IsoDate = Field(None, validate_default=True)
    published: IsoDate = None
    compliance: IsoDate = None
    citation: CitationText = ""
    summary: FoldedText = ""
    precision_bits: PrecisionBitsSpec | None = None
    thresholds: dict[str, ThresholdSpec] | None = None
    classification: dict[ItemKind, KindSpec] | None = None
    requirements: dict[str, RequirementSpec] | None = None
    license_exceptions: dict[str, ExceptionSpec] | None = None
    review_policies: dict[str, ReviewPolicySpec] | None = None
    letters: dict[str, LetterSpec] | None = None
    item_notices: dict[str, ItemNoticeSpec] | None = None
    affiliates_rule: AffiliatesSpec | None = None
    remote_access: RemoteAccessSpec | None = None
    notices: dict[str, NoticeSpec] | None = None

    @field_validator("effective")
    @classmethod
    def _rule_has_a_date(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("status", "rule") == "rule" and value is None:
            raise ValueError("a rule needs its effective date")
        return value

    @field_validator("classification", mode="before")
    @classmethod
    def _known_kinds(cls, value: Any) -> Any:
        if isinstance(value, dict):
            for kind in value:
                if kind not in ITEM_KINDS:
                    raise ValueError(f"unknown item kind {kind!r}; expected one of {', '.join(ITEM_KINDS)}")
        return value
