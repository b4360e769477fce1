"""Decisions made at the desk, kept so that each has a permalink: the transaction as given and the
decision as made (with its snapshot and rulebook ids), under an id derived from both. Stored beside the
review queue (``review.sqlite``); the decision page reads them back without deciding again."""

from __future__ import annotations

import hashlib
from pathlib import Path

from chipscreen.errors import NotFoundError
from chipscreen.model import Decision, Transaction
from chipscreen.review.accounts import now, stamp
from chipscreen.review.sqlite import Db

DDL = """CREATE TABLE IF NOT EXISTS decisions (
  id TEXT PRIMARY KEY, created_at TEXT NOT NULL, user TEXT NOT NULL, tx TEXT NOT NULL, decision TEXT NOT NULL)"""


class DecisionLog:
    def __init__(self, home: Path) -> None:
        self._db = Db(home, "review.sqlite", (DDL,))
        self.path, self._con, self._lock = self._db.path, self._db.con, self._db.lock

    def close(self) -> None:
        self._db.close()

    def keep(self, tx: Transaction, decision: Decision, user: str) -> str:
        """The permalink id of this transaction's decision (the same pair keeps its first id)."""
        tx_json = tx.model_dump_json(by_alias=True)
        d_json = decision.model_dump_json(by_alias=True)
        pid = hashlib.sha256((tx_json + "\n" + d_json).encode()).hexdigest()[:20]
        with self._lock:
            self._con.execute("INSERT OR IGNORE INTO decisions VALUES (?, ?, ?, ?, ?)",
                              (pid, stamp(now()), user, tx_json, d_json))
        return pid

    def get(self, pid: str) -> tuple[Transaction, Decision, str, str]:
        """The transaction, its decision, who asked and when."""
        with self._lock:
            row = self._con.execute("SELECT tx, decision, user, created_at FROM decisions WHERE id = ?",
                                    (pid,)).fetchone()
        if row is None:
            raise NotFoundError(f"no decision {pid!r} at this desk")
        return (Transaction.model_validate_json(row[0]), Decision.model_validate_json(row[1]), str(row[2]),
                str(row[3]))
