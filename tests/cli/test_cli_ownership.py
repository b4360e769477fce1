"""``chipscreen ownership load`` and ``ownership show`` on the inputs that misled them (issue 14 item 9)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipscreen.cli import app

runner = CliRunner()


def show(home: Path, name: str) -> dict[str, object]:
    result = runner.invoke(app, ["ownership", "show", name, "--json", "--home", str(home)])
    assert result.exit_code in (0, 1), result.output
    doc: dict[str, object] = json.loads(result.stdout)
    return doc


def test_ofac_linked_to_is_a_link_not_ownership(bundled_home: Path) -> None:
    """The SDN remark "Linked To: HUAWEI TECHNOLOGIES" on Huawei Investment & Holding (the group's parent)
    must not make it Huawei Technologies' listed subsidiary."""
    tech = show(bundled_home, "Huawei Technologies Co Ltd")
    relatives = {r["name"]: r["relation"] for r in tech["relatives"]}  # type: ignore[attr-defined]
    assert relatives["Huawei Investment & Holding Co., Ltd."] == "linked"
    assert "subsidiary" not in {rel for name, rel in relatives.items() if "Investment & Holding" in name}
    text = runner.invoke(app, ["ownership", "show", "Huawei Technologies Co Ltd", "--home", str(bundled_home)])
    shown = " ".join(text.stdout.split())
    assert "linked party (OFAC 'Linked To', not ownership): Huawei Investment & Holding" in shown
