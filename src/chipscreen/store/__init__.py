"""The embedded store: one DuckDB file holding immutable datasets and the snapshots composed of them.

A *dataset* is one imported file (or OFAC file set), identified by its content hash and never changed.
A *snapshot* says, for each list code (EL, MEU, SDN, ...), which dataset supplies it. Loading a file
makes a new snapshot from the previous one with the loaded lists re-pointed, so older snapshots stay
answerable for audits, and ``lists diff`` compares any two. Snapshot ids are content hashes of that
composition: the same lists give the same id on every machine, which makes decisions reproducible.

All writes of one import happen in one transaction: a failure leaves the previous snapshot untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from chipscreen.errors import NotFoundError
from chipscreen.model import Address, FRCitation, Identifier, Listing, Name, Party
from chipscreen.sources.base import ParsedDataset

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS datasets (
    id VARCHAR PRIMARY KEY, name VARCHAR, format VARCHAR, path VARCHAR, sha256 VARCHAR,
    retrieved DATE, loaded_at TIMESTAMP, rows_read INTEGER, entries INTEGER, relations INTEGER,
    skipped INTEGER, list_codes VARCHAR[]);
CREATE TABLE IF NOT EXISTS snapshots (
    id VARCHAR PRIMARY KEY, seq INTEGER, created_at TIMESTAMP, parent VARCHAR, note VARCHAR);
CREATE TABLE IF NOT EXISTS snapshot_lists (snapshot_id VARCHAR, list_code VARCHAR, dataset_id VARCHAR);
CREATE TABLE IF NOT EXISTS entries (
    dataset_id VARCHAR, entity_id VARCHAR, list_code VARCHAR, kind VARCHAR, name VARCHAR,
    country VARCHAR, headquarters VARCHAR, addresses VARCHAR, start_date DATE, end_date DATE,
    license_requirement VARCHAR, review_policy VARCHAR, federal_register VARCHAR, footnotes INTEGER[],
    programs VARCHAR[], remarks VARCHAR);
CREATE TABLE IF NOT EXISTS names (
    dataset_id VARCHAR, entity_id VARCHAR, list_code VARCHAR, name VARCHAR, kind VARCHAR, script VARCHAR);
CREATE TABLE IF NOT EXISTS identifiers (
    dataset_id VARCHAR, entity_id VARCHAR, list_code VARCHAR, scheme VARCHAR, value VARCHAR, country VARCHAR);
CREATE TABLE IF NOT EXISTS list_relations (
    dataset_id VARCHAR, owner_id VARCHAR, owner_name VARCHAR, owned_id VARCHAR, owned_name VARCHAR,
    kind VARCHAR, share_ppm BIGINT, share_min_ppm BIGINT, share_max_ppm BIGINT, start_date DATE,
    end_date DATE, evidence VARCHAR);
"""


def default_home() -> Path:
    env = os.environ.get("CHIPSCREEN_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share") / "chipscreen"


@dataclass(frozen=True)
class DatasetInfo:
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
    change: str  # "added" | "removed" | "changed"
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)


