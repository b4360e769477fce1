"""``screen-file`` against ``screen_many`` on the same names, same run: where a file's rows go (issue 12).

Input: N names (default 100,000) written as bench_spark.py writes them (the bulk run's person names, one in
twenty a listed name as written or with a typo), screened on one date. Each run is a new process on the same
home, with the names index cached beforehand (the index build is bench_names_speed.py's figure, not a cost
per row):

- ``chipscreen screen-file --workers W`` (CSV in, JSON lines out: parsing, result rows, resume bookkeeping);
- ``Screener.screen_many(workers=W)`` in a plain Python process on the rows as read by the csv module, its
  results only counted (the baseline: the engine alone).

Prints wall time, names/s, and the CPU seconds of each process tree (user + system of the process and its
workers): the figure other work on a shared machine moves least, and the one that says whether
``screen-file`` spends its time outside the engine. ``--cold`` also times a ``screen-file`` run that builds
the index first, as the first run on a new home (or after a list or code change) does.

    .venv/bin/python benchmarks/bench_screen_file.py [--names 100000] [--workers 2] [--home DIR] [--cold]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from chipscreen.bundled import open_store
from chipscreen.names.screener import Screener

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_spark import DATE, write_input

ENGINE_ONLY = (
    "import csv, datetime, sys\n"
    "from pathlib import Path\n"
    "from chipscreen.store import Store\n"
    "from chipscreen.names.screener import Screener\n"
    "with Path(sys.argv[2]).open(encoding='utf-8', newline='') as fh:\n"
    "    items = [{'row': i, 'name': r['name'], 'country': r['country'] or None}\n"
    "             for i, r in enumerate(csv.DictReader(fh), start=1)]\n"
    "with Store(Path(sys.argv[1])) as store:\n"
    "    s = Screener(store)\n"
    "    on = datetime.date.fromisoformat(sys.argv[3])\n"
    "    print(sum(r.hit for r in s.screen_many(items, date=on, workers=int(sys.argv[4]))))\n"
)


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the process and every worker it waited for, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, check=False, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{cmd[:4]} failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def screen_file(csv_in: Path, out: Path, home: Path, workers: int) -> tuple[float, float]:
    out.unlink(missing_ok=True)
    wall, cpu, _ = timed([sys.executable, "-m", "chipscreen", "screen-file", str(csv_in), "--out", str(out),
                          "--workers", str(workers), "--date", DATE, "--home", str(home), "--no-queue", "--restart"])
    return wall, cpu


def line(label: str, n: int, wall: float, cpu: float) -> str:
    return (f"  {label:<44} {wall:7.1f} s wall {n / wall:8,.0f} names/s | {cpu:7.1f} CPU-s "
            f"{cpu / n * 1e6:6.0f} us/name")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--home", type=Path, default=None)
    ap.add_argument("--cold", action="store_true", help="Also time a screen-file run that builds the index.")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-screen-file-"))
    home = args.home or work / "home"
    with open_store(home) as store:
        listed = store.names_table(store.snapshot().id).column("name").to_pylist()
        Screener(store)  # the names index built and cached: neither run below pays for it
    csv_in = work / "names.csv"
    write_input(csv_in, args.names, listed)
    n, w = args.names, args.workers
    print(f"{n:,} names (1 in 20 listed, some with a typo), {w} worker(s), date {DATE}, index cached")
    wall, cpu = screen_file(csv_in, work / "out.jsonl", home, w)
    print(line(f"chipscreen screen-file --workers {w}", n, wall, cpu))
    wall2, cpu2, hits = timed([sys.executable, "-c", ENGINE_ONLY, str(home), str(csv_in), DATE, str(w)])
    print(line(f"screen_many(workers={w}), same rows (baseline)", n, wall2, cpu2) + f"  ({hits.strip()} hits)")
    print(f"  screen-file / screen_many: {wall / wall2:.2f}x wall, {cpu / cpu2:.2f}x CPU")
    if args.cold:
        shutil.rmtree(home / "cache", ignore_errors=True)
        wall3, cpu3 = screen_file(csv_in, work / "cold.jsonl", home, w)
        print(line("screen-file, index built first (cold cache)", n, wall3, cpu3))


if __name__ == "__main__":
    main()
