"""The service's own small SQLite files in the home (the audit log, the rate buckets): opened one way, shared
by every worker process and every request thread of one."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_shared(path: Path, ddl: str, *, synchronous: str) -> sqlite3.Connection:
    """A connection in autocommit mode (each caller says where its transactions are), usable from any thread
    (the caller holds a lock around it), waiting up to 30 s for another process's write lock, in WAL mode so
    that readers never wait; ``synchronous`` is how much a commit must reach the disk (NORMAL: survives a
    killed process; OFF: may be lost with the machine). Creates the table ``ddl`` declares."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(f"PRAGMA synchronous={synchronous}")
    con.execute(ddl)
    return con
