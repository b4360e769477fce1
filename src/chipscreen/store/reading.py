"""Reading a snapshot: which datasets it points at, its listings as domain objects or Arrow tables, counts.

Every query is scoped to the (list code, dataset) pairs of one snapshot, so an older snapshot answers
exactly as it did when it was the latest.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import duckdb
import orjson
import pyarrow as pa

from chipscreen.errors import NotFoundError
from chipscreen.model import Address, FRCitation, Identifier, Listing, Name, Party
from chipscreen.store.params import execute_plain
from chipscreen.store.records import DatasetInfo, ListedEntry, SnapshotInfo
from chipscreen.store.schema import DATASETS, SNAPSHOTS, insert_columns, query_arrow

EntryKey = tuple[str, str, str]  # (dataset_id, entity_id, list_code)
ListFacts = dict[tuple[str, str], dict[str, Any]]


# ------------------------------------------------------------------ snapshots and datasets
def latest_snapshot_id(con: duckdb.DuckDBPyConnection, back: int = 0) -> str | None:
    """The id of the latest snapshot, or of the one ``back`` loads before it."""
    row = execute_plain(con, "SELECT id FROM snapshots ORDER BY seq DESC LIMIT 1 OFFSET ?", [back]).fetchone()
    return str(row[0]) if row else None


def snapshot_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [str(r[0]) for r in con.execute("SELECT id FROM snapshots ORDER BY seq").fetchall()]


def snapshot_by_prefix(con: duckdb.DuckDBPyConnection, ref: str) -> SnapshotInfo:
    rows = execute_plain(
        con, f"SELECT {SNAPSHOTS.select_list()} FROM snapshots WHERE id LIKE ? || '%'", [ref]
    ).fetchall()
    if not rows:
        raise NotFoundError(f"unknown snapshot {ref!r} (see `chipscreen lists show`)")
    if len(rows) > 1:
        raise NotFoundError(f"snapshot prefix {ref!r} is ambiguous")
    sid, seq, created, parent, note = rows[0]
    lists = dict(
        execute_plain(
            con, "SELECT list_code, dataset_id FROM snapshot_lists WHERE snapshot_id = ? ORDER BY list_code", [sid]
        ).fetchall()
    )
    return SnapshotInfo(sid, seq, created, parent, note, lists)


def dataset(con: duckdb.DuckDBPyConnection, dataset_id: str) -> DatasetInfo:
    row = con.execute(f"SELECT {DATASETS.select_list()} FROM datasets WHERE id = ?", [dataset_id]).fetchone()
    if row is None:
        raise NotFoundError(f"unknown dataset {dataset_id!r}")
    fields = dict(zip(DATASETS.column_names, row, strict=True))
    fields["list_codes"] = list(fields["list_codes"] or [])
    return DatasetInfo(**fields)


def dataset_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [str(r[0]) for r in con.execute("SELECT id FROM datasets ORDER BY loaded_at, id").fetchall()]


def resolve_dataset(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    """A dataset by unique id prefix or by file name."""
    rows = con.execute("SELECT id FROM datasets WHERE id LIKE ? || '%' OR name = ?", [ref, ref]).fetchall()
    if len(rows) != 1:
        raise NotFoundError(f"no single dataset matches {ref!r}")
    return str(rows[0][0])


# ------------------------------------------------------------------ listings
def scope_sql(snapshot: SnapshotInfo, alias: str, lists: Sequence[str] | None) -> tuple[str, list[Any]]:
    """SQL restricting ``alias`` (a table with dataset_id, list_code) to what the snapshot points at."""
    pairs = [(c, d) for c, d in snapshot.lists.items() if not lists or c in lists]
    if not pairs:
        return "FALSE", []
    cond = " OR ".join(f"({alias}.list_code = ? AND {alias}.dataset_id = ?)" for _ in pairs)
    return f"({cond})", [x for pair in pairs for x in pair]


def names_table(con: duckdb.DuckDBPyConnection, snap: SnapshotInfo, lists: Sequence[str] | None) -> pa.Table:
    """One row per distinct name of each entry. The join is bounded by the names: an entry stored twice
    (by a store written before imports were deduplicated) joins once, and a name stored twice is one row,
    so n copies of a row give one index row, not n squared."""
    cond, params = scope_sql(snap, "n", lists)
    econd, eparams = scope_sql(snap, "e", lists)
    sql = f"""
        WITH e AS (SELECT e.dataset_id, e.entity_id, e.list_code, e.name, e.country, e.start_date, e.end_date
                   FROM entries e WHERE {econd}
                   QUALIFY row_number() OVER (PARTITION BY e.dataset_id, e.list_code, e.entity_id ORDER BY e.rowid) = 1)
        SELECT DISTINCT n.entity_id, n.list_code, n.name, n.kind, n.script, e.name AS primary_name, e.country,
               e.start_date, e.end_date, n.dataset_id
        FROM names n JOIN e ON e.dataset_id = n.dataset_id AND e.entity_id = n.entity_id
             AND e.list_code = n.list_code
        WHERE {cond} ORDER BY n.list_code, n.entity_id, n.kind DESC, n.name"""
    return query_arrow(con, sql, [*eparams, *params])


def identifiers_table(con: duckdb.DuckDBPyConnection, snap: SnapshotInfo, lists: Sequence[str] | None) -> pa.Table:
    cond, params = scope_sql(snap, "i", lists)
    sql = f"SELECT i.entity_id, i.list_code, i.scheme, i.value, i.country FROM identifiers i WHERE {cond}"
    return query_arrow(con, sql, params)


def relations_table(con: duckdb.DuckDBPyConnection, snap: SnapshotInfo) -> pa.Table:
    dids = sorted(set(snap.lists.values()))
    if not dids:
        return query_arrow(con, "SELECT * FROM list_relations WHERE FALSE", [])
    marks = ",".join("?" for _ in dids)
    return query_arrow(con, f"SELECT * FROM list_relations WHERE dataset_id IN ({marks})", dids)


def entry_rows(
    con: duckdb.DuckDBPyConnection,
    snap: SnapshotInfo,
    as_of: dt.date | None,
    lists: Sequence[str] | None,
    entity_ids: Sequence[str] | None,
) -> list[dict[str, Any]]:
    """The ``entries`` rows in scope, by column name; listed on ``as_of`` when it is given (both ends
    inclusive, a missing end open, as ``chipscreen.dates.DateRange`` reads a window)."""
    cond, params = scope_sql(snap, "e", lists)
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
    cur = con.execute(sql, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def children(
    con: duckdb.DuckDBPyConnection, table: str, keys: list[EntryKey], cols: tuple[str, ...]
) -> dict[EntryKey, list[tuple[Any, ...]]]:
    """The ``names`` or ``identifiers`` rows of the given entries, primary names first, then in load order."""
    con.execute("CREATE OR REPLACE TEMP TABLE _keys (dataset_id VARCHAR, entity_id VARCHAR, list_code VARCHAR)")
    key_columns = ("dataset_id", "entity_id", "list_code")
    insert_columns(
        con,
        "_keys",
        dict.fromkeys(key_columns, pa.string()),
        {name: [k[i] for k in keys] for i, name in enumerate(key_columns)},
    )
    order = "CASE t.kind WHEN 'primary' THEN 0 ELSE 1 END, " if table == "names" else ""
    rows = con.execute(
        f"SELECT t.dataset_id, t.entity_id, t.list_code, {', '.join('t.' + c for c in cols)} FROM {table} t "
        f"JOIN _keys k USING (dataset_id, entity_id, list_code) ORDER BY {order}t.rowid"
    ).fetchall()
    out: dict[EntryKey, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault((row[0], row[1], row[2]), []).append(tuple(row[3:]))
    return out


def listed_entry(row: dict[str, Any], names: list[tuple[Any, ...]], idents: list[tuple[Any, ...]]) -> ListedEntry:
    """An ``entries`` row and its names and identifiers as the domain objects the engines use."""
    party = Party(
        id=row["entity_id"],
        kind=row["kind"],
        names=[Name(value=n, kind=k, script=s) for n, k, s in names],
        country=row["country"],
        headquarters=row["headquarters"],
        addresses=[Address(**a) for a in json.loads(row["addresses"] or "[]")],
        identifiers=[Identifier(scheme=s, value=v, country=c) for s, v, c in idents],
    )
    listing = Listing(
        party_id=row["entity_id"],
        list_code=row["list_code"],
        source=row["dataset_id"],
        start_date=row["start_date"],
        end_date=row["end_date"],
        license_requirement=row["license_requirement"],
        review_policy=row["review_policy"],
        federal_register=[FRCitation(**c) for c in json.loads(row["federal_register"] or "[]")],
        footnotes=list(row["footnotes"] or []),
        programs=list(row["programs"] or []),
        remarks=row["remarks"],
    )
    return ListedEntry(party=party, listing=listing, dataset_id=row["dataset_id"])


def entries(
    con: duckdb.DuckDBPyConnection,
    snap: SnapshotInfo,
    as_of: dt.date | None = None,
    lists: Sequence[str] | None = None,
    entity_ids: Sequence[str] | None = None,
) -> list[ListedEntry]:
    rows = entry_rows(con, snap, as_of, lists, entity_ids)
    if not rows:
        return []
    keys = [(r["dataset_id"], r["entity_id"], r["list_code"]) for r in rows]
    names = children(con, "names", keys, ("name", "kind", "script"))
    idents = children(con, "identifiers", keys, ("scheme", "value", "country"))
    return [listed_entry(r, names.get(key, []), idents.get(key, [])) for r, key in zip(rows, keys, strict=True)]


def differing_entities(con: duckdb.DuckDBPyConnection, old: SnapshotInfo, new: SnapshotInfo,
                       lists: Sequence[str] | None) -> list[str]:
    """The entity ids in scope whose stored values differ between two snapshots: the ``entries`` rows (their
    dataset left out), names or identifiers of the entry, compared as multisets (``EXCEPT ALL`` both ways), or an
    entry in one snapshot only. An entry is built from exactly these values (``listed_entry``), and what a diff
    compares of it (``diff.entry_view``) does not depend on their order, so entries with equal values are
    reported alike: a diff builds and compares only the others. Compared inside the database: two snapshots of
    14,000 entries read out into Python took 0.5 s, aggregated into ordered lists there 0.5 s, this 0.12 s."""
    columns = [d[0] for d in con.execute("SELECT * FROM entries LIMIT 0").description if d[0] != "dataset_id"]
    parts: list[str] = []
    params: list[Any] = []
    for table, values in (("entries", columns), ("names", ["entity_id", "list_code", "name", "kind", "script"]),
                          ("identifiers", ["entity_id", "list_code", "scheme", "value", "country"])):
        held = ", ".join(f"t.{c}" for c in values)
        (a, pa_), (b, pb) = ((f"SELECT {held} FROM {table} t WHERE {cond}", got)
                             for cond, got in (scope_sql(snap, "t", lists) for snap in (old, new)))
        parts += [f"SELECT entity_id FROM (({a}) EXCEPT ALL ({b}))", f"SELECT entity_id FROM (({b}) EXCEPT ALL ({a}))"]
        params += [*pa_, *pb, *pb, *pa_]
    sql = " UNION ".join(parts)
    return [r[0] for r in con.execute(f"SELECT DISTINCT entity_id FROM ({sql}) ORDER BY 1", params).fetchall()]


def listing_facts(con: duckdb.DuckDBPyConnection, snap: SnapshotInfo, lists: Sequence[str] | None) -> ListFacts:
    cond, values = scope_sql(snap, "e", lists)
    rows = execute_plain(
        con,
        "SELECT list_code, entity_id, start_date, end_date, federal_register, license_requirement, footnotes,"
        f" dataset_id FROM entries e WHERE {cond}",
        values,
    ).fetchall()
    return {
        (code, eid): {
            "listed_since": start.isoformat() if start else None,
            "listed_until": end.isoformat() if end else None,
            "federal_register": [c["text"] for c in orjson.loads(cites or "[]")],  # a whole list: orjson, 3x faster
            "license_requirement": licence,
            "footnotes": list(footnotes or []),
            "dataset": did,
        }
        for code, eid, start, end, cites, licence, footnotes, did in rows
    }


def counts(con: duckdb.DuckDBPyConnection, snap: SnapshotInfo) -> dict[str, int]:
    cond, params = scope_sql(snap, "e", None)
    return dict(
        con.execute(f"SELECT list_code, count(*) FROM entries e WHERE {cond} GROUP BY 1 ORDER BY 1", params).fetchall()
    )
