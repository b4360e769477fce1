"""``chipscreen ownership load FILE``: detect the format, parse everything, then write in one transaction.

Parties are resolved to listed entries so that a listed owner in an ownership file *is* the listed party:
by id (the list's entity id), else by LEI (lists carry LEIs as identifiers), else (for parties the file
names without an id of their own) by exact normalised name; otherwise the party is created. Parties that
carry their own id (FtM, BODS, GLEIF) keep it: two distinct registry entities are never merged because a
list gives one of them the other's name as an alias; the graph attaches listings to them by name instead.
Resolution is in SQL (``own_norm``), so three million GLEIF rows cost the
same code path as a ten-line CSV. A failed load leaves the store exactly as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from chipscreen.errors import InputError, RowProblem
from chipscreen.ownership import gleif, readers, tables
from chipscreen.ownership.parsed import ParsedOwnership
from chipscreen.store import Store

FORMATS = ("csv", "ftm", "gleif", "bods")


@dataclass
class LoadSummary:
    """What a load did, for the CLI and for tests."""

    dataset_id: str
    name: str
    format: str
    rows_read: int
    edges: int
    parties_new: int
    parties_matched: dict[str, int] = field(default_factory=dict)  # resolved_by -> count
    warnings: list[RowProblem] = field(default_factory=list)
    already_loaded: bool = False


def detect_format(path: Path) -> str:
    """Guess from the first bytes: GLEIF CSV headers, BODS/GLEIF JSON shapes, FtM lines, our CSV header."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    with path.open("rb") as fh:
        head = fh.read(65536).decode("utf-8", errors="replace").lstrip("\ufeff")
    first = head.split("\n", 1)[0]
    if gleif.RR_MARK in first or first.startswith(('"LEI"', "LEI,")):
        return "gleif"
    stripped = head.lstrip()
    if stripped.startswith(("{", "[")):
        if '"recordType"' in head or '"statementType"' in head or '"bodsVersion"' in head:
            return "bods"
        if '"lei-records"' in head or '"relationship-records"' in head or '"reporting-exceptions"' in head:
            return "gleif"
        if '"schema"' in head:
            return "ftm"
    header = [h.strip().lower() for h in first.split(",")]
    if "owner" in header and "owned" in header:
        return "csv"
    raise InputError(f"{path}: cannot tell the ownership format; pass --format ({', '.join(FORMATS)})")


def parse(path: Path, fmt: str | None = None) -> ParsedOwnership:
    """Parse a whole file; nothing touches the store. Unreadable input is an InputError, never a traceback."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    try:
        return _parse(path, fmt)
    except InputError:
        raise
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}): {exc.reason}") from None
    except (csv.Error, json.JSONDecodeError, duckdb.Error, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}: cannot read as {fmt or 'detected format'}: {exc}") from None


def _parse(path: Path, fmt: str | None) -> ParsedOwnership:
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        return readers.read_csv(path)
    if fmt == "ftm":
        return readers.read_ftm(path)
    if fmt == "bods":
        return readers.read_bods(path)
    if fmt == "gleif":
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace").lstrip("\ufeff")
        if head.lstrip().startswith(("{", "[")):
            return readers.read_gleif_json(path)
        first = head.split("\n", 1)[0]
        if gleif.RR_MARK in first:
            return gleif.read_rr(path)
        return gleif.read_repex(path) if gleif.REPEX_MARK in first else gleif.read_lei(path)
    raise InputError(f"--format: unknown ownership format {fmt!r}; one of {', '.join(FORMATS)}")


def load(store: Store, path: Path, fmt: str | None = None) -> LoadSummary:
    return write(store, parse(path, fmt))


def _listed_scope(store: Store) -> tuple[str, str, str]:
    """SQL for the latest snapshot's listed ids, names and LEIs (empty when no list is loaded)."""
    snap = store.latest_snapshot()
    if snap is None or not snap.lists:
        none = "SELECT NULL::VARCHAR AS entity_id, NULL::VARCHAR AS norm, NULL::VARCHAR AS lei WHERE FALSE"
        return none, none, none
    pairs = " OR ".join(
        f"(x.list_code = '{c}' AND x.dataset_id = '{d}')" for c, d in snap.lists.items()
    )
    ids = f"SELECT DISTINCT x.entity_id FROM entries x WHERE {pairs}"
    names = (f"SELECT own_norm(x.name) AS norm, min(x.entity_id) AS entity_id FROM names x "
             f"WHERE ({pairs}) AND x.kind IN ('primary', 'alias') AND own_norm(x.name) IS NOT NULL GROUP BY 1")
    leis = (f"SELECT upper(x.value) AS lei, min(x.entity_id) AS entity_id FROM identifiers x "
            f"WHERE ({pairs}) AND lower(x.scheme) = 'lei' GROUP BY 1")
    return ids, names, leis


