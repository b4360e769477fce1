"""Loading lists: the bundled lists into an empty store (target: a snapshot in under 20 s), and a large private
parties CSV (issue 14 item 4, target: 6M rows, about 200 MB, in <= 120 s under 2 GB peak RSS).

Baselines in the same run: the bundled rows inserted with DuckDB's ``executemany`` instead of Arrow batches;
for the large file, the Entry-per-row path it replaced (``build_entry`` then ``Store.load``) timed on the
first 100,000 rows and scaled. The issue's figure before the change: 4:57 and 20.7 GB for 6M rows.

    .venv/bin/python benchmarks/bench_load.py [--rows 6000000] [--skip-bundled]

The large load runs in a child process (``lists load`` as a user runs it), so its peak RSS is its own.

``--first-screen-rows`` (default 500,000): issue 14 item 4's other half, a private list that made the next
``screen`` take about 9 minutes (557 s of CPU, 5.1 GB) while it built the names index of the new snapshot. The
list is loaded into a home whose bundled index is cached, then the first ``screen`` is timed in a child
process: wall, CPU, peak RSS against the target (<= 60 s), beside a second (warm) ``screen`` as its floor.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from chipscreen.bundled import load_bundled, open_store
from chipscreen.model import Identifier
from chipscreen.names.screener import Screener
from chipscreen.sources.base import ParsedDataset, build_entry
from chipscreen.store import Store
from chipscreen.store.schema import NAMES

TARGET_SECONDS = 120
TARGET_RSS_GB = 2.0
WORDS = ("Advanced", "Micro", "Precision", "Global", "Pacific", "Northern", "Eastern", "Golden", "Dragon", "Star",
         "Union", "Bright", "Future", "Sino", "Euro", "Trans", "Ocean", "Harbor", "Silicon", "Photon", "Quantum")
FORMS = ("Co., Ltd.", "LLC", "GmbH", "Ltd", "S.A.", "OOO", "Inc.", "Pte. Ltd.", "AG", "JSC")
COUNTRIES = ("CN", "China", "RU", "DE", "US", "HK", "AE", "IR", "SG", "Turkey", "IN", "KP")


def write_parties(path: Path, rows: int, seed: int = 14) -> None:
    """``rows`` parties with distinct names (a number makes each unique), a country, every tenth an id."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "country", "id"])
        for i in range(rows):
            name = f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)} {i} {rng.choice(FORMS)}"
            w.writerow([name, rng.choice(COUNTRIES), f"REG{i:09d}" if i % 10 == 0 else ""])


TARGET_FIRST_SCREEN_SECONDS = 60
_RUSAGE = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
           "r = resource.getrusage(resource.RUSAGE_CHILDREN); sys.stdout.write(p.stdout); "
           "sys.stderr.write(p.stderr + f'\\n{r.ru_maxrss} {r.ru_utime + r.ru_stime} {p.returncode}')")


