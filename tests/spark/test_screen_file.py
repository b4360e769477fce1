"""``screen-file --engine spark`` writes what the local engine writes: the same JSON line for every row of
20,000 names (listed, misspelt, clean, bad), the same typed rows as Parquet, the same exit status and the same
report of bad rows."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from spark_inputs import Run, name_rows, parts, write_names_csv

from chipscreen.bundled import open_store
from chipscreen.cli.screen_rows import CSV_FIELDS, csv_safe

NAMES = 20_000
DATE = "2026-01-15"


@pytest.fixture(scope="module")
def names(spark_home: Path) -> list[tuple[str, str]]:
    with open_store(spark_home) as store:
        return name_rows(store, NAMES)


@pytest.fixture(scope="module")
def both_runs(chipscreen_cli: Run, names: list[tuple[str, str]], tmp_path_factory: pytest.TempPathFactory
              ) -> dict[str, tuple[int, str, str, Path]]:
    folder = tmp_path_factory.mktemp("screen-file")
    csv_in = write_names_csv(folder / "names.csv", names)
    runs = {}
    for engine in ("local", "spark"):
        out = folder / f"{engine}.jsonl"
        code, stdout, stderr = chipscreen_cli("screen-file", str(csv_in), "--out", str(out), "--workers", "2",
                                              "--date", DATE, "--engine", engine)
        runs[engine] = (code, stdout, stderr, out)
    return runs


def bad_rows(stderr: str) -> list[str]:
    return re.findall(r"names\.csv:\d+: name: [^\n]+", stderr)


def test_every_row_is_the_local_engines_json_line(both_runs: dict[str, tuple[int, str, str, Path]]) -> None:
    local = both_runs["local"][3].read_text(encoding="utf-8")
    assert len(local.splitlines()) == NAMES
    assert parts(both_runs["spark"][3]) == local


def test_the_rows_hold_hits_possible_matches_clean_names_and_bad_rows(
        both_runs: dict[str, tuple[int, str, str, Path]]) -> None:
    text = both_runs["local"][3].read_text(encoding="utf-8")
    assert text.count('"hit": true, "matches": [{') > 2000
    assert text.count('"hit": false, "matches": [{') > 200
    assert text.count('"hit": false, "matches": []') > 2000
    assert text.count('"error": ') >= 20


def test_exit_status_and_bad_rows_are_reported_as_locally(both_runs: dict[str, tuple[int, str, str, Path]]) -> None:
    (lcode, _, lerr, lout), (scode, _, serr, sout) = both_runs["local"], both_runs["spark"]
    assert lcode == scode == 2
    assert bad_rows(serr) == bad_rows(lerr) != []
    summary = re.compile(r"could not be screened.*possible match\(es\)", re.S)
    local_summary, spark_summary = summary.search(lerr), summary.search(serr)
    assert local_summary and spark_summary
    assert spark_summary[0].replace(str(sout), "OUT") == local_summary[0].replace(str(lout), "OUT")


def test_parquet_in_and_out_holds_the_local_csv_rows(
        chipscreen_cli: Run, names: list[tuple[str, str]], tmp_path: Path) -> None:
    """Parquet keeps the types (a boolean hit, a float score) of the row the local CSV writes as text."""
    sample = names[:2000]
    pq.write_table(pa.table({"name": [n for n, _ in sample], "country": [c for _, c in sample]}),
                   tmp_path / "names.parquet")
    csv_in = write_names_csv(tmp_path / "names.csv", sample)
    local_code, _, _ = chipscreen_cli("screen-file", str(csv_in), "--out", str(tmp_path / "local.csv"), "--date", DATE)
    spark_code, _, _ = chipscreen_cli("screen-file", str(tmp_path / "names.parquet"), "--engine", "spark",
                                      "--out", str(tmp_path / "spark.parquet"), "--date", DATE)
    assert local_code == spark_code == 2
    import csv

    with (tmp_path / "local.csv").open(encoding="utf-8", newline="") as fh:
        expected = list(csv.DictReader(fh))
    got = pq.read_table(tmp_path / "spark.parquet").sort_by("row").to_pylist()
    assert [as_csv(r) for r in got] == expected


def as_csv(row: dict[str, object]) -> dict[str, str]:
    """A Parquet row as the local CSV writes it (text, formulas neutralised)."""
    cells = dict(row)
    cells["hit"] = "" if row["hit"] is None else ("true" if row["hit"] else "false")
    cells["best_score"] = "" if row["best_score"] is None else f"{row['best_score']:.4f}"
    return {k: str(csv_safe("" if cells[k] is None else cells[k])) for k in CSV_FIELDS}


def test_an_existing_output_is_replaced_only_with_restart(chipscreen_cli: Run, tmp_path: Path) -> None:
    csv_in = write_names_csv(tmp_path / "names.csv", [("IFLYTEK", "CN")])
    (tmp_path / "out.jsonl").mkdir()
    code, _, err = chipscreen_cli("screen-file", str(csv_in), "--engine", "spark", "--out", str(tmp_path / "out.jsonl"))
    assert code == 2 and "does not resume" in err and "--restart" in err


@pytest.mark.parametrize(("args", "message"), [
    (["--out", "OUT.csv"], "use a .parquet or .jsonl name"),
    (["--out", "OUT.jsonl", "--name-column", "nom"], "no column 'nom'"),
    (["--out", "OUT.jsonl", "--engine", "dask"], "is not local or spark"),
])
def test_bad_options_are_reported_before_any_work(chipscreen_cli: Run, tmp_path: Path, args: list[str],
                                                   message: str) -> None:
    csv_in = write_names_csv(tmp_path / "names.csv", [("IFLYTEK", "CN")])
    args = [a.replace("OUT", str(tmp_path / "out")) for a in args]
    engine = [] if "--engine" in args else ["--engine", "spark"]
    code, _, err = chipscreen_cli("screen-file", str(csv_in), *engine, *args)
    assert code == 2 and message in err
    assert not (tmp_path / "out.jsonl").exists()
