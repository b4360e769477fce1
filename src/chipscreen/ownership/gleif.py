"""GLEIF golden-copy CSV readers (Level 1 LEI-CDF, Level 2 RR-CDF), done in DuckDB because they are big.

The whole RR file is about 0.5-0.6 M rows and Level 1 about 3 M: a Python csv loop would dominate the load
time, DuckDB's parallel CSV reader does not. Column names follow the flattened golden-copy layout; unknown
columns are ignored (newer format versions add fields). The 2019 files mix ISO timestamps with Unix
milliseconds, so both are accepted; anything else is reported with its line.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from chipscreen.errors import InputError, RowProblem
from chipscreen.ownership.parsed import EDGE_SCHEMA, PARTY_SCHEMA, ParsedOwnership, file_sha256

RR_MARK = "Relationship.StartNode.NodeID"
LEI_MARK = "Entity.LegalName"
REPEX_MARK = "ExceptionCategory"


def _date_sql(col: str) -> str:
    """A GLEIF timestamp (ISO-8601 or Unix milliseconds) to a DATE; NULL when empty."""
    return (
        f"CASE WHEN nullif(trim({col}), '') IS NULL THEN NULL "
        f"WHEN regexp_full_match(trim({col}), '-?[0-9]{{9,14}}') "
        f"THEN CAST(epoch_ms(CAST(trim({col}) AS BIGINT)) AS DATE) "
        f"ELSE TRY_CAST(substr(trim({col}), 1, 10) AS DATE) END"
    )


def _bad_date_sql(col: str) -> str:
    return f"(nullif(trim({col}), '') IS NOT NULL AND ({_date_sql(col)}) IS NULL)"


def _columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    rows = con.execute("DESCRIBE SELECT * FROM read_csv(?, all_varchar=true, header=true)", [str(path)]).fetchall()
    return [r[0] for r in rows]


def _ident(c: str) -> str:
    """A column name from the file's header as a quoted SQL identifier."""
    return '"' + c.replace('"', '""') + '"'


def _rr_select(cols: set[str]) -> str:
    """The RR columns the load uses, from whichever of them this file version has."""
    def q(c: str) -> str:
        return _ident(c) if c in cols else "NULL"

    # The validity interval is the RELATIONSHIP_PERIOD among Period.1..5 (others are accounting periods).
    start_parts, end_parts = [], []
    for i in range(1, 6):
        t, s, e = (f"Relationship.Period.{i}.{x}" for x in ("periodType", "startDate", "endDate"))
        if t in cols:
            start_parts.append(f"CASE WHEN {q(t)} = 'RELATIONSHIP_PERIOD' THEN {q(s)} END")
            end_parts.append(f"CASE WHEN {q(t)} = 'RELATIONSHIP_PERIOD' THEN {q(e)} END")
    start_raw = f"coalesce({', '.join(start_parts)})" if start_parts else "NULL"
    end_raw = f"coalesce({', '.join(end_parts)})" if end_parts else "NULL"
    amount, units = q("Relationship.Qualifiers.1.QuantifierAmount"), q("Relationship.Qualifiers.1.QuantifierUnits")
    return f"""
        SELECT trim({q(RR_MARK)}) AS child, trim({q('Relationship.EndNode.NodeID')}) AS parent,
               {q('Relationship.RelationshipType')} AS rtype, {q('Relationship.RelationshipStatus')} AS status,
               CAST({start_raw} AS VARCHAR) AS start_raw, CAST({end_raw} AS VARCHAR) AS end_raw,
               CAST({q('Registration.LastUpdateDate')} AS VARCHAR) AS updated_raw,
               CAST({amount} AS VARCHAR) AS amount, CAST({units} AS VARCHAR) AS units
        FROM read_csv(?, all_varchar=true, header=true)"""


def _rr_problems(con: duckdb.DuckDBPyConnection, path: Path, select: str) -> list[RowProblem]:
    """Bad dates and self-links, with their lines (counted only when a row is bad: the window over
    millions of rows that line numbers need is single-threaded)."""
    bad_cond = f"{_bad_date_sql('start_raw')} OR {_bad_date_sql('end_raw')} OR child = parent"
    n_bad = con.execute(f"SELECT count(*) FROM rr WHERE {bad_cond}").fetchall()[0][0]
    problems: list[RowProblem] = []
    if not n_bad:
        return problems
    bad = con.execute(f"""
        SELECT line, child = parent, {_bad_date_sql('start_raw')}, start_raw, end_raw
        FROM (SELECT row_number() OVER () + 1 AS line, * FROM ({select}))
        WHERE {bad_cond} ORDER BY line LIMIT 100""", [str(path)]).fetchall()
    for line, self_link, bad_start, start_raw, end_raw in bad:
        if self_link:
            problems.append(RowProblem(str(path), int(line), RR_MARK, "self-relationship (start node = end node)"))
        else:
            fld, raw = ("startDate", start_raw) if bad_start else ("endDate", end_raw)
            problems.append(RowProblem(str(path), int(line), f"Relationship.Period.{fld}",
                                       f"unknown date format {raw!r}"))
    return problems


