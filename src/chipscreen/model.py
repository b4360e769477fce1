"""Domain types shared by every engine, and the public JSON contracts (Item, Transaction, Decision).

The contracts are what users script against (``chipscreen check --json`` prints a Decision): their field names
and code values are a public interface.
Pydantic gives us validation errors that name the offending field, which is how bad input is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from chipscreen.countries import iso3166_problem
from chipscreen.dates import DateRange
from chipscreen.vocabulary import vocabulary

# --------------------------------------------------------------------------------------------------
# Parties and listings

PartyKind = Literal["organization", "person", "vessel", "aircraft", "unknown"]
NameKind = Literal["primary", "alias", "former", "weak"]


class Name(BaseModel):
    """One spelling of a party's name; the script is kept because cross-script matching treats it."""

    model_config = ConfigDict(frozen=True)

    value: str
    kind: NameKind = "primary"
    script: str | None = None  # "Latin", "Han", "Cyrillic", ... (from unicodedata), None when unknown


class Identifier(BaseModel):
    """A registry identifier: matched exactly and decisively when both sides carry the same scheme."""

    model_config = ConfigDict(frozen=True)

    scheme: str  # "lei", "uscc", "registration", "isin", "tax", "imo", ...
    value: str
    country: str | None = None


class Address(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    country: str | None = None  # ISO 3166-1 alpha-2


class Party(BaseModel):
    """A legal or natural person as a source describes it."""

    id: str
    kind: PartyKind = "organization"
    names: list[Name]
    country: str | None = None  # ISO 3166-1 alpha-2 of the listed country / location
    headquarters: str | None = None  # ISO-2 of principal place of business, when a source says
    addresses: list[Address] = Field(default_factory=list)
    identifiers: list[Identifier] = Field(default_factory=list)

    @property
    def name(self) -> str:
        for n in self.names:
            if n.kind == "primary":
                return n.value
        return self.names[0].value if self.names else ""


class FRCitation(BaseModel):
    """A Federal Register citation such as ``84 FR 54004, 10/9/19``."""

    model_config = ConfigDict(frozen=True)

    text: str
    volume: int | None = None
    page: int | None = None
    date: dt.date | None = None


class Listing(BaseModel):
    """A party's presence on one restricted-party list, with the dates that make "listed on D?" answerable."""

    party_id: str
    list_code: str  # EL, MEU, SDN, CMIC, DPL, UVL, ISN, DTC, SSI, PLC, CAP, FSE, NS-MBS, ...
    source: str  # the dataset (file) it came from
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    license_requirement: str | None = None
    review_policy: str | None = None
    federal_register: list[FRCitation] = Field(default_factory=list)
    footnotes: list[int] = Field(default_factory=list)  # Entity List FDP footnotes (1, 4, 5 ...)
    programs: list[str] = Field(default_factory=list)
    remarks: str | None = None

    def in_force(self, on: dt.date) -> bool:
        """Unknown start dates count as in force: a listing we cannot date must never be silently cleared."""
        return DateRange(self.start_date, self.end_date).contains(on)


RelationKind = Literal["ownership", "parent", "linked", "affiliate", "directorship", "unknown"]


class Relation(BaseModel):
    """An edge between parties. ``share_ppm`` is parts per million so that 50% tests are exact integers."""

    owner_id: str | None = None
    owner_name: str | None = None  # set when the source names the other party but gives no id
    owned_id: str | None = None
    owned_name: str | None = None
    kind: RelationKind = "ownership"
    share_ppm: int | None = None  # exact share, 0..1_000_000
    share_min_ppm: int | None = None  # ranges (BODS) when the exact share is unknown
    share_max_ppm: int | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    source: str | None = None
    evidence: str | None = None  # the text the link was parsed from


# --------------------------------------------------------------------------------------------------
# The public contracts: what a user sends (Item, Transaction) and what chipscreen answers (Decision)

ItemKind = Literal["ic", "hbm", "system"]
_ECCN = re.compile(r"(?i)(EAR99|[0-9][A-E][0-9]{3})((?:\.[a-z0-9]+)*)")
PRECISIONS = ("fp64", "fp32", "tf32", "fp16", "bf16", "fp8", "int8", "fp6", "fp4", "int4")


class Contains(BaseModel):
    """What a system holds: a catalog id, or an inline Item (a new server with a new chip)."""

    item: str | Item
    count: int = Field(ge=1)


class Item(BaseModel):
    """A chip, memory stack or system, by its specs."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str | None = None
    vendor: str | None = None
    kind: ItemKind = "ic"
    datacenter: bool | None = None
    dense_tops: dict[str, float] = Field(default_factory=dict)
    die_area_mm2: float | None = None
    io_bandwidth_gbs: float | None = None
    dram_bandwidth_gbs: float | None = None
    memory_bandwidth_density: float | None = None
    contains: Contains | None = None
    # The ECCN the user has for the item (EAR99, 5A992.c, 4A994, 5A992 for a server holding a 3A090 chip):
    # chipscreen computes 3A090/4A090 from the figures and takes any other ECCN as given (data/eccns.yaml).
    eccn: str | None = None
    # Where it was made and the facts the foreign-direct-product and de minimis tests read
    # (data/decide/jurisdiction.yaml): None is unknown, and an item of unknown origin is treated as US-made.
    us_origin: bool | None = None
    us_content_percent: float | None = Field(default=None, ge=0, le=100)
    us_technology: bool | None = None  # a direct product of US technology or software, or of a plant that is

    @field_validator("eccn")
    @classmethod
    def _eccn_form(cls, v: str | None) -> str | None:
        if v is None:
            return None
        m = _ECCN.fullmatch(v.strip())
        if m is None:
            raise ValueError(f"not an ECCN (such as EAR99, 5A992.c, 3A090.a): {v!r}")
        return m.group(1).upper() + m.group(2).lower()

    @field_validator("dense_tops")
    @classmethod
    def _known_precisions(cls, v: dict[str, float]) -> dict[str, float]:
        for key, value in v.items():
            if key not in PRECISIONS:
                raise ValueError(f"unknown precision {key!r}; expected one of {', '.join(PRECISIONS)}")
            if value < 0:
                raise ValueError(f"{key}: negative TOPS ({value})")
        return v

    @field_validator("die_area_mm2", "io_bandwidth_gbs", "dram_bandwidth_gbs", "memory_bandwidth_density")
    @classmethod
    def _non_negative(cls, v: float | None) -> float | None:
        if v is not None and v < 0:
            raise ValueError(f"must not be negative ({v})")
        return v


Contains.model_rebuild()

TransactionKind = Literal["export", "reexport", "in_country_transfer", "lease", "cloud_service"]
Role = Literal["exporter", "consignee", "end_user", "intermediary", "lessor", "lessee", "provider", "customer"]
# What a party makes, where a rule turns on it: the foundry due-diligence rule binds front-end fabricators and
# OSAT (assembly and test) companies that export the ICs they made (data/decide/foundry.yaml).
Producer = Literal["front_end_fabricator", "osat"]


def _check_country(label: str, code: str | None) -> str | None:
    """An officially assigned ISO 3166-1 alpha-2 code, upper case (``countries.iso3166_problem``: not
    "XX", nor the regional, reserved and user-assigned "EU", "UN", "ZZ")."""
    if code is None:
        return None
    problem = iso3166_problem(code)
    if problem is not None:
        raise ValueError(f"{label}: not an ISO 3166-1 alpha-2 country code: {code!r} ({problem})")
    return code.upper()


class TxParty(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
    name: str = Field(min_length=1, max_length=1000)
    country: str | None = None
    headquarters: str | None = None
    id: str | None = None
    producer: Producer | None = None

    @model_validator(mode="after")
    def _iso_countries(self) -> TxParty:
        self.country = _check_country("country", self.country)
        self.headquarters = _check_country("headquarters", self.headquarters)
        return self


class Fabrication(BaseModel):
    """What a foundry or OSAT knows of the IC it made, the facts of Note 1 to 3A090 (90 FR 5298).
    Left out, a fact is unknown and the rule's presumption stands."""

    model_config = ConfigDict(extra="forbid")

    node_nm: float | None = Field(default=None, gt=0)  # the process node ("16/14 nanometer node" or below)
    non_planar: bool | None = None  # non-planar transistor architecture (FinFET, GAAFET)
    designer_approved: bool | None = None  # approved (Supp. 6 to part 740) or authorized IC designer
    osat_approved: bool | None = None  # packaged by an approved OSAT (Supp. 7 to part 740) that attests the count
    transistors_billion: float | None = Field(default=None, ge=0)  # the packaged IC's approximate transistor count


class Transaction(BaseModel):
    """A movement of compute or of access to it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str
    date: dt.date
    kind: TransactionKind
    item: Item | str
    quantity: int = Field(default=1, ge=1)
    from_: str = Field(alias="from")
    to: str
    parties: list[TxParty] = Field(default_factory=list)
    end_use: str | None = None
    acquired: dt.date | None = None
    # The items go into one installation (within 41,600 ft³): their peak FP64/FP32 is added up against the
    # "supercomputer" definition (data/decide/supercomputer.yaml).
    one_installation: bool = False
    fabrication: Fabrication | None = None  # when the exporter is the IC's foundry or OSAT

    @model_validator(mode="after")
    def _iso_countries(self) -> Transaction:
        self.from_ = _check_country("from", self.from_) or self.from_
        self.to = _check_country("to", self.to) or self.to
        return self

    # The checks below keep a typo from deciding: each bound and the end-use vocabulary are documented in
    # data/transactions/vocabulary.yaml (chipscreen.vocabulary).

    @field_validator("end_use")
    @classmethod
    def _known_end_use(cls, v: str | None) -> str | None:
        return None if v is None else vocabulary().end_use(v)

    @field_validator("quantity", mode="before")
    @classmethod
    def _whole_units(cls, v: Any) -> Any:
        """``true`` is not a count, 2.5 units is not a shipment, and 1e30 is a unit error."""
        if isinstance(v, bool) or (isinstance(v, float) and not v.is_integer()):
            raise ValueError(f"expected a whole number of units, got {str(v).lower() if isinstance(v, bool) else v}")
        if isinstance(v, int | float) and v > vocabulary().max_quantity:
            raise ValueError(f"{v:g} units is over the documented maximum of {vocabulary().max_quantity:,}")
        return int(v) if isinstance(v, float) else v

    @field_validator("date", "acquired", mode="before")
    @classmethod
    def _calendar_date(cls, v: Any) -> Any:
        """A number is not a date (pydantic would read 20230501 as seconds since 1970)."""
        if isinstance(v, int | float):
            raise ValueError(f"expected a date as YYYY-MM-DD, got the number {v!r}")
        return v

    @model_validator(mode="after")
    def _dates_in_order(self) -> Transaction:
        latest = vocabulary().latest_date()
        if self.date > latest:
            raise ValueError(f"date: {self.date} is more than {vocabulary().max_days_ahead} days from today "
                             f"(latest {latest}); a typo?")
        if self.acquired is not None and self.acquired > self.date:
            raise ValueError(f"acquired: {self.acquired} is after the transaction date {self.date}")
        return self


class Classification(BaseModel):
    eccn: str | None = None
    paragraph: str | None = None
    tpp: float | None = None
    pd: float | None = None
    work: list[str] = Field(default_factory=list)  # the arithmetic, one step per line


# Why a licence is required. The rules engine answers destination, headquarters and is_informed; the
# decision engine adds the list-based (entity_list, meu), ownership (affiliate_50) and end-use overlays.
ReasonCode = Literal[
    "destination",
    "headquarters",
    "is_informed",
    "entity_list",
    "meu",
    "affiliate_50",
    "end_use",
    "foundry_due_diligence",
]
REASON_CODES: tuple[ReasonCode, ...] = get_args(ReasonCode)

# Risk signals. The three circumvention routes (remote_access, pre_rule_stock, unlisted_affiliate), the other
# red flags, a party's presence on a list that carries no licence requirement (denied_party, sanctioned_party,
# unverified_party, other_list; listed_party for a licence list on a non-receiving party), a near miss
# (possible_match), an item whose figures are missing (undetermined_classification) and the rules engine's
# notes (rule_note).
FlagCode = Literal[
    "remote_access",
    "pre_rule_stock",
    "unlisted_affiliate",
    "transshipment",
    "unknown_ownership",
    "possible_match",
    "listed_party",
    "denied_party",
    "sanctioned_party",
    "unverified_party",
    "other_list",
    "undetermined_classification",
    "rule_note",
    "red_flag",
]
FLAG_CODES: tuple[FlagCode, ...] = get_args(FlagCode)
RouteCode = Literal["remote_access", "pre_rule_stock", "unlisted_affiliate"]
ROUTE_CODES: tuple[RouteCode, ...] = get_args(RouteCode)


class Reason(BaseModel):
    """Why a licence is required, with the citation of the rule that requires it."""

    code: ReasonCode
    citation: str
    party: str | None = None
    detail: str
    evidence: dict[str, Any] = Field(default_factory=dict)


class Flag(BaseModel):
    """A risk signal that needs no licence under the rules of the day but must be seen."""

    code: FlagCode
    party: str | None = None
    detail: str
    evidence: dict[str, Any] = Field(default_factory=dict)


ReviewPolicy = Literal["presumption_of_denial", "case_by_case", "presumption_of_approval"]


class Decision(BaseModel):
    """The answer for one transaction."""

    id: str
    date: dt.date
    rulebook: str
    snapshot: str
    classification: Classification
    license_required: bool
    license_exceptions: list[str] = Field(default_factory=list)
    review_policy: ReviewPolicy | None = None
    reasons: list[Reason] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
