"""The README documents the inputs as the code reads them (issue 14 item 20), and its examples run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from chipscreen.cli import app
from chipscreen.model import Transaction
from chipscreen.ownership.csv_columns import CSV_COLUMNS
from chipscreen.vocabulary import vocabulary

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
INPUTS = README.split("## Inputs", 1)[1].split("\n## ", 1)[0]
runner = CliRunner()


def test_the_readme_documents_every_transaction_field_end_use_and_csv_column() -> None:
    fields = {f.alias or name for name, f in Transaction.model_fields.items()}
    assert {f for f in fields if f"`{f}`" not in INPUTS} == set()
    assert {t for t in vocabulary().end_uses if f"`{t}`" not in INPUTS} == set()
    assert {c for c in CSV_COLUMNS if f"`{c}`" not in INPUTS} == set()


def test_the_readme_points_at_no_missing_design_document() -> None:
    assert "design.md" not in README


def test_the_example_transaction_is_decided(bundled_home: Path) -> None:
    result = runner.invoke(app, ["check", str(ROOT / "examples" / "tx.json"), "--json", "--home", str(bundled_home)])
    decision = json.loads(result.stdout)
    assert result.exit_code == 1 and decision["id"] == "R2-01" and decision["license_required"] is True


def test_the_example_ownership_file_loads(bundled_home: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(bundled_home, home)
    result = runner.invoke(app, ["ownership", "load", str(ROOT / "examples" / "ownership.csv"), "--home", str(home)])
    assert result.exit_code == 0 and "warning" not in result.output
