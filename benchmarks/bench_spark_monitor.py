"""``monitor run`` locally and on Spark, same store, same run: both times, their ratio, and whether the two
reports are identical (``bench_spark.py --monitor P`` runs it; see that script's docstring).

The store holds the 2022 CSL (data/lists) and a recorded last run on it, so the measured run works a change,
not a baseline: the CSL with one entry in a hundred removed or renamed and, as new Entity List entries, one
watched name in a thousand. The watch set is P parties: the person names of bench_names_speed.py, one in
fifty a listed name as written.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import time
from pathlib import Path

from bench_names_speed import distinct_names
from chipscreen.monitor import MonitorReport, add_parties, run_monitor
from chipscreen.monitor.watch_index import watch_index
from chipscreen.paths import data_dir
from chipscreen.rules import list_rulebooks
from chipscreen.sources import parse_file
from chipscreen.spark import local_session, monitor
from chipscreen.store import Store, watch

ON = dt.date(2026, 12, 1)
CSL = data_dir() / "lists" / "csl_consolidated_2022-04.csv"


def read_csl() -> tuple[list[str], list[dict[str, str]]]:
    with CSL.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_parties(path: Path, n: int, listed: list[str]) -> list[str]:
    rng = random.Random(18)
    names = [rng.choice(listed) if i % 50 == 0 else name for i, name in enumerate(distinct_names(n))]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "country", "id"])
        w.writerows((name, "", f"W{i:08d}") for i, name in enumerate(names))
    return names


def write_change(path: Path, header: list[str], rows: list[dict[str, str]], watched: list[str]) -> None:
    kept = [r if i % 100 != 7 else r | {"name": r["name"] + " TRADING"} for i, r in enumerate(rows) if i % 100 != 3]
    template = next(r for r in rows if "(EL)" in r["source"])
    kept += [template | {"name": n, "alt_names": "", "start_date": "2026-11-01"} for n in watched[5::1000]]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, header)
        w.writeheader()
        w.writerows(kept)


def canonical(report: MonitorReport) -> str:
    d = report.to_dict()
    d.pop("seconds")
    return json.dumps(d, ensure_ascii=False, sort_keys=True, default=str)


def monitor_comparison(work: Path, parties: int, cores: int) -> None:
    work.mkdir(parents=True, exist_ok=True)
    header, rows = read_csl()
    store = Store(work / "home")
    store.load([parse_file(CSL, retrieved=dt.date(2026, 10, 1))])
    old = store.snapshot()
    watched = write_parties(work / "watch.csv", parties, [r["name"] for r in rows if r["name"]])
    add_parties(store, work / "watch.csv")
    watch.record_run(store, watch.RunRecord(1, dt.datetime.now(), old.id, tuple(r.id for r in list_rulebooks()),
                                            watch.watch_version(store), 0), {})
    write_change(work / "csl_changed.csv", header, rows, watched)
    store.load([parse_file(work / "csl_changed.csv", retrieved=dt.date(2026, 11, 1))], accept_shrink=True)
    started = time.perf_counter()
    watch_index(store)
    index_s = time.perf_counter() - started
    started = time.perf_counter()
    local = run_monitor(store, on=ON, record=False)
    local_s = time.perf_counter() - started
    spark = local_session(f"local[{cores}]", shuffle_partitions=cores * 4)
    started = time.perf_counter()
    on_spark = monitor(store, spark=spark, on=ON, record=False)
    spark_s = time.perf_counter() - started
    print(f"monitor: {parties:,} watched parties; change {local.summary()}; {len(local.parties):,} party findings")
    print(f"local monitor run (watch-set index warm): {local_s:8.1f} s  (index build, once per watch-set "
          f"version: {index_s:.1f} s)")
    print(f"spark local[{cores}] monitor run (session running, slices indexed in the run): {spark_s:8.1f} s  "
          f"ratio {spark_s / local_s:.2f}x (against local run + index build: {spark_s / (local_s + index_s):.2f}x)")
    print(f"monitor reports identical: {canonical(on_spark) == canonical(local)}")
    store.close()