class Store:
    """The DuckDB file under ``$CHIPSCREEN_HOME``. Engines read it; only ``load`` writes list data."""

    def __init__(self, home: Path | str | None = None, *, read_only: bool = False):
        self.home = Path(home) if home else default_home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.path = self.home / "chipscreen.duckdb"
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        # Bumped by every committed write through this object. DuckDB lets one process write a file at a time,
        # so engines may cache what they read until it changes instead of asking the database each time.
        self.generation = 0
        if not read_only:
            self.con.execute(_SCHEMA)
            self.con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

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

    # ------------------------------------------------------------------ snapshots
    def latest_snapshot(self) -> SnapshotInfo | None:
        row = self.con.execute("SELECT id FROM snapshots ORDER BY seq DESC LIMIT 1").fetchone()
        return self.snapshot(row[0]) if row else None

    def snapshots(self) -> list[SnapshotInfo]:
        ids = [r[0] for r in self.con.execute("SELECT id FROM snapshots ORDER BY seq").fetchall()]
        return [self.snapshot(i) for i in ids]

    def snapshot(self, ref: str | None = None) -> SnapshotInfo:
        """A snapshot by id, unique id prefix, ``latest``, or ``latest~N`` (N loads before the latest)."""
        if ref is None or ref == "latest":
            snap = self.latest_snapshot()
            if snap is None:
                raise NotFoundError("no snapshot yet: load a list with `chipscreen lists load FILE`")
            return snap
        if ref.startswith("latest~"):
            back = int(ref.split("~", 1)[1])
            row = self.con.execute("SELECT id FROM snapshots ORDER BY seq DESC LIMIT 1 OFFSET ?", [back]).fetchone()
            if not row:
                raise NotFoundError(f"there is no snapshot {ref}")
            ref = str(row[0])
        rows = self.con.execute(
            "SELECT id, seq, created_at, parent, note FROM snapshots WHERE id LIKE ? || '%'", [ref]
        ).fetchall()
        if not rows:
            raise NotFoundError(f"unknown snapshot {ref!r} (see `chipscreen lists show`)")
        if len(rows) > 1:
            raise NotFoundError(f"snapshot prefix {ref!r} is ambiguous")
        sid, seq, created, parent, note = rows[0]
        lists = dict(
            self.con.execute(
                "SELECT list_code, dataset_id FROM snapshot_lists WHERE snapshot_id = ? ORDER BY list_code",
                [sid],
            ).fetchall()
        )
        return SnapshotInfo(sid, seq, created, parent, note, lists)

    def dataset(self, dataset_id: str) -> DatasetInfo:
        row = self.con.execute(
            "SELECT id, name, format, path, sha256, retrieved, loaded_at, rows_read, entries, relations,"
            " skipped, list_codes FROM datasets WHERE id = ?",
            [dataset_id],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"unknown dataset {dataset_id!r}")
        fields = dict(zip(DatasetInfo.__dataclass_fields__, row, strict=True))
        fields["list_codes"] = list(fields["list_codes"] or [])
        return DatasetInfo(**fields)

    def datasets(self) -> list[DatasetInfo]:
        ids = [r[0] for r in self.con.execute("SELECT id FROM datasets ORDER BY loaded_at, id").fetchall()]
        return [self.dataset(i) for i in ids]

    # ------------------------------------------------------------------ loading
    def load(self, parsed: Sequence[ParsedDataset], *, note: str | None = None, replace: bool = False) -> LoadResult:
        """Store the datasets and make the snapshot that points each of their lists at them.

        For each list code the newest data wins (by retrieved date) unless ``replace`` is set, so that
        loading an old file for reference never silently rolls a current list back.
        """
        prev = self.latest_snapshot()
        pointers: dict[str, str] = dict(prev.lists) if prev else {}
        replaced: dict[str, tuple[str | None, str]] = {}
        kept: dict[str, str] = {}
        infos: list[DatasetInfo] = []
        with self.transaction() as con:
            for ds in parsed:
                did = _dataset_id(ds)
                if con.execute("SELECT 1 FROM datasets WHERE id = ?", [did]).fetchone() is None:
                    self._insert_dataset(did, ds)
                    if ds.is_delta:
                        self._apply_delta(did, ds, pointers)
                info = self.dataset(did)
                infos.append(info)
                for code in info.list_codes:
                    old = pointers.get(code)
                    if old == did:
                        continue
                    if old and not replace and self.dataset(old).retrieved > info.retrieved:
                        kept[code] = old
                        continue
                    pointers[code] = did
                    replaced[code] = (old, did)
            snap_id = _snapshot_id(pointers)
            exists = con.execute("SELECT 1 FROM snapshots WHERE id = ?", [snap_id]).fetchone()
            if not exists:
                seq_row = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM snapshots").fetchone()
                seq = int(seq_row[0]) if seq_row else 1
                con.execute(
                    "INSERT INTO snapshots VALUES (?, ?, ?, ?, ?)",
                    [snap_id, seq, dt.datetime.now(dt.UTC).replace(tzinfo=None), prev.id if prev else None, note],
                )
                con.executemany(
                    "INSERT INTO snapshot_lists VALUES (?, ?, ?)",
                    [(snap_id, code, did) for code, did in sorted(pointers.items())],
                )
        return LoadResult(
            snapshot=self.snapshot(snap_id),
            datasets=infos,
            replaced=replaced,
            kept_newer=kept,
            skipped_rows=sum(len(d.skipped) for d in parsed),
        )

    def _insert_dataset(self, did: str, ds: ParsedDataset) -> None:
        con = self.con
        entry_rows: dict[str, list[Any]] = {k: [] for k in _ENTRY_COLS}
        name_rows: dict[str, list[Any]] = {
            k: [] for k in ("dataset_id", "entity_id", "list_code", "name", "kind", "script")
        }
        id_rows: dict[str, list[Any]] = {
            k: [] for k in ("dataset_id", "entity_id", "list_code", "scheme", "value", "country")
        }
        for e in ds.entries:
            p, li = e.party, e.listing
            values = [
                did,
                p.id,
                li.list_code,
                p.kind,
                p.name,
                p.country,
                p.headquarters,
                json.dumps([a.model_dump() for a in p.addresses], ensure_ascii=False),
                li.start_date,
                li.end_date,
                li.license_requirement,
                li.review_policy,
                json.dumps([c.model_dump(mode="json") for c in li.federal_register], ensure_ascii=False),
                li.footnotes,
                li.programs,
                li.remarks,
            ]
            for k, v in zip(_ENTRY_COLS, values, strict=True):
                entry_rows[k].append(v)
            for n in p.names:
                for k, v in zip(name_rows, (did, p.id, li.list_code, n.value, n.kind, n.script), strict=True):
                    name_rows[k].append(v)
            for i in p.identifiers:
                for k, v in zip(id_rows, (did, p.id, li.list_code, i.scheme, i.value, i.country), strict=True):
                    id_rows[k].append(v)
        _bulk_insert(con, "entries", entry_rows, _ENTRY_TYPES)
        _bulk_insert(con, "names", name_rows)
        _bulk_insert(con, "identifiers", id_rows)
        rel_rows: dict[str, list[Any]] = {k: [] for k in _REL_COLS}
        for r in ds.relations:
            rel_values: list[Any] = [
                did,
                r.owner_id,
                r.owner_name,
                r.owned_id,
                r.owned_name,
                r.kind,
                r.share_ppm,
                r.share_min_ppm,
                r.share_max_ppm,
                r.start_date,
                r.end_date,
                r.evidence,
            ]
            for k, v in zip(_REL_COLS, rel_values, strict=True):
                rel_rows[k].append(v)
        _bulk_insert(con, "list_relations", rel_rows, _REL_TYPES)
        con.execute(
            "INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                did,
                ds.name,
                ds.format,
                ds.path,
                ds.sha256,
                ds.retrieved,
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                ds.rows_read,
                len(ds.entries),
                len(ds.relations),
                len(ds.skipped),
                ds.list_codes,
            ],
        )

    def _apply_delta(self, did: str, ds: ParsedDataset, pointers: dict[str, str]) -> None:
        """A delta dataset holds its own ADD/MOD entries; copy the rest of each list it touches from the
        dataset it follows, less what it deletes or modifies, so that the result is again a full list."""
        touched = {e.party.id for e in ds.entries} | set(ds.deleted_ids)
        codes = set(ds.list_codes)
        if ds.deleted_ids:
            marks = ",".join("?" for _ in ds.deleted_ids)
            for code, base in pointers.items():
                hit = self.con.execute(
                    f"SELECT 1 FROM entries WHERE dataset_id = ? AND list_code = ? AND entity_id IN ({marks}) LIMIT 1",
                    [base, code, *ds.deleted_ids],
                ).fetchone()
                if hit:
                    codes.add(code)
        self.con.execute("CREATE OR REPLACE TEMP TABLE _touched (entity_id VARCHAR)")
        _bulk_insert(self.con, "_touched", {"entity_id": sorted(touched)})
        for code in sorted(codes):
            if code not in pointers:
                continue
            base = pointers[code]
            for table in ("entries", "names", "identifiers"):
                self.con.execute(
                    f"INSERT INTO {table} SELECT * REPLACE (? AS dataset_id) FROM {table} "
                    "WHERE dataset_id = ? AND list_code = ? AND entity_id NOT IN (SELECT entity_id FROM _touched)",
                    [did, base, code],
                )
        bases = sorted({pointers[c] for c in codes if c in pointers})
        if bases:
            self.con.execute(
                "INSERT INTO list_relations SELECT * REPLACE (? AS dataset_id) FROM list_relations "
                f"WHERE dataset_id IN ({','.join('?' for _ in bases)}) "
                "AND coalesce(owner_id, '') NOT IN (SELECT entity_id FROM _touched) "
                "AND coalesce(owned_id, '') NOT IN (SELECT entity_id FROM _touched)",
                [did, *bases],
            )
        counts = self.con.execute("SELECT count(*) FROM entries WHERE dataset_id = ?", [did]).fetchone()
        self.con.execute(
            "UPDATE datasets SET list_codes = ?, entries = ? WHERE id = ?",
            [sorted(codes), counts[0] if counts else 0, did],
        )

    # ------------------------------------------------------------------ queries
    def _scope_sql(self, snapshot: SnapshotInfo, alias: str, lists: Sequence[str] | None) -> tuple[str, list[Any]]:
        """SQL restricting ``alias`` (a table with dataset_id, list_code) to what the snapshot points at."""
        pairs = [(c, d) for c, d in snapshot.lists.items() if not lists or c in lists]
        if not pairs:
            return "FALSE", []
        cond = " OR ".join(f"({alias}.list_code = ? AND {alias}.dataset_id = ?)" for _ in pairs)
        return f"({cond})", [x for pair in pairs for x in pair]

    def names_table(self, snapshot: str | SnapshotInfo | None = None, lists: Sequence[str] | None = None) -> pa.Table:
        """Every name and alias in a snapshot with the listing dates, for the name index (one row per name)."""
        snap = snapshot if isinstance(snapshot, SnapshotInfo) else self.snapshot(snapshot)
        cond, params = self._scope_sql(snap, "n", lists)
        sql = f"""
            SELECT n.entity_id, n.list_code, n.name, n.kind, n.script, e.name AS primary_name, e.country,
                   e.start_date, e.end_date, n.dataset_id
            FROM names n JOIN entries e ON e.dataset_id = n.dataset_id AND e.entity_id = n.entity_id
                 AND e.list_code = n.list_code
            WHERE {cond} ORDER BY n.list_code, n.entity_id, n.kind DESC, n.name"""
        return _arrow(self.con, sql, params)

    def identifiers_table(
        self, snapshot: str | SnapshotInfo | None = None, lists: Sequence[str] | None = None
    ) -> pa.Table:
        snap = snapshot if isinstance(snapshot, SnapshotInfo) else self.snapshot(snapshot)
        cond, params = self._scope_sql(snap, "i", lists)
        sql = f"SELECT i.entity_id, i.list_code, i.scheme, i.value, i.country FROM identifiers i WHERE {cond}"
        return _arrow(self.con, sql, params)

    def relations_table(self, snapshot: str | SnapshotInfo | None = None) -> pa.Table:
        """Links the lists' own text states (OFAC "Linked To", CSL "Affiliated Entity") in a snapshot."""
        snap = snapshot if isinstance(snapshot, SnapshotInfo) else self.snapshot(snapshot)
        dids = sorted(set(snap.lists.values()))
        if not dids:
            return _arrow(self.con, "SELECT * FROM list_relations WHERE FALSE", [])
        marks = ",".join("?" for _ in dids)
        return _arrow(self.con, f"SELECT * FROM list_relations WHERE dataset_id IN ({marks})", dids)

    def entries(
        self,
        snapshot: str | SnapshotInfo | None = None,
        as_of: dt.date | None = None,
        lists: Sequence[str] | None = None,
        entity_ids: Sequence[str] | None = None,
    ) -> list[ListedEntry]:
        """Entries as domain objects (for explanations and small result sets, not for bulk scans)."""
        snap = snapshot if isinstance(snapshot, SnapshotInfo) else self.snapshot(snapshot)
        cond, params = self._scope_sql(snap, "e", lists)
        sql = f"SELECT * FROM entries e WHERE {cond}"
        if as_of is not None:
            sql += " AND (e.start_date IS NULL OR e.start_date <= ?) AND (e.end_date IS NULL OR e.end_date >= ?)"
            params += [as_of, as_of]
        if entity_ids is not None:
            if not entity_ids:
                return []
            sql += f" AND e.entity_id IN ({','.join('?' for _ in entity_ids)})"
            params += list(entity_ids)
        sql += " ORDER BY e.list_code, e.entity_id"
        cur = self.con.execute(sql, params)
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        if not rows:
            return []
        keys = [(r["dataset_id"], r["entity_id"], r["list_code"]) for r in rows]
        names = self._children("names", keys, ("name", "kind", "script"))
        idents = self._children("identifiers", keys, ("scheme", "value", "country"))
        out = []
        for r, key in zip(rows, keys, strict=True):
            party = Party(
                id=r["entity_id"],
                kind=r["kind"],
                names=[Name(value=n, kind=k, script=s) for n, k, s in names.get(key, [])],
                country=r["country"],
                headquarters=r["headquarters"],
                addresses=[Address(**a) for a in json.loads(r["addresses"] or "[]")],
                identifiers=[Identifier(scheme=s, value=v, country=c) for s, v, c in idents.get(key, [])],
            )
            listing = Listing(
                party_id=r["entity_id"],
                list_code=r["list_code"],
                source=r["dataset_id"],
                start_date=r["start_date"],
                end_date=r["end_date"],
                license_requirement=r["license_requirement"],
                review_policy=r["review_policy"],
                federal_register=[FRCitation(**c) for c in json.loads(r["federal_register"] or "[]")],
                footnotes=list(r["footnotes"] or []),
                programs=list(r["programs"] or []),
                remarks=r["remarks"],
            )
            out.append(ListedEntry(party=party, listing=listing, dataset_id=r["dataset_id"]))
        return out

    def listing_facts(
        self, snapshot: str | SnapshotInfo | None = None, lists: Sequence[str] | None = None
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """Listing dates, citations and licence text per (list code, entity id): the evidence a decision
        cites, read for a whole list in one query instead of entry by entry."""
        snap = snapshot if isinstance(snapshot, SnapshotInfo) else self.snapshot(snapshot)
        cond, params = self._scope_sql(snap, "e", lists)
        rows = self.con.execute(
            "SELECT list_code, entity_id, start_date, end_date, federal_register, license_requirement, footnotes,"
            f" dataset_id FROM entries e WHERE {cond}",
            params,
        ).fetchall()
        return {
            (code, eid): {
                "listed_since": start.isoformat() if start else None,
                "listed_until": end.isoformat() if end else None,
                "federal_register": [c["text"] for c in json.loads(cites or "[]")],
                "license_requirement": licence,
                "footnotes": list(footnotes or []),
                "dataset": did,
            }
            for code, eid, start, end, cites, licence, footnotes, did in rows
        }

    def _children(
        self, table: str, keys: list[tuple[str, str, str]], cols: tuple[str, ...]
    ) -> dict[tuple[str, str, str], list[tuple[Any, ...]]]:
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE _keys (dataset_id VARCHAR, entity_id VARCHAR, list_code VARCHAR)"
        )
        _bulk_insert(
            self.con,
            "_keys",
            {
                "dataset_id": [k[0] for k in keys],
                "entity_id": [k[1] for k in keys],
                "list_code": [k[2] for k in keys],
            },
        )
        order = "CASE t.kind WHEN 'primary' THEN 0 ELSE 1 END, " if table == "names" else ""
        rows = self.con.execute(
            f"SELECT t.dataset_id, t.entity_id, t.list_code, {', '.join('t.' + c for c in cols)} FROM {table} t "
            f"JOIN _keys k USING (dataset_id, entity_id, list_code) ORDER BY {order}t.rowid"
        ).fetchall()
        out: dict[tuple[str, str, str], list[tuple[Any, ...]]] = {}
        for row in rows:
            out.setdefault((row[0], row[1], row[2]), []).append(tuple(row[3:]))
        return out

    def counts(self, snapshot: str | SnapshotInfo | None = None) -> dict[str, int]:
        """Entries per list code in a snapshot."""
        snap = snapshot if isinstance(snapshot, SnapshotInfo) else self.snapshot(snapshot)
        cond, params = self._scope_sql(snap, "e", None)
        return dict(
            self.con.execute(
                f"SELECT list_code, count(*) FROM entries e WHERE {cond} GROUP BY 1 ORDER BY 1", params
            ).fetchall()
        )

    # ------------------------------------------------------------------ diff
    def diff(
        self, old: str | SnapshotInfo | None, new: str | SnapshotInfo | None, lists: Sequence[str] | None = None
    ) -> list[DiffRow]:
        """Entries added, removed and changed between two snapshots: what a compliance team reviews
        after each list update. Entries are matched by their stable entity id."""
        a = old if isinstance(old, SnapshotInfo) else self.snapshot(old)
        b = new if isinstance(new, SnapshotInfo) else self.snapshot(new)
        return _diff_entries(self.entries(a, lists=lists), self.entries(b, lists=lists))

    def diff_datasets(self, old: str, new: str, lists: Sequence[str] | None = None) -> list[DiffRow]:
        """Same as ``diff`` but between two datasets, whatever snapshots point at them."""

        def pseudo(did: str) -> SnapshotInfo:
            info = self.dataset(did)
            return SnapshotInfo(did, 0, info.loaded_at, None, None, {c: did for c in info.list_codes})

        return _diff_entries(self.entries(pseudo(old), lists=lists), self.entries(pseudo(new), lists=lists))

    def resolve_dataset(self, ref: str) -> str:
        rows = self.con.execute("SELECT id FROM datasets WHERE id LIKE ? || '%' OR name = ?", [ref, ref]).fetchall()
        if len(rows) != 1:
            raise NotFoundError(f"no single dataset matches {ref!r}")
        return str(rows[0][0])


