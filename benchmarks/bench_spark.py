"""Screening on Spark against the local engine, same machine, same run (issue 18's target: the Spark path at
most 1.5x the local engine's time on 2 cores, JVM start-up excluded).

Input: N distinct names (default 1,000,000) written as a CSV: the person names of bench_names_speed.py's bulk
run (the shared negatives recombined, so no query repeats), with one in twenty a listed name as written or
with a typo, so the output has hits and possible matches as a customer base does. The baseline is
``chipscreen screen-file --workers 2`` (the local engine's 2-process path, a new process, index cached); the
Spark run is ``chipscreen.spark.jobs.screen_file`` in ``local[2]`` in this process, its session started
first and timed apart, so the ratio is printed with and without Spark's start-up. Both write JSON lines; the
script checks that the two outputs are identical. It also prints the names index's size (the file shipped
to each executor) and the peak memory of a Python process holding it, then after a bulk run of its own
(docs/scale.md's memory per executor).

    .venv/bin/python benchmarks/bench_spark.py [--names 1000000] [--cores 2] [--home DIR] [--monitor 20000]

``--monitor P`` (0: skip) also times ``monitor run`` locally and on Spark, same run, same store: the 2022 CSL
(data/lists) with a recorded last run, P watched parties (the same person names, one in fifty a listed name),
then the CSL with 1 % of its entries removed or renamed and watched names added. The local run's watch-set
index is built first (it is cached per watch-set version) and timed apart; the Spark run indexes its slices
in every run. The script checks that the two reports are identical.

Needs the ``spark`` extra and Java 17; the large input needs ../shared/data (the negatives).
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from chipscreen.bundled import open_store
from chipscreen.names.index_cache import cache_files
from chipscreen.names.screener import Screener
from chipscreen.spark.jobs import screen_file
from chipscreen.spark.session import local_session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_names_speed import distinct_names, typo
from bench_spark_monitor import monitor_comparison

DATE = "2026-01-15"
RSS_PROBE = (
    "import csv, datetime, sys\n"
    "from pathlib import Path\n"
    "from chipscreen.names.index_cache import load\n"
    "from chipscreen.names.screener import Screener\n"
    "def peak(): return int(Path('/proc/self/status').read_text().split('VmHWM:')[1].split()[0]) / 1024\n"
    "s = Screener(index=load(Path(sys.argv[1])))\n"
    "s.screen('Huawei Technologies Co Ltd')\n"
    "print(peak())\n"
    "with open(sys.argv[2], encoding='utf-8', newline='') as fh:\n"
    "    rows = [{'name': r['name']} for _, r in zip(range(int(sys.argv[3])), csv.DictReader(fh))]\n"
    "for _ in s.screen_many(rows, date=datetime.date(2026, 1, 15)): pass\n"
    "print(peak())\n"
)
"""A process's own peak RSS is its VmHWM. Not ``ru_maxrss``: Linux carries the maximum over ``exec``, and
Python's ``subprocess`` starts the child with ``vfork``, so the child's ``ru_maxrss`` is at least the peak of
the parent that started it (this benchmark's own, over 2 GB at 1,000,000 names), not the index's."""
RSS_NAMES = 60_000
"""Names the probe screens in one process after its first: past the ~45,000 after which the index builds its
key table (``index_arrays``), so the second figure is a bulk-screening worker's memory, memos included."""


def write_input(path: Path, n: int, listed: list[str]) -> None:
    rng = random.Random(18)
    people = distinct_names(n)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["name", "country"])
        for i, name in enumerate(people):
            if i % 20 == 0:
                name = rng.choice(listed)
                name = typo(name, rng) if i % 40 == 0 else name
            writer.writerow([name, ""])


def local_run(csv_in: Path, out: Path, home: Path, cores: int) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "chipscreen", "screen-file", str(csv_in), "--out", str(out), "--workers",
                    str(cores), "--date", DATE, "--home", str(home)], check=False, capture_output=True)
    return time.perf_counter() - started


def index_figures(home: Path, csv_in: Path) -> tuple[float, float, float]:
    """The cached index file's size and the peak RSS of a process that loaded it and screened a name, then
    after screening ``RSS_NAMES`` more of the input (MB)."""
    path = max(cache_files(home / "cache"), key=lambda p: p.stat().st_mtime)
    rss = subprocess.run([sys.executable, "-c", RSS_PROBE, str(path), str(csv_in), str(RSS_NAMES)], check=True,
                         capture_output=True, text=True)
    one, bulk = (float(x) for x in rss.stdout.split()[-2:])
    return path.stat().st_size / 1e6, one, bulk


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", type=int, default=1_000_000)
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--home", type=Path, default=None)
    ap.add_argument("--monitor", type=int, default=20_000, help="watched parties of the monitor comparison")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-spark-"))
    if args.names:
        screening_comparison(work, args.home or work / "home", args.names, args.cores)
    if args.monitor:
        monitor_comparison(work / "monitor", args.monitor, args.cores)


def screening_comparison(work: Path, home: Path, names: int, cores: int) -> None:
    with open_store(home) as store:
        listed = store.names_table(store.snapshot().id).column("name").to_pylist()
        # the names index built and cached now: the local run would otherwise pay for the build (and the
        # Spark run, started after it, not)
        Screener(store)
    csv_in = work / "names.csv"
    write_input(csv_in, names, listed)
    local_out, spark_out = work / "local.jsonl", work / "spark.jsonl"
    local_s = local_run(csv_in, local_out, home, cores)
    started = time.perf_counter()
    local_session(f"local[{cores}]", shuffle_partitions=cores * 4)
    startup_s = time.perf_counter() - started
    with open_store(home) as store:
        counts = screen_file(store, csv_in, spark_out, date=__import__("datetime").date.fromisoformat(DATE))
    spark_s = time.perf_counter() - started
    same = "".join(p.read_text(encoding="utf-8") for p in sorted(spark_out.glob("part-*"))) == local_out.read_text(
        encoding="utf-8")
    index_mb, rss_mb, bulk_mb = index_figures(home, csv_in)
    n, c = names, cores
    print(f"names: {n:,}; cores: {c}; hits {counts.hits:,}, matched {counts.matched:,}, bad rows {len(counts.errors)}")
    print(f"local engine (screen-file --workers {c}): {local_s:8.1f} s  {n / local_s:9,.0f} names/s  "
          f"{n / local_s / c:8,.0f} names/s per core")
    print(f"spark local[{c}], start-up included:  {spark_s:8.1f} s  {n / spark_s:9,.0f} names/s  "
          f"{n / spark_s / c:8,.0f} names/s per core")
    print(f"spark local[{c}], start-up excluded:  {spark_s - startup_s:8.1f} s  {n / (spark_s - startup_s):9,.0f} "
          f"names/s  {n / (spark_s - startup_s) / c:8,.0f} names/s per core  (JVM start-up {startup_s:.1f} s)")
    print(f"ratio spark/local: {spark_s / local_s:.2f}x with start-up, {(spark_s - startup_s) / local_s:.2f}x "
          f"without (target <= 1.5x without)")
    print(f"outputs identical: {same}")
    print(f"names index: {index_mb:.1f} MB file; a Python process holding it: {rss_mb:,.0f} MB peak RSS (VmHWM), "
          f"{bulk_mb:,.0f} MB after screening {RSS_NAMES:,} names")


if __name__ == "__main__":
    main()
