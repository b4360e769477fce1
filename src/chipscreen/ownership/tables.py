"""The ownership engine's own DuckDB tables and the name normaliser they are joined on.

Ownership data is not list data: it is loaded separately (``chipscreen ownership load``), accumulates across
files, and is read as of a date. Parties get a dense integer ``pid`` when they are first seen so that the
graph kernels can read edges as int64 columns straight into numpy without any string mapping.

The normaliser is a DuckDB macro, not Python, so that bulk resolution (millions of GLEIF rows) and a
single ``show NAME`` lookup use the very same definition and can never disagree.
"""

from __future__ import annotations

import contextlib

import duckdb

_LEGAL_FORMS = (
    "co|ltd|limited|llc|inc|incorporated|corp|corporation|company|gmbh|ag|sa|plc|jsc|ojsc|pjsc|cjsc|ooo|zao|"
    "oao|pao|ao|bv|nv|pte|pty|srl|spa|kk|lp|llp|the|ооо|оао|зао|пао|ао|тов"
)

# Lower-case, strip accents, punctuation to spaces, drop legal-form tokens. Spaces are doubled first so
# that adjacent legal forms ("co ltd") each keep their own delimiters for the RE2 pattern (no lookahead).
_NORM_MACRO = rf"""
CREATE OR REPLACE TEMP MACRO own_base(s) AS
    nullif(trim(regexp_replace(lower(strip_accents(s)), '[^\p{{L}}\p{{N}}]+', ' ', 'g')), '');
CREATE OR REPLACE TEMP MACRO own_norm(s) AS coalesce(
    nullif(trim(regexp_replace(regexp_replace(' ' || replace(own_base(s), ' ', '  ') || ' ',
        ' ({_LEGAL_FORMS}) ', ' ', 'g'), '\s+', ' ', 'g')), ''),
    own_base(s));
"""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS own_datasets (
    id VARCHAR, name VARCHAR, format VARCHAR, path VARCHAR, sha256 VARCHAR, loaded_at TIMESTAMP,
    rows_read BIGINT, parties BIGINT, edges BIGINT, warnings VARCHAR);
CREATE TABLE IF NOT EXISTS own_parties (
    pid BIGINT, id VARCHAR, name VARCHAR, norm VARCHAR, kind VARCHAR, country VARCHAR, hq VARCHAR,
    lei VARCHAR, parent_exception VARCHAR, dataset_id VARCHAR, resolved_by VARCHAR);
CREATE TABLE IF NOT EXISTS own_edges (
    dataset_id VARCHAR, owner_pid BIGINT, owned_pid BIGINT, kind VARCHAR, share_ppm BIGINT,
    share_min_ppm BIGINT, share_max_ppm BIGINT, start_date DATE, end_date DATE, line BIGINT, evidence VARCHAR);
"""

# Edge kinds. Only OWNERSHIP edges carry shares into the 50% fixpoint; the others are relatives.
OWNERSHIP = "ownership"
PARENT_DIRECT = "parent_direct"  # GLEIF IS_DIRECTLY_CONSOLIDATED_BY, list-stated parent
PARENT_ULTIMATE = "parent_ultimate"  # GLEIF IS_ULTIMATELY_CONSOLIDATED_BY
BRANCH = "branch"  # GLEIF IS_INTERNATIONAL_BRANCH_OF (a branch is the entity itself: FAQ #45)
CONTROL = "control"  # BODS voting rights / board appointment: control, not ownership (BIS FAQ #43)
LINKED = "linked"  # OFAC "Linked To"
AFFILIATE = "affiliate"  # CSL "Affiliated Entity"
EDGE_KINDS = (OWNERSHIP, PARENT_DIRECT, PARENT_ULTIMATE, BRANCH, CONTROL, LINKED, AFFILIATE)


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables (first use) and the macros (every connection); cheap and idempotent."""
    con.execute(_NORM_MACRO)
    with contextlib.suppress(duckdb.Error):  # read-only store: tables exist, or there is no ownership data
        con.execute(_SCHEMA)


def has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'own_parties'"
    ).fetchone()
    return bool(row and row[0])


def norm_name(con: duckdb.DuckDBPyConnection, name: str | None) -> str | None:
    """The exact-match key of a name (the same macro the bulk joins use)."""
    ensure(con)
    row = con.execute("SELECT own_norm(?)", [name]).fetchone()
    return row[0] if row else None
