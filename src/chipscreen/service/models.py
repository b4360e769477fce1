"""The wire shapes of the yente-compatible endpoints (yente's ``yente/data/common.py``) for requests and for
the OpenAPI document; chipscreen's own endpoints reuse the Item, Transaction and Decision contracts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

ALGORITHM = "chipscreen"  # the one matching algorithm this service offers (yente's `algorithm` parameter)


class EntityExample(BaseModel):
    id: str | None = None
    schema_: str = Field(alias="schema", examples=["Company"], max_length=100)
    properties: dict[str, str | list[Any]] = Field(examples=[{"name": ["Huawei Technologies"], "country": ["cn"]}])
    model_config = ConfigDict(populate_by_name=True)


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, Any] = Field(default_factory=dict)
    queries: dict[str, EntityExample]


class MatchParameters(BaseModel):
    """/match's query parameters, yente's names and bounds, read as one model: FastAPI validates a model in one
    pass, where nine separate parameters cost about a sixth of the service's time per request."""

    limit: int | None = Field(None, ge=1)
    threshold: float | None = Field(None, ge=0, le=1)
    cutoff: float | None = Field(None, ge=0, le=1)
    algorithm: str = Field(ALGORITHM, max_length=100)
    fuzzy: bool = False
    exclude_entity_ids: list[str] | None = Field(None, max_length=500)
    include_dataset: list[str] | None = Field(None, max_length=100)
    exclude_dataset: list[str] | None = Field(None, max_length=100)
    ignore_cleared: bool | None = Field(
        None, description="chipscreen: leave out the entities the review desk cleared for this party (same name and "
        "country, same entry content), as `chipscreen screen --ignore-cleared` does; unset: data/ui/desk.yml's "
        "queue.api_ignores_cleared (false: yente's behaviour)")


class EntityResponse(BaseModel):
    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[Any]]
    datasets: list[str] = Field(default_factory=list)
    referents: list[str] = Field(default_factory=list)
    target: bool = False
    first_seen: dt.datetime | None = None
    last_seen: dt.datetime | None = None
    last_change: dt.datetime | None = None


class FeatureResult(BaseModel):
    score: float
    detail: str | None = None
    model_config = ConfigDict(extra="allow")


class ScoredEntityResponse(EntityResponse):
    score: float
    match: bool
    features: dict[str, float]
    explanations: dict[str, FeatureResult]


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: dict[str, Any]


class FeatureDoc(BaseModel):
    description: str
    coefficient: float
    url: str


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


class SearchFacetItem(BaseModel):
    name: str
    label: str
    count: int


class SearchFacet(BaseModel):
    label: str
    values: list[SearchFacetItem]


class SearchResponse(BaseModel):
    limit: int
    offset: int
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, SearchFacet]


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    load: bool
    version: str
    index_version: str | None = None
    index_current: bool = True
    children: list[str]
    entity_count: int | None = None


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


class Algorithm(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str


class StatusResponse(BaseModel):
    status: str = "ok"


class ErrorResponse(BaseModel):
    detail: Any
