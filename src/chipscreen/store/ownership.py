"""The ownership engine's tables in the store (``own_datasets``, ``own_parties``, ``own_edges``) and every
statement that reads or writes them.

Ownership data is not list data: it is loaded separately (``chipscreen ownership load``), accumulates across
files, and is read as of a date. Parties get a dense integer ``pid`` when they are first seen so that the
graph kernels can read edges as int64 columns straight into numpy without any string mapping.

Names are joined on ``own_norm``, a DuckDB macro rather than Python, so that bulk resolution (millions of
GLEIF rows) and a single ``show NAME`` lookup use the very same definition and can never disagree. The
macro is temporary (per connection), so it is defined when an ``OwnershipTables`` is made on a connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import astuple, dataclass
from typing import Any

import duckdb
import numpy.typing as npt
import pyarrow as pa

from chipscreen.dates import EPOCH, OPEN_END, OPEN_START
from chipscreen.store import SnapshotInfo, Store


# Lower-case, strip accents, punctuation to spaces, drop legal-form tokens. Spaces are doubled first so
# that adjacent legal forms ("co ltd") each keep their own delimiters for the RE2 pattern (no lookahead).
def norm_macro(dropped_words: str) -> str:
    """The ``own_norm`` macro dropping the words of the alternation ``dropped_words`` (the legal forms)."""
    return rf"""
CREATE OR REPLACE TEMP MACRO own_base(s) AS
    nullif(trim(regexp_replace(lower(strip_accents(s)), '[^\p{{L}}\p{{N}}]+', ' ', 'g')), '');
CREATE OR REPLACE TEMP MACRO own_norm(s) AS coalesce(
    nullif(trim(regexp_replace(regexp_replace(' ' || replace(own_base(s), ' ', '  ') || ' ',
        ' ({dropped_words}) ', ' ', 'g'), '\s+', ' ', 'g')), ''),
    own_base(s));
"""

DATASET_COLUMNS = (
    ("id", "VARCHAR"), ("name", "VARCHAR"), ("format", "VARCHAR"), ("path", "VARCHAR"), ("sha256", "VARCHAR"),
    ("loaded_at", "TIMESTAMP"), ("rows_read", "BIGINT"), ("parties", "BIGINT"), ("edges", "BIGINT"),
    ("warnings", "VARCHAR"),
)
PARTY_COLUMNS = (
    ("pid", "BIGINT"), ("id", "VARCHAR"), ("name", "VARCHAR"), ("norm", "VARCHAR"), ("kind", "VARCHAR"),
    ("country", "VARCHAR"), ("hq", "VARCHAR"), ("lei", "VARCHAR"), ("parent_exception", "VARCHAR"),
    ("dataset_id", "VARCHAR"), ("resolved_by", "VARCHAR"),
)
EDGE_COLUMNS = (
    ("dataset_id", "VARCHAR"), ("owner_pid", "BIGINT"), ("owned_pid", "BIGINT"), ("kind", "VARCHAR"),
    ("share_ppm", "BIGINT"), ("share_min_ppm", "BIGINT"), ("share_max_ppm", "BIGINT"), ("start_date", "DATE"),
    ("end_date", "DATE"), ("line", "BIGINT"), ("evidence", "VARCHAR"),
)
TABLES = {"own_datasets": DATASET_COLUMNS, "own_parties": PARTY_COLUMNS, "own_edges": EDGE_COLUMNS}
_SCHEMA = {table: ", ".join(f"{c} {t}" for c, t in cols) for table, cols in TABLES.items()}
_EDGE_NAMES = ", ".join(c for c, _ in EDGE_COLUMNS[1:])  # what a load copies from its staged edges
_PARTY_LOOKUPS = ("id", "lei", "norm")  # the columns a party is looked up by
_STAGED = ("_inp", "_lid", "_lnorm", "_llei", "_res", "_map", "_edg")  # temp tables of one load


def _days(col: str) -> str:
    """A DATE column as a day number (``chipscreen.dates.day_number``), the missing end as the open bound."""
    bound = OPEN_START if col.startswith("start") else OPEN_END
    return f"coalesce(datediff('day', DATE '{EPOCH.isoformat()}', {col}), {bound})"


_START_DAY, _END_DAY = _days("start_date"), _days("end_date")


@dataclass(frozen=True)
class DatasetRow:
    """One loaded ownership file, as ``own_datasets`` records it (fields in ``DATASET_COLUMNS`` order)."""

    id: str
    name: str
    format: str
    path: str
    sha256: str
    loaded_at: dt.datetime
    rows_read: int
    parties: int
    edges: int
    warnings: str


def _scope(snap: SnapshotInfo | None) -> tuple[str, list[str]]:
    """A condition on ``x.list_code, x.dataset_id`` selecting the snapshot's lists, and its parameters."""
    if snap is None or not snap.lists:
        return "FALSE", []
    cond = " OR ".join("(x.list_code = ? AND x.dataset_id = ?)" for _ in snap.lists)
    return f"({cond})", [v for pair in snap.lists.items() for v in pair]


