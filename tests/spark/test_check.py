"""``check --engine spark`` decides as the local engine: the same Decision JSON line for each of 2,000 and
more transactions (licences required, flags only, clean answers), the same errors with their lines, the same
exit status; Parquet keeps the error rows beside the decisions."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from spark_inputs import Run, parts, scenario_transactions, transaction_lines

from chipscreen.bundled import open_store
from chipscreen.cli.check import NOT_FINDINGS

TRANSACTIONS = 2_100


@pytest.fixture(scope="module")
def both_runs(chipscreen_cli: Run, spark_home: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> dict[str, tuple[int, str, str]]:
    folder = tmp_path_factory.mktemp("check")
    with open_store(spark_home) as store:
        lines = transaction_lines(store, TRANSACTIONS)
    txs = folder / "txs.jsonl"
    txs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    local = chipscreen_cli("check", str(txs), "--json")
    homes = set(Path(tempfile.gettempdir()).glob("chipscreen-executor-*"))
    code, _, err = chipscreen_cli("check", str(txs), "--engine", "spark", "--out", str(folder / "spark.jsonl"))
    left = sorted(str(p) for p in set(Path(tempfile.gettempdir()).glob("chipscreen-executor-*")) - homes)
    return {"local": local, "spark": (code, parts(folder / "spark.jsonl"), err), "left": (0, "\n".join(left), "")}


def test_the_executors_keep_their_homes_in_the_jobs_own_folder(both_runs: dict[str, tuple[int, str, str]]) -> None:
    """Spark deletes that folder when the session stops: nothing is left in the system's temporary folder."""
    assert both_runs["left"][1] == ""


def errors(stderr: str) -> list[str]:
    return re.findall(r"error: ([^\n]+)", stderr)


def test_every_decision_is_the_local_engines_json_line(both_runs: dict[str, tuple[int, str, str]]) -> None:
    local = both_runs["local"][1]
    assert len(local.splitlines()) >= 2000
    assert both_runs["spark"][1] == local


def test_the_decisions_require_licences_raise_flags_and_clear(both_runs: dict[str, tuple[int, str, str]]) -> None:
    kinds = {"licence": 0, "flags": 0, "clear": 0}
    for line in both_runs["local"][1].splitlines():
        d = json.loads(line)
        flagged = any(f["code"] not in NOT_FINDINGS for f in d["flags"])
        kinds["licence" if d["license_required"] else "flags" if flagged else "clear"] += 1
    assert min(kinds.values()) > 300, kinds


def test_bad_lines_are_reported_with_their_lines_and_exit_2(both_runs: dict[str, tuple[int, str, str]]) -> None:
    (lcode, _, lerr), (scode, _, serr) = both_runs["local"], both_runs["spark"]
    assert lcode == scode == 2
    assert errors(serr) == errors(lerr)
    assert any(": JSON: " in e for e in errors(serr)) and any("unknown catalog id" in e for e in errors(serr))


def test_parquet_holds_decisions_and_errors_by_line(chipscreen_cli: Run, tmp_path: Path) -> None:
    texts = [json.dumps(tx) for tx in scenario_transactions()] + ['{"id": "bad"}']
    pq.write_table(pa.table({"transaction": texts}), tmp_path / "txs.parquet")
    (tmp_path / "txs.jsonl").write_text("\n".join(texts[:-1]) + "\n", encoding="utf-8")
    code, _, err = chipscreen_cli("check", str(tmp_path / "txs.parquet"), "--engine", "spark",
                                  "--out", str(tmp_path / "out.parquet"))
    _, local, _ = chipscreen_cli("check", str(tmp_path / "txs.jsonl"), "--json")
    assert code == 2 and "transaction bad" in err
    rows = pq.read_table(tmp_path / "out.parquet").sort_by("line").to_pylist()
    assert [r["line"] for r in rows] == list(range(1, len(texts) + 1))
    assert [r["decision"] + "\n" for r in rows[:-1]] == local.splitlines(keepends=True)
    assert rows[-1]["decision"] is None and rows[-1]["id"] == "bad" and "date" in rows[-1]["error"]
    assert rows[0]["license_required"] is json.loads(rows[0]["decision"])["license_required"]


@pytest.mark.parametrize(("args", "message"), [
    (["--engine", "spark"], "writes --out"),
    (["--out", "OUT.jsonl"], "only with --engine spark"),
    (["--engine", "spark", "--out", "OUT.csv"], "use a .parquet or .jsonl name"),
])
def test_bad_options_are_reported_before_any_work(chipscreen_cli: Run, tmp_path: Path, args: list[str],
                                                   message: str) -> None:
    txs = tmp_path / "txs.jsonl"
    txs.write_text(json.dumps(scenario_transactions()[0]) + "\n", encoding="utf-8")
    code, _, err = chipscreen_cli("check", str(txs), *[a.replace("OUT", str(tmp_path / "out")) for a in args])
    assert code == 2 and message in err
