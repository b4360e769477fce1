"""The store's list tables, written once: the DDL, the inserts and the reads are all derived from ``TABLES``
(the ownership engine's tables are declared beside their statements, in ``store/ownership.py``).

Column order matters: ``SELECT *`` readers (delta copies, the list relations an engine reads) and the
dataclasses built from a row (``DatasetInfo``) follow it, so a column is added at the end of its table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Final, Literal, cast, get_args

import duckdb
import pyarrow as pa

SCHEMA_VERSION: Final = 1

SqlType = Literal["VARCHAR", "DATE", "TIMESTAMP", "INTEGER", "BIGINT", "INTEGER[]", "VARCHAR[]"]
TableName = Literal[
    "meta", "datasets", "snapshots", "snapshot_lists", "entries", "names", "identifiers", "list_relations"
]

# How a column of each SQL type travels in an Arrow batch (everything textual is a string).
_ARROW_TYPES: Final[Mapping[SqlType, pa.DataType]] = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
    "INTEGER": pa.int32(),
    "BIGINT": pa.int64(),
    "INTEGER[]": pa.list_(pa.int32()),
    "VARCHAR[]": pa.list_(pa.string()),
}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: SqlType = "VARCHAR"

    @property
    def arrow_type(self) -> pa.DataType:
        return _ARROW_TYPES[self.type]


@dataclass(frozen=True, slots=True)
class Table:
    name: TableName
    columns: tuple[Column, ...]
    primary_key: str | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def ddl(self) -> str:
        cols = ", ".join(
            f"{c.name} {c.type}" + (" PRIMARY KEY" if c.name == self.primary_key else "") for c in self.columns
        )
        return f"CREATE TABLE IF NOT EXISTS {self.name} ({cols});"

    def select_list(self) -> str:
        return ", ".join(self.column_names)

    def insert_sql(self) -> str:
        """One row by position, every value a ``?`` parameter."""
        return f"INSERT INTO {self.name} VALUES ({', '.join('?' for _ in self.columns)})"


def _cols(spec: str) -> tuple[Column, ...]:
    """``"id, seq:INTEGER"``: a column is VARCHAR unless its type is given after a colon."""
    out = []
    for part in spec.split(","):
        name, _, sql_type = part.strip().partition(":")
        if sql_type and sql_type not in get_args(SqlType):
            raise ValueError(f"column {name}: unknown SQL type {sql_type!r}")
        out.append(Column(name, cast(SqlType, sql_type or "VARCHAR")))
    return tuple(out)


META = Table("meta", _cols("key, value"), primary_key="key")
DATASETS = Table(
    "datasets",
    _cols(
        "id, name, format, path, sha256, retrieved:DATE, loaded_at:TIMESTAMP, rows_read:INTEGER,"
        " entries:INTEGER, relations:INTEGER, skipped:INTEGER, list_codes:VARCHAR[]"
    ),
    primary_key="id",
)
SNAPSHOTS = Table("snapshots", _cols("id, seq:INTEGER, created_at:TIMESTAMP, parent, note"), primary_key="id")
SNAPSHOT_LISTS = Table("snapshot_lists", _cols("snapshot_id, list_code, dataset_id"))
ENTRIES = Table(
    "entries",
    _cols(
        "dataset_id, entity_id, list_code, kind, name, country, headquarters, addresses, start_date:DATE,"
        " end_date:DATE, license_requirement, review_policy, federal_register, footnotes:INTEGER[],"
        " programs:VARCHAR[], remarks"
    ),
)
NAMES = Table("names", _cols("dataset_id, entity_id, list_code, name, kind, script"))
IDENTIFIERS = Table("identifiers", _cols("dataset_id, entity_id, list_code, scheme, value, country"))
LIST_RELATIONS = Table(
    "list_relations",
    _cols(
        "dataset_id, owner_id, owner_name, owned_id, owned_name, kind, share_ppm:BIGINT, share_min_ppm:BIGINT,"
        " share_max_ppm:BIGINT, start_date:DATE, end_date:DATE, evidence"
    ),
)

TABLES: Final = (META, DATASETS, SNAPSHOTS, SNAPSHOT_LISTS, ENTRIES, NAMES, IDENTIFIERS, LIST_RELATIONS)

# The tables that hold one dataset's rows of one list, keyed by (dataset_id, entity_id, list_code).
LIST_ROW_TABLES: Final = (ENTRIES, NAMES, IDENTIFIERS)


def create(con: duckdb.DuckDBPyConnection) -> None:
    """Create the missing tables and record the schema version (a no-op on an existing store)."""
    con.execute("\n".join(t.ddl() for t in TABLES))
    con.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def bulk_insert(con: duckdb.DuckDBPyConnection, table: Table, rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows, each a value per column of ``table`` in its order, through Arrow: orders of magnitude
    faster than ``executemany`` in DuckDB."""
    if not rows:
        return
    if len(rows[0]) != len(table.columns):
        raise ValueError(f"{table.name}: a row has {len(rows[0])} values, the table {len(table.columns)} columns")
    # one list per column, taken with itemgetter: transposing with zip(*rows) makes an iterator per row
    insert_columns(
        con,
        table.name,
        {c.name: c.arrow_type for c in table.columns},
        {c.name: list(map(itemgetter(i), rows)) for i, c in enumerate(table.columns)},
    )


def insert_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    types: Mapping[str, pa.DataType],
    columns: Mapping[str, Sequence[Any]],
) -> None:
    """Insert column lists into the named columns of ``table`` (a store table or a temporary key table)."""
    if not columns or not next(iter(columns.values())):
        return
    batch = pa.table(  # noqa: F841 - referenced by name in the SQL below
        {name: pa.array(values, type=types[name]) for name, values in columns.items()}
    )
    names = ", ".join(columns)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM batch")


def query_arrow(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]) -> pa.Table:
    """A query's result as an Arrow table, through a relation (the method's name changed in DuckDB 2)."""
    rel = con.sql(sql, params=list(params))
    fetch = getattr(rel, "to_arrow_table", None) or getattr(rel, "arrow")  # noqa: B009
    table: pa.Table = fetch()
    return table
