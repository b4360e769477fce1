"""The CLI as a user drives it: exit codes 0 / 1 / 2, --json everywhere, no tracebacks on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from chipscreen.cli import app
from chipscreen.paths import data_dir

runner = CliRunner()


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("lists", "demo"):
        assert command in result.output


def test_lists_show_json_has_the_counts(bundled_home: Path) -> None:
    result = runner.invoke(app, ["lists", "show", "--json", "--home", str(bundled_home)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    counts = {x["list"]: x["entries"] for x in doc["lists"]}
    assert counts["EL"] == 3409


def test_lists_diff_datasets_json(bundled_home: Path) -> None:
    result = runner.invoke(
        app,
        [
            "lists",
            "diff",
            "--datasets",
            "csl_consolidated_2022-04.csv",
            "bis_entity_list.json",
            "--list",
            "EL",
            "--json",
            "--home",
            str(bundled_home),
        ],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["summary"]["added"] > 1000


def test_lists_load_of_a_corrupt_file_exits_2_with_a_located_message(tmp_path: Path) -> None:
    bad = tmp_path / "bis_meu.json"
    bad.write_text((data_dir() / "lists" / "us_lists_2026-07" / "bis_meu.json").read_text()[:500])
    home = tmp_path / "home"
    proc = subprocess.run(
        [sys.executable, "-m", "chipscreen", "lists", "load", str(bad), "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{bad}:" in proc.stderr.replace("\n", "")


def test_lists_load_parties_csv_makes_a_new_snapshot(tmp_path: Path, bundled_home: Path) -> None:
    import shutil

    home = tmp_path / "home"
    shutil.copytree(bundled_home, home)
    parties = tmp_path / "watch.csv"
    parties.write_text("name,country\nExample Compute Rental Co.,CN\n")
    result = runner.invoke(app, ["lists", "load", str(parties), "--json", "--home", str(home)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["datasets"][0]["list_codes"] == ["PARTIES"]
    shown = json.loads(runner.invoke(app, ["lists", "show", "--json", "--home", str(home)]).output)
    assert shown["snapshot"] == doc["snapshot"] and len(shown["history"]) == 2


def test_lists_diff_on_a_one_snapshot_store_says_there_is_nothing_to_compare_yet(
        tmp_path: Path, run_cli: Callable[..., tuple[int, str, str]]) -> None:
    """Issue 14 item 21: it said "there is no snapshot latest~1"."""
    home = tmp_path / "home"
    meu = data_dir() / "lists" / "us_lists_2026-07" / "bis_meu.json"
    assert run_cli("lists", "load", str(meu), "--home", str(home))[0] == 0
    shown = json.loads(run_cli("lists", "show", "--json", "--home", str(home))[1])
    code, _, err = run_cli("lists", "diff", "--home", str(home))
    message = " ".join(err.split())
    assert code == 2 and "latest~1" not in message and "Traceback" not in err
    assert f"the store holds one snapshot ({shown['snapshot']}): nothing to compare it with yet" in message
    assert "load a newer list file first" in message