_ENTRY_COLS = (
    "dataset_id",
    "entity_id",
    "list_code",
    "kind",
    "name",
    "country",
    "headquarters",
    "addresses",
    "start_date",
    "end_date",
    "license_requirement",
    "review_policy",
    "federal_register",
    "footnotes",
    "programs",
    "remarks",
)
_ENTRY_TYPES = {
    "start_date": pa.date32(),
    "end_date": pa.date32(),
    "footnotes": pa.list_(pa.int32()),
    "programs": pa.list_(pa.string()),
}
_REL_COLS = (
    "dataset_id",
    "owner_id",
    "owner_name",
    "owned_id",
    "owned_name",
    "kind",
    "share_ppm",
    "share_min_ppm",
    "share_max_ppm",
    "start_date",
    "end_date",
    "evidence",
)
_REL_TYPES = {
    "share_ppm": pa.int64(),
    "share_min_ppm": pa.int64(),
    "share_max_ppm": pa.int64(),
    "start_date": pa.date32(),
    "end_date": pa.date32(),
}


def _arrow(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> pa.Table:
    """A query's result as an Arrow table, through a relation (the method's name changed in DuckDB 2)."""
    rel = con.sql(sql, params=params)
    fetch = getattr(rel, "to_arrow_table", None) or getattr(rel, "arrow")  # noqa: B009
    table: pa.Table = fetch()
    return table


def _bulk_insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, list[Any]],
    types: dict[str, pa.DataType] | None = None,
) -> None:
    """Insert column lists through Arrow: orders of magnitude faster than executemany in DuckDB."""
    if not columns or not next(iter(columns.values())):
        return
    types = types or {}
    arrays = {k: pa.array(v, type=types.get(k, pa.string())) for k, v in columns.items()}
    batch = pa.table(arrays)  # noqa: F841 - referenced by name in the SQL below
    con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM batch")


