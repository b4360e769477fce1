"""Messages a newcomer meets (issue 14 item 21, CLI side): the date a command answers for, the flag an error
names, and tables that stay readable at 80 columns."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

from chipscreen.paths import data_dir


def chipscreen(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"CHIPSCREEN_HOME": str(home), "PATH": "/usr/bin:/bin", "COLUMNS": "80",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}  # these sources, not an installed copy
    return subprocess.run([sys.executable, "-m", "chipscreen", *args], capture_output=True, text=True, env=env,
                          timeout=300, check=False)


def test_classify_without_a_date_answers_for_today(bundled_home: Path) -> None:
    done = chipscreen("classify", "nvidia-h100-sxm5", "--json", home=bundled_home)
    assert json.loads(done.stdout)["date"] == dt.date.today().isoformat()
    shown = chipscreen("classify", "nvidia-h100-sxm5", home=bundled_home)
    assert dt.date.today().isoformat() in shown.stdout.splitlines()[0]


def test_a_bad_retrieved_date_names_retrieved(bundled_home: Path, tmp_path: Path) -> None:
    done = chipscreen("lists", "load", str(tmp_path / "x.csv"), "--retrieved", "yesterday", home=bundled_home)
    assert done.returncode == 2 and "--retrieved: not an ISO date" in done.stderr and "--date" not in done.stderr


def test_decision_table_keeps_dates_and_codes_whole_at_80_columns(bundled_home: Path) -> None:
    done = chipscreen("check", str(data_dir() / "scenarios" / "three_routes.jsonl"), home=bundled_home)
    table = done.stdout.split("\n\n")[0] if "\n\n" in done.stdout else done.stdout
    assert max(len(line) for line in done.stdout.splitlines() if line.startswith(("│", "┃", "┏"))) <= 80
    dates = re.findall(r"│ (\d{4}-\d{2}-\d{2}) │", table)
    expected = [json.loads(x)["date"] for x in (data_dir() / "scenarios" / "three_routes.jsonl").read_text().split(
        "\n") if x.strip()]
    assert dates == expected
    assert "remote_access" in table and "remote_ac\n" not in table
