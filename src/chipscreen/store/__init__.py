"""The embedded store: one DuckDB file holding immutable datasets and the snapshots composed of them.

A *dataset* is one imported file (or OFAC file set), identified by its content hash and never changed.
A *snapshot* says, for each list code (EL, MEU, SDN, ...), which dataset supplies it. Loading a file
makes a new snapshot from the previous one with the loaded lists re-pointed, so older snapshots stay
answerable for audits, and ``lists diff`` compares any two. Snapshot ids are content hashes of that
composition: the same lists give the same id on every machine, which makes decisions reproducible.

All writes of one import happen in one transaction: a failure leaves the previous snapshot untouched.
The tables are declared in ``schema``, written by ``loading``, read by ``reading`` and compared by ``diff``;
``Store`` is the one object the engines hold.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

import chipscreen.store.loading as loading
import chipscreen.store.reading as reading
import chipscreen.store.schema as schema
from chipscreen.errors import NotFoundError
from chipscreen.sources.base import ParsedDataset
from chipscreen.store.diff import diff_entries
from chipscreen.store.records import DatasetInfo, DiffRow, ListedEntry, LoadResult, SnapshotInfo
from chipscreen.store.schema import SCHEMA_VERSION

__all__ = [
    "SCHEMA_VERSION",
    "DatasetInfo",
    "DiffRow",
    "ListedEntry",
    "LoadResult",
    "SnapshotInfo",
    "SnapshotRef",
    "Store",
    "default_home",
]

SnapshotRef = str | SnapshotInfo | None
"""A snapshot id, unique id prefix, ``latest``, ``latest~N``, a resolved snapshot, or None for the latest."""


def default_home() -> Path:
    env = os.environ.get("CHIPSCREEN_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share") / "chipscreen"


class Store:
    """The DuckDB file under ``$CHIPSCREEN_HOME``. Engines read it; only ``load`` writes list data.

    Constructing one opens (or creates) the file and its tables, nothing more: the bundled lists are
    loaded by ``chipscreen.bundled.open_store``."""

    def __init__(self, home: Path | str | None = None, *, read_only: bool = False) -> None:
        self.home = Path(home) if home else default_home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.path = self.home / "chipscreen.duckdb"
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        # Bumped by every committed write through this object. DuckDB lets one process write a file at a time,
        # so engines may cache what they read until it changes instead of asking the database each time.
        self.generation = 0
        if not read_only:
            schema.create(self.con)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing writes; engines that keep their own tables (ownership) use it too."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self.con
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")
        self.generation += 1

    # ------------------------------------------------------------------ snapshots and datasets
    def latest_snapshot(self) -> SnapshotInfo | None:
        sid = reading.latest_snapshot_id(self.con)
        return self.snapshot(sid) if sid else None

    def snapshots(self) -> list[SnapshotInfo]:
        return [self.snapshot(i) for i in reading.snapshot_ids(self.con)]

    def snapshot(self, ref: str | None = None) -> SnapshotInfo:
        """A snapshot by id, unique id prefix, ``latest``, or ``latest~N`` (N loads before the latest)."""
        if ref is None or ref == "latest":
            snap = self.latest_snapshot()
            if snap is None:
                raise NotFoundError("no snapshot yet: load a list with `chipscreen lists load FILE`")
            return snap
        if ref.startswith("latest~"):
            sid = reading.latest_snapshot_id(self.con, back=int(ref.split("~", 1)[1]))
            if sid is None:
                raise NotFoundError(f"there is no snapshot {ref}")
            ref = sid
        return reading.snapshot_by_prefix(self.con, ref)

    def _resolve(self, snapshot: SnapshotRef) -> SnapshotInfo:
        return snapshot if isinstance(snapshot, SnapshotInfo) else self.snapshot(snapshot)

    def dataset(self, dataset_id: str) -> DatasetInfo:
        return reading.dataset(self.con, dataset_id)

    def datasets(self) -> list[DatasetInfo]:
        return [self.dataset(i) for i in reading.dataset_ids(self.con)]

    def resolve_dataset(self, ref: str) -> str:
        return reading.resolve_dataset(self.con, ref)

    # ------------------------------------------------------------------ loading
    def load(self, parsed: Sequence[ParsedDataset], *, note: str | None = None, replace: bool = False) -> LoadResult:
        """Store the datasets and make the snapshot that points each of their lists at them.

        For each list code the newest data wins (by retrieved date) unless ``replace`` is set, so that
        loading an old file for reference never silently rolls a current list back.
        """
        with self.transaction() as con:
            return loading.load(con, parsed, note=note, replace=replace)

    # ------------------------------------------------------------------ listings
    def names_table(self, snapshot: SnapshotRef = None, lists: Sequence[str] | None = None) -> pa.Table:
        """Every name and alias in a snapshot with the listing dates, for the name index (one row per name)."""
        return reading.names_table(self.con, self._resolve(snapshot), lists)

    def identifiers_table(self, snapshot: SnapshotRef = None, lists: Sequence[str] | None = None) -> pa.Table:
        return reading.identifiers_table(self.con, self._resolve(snapshot), lists)

    def relations_table(self, snapshot: SnapshotRef = None) -> pa.Table:
        """Links the lists' own text states (OFAC "Linked To", CSL "Affiliated Entity") in a snapshot."""
        return reading.relations_table(self.con, self._resolve(snapshot))

    def entries(
        self,
        snapshot: SnapshotRef = None,
        as_of: dt.date | None = None,
        lists: Sequence[str] | None = None,
        entity_ids: Sequence[str] | None = None,
    ) -> list[ListedEntry]:
        """Entries as domain objects (for explanations and small result sets, not for bulk scans)."""
        return reading.entries(self.con, self._resolve(snapshot), as_of, lists, entity_ids)

    def listing_facts(
        self, snapshot: SnapshotRef = None, lists: Sequence[str] | None = None
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """Listing dates, citations and licence text per (list code, entity id): the evidence a decision
        cites, read for a whole list in one query instead of entry by entry."""
        return reading.listing_facts(self.con, self._resolve(snapshot), lists)

    def counts(self, snapshot: SnapshotRef = None) -> dict[str, int]:
        """Entries per list code in a snapshot."""
        return reading.counts(self.con, self._resolve(snapshot))

    # ------------------------------------------------------------------ diff
    def diff(self, old: SnapshotRef, new: SnapshotRef, lists: Sequence[str] | None = None) -> list[DiffRow]:
        """Entries added, removed and changed between two snapshots: what a compliance team reviews
        after each list update. Entries are matched by their stable entity id."""
        a, b = self._resolve(old), self._resolve(new)
        return diff_entries(self.entries(a, lists=lists), self.entries(b, lists=lists))

    def diff_datasets(self, old: str, new: str, lists: Sequence[str] | None = None) -> list[DiffRow]:
        """Same as ``diff`` but between two datasets, whatever snapshots point at them."""

        def pseudo(did: str) -> SnapshotInfo:
            info = self.dataset(did)
            return SnapshotInfo(did, 0, info.loaded_at, None, None, {c: did for c in info.list_codes})

        return diff_entries(self.entries(pseudo(old), lists=lists), self.entries(pseudo(new), lists=lists))
