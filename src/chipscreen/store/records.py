"""What the store hands back: dataset and snapshot descriptions, listed entries, load and diff results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from chipscreen.model import Listing, Party

Change = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class DatasetInfo:
    """One row of the ``datasets`` table; the fields follow its columns in order."""

    id: str
    name: str
    format: str
    path: str
    sha256: str
    retrieved: dt.date
    loaded_at: dt.datetime
    rows_read: int
    entries: int
    relations: int
    skipped: int
    list_codes: list[str]


@dataclass(frozen=True)
class SnapshotInfo:
    id: str
    seq: int
    created_at: dt.datetime
    parent: str | None
    note: str | None
    lists: dict[str, str] = field(default_factory=dict)  # list_code -> dataset id


@dataclass
class ListedEntry:
    """A party as listed on one list in one snapshot: what screening returns and decisions cite."""

    party: Party
    listing: Listing
    dataset_id: str


@dataclass
class LoadResult:
    snapshot: SnapshotInfo
    datasets: list[DatasetInfo]
    replaced: dict[str, tuple[str | None, str]]  # list_code -> (old dataset, new dataset)
    kept_newer: dict[str, str]  # list_code -> dataset kept because it is newer than the loaded one
    skipped_rows: int


@dataclass
class DiffRow:
    entity_id: str
    list_code: str
    name: str
    change: Change
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)
