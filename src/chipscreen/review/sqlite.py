"""The desk's SQLite files, opened one way: in the home, WAL mode (readers never wait for the one writer),
autocommit unless a method opens a transaction, one connection shared by the service's request threads
behind a lock, as the service's keys and audit log are."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path


class Db:
    def __init__(self, home: Path, name: str, ddl: Sequence[str]) -> None:
        home.mkdir(parents=True, exist_ok=True)
        self.path = home / name
        self.con = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None, timeout=30)
        self.lock = threading.Lock()
        with self.lock:
            self.con.execute("PRAGMA journal_mode=WAL")
            for statement in ddl:
                self.con.execute(statement)

    def close(self) -> None:
        self.con.close()
