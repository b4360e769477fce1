"""What the last ``lists update`` saw of each source: its validators (ETag, Last-Modified) and content hash.

Kept in the store, beside the snapshot it produced, so that the next update asks the publisher "changed
since?" and a store copied to another machine (or restored from a backup) carries its own answer. Written in
the same store write as the load it records: a refused or failed update leaves both untouched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chipscreen.store import Store

TABLE = "update_state"
SCHEMA = {
    TABLE: "source VARCHAR PRIMARY KEY, url VARCHAR, etag VARCHAR, last_modified VARCHAR, sha256 VARCHAR, "
           "size BIGINT, fetched_at TIMESTAMP, snapshot_id VARCHAR"
}


@dataclass(frozen=True)
class SourceState:
    """One row of ``update_state``."""

    source: str
    url: str
    etag: str | None
    last_modified: str | None
    sha256: str | None
    size: int
    fetched_at: dt.datetime
    snapshot_id: str | None


def read_states(store: Store) -> dict[str, SourceState]:
    """Every source's last state (none before the first update)."""
    store.ensure_tables(SCHEMA)
    rows = store.con.execute(f"SELECT * FROM {TABLE} ORDER BY source").fetchall()
    return {r[0]: SourceState(r[0], r[1], r[2], r[3], r[4], int(r[5] or 0), r[6], r[7]) for r in rows}


def write_states(store: Store, states: list[SourceState]) -> None:
    """Record the states in one transaction (inside the caller's ``store.writing()`` when there is one)."""
    if not states:
        return
    with store.writing():
        store.ensure_tables(SCHEMA)
        with store.transaction() as con:
            for s in states:
                con.execute(f"DELETE FROM {TABLE} WHERE source = ?", [s.source])
                con.execute(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [s.source, s.url, s.etag, s.last_modified, s.sha256, s.size, s.fetched_at,
                             s.snapshot_id])
