"""Audit appends: how long one takes, and how often one stalls on a WAL checkpoint.

Each policy appends ``--appends`` records (a /match-sized summary) to a fresh ``audit.sqlite`` from one thread,
as a request thread does, and times every append. The baseline is SQLite's own checkpoint policy
(``wal_autocheckpoint`` 1000 pages, ``--checkpoint-seconds 0``): the append whose commit crosses 1000 pages of
WAL copies them into the database and syncs it before it returns. The shipped policy (``data/service/
service.yml``, ``audit.checkpoint_seconds``) leaves the checkpoint to a thread of the log's own, off the
append. A stall is an append slower than ``--stall-ms``."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from chipscreen.service.audit import AuditLog
from chipscreen.service.config import service_data

SUMMARY = {"queries": 1, "results": [{"id": f"el-{i:06d}", "score": 0.9123, "match": i == 0} for i in range(5)]}
REQUEST = {"queries": {"q": {"schema": "Company", "properties": {"name": ["Huawei Technologies Co., Ltd."],
                                                                 "country": ["cn"]}}}}


def run(appends: int, checkpoint_seconds: float, stall_ms: float, rate: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        log = AuditLog(Path(tmp), checkpoint_seconds=checkpoint_seconds)
        times: list[float] = []
        start = time.perf_counter()
        for i in range(appends):
            if rate > 0:  # paced as requests arrive, not back to back
                time.sleep(max(0.0, start + i / rate - time.perf_counter()))
            t0 = time.perf_counter()
            log.append(key_id="k1", endpoint="/match/default", request=REQUEST, snapshot="s" * 16, rulebook=None,
                       summary=SUMMARY)
            times.append((time.perf_counter() - t0) * 1000)
        wal = Path(tmp) / "audit.sqlite-wal"
        wal_kb = wal.stat().st_size / 1024 if wal.exists() else 0.0
        ok = log.verify().ok
        log.close()
    times.sort()
    return {"p50": statistics.median(times), "p99": times[int(len(times) * 0.99)],
            "p999": times[int(len(times) * 0.999)], "max": times[-1], "mean": statistics.fmean(times),
            "stalls": sum(t > stall_ms for t in times), "wal_kb": wal_kb, "chain_ok": float(ok)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--appends", type=int, default=8000)
    ap.add_argument("--stall-ms", type=float, default=5.0)
    ap.add_argument("--rounds", type=int, default=2, help="each policy this many times, alternating")
    ap.add_argument("--rate", type=float, default=1000.0, help="appends a second (0: back to back)")
    args = ap.parse_args()
    shipped = service_data().audit_checkpoint_seconds
    policies = [("baseline: SQLite autocheckpoint in the append", 0.0),
                (f"checkpoint thread every {shipped:g} s (shipped)", shipped)]
    pace = f"{args.rate:,.0f} a second" if args.rate > 0 else "back to back"
    print(f"{args.appends:,} appends per run, {pace}, stall = append > {args.stall_ms:g} ms")
    for r in range(args.rounds):
        for name, seconds in policies:
            m = run(args.appends, seconds, args.stall_ms, args.rate)
            print(f"round {r + 1} {name:48} p50 {m['p50']:.3f} ms  p99 {m['p99']:.3f}  p99.9 {m['p999']:.2f}  "
                  f"max {m['max']:.1f} ms  mean {m['mean']:.3f}  stalls {m['stalls']:.0f} "
                  f"(1 in {args.appends / max(m['stalls'], 1):.0f})  WAL at end {m['wal_kb']:.0f} KiB  "
                  f"chain {'valid' if m['chain_ok'] else 'BROKEN'}")


if __name__ == "__main__":
    main()