class OwnershipTables:
    """The ownership tables of one store; every ownership module reads and writes them through this."""

    def __init__(self, store: Store, dropped_words: str) -> None:
        """``dropped_words``: the alternation of words ``own_norm`` drops (the engine's legal forms)."""
        self.store = store
        self._con = store.con
        self._con.execute(norm_macro(dropped_words))

    # ------------------------------------------------------------------ schema
    def create(self) -> None:
        """Create the tables on first use: in the store during a write, as empty stand-ins for a reader of a
        store without ownership data (``Store.ensure_tables``: a reader never writes)."""
        self.store.ensure_tables(_SCHEMA)

    def exist(self) -> bool:
        row = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'own_parties'").fetchone()
        return bool(row and row[0])

    def counts(self) -> tuple[int, int, int]:
        """Rows in ``own_parties``, ``own_edges`` and ``own_datasets``."""
        row = self._con.execute("SELECT (SELECT count(*) FROM own_parties), (SELECT count(*) FROM own_edges), "
                                "(SELECT count(*) FROM own_datasets)").fetchone()
        return (int(row[0]), int(row[1]), int(row[2])) if row else (0, 0, 0)

    # ------------------------------------------------------------------ names
    def norm(self, name: str | None) -> str | None:
        """The exact-match key of a name (the same macro the bulk joins use)."""
        row = self._con.execute("SELECT own_norm(?)", [name]).fetchone()
        return row[0] if row else None

    def norms(self, names: list[str]) -> list[str | None]:
        return [r[0] for r in self._con.execute(
            "SELECT own_norm(s) FROM (SELECT unnest(?) AS s, generate_subscripts(?, 1) AS i) ORDER BY i",
            [names, names]).fetchall()]

    # ------------------------------------------------------------------ reads for the graph
    def state(self) -> tuple[str | None, int, dt.datetime | None]:
        """The latest snapshot id and the ownership data version (datasets loaded, last load time)."""
        sql = "SELECT (SELECT id FROM snapshots ORDER BY seq DESC LIMIT 1), count(*), max(loaded_at) FROM own_datasets"
        try:  # the tables exist: skip the DDL
            row = self._con.execute(sql).fetchall()[0]
        except duckdb.CatalogException:
            self.create()
            row = self._con.execute(sql).fetchall()[0]
        return row[0], int(row[1]), row[2]

    def party_kinds(self) -> dict[str, npt.NDArray[Any]]:
        """``pid`` and ``person`` (a natural person) per party, by pid."""
        got: dict[str, npt.NDArray[Any]] = self._con.execute(
            "SELECT pid, kind = 'person' AS person FROM own_parties ORDER BY pid").fetchnumpy()
        return got

    def party_strings(self) -> pa.Table:
        return self._con.sql("SELECT id, name, country, hq, parent_exception FROM own_parties ORDER BY pid"
                             ).to_arrow_table()

    def party_keys(self) -> list[tuple[int, str | None, str | None, str | None]]:
        """(pid, id, lei, norm) of every party, by pid."""
        return [(int(p), i, lei, n) for p, i, lei, n in
                self._con.execute("SELECT pid, id, lei, norm FROM own_parties ORDER BY pid").fetchall()]

    def parties_with(self, column: str, value: str) -> list[int]:
        """Pids of the parties whose ``column`` (``id``, ``lei`` or ``norm``) is ``value``."""
        if column not in _PARTY_LOOKUPS:
            raise ValueError(f"parties are looked up by {', '.join(_PARTY_LOOKUPS)}, not {column!r}")
        return [int(r[0]) for r in self._con.execute(
            f"SELECT pid FROM own_parties WHERE {column} = ? ORDER BY pid", [value]).fetchall()]

    def parties_by_id_or_norm(self, ids: list[str], norms: list[str]) -> list[tuple[int, str | None, str | None]]:
        """(pid, id, norm) of the parties with one of ``ids`` or one of ``norms``."""
        return [(int(p), i, n) for p, i, n in self._con.execute(
            "SELECT pid, id, norm FROM own_parties WHERE list_contains(?, id) OR list_contains(?, norm)",
            [ids, norms]).fetchall()]

    def listed_entries(self, snap: SnapshotInfo | None) -> list[tuple[Any, ...]]:
        """The snapshot's list entries with the parties they name by id (``pid``) and by any name (``pids``)."""
        cond, params = _scope(snap)
        return self._con.execute(f"""
            WITH le AS (SELECT x.entity_id, x.list_code, x.name, x.country, x.headquarters, x.programs,
                               x.start_date, x.end_date, own_norm(x.name) AS norm FROM entries x WHERE {cond}),
                 ln AS (SELECT DISTINCT x.entity_id, own_norm(x.name) AS norm FROM names x
                        WHERE {cond} AND x.kind IN ('primary', 'alias')),
                 byid AS (SELECT DISTINCT le.entity_id, p.pid FROM le JOIN own_parties p ON p.id = le.entity_id),
                 byname AS (SELECT ln.entity_id, list(DISTINCT p.pid ORDER BY p.pid) AS pids
                            FROM ln JOIN own_parties p ON p.norm = ln.norm GROUP BY 1)
            SELECT le.entity_id, le.list_code, le.name, le.norm, le.country, le.headquarters, le.programs,
                   le.start_date, le.end_date, byid.pid, byname.pids
            FROM le LEFT JOIN byid USING (entity_id) LEFT JOIN byname USING (entity_id)
            ORDER BY le.entity_id, le.list_code""", params + params).fetchall()

    def list_relations(self, dataset_ids: list[str]) -> list[tuple[Any, ...]]:
        """Relations stated in list text, with normalised endpoint names and their days, in file order."""
        return self._con.execute(f"""
            SELECT owner_id, owner_name, own_norm(owner_name), owned_id, owned_name, own_norm(owned_name),
                   kind, share_ppm, share_min_ppm, share_max_ppm, {_START_DAY}, {_END_DAY}
            FROM list_relations WHERE list_contains(?, dataset_id) ORDER BY rowid""", [dataset_ids]).fetchall()

    def alias_entities(self, snap: SnapshotInfo | None) -> list[tuple[str | None, str]]:
        """(normalised name, entity id) for every name of every entry in the snapshot."""
        cond, params = _scope(snap)
        return self._con.execute(
            f"SELECT DISTINCT own_norm(x.name) AS nm, x.entity_id FROM names x WHERE {cond} ORDER BY 1, 2",
            params).fetchall()

    def ownership_statements(self) -> dict[str, npt.NDArray[Any]]:
        """Ownership edges: owner, owned, share, bounds (-1 when not stated) and days in force."""
        got: dict[str, npt.NDArray[Any]] = self._con.execute(f"""
            SELECT owner_pid, owned_pid, coalesce(share_ppm, -1) AS s, coalesce(share_min_ppm, -1) AS smin,
                   coalesce(share_max_ppm, -1) AS smax, {_START_DAY} AS t0, {_END_DAY} AS t1
            FROM own_edges WHERE kind = 'ownership'""").fetchnumpy()
        return got

    def relation_edges(self, kinds: tuple[str, ...], other: int) -> dict[str, npt.NDArray[Any]]:
        """Non-ownership edges with ``k``, the index of their kind in ``kinds`` (``other`` if absent)."""
        got: dict[str, npt.NDArray[Any]] = self._con.execute(f"""
            SELECT owner_pid, owned_pid, CAST(coalesce(list_position(?, kind) - 1, ?) AS TINYINT) AS k,
                   {_START_DAY} AS t0, {_END_DAY} AS t1
            FROM own_edges WHERE kind <> 'ownership'""", [list(kinds), other]).fetchnumpy()
        return got

    # ------------------------------------------------------------------ writes of one load
    def has_dataset(self, dataset_id: str) -> bool:
        return self._con.execute("SELECT 1 FROM own_datasets WHERE id = ?", [dataset_id]).fetchone() is not None

    @contextlib.contextmanager
    def staged(self, parties: pa.Table, edges: pa.Table) -> Iterator[None]:
        """A parsed file's parties and edges visible to SQL as ``in_parties`` and ``in_edges``."""
        self._con.register("in_parties", parties)
        self._con.register("in_edges", edges)
        try:
            yield
        finally:
            self._con.unregister("in_parties")
            self._con.unregister("in_edges")

    def stage_parties(self, snap: SnapshotInfo | None) -> None:
        """The incoming parties with their normalised names, and the snapshot's listed ids, names and LEIs
        they may resolve to (empty with no lists)."""
        cond, params = _scope(snap)
        self._con.execute("CREATE OR REPLACE TEMP TABLE _inp AS SELECT *, own_norm(name) AS norm FROM in_parties")
        self._con.execute(
            f"CREATE OR REPLACE TEMP TABLE _lid AS SELECT DISTINCT x.entity_id FROM entries x WHERE {cond}", params)
        self._con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _lnorm AS SELECT own_norm(x.name) AS norm, min(x.entity_id) AS entity_id
            FROM names x WHERE {cond} AND x.kind IN ('primary', 'alias') AND own_norm(x.name) IS NOT NULL
            GROUP BY 1""", params)
        self._con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _llei AS SELECT upper(x.value) AS lei, min(x.entity_id) AS entity_id
            FROM identifiers x WHERE {cond} AND lower(x.scheme) = 'lei' GROUP BY 1""", params)

    def resolve_parties(self) -> None:
        """Each incoming party's id (``rid``) and how it was found: known id, list id, LEI, name, or new."""
        self._con.execute("""
            CREATE OR REPLACE TEMP TABLE _res AS
            SELECT i.key, i.name, i.norm, i.kind, i.country, i.hq, upper(i.lei) AS lei, i.parent_exception,
              CASE WHEN op.id IS NOT NULL THEN op.id WHEN lid.entity_id IS NOT NULL THEN lid.entity_id
                   WHEN ll.entity_id IS NOT NULL THEN ll.entity_id WHEN opl.id IS NOT NULL THEN opl.id
                   WHEN i.id IS NULL AND ln.entity_id IS NOT NULL THEN ln.entity_id
                   WHEN i.id IS NULL AND opn.id IS NOT NULL THEN opn.id
                   ELSE coalesce(i.id, 'own-' || substr(md5(coalesce(i.norm, i.key)), 1, 16)) END AS rid,
              CASE WHEN op.id IS NOT NULL THEN 'known' WHEN lid.entity_id IS NOT NULL THEN 'list_id'
                   WHEN ll.entity_id IS NOT NULL THEN 'list_lei' WHEN opl.id IS NOT NULL THEN 'known_lei'
                   WHEN i.id IS NULL AND ln.entity_id IS NOT NULL THEN 'list_name'
                   WHEN i.id IS NULL AND opn.id IS NOT NULL THEN 'known_name' ELSE 'new' END AS resolved_by
            FROM _inp i
            LEFT JOIN (SELECT DISTINCT id FROM own_parties) op ON op.id = i.id
            LEFT JOIN _lid lid ON lid.entity_id = i.id
            LEFT JOIN _llei ll ON ll.lei = upper(i.lei)
            LEFT JOIN (SELECT lei, min(id) AS id FROM own_parties WHERE lei IS NOT NULL GROUP BY lei) opl
                   ON opl.lei = upper(i.lei)
            LEFT JOIN _lnorm ln ON ln.norm = i.norm
            LEFT JOIN (SELECT norm, min(id) AS id FROM own_parties WHERE norm IS NOT NULL GROUP BY norm) opn
                   ON opn.norm = i.norm""")

    def update_known_parties(self) -> None:
        """Parties already known: fill gaps; a newer headquarters/country statement wins."""
        known = self._con.execute("SELECT count(*) FROM _res WHERE resolved_by <> 'new'").fetchone()
        if not (known and known[0]):  # a first load: nothing to update
            return
        self._con.execute("""
            UPDATE own_parties p SET name = coalesce(p.name, r.name), norm = coalesce(p.norm, r.norm),
                country = coalesce(r.country, p.country), hq = coalesce(r.hq, p.hq), lei = coalesce(p.lei, r.lei),
                parent_exception = coalesce(r.parent_exception, p.parent_exception),
                kind = coalesce(p.kind, r.kind)
            FROM (SELECT rid, any_value(name) AS name, any_value(norm) AS norm, any_value(country) AS country,
                         any_value(hq) AS hq, any_value(lei) AS lei, any_value(parent_exception) AS parent_exception,
                         any_value(kind) AS kind
                  FROM _res WHERE resolved_by <> 'new' GROUP BY rid) r
            WHERE p.id = r.rid""")

    def insert_new_parties(self, dataset_id: str) -> tuple[int, dict[str, int]]:
        """New parties with dense pids; returns how many were new and how many were matched, per method."""
        row = self._con.execute("SELECT coalesce(max(pid), -1) FROM own_parties").fetchone()
        base = int(row[0]) + 1 if row else 0
        dup = self._con.execute("SELECT count(*) > count(DISTINCT rid) FROM _res").fetchone()
        # GLEIF has one row per LEI already: grouping by rid is only needed when a file repeats a party.
        grouped = ("(SELECT rid, any_value(name) AS name, any_value(norm) AS norm, any_value(kind) AS kind, "
                   "any_value(country) AS country, any_value(hq) AS hq, any_value(lei) AS lei, "
                   "any_value(parent_exception) AS parent_exception, min(resolved_by) AS resolved_by "
                   "FROM _res GROUP BY rid)") if dup and dup[0] else "_res"
        # row_number without ORDER BY: no sort of millions of ids.
        self._con.execute(f"""
            INSERT INTO own_parties ({', '.join(c for c, _ in PARTY_COLUMNS)})
            SELECT ? + row_number() OVER () - 1, n.rid, n.name, n.norm, coalesce(n.kind, 'organization'),
                   n.country, n.hq, n.lei, n.parent_exception, ?, n.resolved_by
            FROM {grouped} n
            WHERE n.rid NOT IN (SELECT id FROM own_parties)""", [base, dataset_id])
        row = self._con.execute("SELECT count(*) FROM own_parties WHERE pid >= ?", [base]).fetchone()
        matched = dict(self._con.execute(
            "SELECT resolved_by, count(*) FROM _res WHERE resolved_by <> 'new' GROUP BY 1").fetchall())
        return (int(row[0]) if row else 0), matched

    def stage_edges(self) -> list[int]:
        """Incoming edges between resolved pids; returns the lines (first 50) whose two ends are one party."""
        self._con.execute("""
            CREATE OR REPLACE TEMP TABLE _map AS
            SELECT r.key, p.pid FROM _res r JOIN own_parties p ON p.id = r.rid""")
        self._con.execute("""
            CREATE OR REPLACE TEMP TABLE _edg AS
            SELECT mo.pid AS owner_pid, md.pid AS owned_pid, e.*
            FROM in_edges e JOIN _map mo ON mo.key = e.owner_key JOIN _map md ON md.key = e.owned_key""")
        return [int(r[0]) for r in self._con.execute(
            "SELECT line FROM _edg WHERE owner_pid = owned_pid ORDER BY line LIMIT 50").fetchall()]

    def insert_edges(self, dataset_id: str) -> int:
        """The staged edges (but those from a party to itself); returns how many."""
        self._con.execute(f"""
            INSERT INTO own_edges ({', '.join(c for c, _ in EDGE_COLUMNS)})
            SELECT ?, {_EDGE_NAMES} FROM _edg WHERE owner_pid <> owned_pid""", [dataset_id])
        row = self._con.execute("SELECT count(*) FROM _edg WHERE owner_pid <> owned_pid").fetchone()
        return int(row[0]) if row else 0

    def insert_dataset(self, row: DatasetRow) -> None:
        names = ", ".join(c for c, _ in DATASET_COLUMNS)
        marks = ", ".join("?" for _ in DATASET_COLUMNS)
        self._con.execute(f"INSERT INTO own_datasets ({names}) VALUES ({marks})", list(astuple(row)))

    def drop_staged(self) -> None:
        for table in _STAGED:
            self._con.execute(f"DROP TABLE IF EXISTS {table}")
