"""The monitor's tables: the watch set (the user's own customers and lessees, and their open transactions)
and what the last ``monitor run`` saw (its snapshot, the rulebooks on file, each open transaction's decision).

Kept in the store so that a run compares against the state the previous run recorded, whichever process
made it; written through the store's copy-on-write (``Store.transaction``), so a failed ``monitor add``
leaves the watch set as it was. Parties arrive as the flat Arrow table of ``sources.parties_csv`` (millions of
rows), inserted in one batch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from chipscreen.store.schema import query_arrow

if TYPE_CHECKING:
    from chipscreen.store import Store

PARTY_COLUMNS = ("party_id", "name", "name_kind", "country", "id_scheme", "id_value")
SCHEMA = {
    "watch_parties": "party_id VARCHAR, name VARCHAR, name_kind VARCHAR, country VARCHAR, id_scheme VARCHAR, "
                     "id_value VARCHAR, source VARCHAR",
    "watch_transactions": "tx_id VARCHAR PRIMARY KEY, body VARCHAR, source VARCHAR",
    "watch_meta": "key VARCHAR PRIMARY KEY, value VARCHAR",
    "monitor_runs": "run INTEGER PRIMARY KEY, ran_at TIMESTAMP, snapshot_id VARCHAR, rulebooks VARCHAR, "
                    "watch_version VARCHAR, findings INTEGER",
    "monitor_decisions": "tx_id VARCHAR PRIMARY KEY, run INTEGER, summary VARCHAR",
    "monitor_reports": "run INTEGER PRIMARY KEY, report VARCHAR",
}


@dataclass(frozen=True)
class RunRecord:
    """One ``monitor run``: what it compared the next run's changes against."""

    run: int
    ran_at: dt.datetime
    snapshot_id: str
    rulebooks: tuple[str, ...]
    watch_version: str
    findings: int


def ensure(store: Store) -> None:
    store.ensure_tables(SCHEMA)


def watch_version(store: Store) -> str:
    """A hash naming the watch set's content: it changes with every ``monitor add``."""
    ensure(store)
    rows = store.con.execute("SELECT value FROM watch_meta WHERE key = 'version'").fetchall()
    return str(rows[0][0]) if rows else "empty"


def _bump_version(store: Store, what: str) -> None:
    new = hashlib.sha256(f"{watch_version(store)}|{what}".encode()).hexdigest()[:16]
    store.con.execute("INSERT OR REPLACE INTO watch_meta VALUES ('version', ?)", [new])


def add_parties(store: Store, parties: pa.Table, source: str, content_hash: str) -> int:
    """Add a parties table (``PARTY_COLUMNS``, one row per name) read from ``source``; a party id already
    watched is replaced by the new rows (a customer file read again is an update, not a duplicate)."""
    batch = parties.append_column("source", pa.array([source] * parties.num_rows, pa.string()))  # noqa: F841
    with store.writing():
        ensure(store)
        with store.transaction() as con:
            con.execute("DELETE FROM watch_parties WHERE party_id IN (SELECT DISTINCT party_id FROM batch)")
            con.execute("INSERT INTO watch_parties SELECT * FROM batch")
            _bump_version(store, f"parties|{content_hash}")
    return int(pc.count_distinct(parties.column("party_id")).as_py())


def add_transactions(store: Store, bodies: dict[str, dict[str, Any]], source: str, content_hash: str) -> None:
    """Add open transactions by id (a known id is replaced: its new terms are what is open now)."""
    with store.writing():
        ensure(store)
        with store.transaction() as con:
            for tx_id, body in bodies.items():
                con.execute("INSERT OR REPLACE INTO watch_transactions VALUES (?, ?, ?)",
                            [tx_id, json.dumps(body, ensure_ascii=False, sort_keys=True), source])
            _bump_version(store, f"transactions|{content_hash}")