_RR_EDGES = f"""
    SELECT parent AS owner_key, child AS owned_key,
           CASE rtype WHEN 'IS_DIRECTLY_CONSOLIDATED_BY' THEN 'parent_direct'
                      WHEN 'IS_ULTIMATELY_CONSOLIDATED_BY' THEN 'parent_ultimate'
                      WHEN 'IS_INTERNATIONAL_BRANCH_OF' THEN 'branch' ELSE 'control' END AS kind,
           CASE WHEN units = 'PERCENTAGE' THEN CAST(round(TRY_CAST(amount AS DECIMAL(18,6)) * 10000) AS BIGINT)
                END AS share_ppm,
           CASE WHEN units = 'PERCENTAGE' THEN CAST(round(TRY_CAST(amount AS DECIMAL(18,6)) * 10000) AS BIGINT)
                END AS share_min_ppm,
           CASE WHEN units = 'PERCENTAGE' THEN CAST(round(TRY_CAST(amount AS DECIMAL(18,6)) * 10000) AS BIGINT)
                END AS share_max_ppm,
           {_date_sql('start_raw')} AS start_date,
           coalesce({_date_sql('end_raw')}, CASE WHEN status = 'INACTIVE' THEN {_date_sql('updated_raw')} END)
               AS end_date,
           NULL AS line, 'GLEIF ' || rtype || ' (' || coalesce(status, '?') || ')' AS evidence
    FROM rr WHERE child IS NOT NULL AND parent IS NOT NULL AND child <> '' AND parent <> ''
    """


def read_rr(path: Path) -> ParsedOwnership:
    """Level 2 relationship records -> parent edges without percentages (accounting consolidation)."""
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")  # row_number() OVER () = file order, for line numbers
    cols = set(_columns(con, path))
    for needed in (RR_MARK, "Relationship.EndNode.NodeID", "Relationship.RelationshipType"):
        if needed not in cols:
            raise InputError(f"{path}:1: missing GLEIF column {needed}")
    select = _rr_select(cols)
    con.execute(f"CREATE TABLE rr AS {select}", [str(path)])
    problems = _rr_problems(con, path, select)
    if problems:
        raise InputError(f"{path}: {len(problems)} problem(s); nothing was loaded", problems)
    edges = con.sql(_RR_EDGES).to_arrow_table().cast(EDGE_SCHEMA)
    parties = con.sql("""
        SELECT key, key AS id, NULL AS name, 'organization' AS kind, NULL AS country, NULL AS hq, key AS lei,
               NULL AS parent_exception
        FROM (SELECT child AS key FROM rr UNION SELECT parent FROM rr) WHERE key IS NOT NULL AND key <> ''
        """).to_arrow_table().cast(PARTY_SCHEMA)
    rows = con.execute("SELECT count(*) FROM rr").fetchall()[0]
    con.close()
    return ParsedOwnership(path.name, "gleif", str(path), file_sha256(path), parties, edges,
                           rows_read=int(rows[0]) if rows else 0)


def read_lei(path: Path) -> ParsedOwnership:
    """Level 1 LEI records -> parties with legal name, legal-address country and headquarters country."""
    con = duckdb.connect()
    cols = set(_columns(con, path))
    if "LEI" not in cols:
        raise InputError(f"{path}:1: missing GLEIF column LEI")

    def q(c: str) -> str:
        return _ident(c) if c in cols else "NULL"

    parties = con.sql(f"""
        SELECT trim(LEI) AS key, trim(LEI) AS id, {q('Entity.LegalName')} AS name, 'organization' AS kind,
               upper({q('Entity.LegalAddress.Country')}) AS country,
               upper({q('Entity.HeadquartersAddress.Country')}) AS hq, trim(LEI) AS lei, NULL AS parent_exception
        FROM read_csv(?, all_varchar=true, header=true) WHERE nullif(trim(LEI), '') IS NOT NULL""",
        params=[str(path)]).to_arrow_table().cast(PARTY_SCHEMA)
    con.close()
    empty = EDGE_SCHEMA.empty_table()
    return ParsedOwnership(path.name, "gleif", str(path), file_sha256(path), parties, empty,
                           rows_read=parties.num_rows)


def read_repex(path: Path) -> ParsedOwnership:
    """Level 2 reporting exceptions (``LEI,ExceptionCategory,ExceptionReason.1,...``): why a parent is missing.

    ``NATURAL_PERSONS``, ``NO_KNOWN_PERSON``, ``NON_CONSOLIDATING`` ... matter for the headquarters rule: the
    ultimate-parent test cannot be settled from GLEIF for those entities, which the status flags."""
    con = duckdb.connect()
    cols = _columns(con, path)
    reason = next((c for c in cols if c.startswith("ExceptionReason")), None)
    if "LEI" not in cols or REPEX_MARK not in cols or reason is None:
        raise InputError(f"{path}:1: missing GLEIF reporting-exception columns "
                         "(LEI, ExceptionCategory, ExceptionReason)")
    parties = con.sql(f"""
        SELECT trim(LEI) AS key, trim(LEI) AS id, NULL AS name, 'organization' AS kind, NULL AS country,
               NULL AS hq, trim(LEI) AS lei,
               string_agg({_ident(REPEX_MARK)} || ':' || {_ident(reason)}, '; ') AS parent_exception
        FROM read_csv(?, all_varchar=true, header=true) WHERE nullif(trim(LEI), '') IS NOT NULL GROUP BY 1""",
        params=[str(path)]).to_arrow_table().cast(PARTY_SCHEMA)
    con.close()
    return ParsedOwnership(path.name, "gleif", str(path), file_sha256(path), parties, EDGE_SCHEMA.empty_table(),
                           rows_read=parties.num_rows)
