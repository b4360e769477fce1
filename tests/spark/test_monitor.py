"""``monitor run`` on Spark gives the local run's report: the same party findings (hits, possible matches,
delistings, with their explanations) and the same changed open transactions, on the baseline run and on a
run after a real list change (the recorded 2019 CSL sample, with entries removed, added and amended)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from spark_inputs import Run, clean_name, drop_a_letter, transaction_lines

from chipscreen.monitor import MonitorReport, add_parties, add_transactions, run_monitor
from chipscreen.sources import parse_file
from chipscreen.spark import monitor
from chipscreen.spark.monitoring import SparkWork
from chipscreen.store import Store

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

ON = dt.date(2026, 12, 1)
EL = "Entity List (EL) - Bureau of Industry and Security"
PARTIES = 3_000
TRANSACTIONS = 200


def party_rows(listed: list[str]) -> list[tuple[str, str, str]]:
    """(name, country, id): listed names as written, misspelt, and names on no list; some parties with two."""
    rows: list[tuple[str, str, str]] = []
    for i in range(PARTIES):
        name = listed[i % len(listed)]
        kind = i % 3
        text = name if kind == 0 else drop_a_letter(name, i) if kind == 1 else clean_name(i)
        rows.append((text, ("CN", "", "RU", "DE")[i % 4], f"P{i:05d}"))
        if i % 10 == 0:
            rows.append((clean_name(i + 7), "", f"P{i:05d}"))
    return rows


def canonical(report: MonitorReport) -> str:
    """The report as it is recorded and printed, without its timings."""
    d = report.to_dict()
    d.pop("seconds")
    return json.dumps(d, ensure_ascii=False, sort_keys=True, default=str)


@pytest.fixture
def watched(tmp_path: Path, shared: Path) -> tuple[Store, Path]:
    """A home holding the 2019 CSL sample, watching 3,000 parties and 200 open transactions."""
    tmp = tmp_path
    store = Store(tmp / "home")
    store.load([parse_file(shared / "csl" / "csl_sample_2019.csv", retrieved=dt.date(2019, 6, 1))])
    listed = [str(n) for n in store.names_table(store.snapshot().id).column("name").to_pylist()]
    with (tmp / "parties.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([("name", "country", "id"), *party_rows(listed)])
    add_parties(store, tmp / "parties.csv")
    lines = []
    for line in transaction_lines(store, TRANSACTIONS + 20):
        try:
            tx = json.loads(line)
        except json.JSONDecodeError:
            continue
        if tx.get("item") != "no-such-chip":
            lines.append(json.dumps(tx | {"date": "2026-06-01"}))
    (tmp / "open.jsonl").write_text("\n".join(lines[:TRANSACTIONS]) + "\n", encoding="utf-8")
    add_transactions(store, tmp / "open.jsonl")
    return store, tmp


def change_the_lists(store: Store, shared: Path, tmp: Path) -> None:
    """Every 9th entry removed, every 7th amended (its licence policy), watched names newly listed."""
    with (shared / "csl" / "csl_sample_2019.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        kept = [r for i, r in enumerate(reader) if i % 9 != 4]
        header = list(reader.fieldnames or [])
    for i, r in enumerate(kept):
        if i % 7 == 3:
            r["license_policy"] = "Presumption of denial."
    names = [clean_name(i) for i in (2, 5, 302)] + ["Harbor Cedar Foods Inc"]
    kept += [{"source": EL, "name": n, "addresses": "Hauptstrasse 1, Munich, DE", "start_date": "2026-10-01",
              "federal_register_notice": "91 FR 1000", "license_requirement": "For all items subject to the EAR.",
              "license_policy": "Presumption of denial."} for n in names]
    with (tmp / "csl_2026.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, header)
        writer.writeheader()
        writer.writerows(kept)
    store.load([parse_file(tmp / "csl_2026.csv", retrieved=dt.date(2026, 11, 1))], accept_shrink=True)


def test_the_baseline_and_a_list_change_give_the_local_report(spark: SparkSession, watched: tuple[Store, Path],
                                                              shared: Path) -> None:
    store, tmp = watched
    local = run_monitor(store, on=ON, record=False)
    on_spark = monitor(store, spark=spark, on=ON, record=True)
    assert local.baseline and len(local.parties) > 1_000
    assert canonical(on_spark) == canonical(local)
    change_the_lists(store, shared, tmp)
    local = run_monitor(store, on=ON, record=False)
    on_spark = run_monitor(store, on=ON, record=True, work=SparkWork(spark, slices=7))  # > default
    assert set(local.summary().values()) != {0}
    assert {f.kind for f in local.parties} == {"hit", "possible match", "delisted"}
    assert any(t.needs_attention for t in local.transactions)
    assert canonical(on_spark) == canonical(local)
    assert not run_monitor(store, on=ON, record=False).parties  # the Spark run was recorded as the local one is


def small_home(home: Path, shared: Path) -> Path:
    """The 2019 CSL sample, watching two of its listed parties and two others."""
    store = Store(home)
    store.load([parse_file(shared / "csl" / "csl_sample_2019.csv", retrieved=dt.date(2019, 6, 1))])
    (home / "customers.csv").write_text(
        "name,country,id\nGulf Gate Shipping Co. LLC,AE,C1\n32 Group China Ltd,HK,C2\n"
        "Acme Robotics GmbH,DE,C3\nNordlicht Maschinenbau GmbH,DE,C4\n", encoding="utf-8")
    add_parties(store, home / "customers.csv")
    store.close()
    return home


def test_monitor_run_engine_spark_prints_and_records_the_local_run(cli_for: Callable[[Path], Run], shared: Path,
                                                                   tmp_path: Path) -> None:
    runs = {engine: cli_for(small_home(tmp_path / engine, shared)) for engine in ("local", "spark")}
    got = {}
    for engine, run in runs.items():
        code, out, err = run("monitor", "run", "--engine", engine, "--json", "--date", "2026-12-01")
        assert code == 1, err  # new findings
        got[engine] = json.loads(out)
        got[engine].pop("seconds")
    assert got["spark"] == got["local"]
    found = {(f["party_id"], f["kind"]) for f in got["spark"]["parties"]}
    assert found >= {("parties-C1", "hit"), ("parties-C2", "hit")}
    code, out, _ = runs["spark"]("monitor", "run", "--engine", "spark", "--json", "--date", "2026-12-01")
    assert code == 0 and json.loads(out)["parties"] == []  # the first run was recorded
    code, out, err = runs["spark"]("monitor", "run", "--engine", "bogus")
    assert code == 2 and "'bogus' is not local or spark" in out + err