def parties_table(store: Store) -> pa.Table:
    """Every watched name: ``PARTY_COLUMNS``, in insertion order."""
    ensure(store)
    store.con.execute("SELECT 1").fetchall()  # ends any result ``ensure_tables`` left open before a relation
    return query_arrow(store.con, f"SELECT {', '.join(PARTY_COLUMNS)} FROM watch_parties", [])


def party_names(store: Store, party_ids: list[str]) -> dict[str, list[tuple[str, str | None]]]:
    """The names (with their country) of these watched parties, each party's in insertion order."""
    ensure(store)
    wanted = pa.table({"party_id": pa.array(sorted(set(party_ids)), pa.string())})  # noqa: F841
    out: dict[str, list[tuple[str, str | None]]] = {}
    for pid, name, country in store.con.execute(
            "SELECT w.party_id, w.name, w.country FROM watch_parties w JOIN wanted USING (party_id) "
            "ORDER BY w.rowid").fetchall():
        if name:
            out.setdefault(str(pid), []).append((str(name), str(country) if country else None))
    return out


def transactions(store: Store) -> dict[str, dict[str, Any]]:
    ensure(store)
    return {r[0]: json.loads(r[1]) for r in store.con.execute(
        "SELECT tx_id, body FROM watch_transactions ORDER BY tx_id").fetchall()}


def party_countries(store: Store) -> dict[str, str | None]:
    """Each watched party's country (its names share one), so its cases key the party as a screening does."""
    ensure(store)
    return {str(r[0]): (str(r[1]) if r[1] else None) for r in store.con.execute(
        "SELECT party_id, max(country) FROM watch_parties GROUP BY party_id").fetchall()}


def counts(store: Store) -> tuple[int, int]:
    """Watched parties and open transactions."""
    ensure(store)
    rows = store.con.execute("SELECT (SELECT count(DISTINCT party_id) FROM watch_parties), "
                             "(SELECT count(*) FROM watch_transactions)").fetchall()
    return (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)


def last_run(store: Store) -> RunRecord | None:
    ensure(store)
    rows = store.con.execute("SELECT * FROM monitor_runs ORDER BY run DESC LIMIT 1").fetchall()
    if not rows:
        return None
    row = rows[0]
    return RunRecord(int(row[0]), row[1], str(row[2]), tuple(json.loads(row[3])), str(row[4]), int(row[5]))


def decisions(store: Store) -> dict[str, dict[str, Any]]:
    """The decision summary the last run recorded per open transaction."""
    ensure(store)
    return {r[0]: json.loads(r[1]) for r in store.con.execute(
        "SELECT tx_id, summary FROM monitor_decisions").fetchall()}


def last_report(store: Store) -> dict[str, Any] | None:
    """The findings of the last run that recorded its report (``MonitorReport.to_dict``), for the desk."""
    ensure(store)
    rows = store.con.execute("SELECT report FROM monitor_reports ORDER BY run DESC LIMIT 1").fetchall()
    return dict(json.loads(rows[0][0])) if rows else None


def record_run(store: Store, run: RunRecord, summaries: dict[str, dict[str, Any]],
               report: dict[str, Any] | None = None) -> None:
    """Record a run, the decisions it saw and (``report``) its findings, in one write."""
    with store.writing():
        ensure(store)
        with store.transaction() as con:
            con.execute("INSERT INTO monitor_runs VALUES (?, ?, ?, ?, ?, ?)",
                        [run.run, run.ran_at, run.snapshot_id, json.dumps(list(run.rulebooks)), run.watch_version,
                         run.findings])
            for tx_id, summary in summaries.items():
                con.execute("INSERT OR REPLACE INTO monitor_decisions VALUES (?, ?, ?)",
                            [tx_id, run.run, json.dumps(summary, sort_keys=True, default=str)])
            if report is not None:
                con.execute("INSERT OR REPLACE INTO monitor_reports VALUES (?, ?)",
                            [run.run, json.dumps(report, ensure_ascii=False, sort_keys=True, default=str)])
