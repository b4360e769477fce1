"""The audit log: every screening and decision answer, appended and hash-chained.

Each record holds the time, the key that asked, a digest of the request, the snapshot and rulebook ids and
a summary of the answer, plus the hash of the record before it; its own hash covers all of that. Editing
a record breaks its hash, deleting one breaks the chain (and leaves a gap in ``seq``); ``verify`` says
where. The log is its own SQLite file under the home (``audit.sqlite``) in WAL mode: each append is one
committed transaction (``BEGIN IMMEDIATE``, so several writers keep one chain), which survives a restart or
a killed process.

An append does not checkpoint the WAL into the database: under SQLite's own policy the append whose commit
crossed 1000 pages of WAL did it, syncing the files before it returned (one append in 120 to 700 waited 5 to
50 ms for it, ``benchmarks/bench_audit.py``). A thread of the log's own checkpoints instead, every
``audit.checkpoint_seconds`` of ``data/service/service.yml``, started by the first append, so a reader of
the log (``chipscreen audit``) starts none; an append checkpoints only past ``audit.wal_pages_ceiling``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from chipscreen.service.config import service_data
from chipscreen.service.sqlite_files import open_shared

GENESIS = "0" * 64
WAL_KEPT_BYTES = 4 << 20  # what a restarted WAL file keeps of its size (a burst of appends may have grown it)
FIELDS = ("seq", "at", "key_id", "endpoint", "request_digest", "snapshot", "rulebook", "summary")
DDL = """CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, key_id TEXT NOT NULL, endpoint TEXT NOT NULL,
  request_digest TEXT NOT NULL, snapshot TEXT, rulebook TEXT, summary TEXT NOT NULL,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL)"""


def canonical(value: Any) -> bytes:
    """One byte string per JSON value (sorted keys, no spaces), for digests that do not depend on spacing."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def request_digest(value: Any) -> str:
    """The same bytes as ``canonical`` for a parsed JSON request, by orjson: a /match body digested by the
    standard library's encoder was a tenth of the audit's cost per request. (Stored, never recomputed.)"""
    try:
        data = orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    except orjson.JSONEncodeError:  # an integer past 64 bits
        data = canonical(value)
    return hashlib.sha256(data).hexdigest()


def record_hash(prev_hash: str, record: dict[str, Any]) -> str:
    body = {k: record[k] for k in FIELDS}
    return hashlib.sha256(prev_hash.encode() + canonical(body)).hexdigest()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    records: int
    head: str
    problems: list[str]


class AuditLog:
    def __init__(self, home: Path, *, checkpoint_seconds: float | None = None) -> None:
        """``checkpoint_seconds``: how often the log's thread checkpoints (``None``: the shipped setting; 0:
        SQLite's own policy, in the append, the baseline of ``bench_audit``)."""
        self.path = home / "audit.sqlite"
        self._con = open_shared(self.path, DDL, synchronous="NORMAL")
        self._lock = threading.Lock()
        seconds = service_data().audit_checkpoint_seconds if checkpoint_seconds is None else checkpoint_seconds
        self._checkpoints = Checkpoints(self.path, seconds) if seconds > 0 else None
        if self._checkpoints is not None:
            self._con.execute(f"PRAGMA wal_autocheckpoint={service_data().audit_wal_pages_ceiling}")
            self._con.execute(f"PRAGMA journal_size_limit={WAL_KEPT_BYTES}")  # the WAL file shrinks on restart

    def close(self) -> None:
        if self._checkpoints is not None:
            self._checkpoints.stop()
        self._con.close()

    def append(self, *, key_id: str, endpoint: str, request: Any, snapshot: str | None, rulebook: str | None,
               summary: dict[str, Any]) -> dict[str, Any]:
        """Append one record, chained to the last one, in one committed transaction."""
        if self._checkpoints is not None:
            self._checkpoints.start()
        with self._lock:
            con = self._con
            con.execute("BEGIN IMMEDIATE")
            try:
                last = con.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
                rec = {"seq": seq, "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
                       "key_id": key_id, "endpoint": endpoint, "request_digest": request_digest(request),
                       "snapshot": snapshot, "rulebook": rulebook,
                       "summary": canonical(summary).decode()}
                rec["prev_hash"] = prev
                rec["hash"] = record_hash(prev, rec)
                con.execute("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            tuple(rec[k] for k in (*FIELDS, "prev_hash", "hash")))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return rec

    def records(self, since: dt.datetime | None = None) -> Iterator[dict[str, Any]]:
        """Records in order (from ``since`` on, when given), as stored."""
        sql = "SELECT * FROM audit" + (" WHERE at >= ?" if since else "") + " ORDER BY seq"
        args = (since.astimezone(dt.UTC).isoformat(timespec="microseconds"),) if since else ()
        with self._lock:
            rows = self._con.execute(sql, args).fetchall()
        cols = (*FIELDS, "prev_hash", "hash")
        for row in rows:
            yield dict(zip(cols, row, strict=True))

    def verify(self) -> Verdict:
        """Recompute the chain: an edited record fails its hash, a deleted one its successor's link."""
        problems: list[str] = []
        prev, expected_seq, count = GENESIS, 1, 0
        for rec in self.records():
            count += 1
            if rec["seq"] != expected_seq:
                problems.append(f"record {rec['seq']}: records {expected_seq}..{rec['seq'] - 1} are missing")
            if rec["prev_hash"] != prev:
                problems.append(f"record {rec['seq']}: does not follow the record before it (deleted or edited)")
            if record_hash(rec["prev_hash"], rec) != rec["hash"]:
                problems.append(f"record {rec['seq']}: its content does not match its hash (edited)")
            prev, expected_seq = rec["hash"], rec["seq"] + 1
        return Verdict(not problems, count, prev, problems)


class Checkpoints:
    """A daemon thread that checkpoints the WAL of ``path`` every ``seconds`` through its own connection,
    PASSIVE: beside the appends (SQLite's checkpointer neither waits for nor blocks the one writer in WAL mode),
    it copies and syncs the period's pages. The WAL restarts from its beginning (and shrinks) at the first append
    after a checkpoint that caught up; under appends so steady that none does, the appends' own checkpoint at
    ``wal_pages_ceiling`` pages bounds it, with little left to copy."""

    def __init__(self, path: Path, seconds: float) -> None:
        self.path = path
        self.seconds = seconds
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def start(self) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="chipscreen-audit-checkpoint",
                                                    daemon=True)
                    self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        con = open_shared(self.path, DDL, synchronous="NORMAL")
        try:
            while not self._stopped.wait(self.seconds):
                con.execute("PRAGMA wal_checkpoint(PASSIVE)")
            con.execute("PRAGMA wal_checkpoint(PASSIVE)")  # what the last period appended
        finally:
            con.close()


def export_line(rec: dict[str, Any]) -> str:
    """One record as a JSON line, its summary as an object rather than text."""
    return json.dumps({**rec, "summary": json.loads(rec["summary"])}, ensure_ascii=False, sort_keys=False)
