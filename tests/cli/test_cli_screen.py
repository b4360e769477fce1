"""``chipscreen screen`` and ``screen-file`` as a user drives them: exit codes, JSON shape, resume."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipscreen.cli import app

runner = CliRunner()


def run(args: list[str], home: Path) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--home", str(home)])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_screen_json_hit_exits_1(bundled_home: Path) -> None:
    code, out = run(["screen", "HUAWEI TECH CO LTD", "--country", "CN", "--json"], bundled_home)
    assert code == 1
    doc = json.loads(out)
    assert doc["hit"] is True and doc["query"] == "HUAWEI TECH CO LTD"
    assert {"entity_id", "name", "matched_name", "list", "score", "hit", "explanation"} <= set(doc["matches"][0])


def test_screen_no_hit_exits_0_and_prints_a_table(bundled_home: Path) -> None:
    code, out = run(["screen", "Acme Widgets GmbH"], bundled_home)
    assert code == 0
    code, out = run(["screen", "Moore Threads", "--date", "2026-08-01"], bundled_home)
    assert code == 1 and "HIT" in out


def test_screen_bad_input_exits_2(bundled_home: Path) -> None:
    from chipscreen.errors import ChipscreenError

    result = runner.invoke(app, ["screen", "", "--home", str(bundled_home)])
    assert isinstance(result.exception, ChipscreenError)  # main() prints it and exits 2
    result = runner.invoke(app, ["screen", "Huawei", "--date", "yesterday", "--home", str(bundled_home)])
    assert isinstance(result.exception, ChipscreenError)


def _write_csv(path: Path, rows: list[list[str]], header: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


ROWS = [
    ["HUAWEI TECH CO LTD", "CN"],
    ["Maria Garcia", "ES"],
    ["", "CN"],
    ["科大讯飞股份有限公司", "CN"],
    ["x" * 10_001, "US"],
    ["Acme Widgets", "DE"],
]


def test_screen_file_jsonl_reports_bad_rows_and_screens_the_rest(tmp_path: Path, bundled_home: Path) -> None:
    src = _write_csv(tmp_path / "customers.csv", ROWS, ["name", "country"])
    out = tmp_path / "results.jsonl"
    result = runner.invoke(app, ["screen-file", str(src), "--out", str(out), "--home", str(bundled_home)])
    assert "2 row(s) could not be screened" in str(result.exception)  # exit 2, the hits counted in the message
    assert "customers.csv:4: name: empty name" in result.output
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["row"] for x in lines] == [1, 2, 3, 4, 5, 6]
    assert [x["hit"] for x in lines] == [True, False, None, True, None, False]
    assert lines[3]["matches"][0]["name"] == "IFLYTEK"
    assert "error" in lines[4] and len(lines[4]["query"]) < 300


def test_screen_file_resumes_without_losing_rows(tmp_path: Path, bundled_home: Path) -> None:
    src = _write_csv(tmp_path / "c.csv", [["Maria Garcia", ""], ["Acme Widgets", ""], ["SUGON", "CN"]],
                     ["name", "country"])
    out = tmp_path / "r.jsonl"
    assert run(["screen-file", str(src), "--out", str(out)], bundled_home)[0] == 1
    full = out.read_text()
    first = full.splitlines()[0]
    out.write_text(first + "\n" + full.splitlines()[1][:20])  # interrupted mid-line
    code, text = run(["screen-file", str(src), "--out", str(out)], bundled_home)
    assert code == 1
    assert "resuming: 1 row(s)" in text
    assert out.read_text() == full


def test_screen_file_rows_carry_snapshot_and_date(tmp_path: Path, bundled_home: Path) -> None:
    src = _write_csv(tmp_path / "c.csv", [["Maria Garcia", ""]], ["name", "country"])
    for name in ("r.jsonl", "r.csv"):
        out = tmp_path / name
        run(["screen-file", str(src), "--out", str(out), "--date", "2026-03-01"], bundled_home)
        row = json.loads(out.read_text()) if name.endswith("jsonl") else next(csv.DictReader(out.open()))
        assert row["date"] == "2026-03-01" and len(row["snapshot"]) >= 12


def test_screen_file_does_not_resume_a_run_of_another_input(tmp_path: Path, bundled_home: Path) -> None:
    """Issue 14 item 1: the input rewritten under the same name must not be taken as already screened."""
    src = _write_csv(tmp_path / "a.csv", [["Toyota Motor Corporation"]], ["name"])  # nothing found: exit 0
    out = tmp_path / "o.jsonl"
    assert run(["screen-file", str(src), "--out", str(out)], bundled_home)[0] == 0
    _write_csv(src, [["Huawei Technologies Co Ltd"]], ["name"])
    result = runner.invoke(app, ["screen-file", str(src), "--out", str(out), "--home", str(bundled_home)])
    assert "not resuming" in str(result.exception) and "sha256" in str(result.exception)
    assert "Huawei" not in out.read_text()
    code, _ = run(["screen-file", str(src), "--out", str(out), "--restart"], bundled_home)
    assert code == 1 and [json.loads(x)["query"] for x in out.read_text().splitlines()] == [
        "Huawei Technologies Co Ltd"]


@pytest.mark.parametrize("change", [["--date", "2025-01-02"], ["--list", "EL"], ["--name-column", "other"]])
def test_screen_file_does_not_resume_under_another_date_or_selection(
    tmp_path: Path, bundled_home: Path, change: list[str]
) -> None:
    src = _write_csv(tmp_path / "a.csv", [["Apple Inc", "Apple"]], ["name", "other"])
    out = tmp_path / "o.jsonl"
    run(["screen-file", str(src), "--out", str(out), "--date", "2025-01-01"], bundled_home)
    args = ["screen-file", str(src), "--out", str(out), "--date", "2025-01-01", *change]
    result = runner.invoke(app, [*args, "--home", str(bundled_home)])
    assert "not resuming" in str(result.exception)


def test_screen_file_does_not_resume_an_output_without_its_record(tmp_path: Path, bundled_home: Path) -> None:
    src = _write_csv(tmp_path / "a.csv", [["Apple Inc"], ["SUGON"]], ["name"])
    out = tmp_path / "o.jsonl"
    out.write_text(json.dumps({"row": 1, "query": "Apple Inc", "hit": False, "matches": []}) + "\n")
    result = runner.invoke(app, ["screen-file", str(src), "--out", str(out), "--home", str(bundled_home)])
    assert "no record of the input" in str(result.exception)


def test_screen_file_csv_output_and_name_column(tmp_path: Path, bundled_home: Path) -> None:
    src = _write_csv(tmp_path / "c.csv", [["1", "Acme Widgets", "DE"], ["2", "Moore Threads", "CN"]],
                     ["id", "company", "ctry"])
    out = tmp_path / "r.csv"
    code, _ = run(["screen-file", str(src), "--name-column", "company", "--country-column", "ctry", "--out",
                   str(out)], bundled_home)
    assert code == 1
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["hit"] for r in rows] == ["false", "true"]
    assert rows[1]["best_list"] == "EL"


@pytest.mark.parametrize("args", [["--name-column", "nom"], ["--country-column", "pays"]])
def test_screen_file_missing_column_is_bad_input(tmp_path: Path, bundled_home: Path, args: list[str]) -> None:
    from chipscreen.errors import InputError

    src = _write_csv(tmp_path / "c.csv", [["Acme", "DE"]], ["name", "country"])
    result = runner.invoke(app, ["screen-file", str(src), "--out", str(tmp_path / "r.jsonl"), *args,
                                 "--home", str(bundled_home)])
    assert isinstance(result.exception, InputError)
    assert "no column" in str(result.exception)
    assert not (tmp_path / "r.jsonl").exists()


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
def test_screen_file_refuses_to_write_into_its_input(tmp_path: Path, bundled_home: Path, link: str) -> None:
    """Issue 14 item 2: appending results to the file being read would grow it until the disk is full."""
    src = _write_csv(tmp_path / "in.csv", [["Acme Widgets", "DE"]], ["name", "country"])
    out = src.with_suffix(".csv") if link == "same" else tmp_path / "out.csv"
    if link == "symlink":
        out.symlink_to(src)
    elif link == "hardlink":
        out.hardlink_to(src)
    before = src.read_bytes()
    result = runner.invoke(app, ["screen-file", str(src), "--out", str(out), "--home", str(bundled_home)])
    assert result.exit_code != 0 and "is the input file" in str(result.exception)
    assert src.read_bytes() == before


def test_screen_file_csv_cells_cannot_run_as_formulas(tmp_path: Path, bundled_home: Path) -> None:
    """Issue 14 item 11 (OWASP CSV injection): no written cell starts with = + - @ tab or CR."""
    hostile = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tTab Co", "\rCR Co", "Acme = Widgets"]
    src = _write_csv(tmp_path / "in.csv", [[h] for h in hostile], ["name"])
    out = tmp_path / "r.csv"
    run(["screen-file", str(src), "--out", str(out)], bundled_home)
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["query"] for r in rows] == [f"'{h}" for h in hostile[:-1]] + ["Acme = Widgets"]
    for r in rows:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in r.values())


def test_a_possible_match_alone_is_a_finding(tmp_path: Path, bundled_home: Path) -> None:
    """Issue 14 item 8: review-band matches only (no hit) exit 1, for one name and for a file."""
    code, out = run(["screen", "Maria Garcia", "--json"], bundled_home)
    doc = json.loads(out)
    assert doc["hit"] is False and doc["matches"] and code == 1
    src = _write_csv(tmp_path / "in.csv", [["Maria Garcia"], ["Acme Widgets GmbH"]], ["name"])
    code, text = run(["screen-file", str(src), "--out", str(tmp_path / "r.jsonl")], bundled_home)
    assert code == 1 and "0 hit(s) and 1 possible match(es)" in text
    assert run(["screen", "Acme Widgets GmbH"], bundled_home)[0] == 0


def test_screen_file_bad_rows_exit_2_and_still_count_the_hits(tmp_path: Path, bundled_home: Path) -> None:
    """Issue 14 item 18: a bad row exits 2 without hiding the hits of the other rows."""
    src = _write_csv(tmp_path / "in.csv", [["HUAWEI TECH CO LTD"], [""], ["Acme Widgets GmbH"]], ["name"])
    out = tmp_path / "r.jsonl"
    result = runner.invoke(app, ["screen-file", str(src), "--out", str(out), "--home", str(bundled_home)])
    message = str(result.exception)
    assert "1 row(s) could not be screened" in message and "1 hit(s)" in message
    assert [json.loads(x)["hit"] for x in out.read_text().splitlines()] == [True, None, False]
