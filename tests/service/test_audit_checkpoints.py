"""The audit log's WAL is checkpointed by a thread of the log's own, never by an append: an append does not stop
to copy the WAL into the database at SQLite's 1000 pages, and the thread's checkpoint lets the WAL restart
small again."""

from __future__ import annotations

import time
from pathlib import Path

from chipscreen.service.audit import WAL_KEPT_BYTES, AuditLog
from chipscreen.service.config import service_data

PAGE = 4096
SUMMARY = {"results": [{"id": f"el-{i}", "score": 0.9} for i in range(5)]}


def append(log: AuditLog, n: int) -> None:
    for _ in range(n):
        log.append(key_id="k", endpoint="/match/default", request={"q": 1}, snapshot="s", rulebook=None,
                   summary=SUMMARY)


def wal_bytes(home: Path) -> int:
    return (home / "audit.sqlite-wal").stat().st_size


def test_appends_past_sqlites_1000_pages_leave_the_wal_to_the_thread(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, checkpoint_seconds=3600)  # the thread does not come round during the test
    append(log, 1500)
    assert wal_bytes(tmp_path) > 1000 * PAGE  # SQLite's own policy would have restarted it at 1000 pages
    assert log.verify().ok and log.verify().records == 1500
    log.close()


def test_sqlites_own_policy_checkpoints_in_the_append_that_crosses_1000_pages(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, checkpoint_seconds=0)  # the baseline of benchmarks/bench_audit.py
    append(log, 1500)
    assert wal_bytes(tmp_path) <= 1010 * (PAGE + 24)
    log.close()


def test_after_the_threads_checkpoint_the_next_append_restarts_the_wal_small(tmp_path: Path) -> None:
    log = AuditLog(tmp_path, checkpoint_seconds=0.05)
    append(log, 1500)
    grown = wal_bytes(tmp_path)
    assert grown > WAL_KEPT_BYTES
    deadline = time.monotonic() + 10
    while wal_bytes(tmp_path) >= grown and time.monotonic() < deadline:
        time.sleep(0.1)  # the thread checkpoints within 0.05 s; the append after it restarts the WAL
        append(log, 1)
    assert wal_bytes(tmp_path) <= WAL_KEPT_BYTES
    log.close()
    reopened = AuditLog(tmp_path)
    assert reopened.verify().ok and reopened.verify().records > 1500
    reopened.close()


def test_the_shipped_policy_is_a_thread_with_a_ceiling_above_sqlites() -> None:
    data = service_data()
    assert data.audit_checkpoint_seconds > 0 and data.audit_wal_pages_ceiling > 1000
