"""The embedded store: one DuckDB file holding immutable datasets and the snapshots composed of them.

A *dataset* is one imported file (or OFAC file set), identified by its content hash and never changed.
A *snapshot* says, for each list code (EL, MEU, SDN, ...), which dataset supplies it. Loading a file
makes a new snapshot from the previous one with the loaded lists re-pointed, so older snapshots stay
answerable for audits, and ``lists diff`` compares any two. Snapshot ids are content hashes of that
composition: the same lists give the same id on every machine, which makes decisions reproducible.

All writes of one import happen in one transaction on a copy of the file, which replaces the live file only
when complete (``files``, ``lock``): a failure or a ``kill -9`` leaves the previous snapshot untouched, and
readers never wait for a writer. Each write leaves a verified backup (``backup``); a load may not shrink a list
past the guard's bounds (``guard``).
The tables are declared in ``schema``, written by ``loading``, read by ``reading`` and compared by ``diff``;
``Store`` is the one object the engines hold.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

import chipscreen.store.loading as loading
import chipscreen.store.reading as reading
import chipscreen.store.schema as schema
from chipscreen.errors import ChipscreenError, NotFoundError
from chipscreen.sources.base import ParsedDataset
from chipscreen.store import backup, files, guard
from chipscreen.store.diff import diff_entries
from chipscreen.store.lock import Notify, ReadOnlyHomeError, read_only_home, to_stderr, writer_lock
from chipscreen.store.params import execute_plain
from chipscreen.store.records import DatasetInfo, DiffRow, ListedEntry, LoadResult, SnapshotInfo
from chipscreen.store.schema import SCHEMA_VERSION
from chipscreen.store.settings import safety

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

    Constructing one opens the live file read-only (creating it, with its tables, when there is none yet),
    nothing more: the bundled lists are loaded by ``chipscreen.bundled.open_store``. Reading never waits for
    a writer: writes go to a copy that replaces the live file atomically when it is complete (``files``), so
    any number of readers keep answering from the snapshot they opened while one process writes, and
    ``refresh`` moves a long-lived reader (a service) onto the newest store between requests.
    ``Store(home, read_only=True)`` is the reader that never writes (nor creates) anything.
    """

    def __init__(self, home: Path | str | None = None, *, read_only: bool = False,
                 wait: float | None = None) -> None:
        self.home = Path(home) if home else default_home()
        self.path = self.home / files.STORE_FILE
        self.read_only = read_only
        # how long a write waits for another process's write (``lock``); ``notify`` says that it waits
        self.wait_seconds = safety().wait_seconds if wait is None else wait
        self.notify: Notify = to_stderr
        # Bumped by every committed write through this object and by a ``refresh`` that found a newer file,
        # so engines may cache what they read until it changes instead of asking the database each time.
        self.generation = 0
        # in memory; the store file is attached to it as ``store``; its buffers bounded (data/store/safety.yml)
        self.con = duckdb.connect(config={"memory_limit": f"{safety().duckdb_mb}MB",
                                          "temp_directory": str(self.home / "cache" / "duckdb-spill")})
        self._live: tuple[int, int] | None = None
        self._work: Path | None = None
        self._dirty = False
        self._standins: set[str] = set()  # ``ensure_tables``' temporary stand-ins, dropped on a new file
        if self.path.exists():
            self._attach_live()
        elif read_only:
            raise NotFoundError(f"{self.path}: no store here yet (a first command on a writable home creates it)")
        else:
            with self.writing():
                self._dirty = True  # a new, empty store with its tables

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading and writing the file
    def _attach_live(self) -> None:
        files.attach(self.con, self.path, read_only=True)
        st = self.path.stat()
        self._live = (st.st_ino, st.st_mtime_ns)

    def refresh(self) -> bool:
        """Read the newest live store if another process has replaced it since this one opened it. Returns
        whether it changed. Never waits: a write in progress is not visible until it is complete."""
        if self._work is not None:
            return False
        st = self.path.stat()
        if self._live == (st.st_ino, st.st_mtime_ns):
            return False
        files.detach(self.con, checkpoint=False)
        self._drop_standins()
        self._attach_live()
        self.generation += 1
        return True

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writer lock and write to a copy of the live store; publish the copy if a transaction
        committed in the block, discard it otherwise. Re-entrant: ``transaction`` and ``load`` use it."""
        if self._work is not None:
            yield
            return
        if self.read_only:
            raise ReadOnlyHomeError(f"{self.path}: this store was opened read-only; nothing can be written")
        settings = safety()
        with writer_lock(self.home, wait=self.wait_seconds, poll=settings.poll_seconds, notify=self.notify):
            self._begin_write()
            try:
                yield
            except duckdb.IOException as exc:  # a full disk or a file size limit while writing the copy
                self._end_write(publish=False)
                raise self._failed(exc) from None
            except BaseException:
                self._end_write(publish=False)
                raise
            try:
                self._end_write(publish=self._dirty)
            except (OSError, duckdb.IOException) as exc:
                raise self._failed(exc) from None

    def _failed(self, exc: BaseException) -> ChipscreenError:
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return ChipscreenError(f"{self.path}: writing the store failed ({reason}); the store was left as it was")

    def _begin_write(self) -> None:
        if self._live is not None:
            files.detach(self.con, checkpoint=False)
            self._live = None
        self._drop_standins()
        try:
            work = files.start(self.path)
        except OSError as exc:
            if self.path.exists():
                self._attach_live()
            raise read_only_home(self.home, exc) from None
        self._work, self._dirty = work, False
        try:
            files.attach(self.con, work, read_only=False)
            schema.create(self.con)
        except BaseException:
            self._work = None
            files.discard(work)
            if self.path.exists():
                self._attach_live()
            raise

    def _end_write(self, *, publish: bool) -> None:
        work, self._work = self._work, None
        assert work is not None
        try:
            files.detach(self.con, checkpoint=publish)
            if publish:
                files.publish(work, self.path)
        finally:
            files.discard(work)
            if self.path.exists():
                self._attach_live()
        if publish:
            self._save_backup()

    def _save_backup(self) -> None:
        """A backup failure (a full disk) leaves the committed write in place and says so."""
        try:
            backup.save(self.path, safety().backups_kept)
        except OSError as exc:
            self.notify(f"warning: the store was written but its backup was not ({exc.strerror or exc})")

    def ensure_tables(self, tables: Mapping[str, str]) -> None:
        """Tables an engine keeps in the store (name -> column definitions). While this object writes they are
        created in the store; a reader of a store that has none gets empty temporary stand-ins, so that it
        answers "no data" without writing (a read-only home, another process writing)."""
        if self._work is not None:
            self._drop_standins()
            for name, columns in tables.items():
                self.con.execute(f"CREATE TABLE IF NOT EXISTS {files.ALIAS}.main.{name} ({columns})")
            return
        for name, columns in tables.items():
            held = execute_plain(
                self.con,
                "SELECT 1 FROM duckdb_tables() WHERE database_name = ? AND table_name = ?",
                [files.ALIAS, name],
            ).fetchone()
            if held is None:
                self.con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns})")
                self._standins.add(name)

    def _drop_standins(self) -> None:
        for name in sorted(self._standins):
            self.con.execute(f"DROP TABLE IF EXISTS temp.main.{name}")
        self._standins.clear()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All-or-nothing writes; engines that keep their own tables (ownership) use it too."""
        with self.writing():
            self.con.execute("BEGIN TRANSACTION")
            try:
                yield self.con
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            self.con.execute("COMMIT")
            self._dirty = True
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
    def load(
        self,
        parsed: Sequence[ParsedDataset],
        *,
        note: str | None = None,
        replace: bool = False,
        accept_shrink: bool = False,
    ) -> LoadResult:
        """Store the datasets and make the snapshot that points each of their lists at them.

        For each list code the newest data wins (by retrieved date) unless ``replace`` is set, so that
        loading an old file for reference never silently rolls a current list back; and a load that would
        shrink a list past the guard's bounds (``guard``) is refused unless ``accept_shrink`` is set.
        """
        with self.transaction() as con:
            prev_id = reading.latest_snapshot_id(con)
            before = reading.counts(con, reading.snapshot_by_prefix(con, prev_id)) if prev_id else {}
            result = loading.load(con, parsed, note=note, replace=replace)
            if not accept_shrink:
                guard.refuse_shrinks(before, reading.counts(con, result.snapshot), result.replaced)
            return result

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

    def differing_entities(self, old: SnapshotRef, new: SnapshotRef, lists: Sequence[str] | None = None) -> list[str]:
        """The entity ids whose stored values differ between two snapshots (``reading.differing_entities``): the
        entries a diff must build and compare."""
        return reading.differing_entities(self.con, self._resolve(old), self._resolve(new), lists)

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