def _dataset_id(ds: ParsedDataset) -> str:
    return "d" + hashlib.sha256(f"{ds.format}|{ds.sha256}|{ds.retrieved}".encode()).hexdigest()[:11]


def _snapshot_id(pointers: dict[str, str]) -> str:
    canon = json.dumps(sorted(pointers.items()))
    return "s" + hashlib.sha256(canon.encode()).hexdigest()[:11]


_DIFF_FIELDS = (
    "name",
    "country",
    "aliases",
    "addresses",
    "start_date",
    "end_date",
    "license_requirement",
    "review_policy",
    "federal_register",
    "footnotes",
    "identifiers",
)


def _norm_text(text: str) -> str:
    """Case, punctuation and spacing differ between list formats for the same content."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split())


def _entry_view(e: ListedEntry) -> dict[str, Any]:
    """What a list update can change about an entry, in a form that ignores formatting differences
    (the CSL writes "85 FR 34505" where the eCFR writes "85 FR 34505, 6/5/20.")."""
    return {
        "name": e.party.name,
        "country": e.party.country,
        "aliases": sorted({n.value for n in e.party.names if n.kind != "primary"}),
        "addresses": sorted({_norm_text(a.text) for a in e.party.addresses}),
        "start_date": e.listing.start_date.isoformat() if e.listing.start_date else None,
        "end_date": e.listing.end_date.isoformat() if e.listing.end_date else None,
        "license_requirement": _norm_text(e.listing.license_requirement or "") or None,
        "review_policy": _norm_text(e.listing.review_policy or "") or None,
        "federal_register": sorted(
            {f"{c.volume} FR {c.page}" if c.page else c.text for c in e.listing.federal_register}
        ),
        "footnotes": sorted(e.listing.footnotes),
        "identifiers": sorted(f"{i.scheme}:{i.value}" for i in e.party.identifiers),
    }


# Fields a source format may simply not carry (the 2026 eCFR extract has no review-policy column): a value
# on one side and nothing on the other is not a change of the listing.
_OPTIONAL_FIELDS = ("review_policy", "license_requirement", "footnotes", "identifiers")


def _diff_entries(old: list[ListedEntry], new: list[ListedEntry]) -> list[DiffRow]:
    a = {(e.listing.list_code, e.party.id): e for e in old}
    b = {(e.listing.list_code, e.party.id): e for e in new}
    rows: list[DiffRow] = []
    for key in sorted(set(a) | set(b)):
        code, eid = key
        if key not in a:
            rows.append(DiffRow(eid, code, b[key].party.name, "added"))
        elif key not in b:
            rows.append(DiffRow(eid, code, a[key].party.name, "removed"))
        else:
            va, vb = _entry_view(a[key]), _entry_view(b[key])
            changed = {
                f: (va[f], vb[f])
                for f in _DIFF_FIELDS
                if va[f] != vb[f] and (va[f] and vb[f] if f in _OPTIONAL_FIELDS else va[f] or vb[f])
            }
            if changed:
                rows.append(DiffRow(eid, code, b[key].party.name, "changed", changed))
    return rows
