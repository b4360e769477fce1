"""Loading the bundled lists into an empty store (target: a snapshot in under 20 s).

Baseline in the same run: the same rows inserted with DuckDB's ``executemany`` instead of Arrow batches.

    .venv/bin/python benchmarks/bench_load.py
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from chipscreen.bundled import load_bundled
from chipscreen.store import Store
from chipscreen.store.schema import NAMES


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        t0 = time.perf_counter()
        store = Store(home)
        result = load_bundled(store)
        elapsed = time.perf_counter() - t0
        counts = store.counts(result.snapshot)
        rows = sum(d.rows_read for d in result.datasets)
        print(f"bundled snapshot {result.snapshot.id}: {len(result.datasets)} files, {rows:,} rows read, "
              f"{sum(counts.values()):,} entries on {len(counts)} lists in {elapsed:.1f} s "
              f"(target < 20 s: {'PASS' if elapsed < 20 else 'FAIL'})")
        names = store.con.execute("SELECT * FROM names").fetchall()
        store.close()

        con = duckdb.connect(str(home / "baseline.duckdb"))
        con.execute(NAMES.ddl())
        sample = names[:5_000]
        t0 = time.perf_counter()
        con.executemany(NAMES.insert_sql(), sample)
        per_row = (time.perf_counter() - t0) / len(sample)
        print(f"baseline executemany: {per_row * 1e6:.0f} us/row -> {per_row * len(names):.1f} s for the "
              f"{len(names):,} name rows alone (Arrow path: all tables in {elapsed:.1f} s)")
        con.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