def write(store: Store, parsed: ParsedOwnership) -> LoadSummary:
    """Store a parsed file: one all-or-nothing transaction; reloading the same file is a no-op."""
    con = store.con
    tables.ensure(con)
    did = "o" + hashlib.sha256(f"{parsed.format}|{parsed.sha256}".encode()).hexdigest()[:11]
    summary = LoadSummary(did, parsed.name, parsed.format, parsed.rows_read, parsed.edges.num_rows, 0,
                          warnings=list(parsed.warnings))
    if con.execute("SELECT 1 FROM own_datasets WHERE id = ?", [did]).fetchone():
        summary.already_loaded = True
        return summary
    ids_sql, names_sql, leis_sql = _listed_scope(store)
    con.register("in_parties", parsed.parties)
    con.register("in_edges", parsed.edges)
    try:
        with store.transaction():
            _write(con, parsed, did, summary, ids_sql, names_sql, leis_sql)
    finally:
        con.unregister("in_parties")
        con.unregister("in_edges")
    return summary


def _write(con: duckdb.DuckDBPyConnection, parsed: ParsedOwnership, did: str, summary: LoadSummary,
           ids_sql: str, names_sql: str, leis_sql: str) -> None:
    """The statements of one load, inside the caller's transaction."""
    con.execute("CREATE OR REPLACE TEMP TABLE _inp AS SELECT *, own_norm(name) AS norm FROM in_parties")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lid AS {ids_sql}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lnorm AS {names_sql}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE _llei AS {leis_sql}")
    con.execute("""
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
    # Parties already known: fill gaps; a newer headquarters/country statement wins (skipped on a first load).
    known = con.execute("SELECT count(*) FROM _res WHERE resolved_by <> 'new'").fetchone()
    if known and known[0]:
        con.execute("""
            UPDATE own_parties p SET name = coalesce(p.name, r.name), norm = coalesce(p.norm, r.norm),
                country = coalesce(r.country, p.country), hq = coalesce(r.hq, p.hq), lei = coalesce(p.lei, r.lei),
                parent_exception = coalesce(r.parent_exception, p.parent_exception),
                kind = coalesce(p.kind, r.kind)
            FROM (SELECT rid, any_value(name) AS name, any_value(norm) AS norm, any_value(country) AS country,
                         any_value(hq) AS hq, any_value(lei) AS lei, any_value(parent_exception) AS parent_exception,
                         any_value(kind) AS kind
                  FROM _res WHERE resolved_by <> 'new' GROUP BY rid) r
            WHERE p.id = r.rid""")
    row = con.execute("SELECT coalesce(max(pid), -1) FROM own_parties").fetchone()
    base = int(row[0]) + 1 if row else 0
    # New parties get dense pids (row_number without ORDER BY: no sort of millions of ids).
    dup = con.execute("SELECT count(*) > count(DISTINCT rid) FROM _res").fetchone()
    grouped = ("(SELECT rid, any_value(name) AS name, any_value(norm) AS norm, any_value(kind) AS kind, "
               "any_value(country) AS country, any_value(hq) AS hq, any_value(lei) AS lei, "
               "any_value(parent_exception) AS parent_exception, min(resolved_by) AS resolved_by "
               "FROM _res GROUP BY rid)") if dup and dup[0] else "_res"  # GLEIF: one row per LEI already
    con.execute(f"""
        INSERT INTO own_parties
        SELECT ? + row_number() OVER () - 1, n.rid, n.name, n.norm, coalesce(n.kind, 'organization'),
               n.country, n.hq, n.lei, n.parent_exception, ?, n.resolved_by
        FROM {grouped} n
        WHERE n.rid NOT IN (SELECT id FROM own_parties)""", [base, did])
    row = con.execute("SELECT count(*) FROM own_parties WHERE pid >= ?", [base]).fetchone()
    summary.parties_new = int(row[0]) if row else 0
    summary.parties_matched = dict(
        con.execute("SELECT resolved_by, count(*) FROM _res WHERE resolved_by <> 'new' GROUP BY 1").fetchall()
    )
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _map AS
        SELECT r.key, p.pid FROM _res r JOIN own_parties p ON p.id = r.rid""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _edg AS
        SELECT mo.pid AS owner_pid, md.pid AS owned_pid, e.*
        FROM in_edges e JOIN _map mo ON mo.key = e.owner_key JOIN _map md ON md.key = e.owned_key""")
    collapsed = con.execute(
        "SELECT line FROM _edg WHERE owner_pid = owned_pid ORDER BY line LIMIT 50").fetchall()
    for (line,) in collapsed:
        summary.warnings.append(RowProblem(parsed.path, line, "owned", "owner and owned resolve to the same "
                                           "party; edge ignored"))
    con.execute("""
        INSERT INTO own_edges SELECT ?, owner_pid, owned_pid, kind, share_ppm, share_min_ppm, share_max_ppm,
               start_date, end_date, line, evidence FROM _edg WHERE owner_pid <> owned_pid""", [did])
    row = con.execute("SELECT count(*) FROM _edg WHERE owner_pid <> owned_pid").fetchone()
    summary.edges = int(row[0]) if row else 0
    con.execute(
        "INSERT INTO own_datasets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [did, parsed.name, parsed.format, parsed.path, parsed.sha256,
         dt.datetime.now(dt.UTC).replace(tzinfo=None), parsed.rows_read, parsed.parties.num_rows,
         summary.edges, json.dumps([str(w) for w in summary.warnings[:200]], ensure_ascii=False)],
    )
    for t in ("_inp", "_lid", "_lnorm", "_llei", "_res", "_map", "_edg"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
