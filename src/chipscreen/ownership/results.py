"""What ``ControlView.status`` answers: one party's lists, per-regime capture with its proof, parents, flags.

Pydantic models, so that the CLI and the decision engine get JSON-ready answers with their field names.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

StatusCode = Literal["listed", "captured", "review", "possibly", "not"]
STATUS_CODES: tuple[StatusCode, ...] = ("not", "possibly", "review", "captured", "listed")
"""The status codes in increasing order of severity (their index is the code in ``ControlView.table``)."""


class PathStep(BaseModel):
    party_id: str
    name: str
    relation: str | None = None  # kind of the edge *into* the next step (ownership, parent_direct, ...)
    share_ppm: int | None = None


class ProofNode(BaseModel):
    """Why a party is blocked: its blocked owners (recursively) with stakes and the round of capture."""

    party_id: str
    name: str
    lists: list[str] = Field(default_factory=list)  # feeding lists it is on (a leaf of the proof)
    stake_ppm: int | None = None  # this owner's direct stake in the child node
    round: int  # 0 = listed; k = captured in round k; -1 = blocked only in the greatest fixpoint (review)
    aggregate_ppm: int | None = None  # sum of contributing blocked owners' stakes at capture
    owners: list[ProofNode] = Field(default_factory=list)


class RegimeStatus(BaseModel):
    regime: str
    title: str
    citation: str
    in_force: bool | None
    in_force_source: str
    threshold_ppm: int
    op: str
    status: StatusCode
    listed: bool
    captured: bool  # listed, or captured by the least fixpoint on lower-bound shares ("definitely")
    possibly: bool  # captured on upper-bound shares only (ranges, unknown shares)
    review: bool  # captured in the greatest fixpoint only: depends on circular holdings
    applies: bool  # captured/listed and the regime is not known to be out of force on the date
    aggregate_ppm: int  # blocked owners' direct stakes (lower bounds)
    aggregate_max_ppm: int  # same on upper bounds
    round: int | None = None
    contributing_lists: list[str] = Field(default_factory=list)
    contributing_parties: list[str] = Field(default_factory=list)  # party ids: proof leaves, else blocked owners
    contributing_names: list[str] = Field(default_factory=list)  # same order as contributing_parties
    proof: ProofNode | None = None


class ListingRef(BaseModel):
    entity_id: str
    list_code: str
    name: str
    programs: list[str] = Field(default_factory=list)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    matched_by: str


class ParentInfo(BaseModel):
    party_id: str
    name: str
    hq_country: str | None
    hq_country_for_test: str | None  # Hong Kong -> CN (data/country_groups.yaml, treated_as)
    method: str  # "self" | "majority_chain" | "gleif_consolidation" | "gleif_ultimate"
    path: list[PathStep] = Field(default_factory=list)


class Relative(BaseModel):
    relation: Literal["parent", "subsidiary", "sister", "linked"]  # linked: OFAC "Linked To", no ownership
    party_id: str
    name: str
    lists: list[str]
    path: list[PathStep]


class DataFlag(BaseModel):
    code: str
    detail: str


class ControlStatus(BaseModel):
    """Everything the engine knows about one party's ownership and control on one date."""

    query: str
    date: dt.date
    snapshot: str | None
    found: bool
    party_id: str | None = None
    name: str | None = None
    country: str | None = None
    headquarters: str | None = None
    headquarters_for_test: str | None = None
    listed: list[ListingRef] = Field(default_factory=list)
    regimes: dict[str, RegimeStatus] = Field(default_factory=dict)
    look_through_ppm: int = 0
    look_through_converged: bool = True
    ultimate_parent: ParentInfo | None = None
    relatives: list[Relative] = Field(default_factory=list)
    flags: list[DataFlag] = Field(default_factory=list)
    candidates: list[str] = Field(default_factory=list)  # other parties the query matched

    @property
    def is_listed(self) -> bool:
        return any(True for _ in self.listed)

    @property
    def captured(self) -> bool:
        """Listed or captured under a regime that is (or may be) in force: what exit status 1 means."""
        return self.is_listed or any(r.applies for r in self.regimes.values())
