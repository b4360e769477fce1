"""Writing an import: its datasets (immutable, identified by content) and the snapshot that points at them.

For each list code the newest data wins (by retrieved date) unless the caller asks to replace, so that
loading an old file for reference never silently rolls a current list back. Everything here runs inside
the caller's transaction: a failure leaves the previous snapshot untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from chipscreen.model import Relation
from chipscreen.sources.base import Entry, ParsedDataset, merge_entries
from chipscreen.store.reading import dataset, latest_snapshot_id, snapshot_by_prefix
from chipscreen.store.records import DatasetInfo, LoadResult
from chipscreen.store.schema import (
    DATASETS,
    ENTRIES,
    IDENTIFIERS,
    LIST_RELATIONS,
    LIST_ROW_TABLES,
    NAMES,
    SNAPSHOT_LISTS,
    SNAPSHOTS,
    bulk_insert,
    insert_columns,
)

Row = tuple[Any, ...]


def dataset_id(ds: ParsedDataset) -> str:
    """The same file, in the same format, retrieved the same day, is the same dataset on every machine; a
    parties CSV loaded as another internal list (``--list``) is another dataset."""
    from chipscreen.sources.parties_csv import FORMAT as PARTIES_FORMAT  # its Arrow kernels: only a load needs them
    from chipscreen.sources.parties_csv import LIST_CODE as PARTIES_LIST

    codes = ds.list_codes
    named = f"|{','.join(codes)}" if ds.format == PARTIES_FORMAT and codes != [PARTIES_LIST] else ""
    return "d" + hashlib.sha256(f"{ds.format}|{ds.sha256}|{ds.retrieved}{named}".encode()).hexdigest()[:11]


def snapshot_id(pointers: dict[str, str]) -> str:
    """A content hash of the composition (list code -> dataset), so equal snapshots have equal ids."""
    canon = json.dumps(sorted(pointers.items()))
    return "s" + hashlib.sha256(canon.encode()).hexdigest()[:11]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class _Pointers:
    """The list code -> dataset map being composed, and what re-pointing did to it."""

    lists: dict[str, str]
    replaced: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)

    def point(self, con: duckdb.DuckDBPyConnection, info: DatasetInfo, replace: bool) -> None:
        for code in info.list_codes:
            old = self.lists.get(code)
            if old == info.id:
                continue
            if old and not replace and dataset(con, old).retrieved > info.retrieved:
                self.kept[code] = old
                continue
            self.lists[code] = info.id
            self.replaced[code] = (old, info.id)


def load(
    con: duckdb.DuckDBPyConnection, parsed: Sequence[ParsedDataset], *, note: str | None, replace: bool
) -> LoadResult:
    """Store the datasets and make the snapshot that points each of their lists at them."""
    prev_id = latest_snapshot_id(con)
    prev = snapshot_by_prefix(con, prev_id) if prev_id else None
    pointers = _Pointers(dict(prev.lists) if prev else {})
    infos: list[DatasetInfo] = []
    for ds in parsed:
        did = dataset_id(ds)
        if con.execute("SELECT 1 FROM datasets WHERE id = ?", [did]).fetchone() is None:
            insert_dataset(con, did, ds)
            if ds.is_delta:
                apply_delta(con, did, ds, pointers.lists)
        info = dataset(con, did)
        infos.append(info)
        pointers.point(con, info, replace)
    snap_id = write_snapshot(con, pointers.lists, prev.id if prev else None, note)
    return LoadResult(
        snapshot=snapshot_by_prefix(con, snap_id),
        datasets=infos,
        replaced=pointers.replaced,
        kept_newer=pointers.kept,
        skipped_rows=sum(len(d.skipped) for d in parsed),
    )


def write_snapshot(
    con: duckdb.DuckDBPyConnection, pointers: dict[str, str], parent: str | None, note: str | None
) -> str:
    """The snapshot of this composition: a new one, or the existing one when the lists are unchanged."""
    snap_id = snapshot_id(pointers)
    if con.execute("SELECT 1 FROM snapshots WHERE id = ?", [snap_id]).fetchone():
        return snap_id
    seq_row = con.execute("SELECT coalesce(max(seq), 0) + 1 FROM snapshots").fetchone()
    seq = int(seq_row[0]) if seq_row else 1
    con.execute(SNAPSHOTS.insert_sql(), [snap_id, seq, _now(), parent, note])
    if pointers:
        con.executemany(SNAPSHOT_LISTS.insert_sql(), [(snap_id, code, did) for code, did in sorted(pointers.items())])
    return snap_id


# ------------------------------------------------------------------ one dataset's rows
# Each builder returns a row in its table's column order (``schema``), as tuples: a load writes some
# 100,000 rows, and building a dict per row costs a third more than the insert itself.
def entry_row(did: str, e: Entry) -> Row:
    """An ``ENTRIES`` row."""
    p, li = e.party, e.listing
    return (
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
    )


def name_rows(did: str, e: Entry) -> list[Row]:
    """The ``NAMES`` rows of an entry, primary name first."""
    pid, code = e.party.id, e.listing.list_code
    return [(did, pid, code, n.value, n.kind, n.script) for n in e.party.names]


def identifier_rows(did: str, e: Entry) -> list[Row]:
    """The ``IDENTIFIERS`` rows of an entry."""
    pid, code = e.party.id, e.listing.list_code
    return [(did, pid, code, i.scheme, i.value, i.country) for i in e.party.identifiers]


def relation_row(did: str, r: Relation) -> Row:
    """A ``LIST_RELATIONS`` row."""
    return (
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
    )


def dataset_row(did: str, ds: ParsedDataset) -> Row:
    """The ``DATASETS`` row (``DatasetInfo``'s fields)."""
    return (
        did,
        ds.name,
        ds.format,
        ds.path,
        ds.sha256,
        ds.retrieved,
        _now(),
        ds.rows_read,
        ds.entry_count,
        len(ds.relations),
        len(ds.skipped),
        ds.list_codes,
    )


def insert_dataset(con: duckdb.DuckDBPyConnection, did: str, ds: ParsedDataset) -> None:
    entries = unique_entries(ds.entries)
    bulk_insert(con, ENTRIES, [entry_row(did, e) for e in entries])
    bulk_insert(con, NAMES, [r for e in entries for r in name_rows(did, e)])
    bulk_insert(con, IDENTIFIERS, [r for e in entries for r in identifier_rows(did, e)])
    if ds.parties is not None:
        insert_parties(con, did, ds.parties)
    bulk_insert(con, LIST_RELATIONS, [relation_row(did, r) for r in ds.relations])
    con.execute(DATASETS.insert_sql(), list(dataset_row(did, ds)))


def unique_entries(entries: list[Entry]) -> list[Entry]:
    """One entry per (list, party id): a file repeating a party (a parties CSV of 3,000 copies of one row)
    lists it once, with every spelling, instead of making the names index join each copy with each other."""
    keys = {(e.listing.list_code, e.party.id) for e in entries}
    if len(keys) == len(entries):
        return entries
    by_list: dict[str, list[Entry]] = {}
    for e in entries:
        by_list.setdefault(e.listing.list_code, []).append(e)
    return [m for group in by_list.values() for m in merge_entries(group)]


_PARTY_ROWS = {  # what an Entry of a plain party (``sources.base.build_entry``) would store, column by column
    ENTRIES: "SELECT ?, entity_id, list_code, kind, name, country, NULL, '[]', NULL, NULL, NULL, NULL, '[]', "
             "[]::INTEGER[], []::VARCHAR[], NULL FROM parties WHERE name_kind = 'primary'",
    NAMES: "SELECT ?, entity_id, list_code, name, name_kind, script FROM parties",
    IDENTIFIERS: "SELECT ?, entity_id, list_code, id_scheme, id_value, NULL FROM parties "
                 "WHERE name_kind = 'primary' AND id_value IS NOT NULL",
}


def insert_parties(con: duckdb.DuckDBPyConnection, did: str, parties: pa.Table) -> None:
    """A flat parties table (``ParsedDataset.parties``) into the list tables, by DuckDB from Arrow: millions
    of rows without a Python object per row."""
    for table, select in _PARTY_ROWS.items():
        con.execute(f"INSERT INTO {table.name} ({table.select_list()}) {select}", [did])


# ------------------------------------------------------------------ deltas
def _lists_deleting_from(con: duckdb.DuckDBPyConnection, ds: ParsedDataset, pointers: dict[str, str]) -> set[str]:
    """The list codes whose current dataset holds an entity the delta deletes."""
    codes: set[str] = set()
    if not ds.deleted_ids:
        return codes
    marks = ",".join("?" for _ in ds.deleted_ids)
    for code, base in pointers.items():
        hit = con.execute(
            f"SELECT 1 FROM entries WHERE dataset_id = ? AND list_code = ? AND entity_id IN ({marks}) LIMIT 1",
            [base, code, *ds.deleted_ids],
        ).fetchone()
        if hit:
            codes.add(code)
    return codes


def apply_delta(con: duckdb.DuckDBPyConnection, did: str, ds: ParsedDataset, pointers: dict[str, str]) -> None:
    """A delta dataset holds its own ADD/MOD entries; copy the rest of each list it touches from the
    dataset it follows, less what it deletes or modifies, so that the result is again a full list."""
    touched = {e.party.id for e in ds.entries} | set(ds.deleted_ids)
    codes = set(ds.list_codes) | _lists_deleting_from(con, ds, pointers)
    con.execute("CREATE OR REPLACE TEMP TABLE _touched (entity_id VARCHAR)")
    insert_columns(con, "_touched", {"entity_id": pa.string()}, {"entity_id": sorted(touched)})
    for code in sorted(codes):
        if code not in pointers:
            continue
        for table in LIST_ROW_TABLES:
            con.execute(
                f"INSERT INTO {table.name} SELECT * REPLACE (? AS dataset_id) FROM {table.name} "
                "WHERE dataset_id = ? AND list_code = ? AND entity_id NOT IN (SELECT entity_id FROM _touched)",
                [did, pointers[code], code],
            )
    bases = sorted({pointers[c] for c in codes if c in pointers})
    if bases:
        con.execute(
            "INSERT INTO list_relations SELECT * REPLACE (? AS dataset_id) FROM list_relations "
            f"WHERE dataset_id IN ({','.join('?' for _ in bases)}) "
            "AND coalesce(owner_id, '') NOT IN (SELECT entity_id FROM _touched) "
            "AND coalesce(owned_id, '') NOT IN (SELECT entity_id FROM _touched)",
            [did, *bases],
        )
    counts = con.execute("SELECT count(*) FROM entries WHERE dataset_id = ?", [did]).fetchone()
    con.execute(
        "UPDATE datasets SET list_codes = ?, entries = ? WHERE id = ?",
        [sorted(codes), counts[0] if counts else 0, did],
    )