def child(cmd: list[str]) -> tuple[float, float, float, int, str]:
    """Run ``cmd`` under a wrapper that reports its own child's usage alone: (wall s, CPU s, peak RSS GB,
    exit status, stderr)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _RUSAGE, *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    err, _, last = proc.stderr.rpartition("\n")
    rss_kb, cpu, code = last.split()
    return wall, float(cpu), int(rss_kb) * 1024 / 1e9, int(code), err


def first_screen(tmp: Path, rows: int) -> None:
    """The first ``screen`` after a private list of ``rows`` parties is loaded (the index of the new snapshot
    is built then), and a second one."""
    path, home = tmp / "private.csv", tmp / "first-screen"
    write_parties(path, rows, seed=4)
    with open_store(home) as store:  # the bundled lists, their names index built and cached
        Screener(store)
    wall, cpu, rss, code, err = child([sys.executable, "-m", "chipscreen", "lists", "load", str(path), "--home",
                                       str(home), "--json"])
    if code:
        print(f"lists load FAILED ({code}): {err[-2000:]}")
        return
    print(f"lists load {rows:,}-row private list: {wall:.0f} s ({cpu:.0f} s of CPU), peak RSS {rss:.2f} GB")
    screen = [sys.executable, "-m", "chipscreen", "screen", "Huawei Technologies Co Ltd", "--home", str(home)]
    wall, cpu, rss, code, err = child(screen)
    if code not in (0, 1):
        print(f"screen FAILED ({code}): {err[-2000:]}")
        return
    verdict = "PASS" if wall <= TARGET_FIRST_SCREEN_SECONDS else "FAIL"
    print(f"first screen after it (builds the names index): {wall:.0f} s ({cpu:.0f} s of CPU), peak RSS "
          f"{rss:.2f} GB (target <= {TARGET_FIRST_SCREEN_SECONDS} s: {verdict}; issue 14 measured about 9 "
          f"minutes, 557 s of CPU and 5.1 GB)")
    wall, cpu, rss, _, _ = child(screen)
    print(f"baseline second screen (index cached): {wall:.1f} s ({cpu:.1f} s of CPU), peak RSS {rss:.2f} GB")


def bundled(home: Path) -> None:
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


def large(tmp: Path, rows: int) -> None:
    path = tmp / "parties.csv"
    t0 = time.perf_counter()
    write_parties(path, rows)
    size = path.stat().st_size / 1e6
    print(f"generated {path.name}: {rows:,} rows, {size:.0f} MB in {time.perf_counter() - t0:.0f} s")
    open_store(tmp / "big").close()  # the bundled lists first, so that the child times this file alone
    elapsed, cpu, rss_gb, code, err = child([sys.executable, "-m", "chipscreen", "lists", "load", str(path),
                                             "--home", str(tmp / "big"), "--json"])
    if code:
        print(f"lists load FAILED ({code}): {err[-2000:]}")
        return
    ok = elapsed <= TARGET_SECONDS and rss_gb <= TARGET_RSS_GB
    print(f"lists load {rows:,} rows into a store holding the bundled lists: {elapsed:.0f} s ({cpu:.0f} s of CPU: "
          f"on a shared machine the CPU time is the figure that does not depend on the others), peak RSS "
          f"{rss_gb:.2f} GB (target <= {TARGET_SECONDS} s and <= {TARGET_RSS_GB} GB: {'PASS' if ok else 'FAIL'})")
    baseline(tmp, path, min(rows, 100_000), rows)


def baseline(tmp: Path, path: Path, sample: int, rows: int) -> None:
    """The Entry-per-row path on the first ``sample`` rows, scaled to ``rows``."""
    t0 = time.perf_counter()
    entries = []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for i, row in enumerate(reader):
            if i >= sample:
                break
            ident = row["id"] or None
            entries.append(build_entry(source=path.name, list_code="PARTIES", name=row["name"], country=row["country"],
                                       identifiers=[Identifier(scheme="registration", value=ident)] if ident else [],
                                       party_id=f"parties-{ident}" if ident else None))
    ds = ParsedDataset(name=path.name, format="parties-csv", path=str(path), sha256="0" * 64,
                       retrieved=dt.date.today(), entries=entries, rows_read=sample)
    with Store(tmp / "baseline") as store:
        store.load([ds])
    per_row = (time.perf_counter() - t0) / sample
    print(f"baseline Entry per row: {per_row * 1e6:.0f} us/row on {sample:,} rows -> {per_row * rows:.0f} s for "
          f"{rows:,} rows (issue 14 measured 297 s and 20.7 GB before the change)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=6_000_000, help="rows of the large parties CSV (0: none)")
    ap.add_argument("--skip-bundled", action="store_true")
    ap.add_argument("--first-screen-rows", type=int, default=500_000,
                    help="rows of the private list loaded before the timed first screen (0: none)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        if not args.skip_bundled:
            bundled(tmp / "bundled")
        if args.first_screen_rows:
            first_screen(tmp, args.first_screen_rows)
        if args.rows:
            large(tmp, args.rows)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
