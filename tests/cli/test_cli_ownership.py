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


@pytest.fixture
def home(bundled_home: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "home"
    shutil.copytree(bundled_home, copy)
    return copy


def load(home: Path, tmp_path: Path, text: str) -> tuple[int, str, str]:
    path = tmp_path / "own.csv"
    path.write_text(text)
    result = runner.invoke(app, ["ownership", "load", str(path), "--home", str(home)])
    return result.exit_code, result.stdout, str(result.exception or "") + result.stderr


def regimes(doc: dict[str, object]) -> set[str]:
    return {r["status"] for r in doc["regimes"].values()}  # type: ignore[attr-defined]


def test_two_unlisted_companies_holding_each_other_are_not_review(home: Path, tmp_path: Path) -> None:
    """No listed party holds any part of the ring: no reading of the 50 % rule blocks it."""
    load(home, tmp_path, "owner,owned,percent\nAlpha Ring Co,Beta Ring Co,60\nBeta Ring Co,Alpha Ring Co,60\n")
    for name in ("Alpha Ring Co", "Beta Ring Co"):
        doc = show(home, name)
        assert regimes(doc) == {"not"}
        assert "circular_holdings" in {f["code"] for f in doc["flags"]}  # type: ignore[attr-defined]


def test_a_ring_a_listed_party_holds_part_of_stays_review(home: Path, tmp_path: Path) -> None:
    load(home, tmp_path, 'owner,owned,percent\n"Huawei Technologies Co., Ltd.",Alpha Two Co,20\n'
                         "Alpha Two Co,Beta Two Co,60\nBeta Two Co,Alpha Two Co,60\n")
    assert "review" in regimes(show(home, "Alpha Two Co"))
    text = runner.invoke(app, ["ownership", "show", "Alpha Two Co", "--home", str(home)]).stdout
    assert "round -1" not in text and "captured only through a circular holding" in text  # issue 14 item 21


def test_a_percent_between_0_and_1_is_refused_unless_written_as_such(home: Path, tmp_path: Path) -> None:
    code, _, err = load(home, tmp_path, "owner,owned,percent\nEpsilon Co,Zeta Co,0.6\n")
    assert code != 0 and "own.csv:2: percent: 0.6 reads as 0.6 per cent" in err  # InputError: exit 2
    assert "not found" in runner.invoke(app, ["ownership", "show", "Zeta Co", "--home", str(home)]).output
    code, _, _ = load(home, tmp_path, "owner,owned,percent\nEpsilon Co,Zeta Co,0.6%\n")
    assert code == 0
    code, _, _ = load(home, tmp_path, "owner,owned,fraction\nEta Co,Theta Co,0.6\n")
    assert code == 0
    parent = show(home, "Theta Co")["ultimate_parent"]
    assert parent["name"] == "Eta Co" and parent["path"][0]["share_ppm"] == 600_000  # type: ignore[index]


def test_duplicate_rows_are_reported_once_and_unknown_columns_are_named(home: Path, tmp_path: Path) -> None:
    code, out, err = load(home, tmp_path, "owner,owned,percent,owner_hq_typo\nGamma Co,Delta Co,30,CN\n"
                                          "Gamma Co,Delta Co,30,CN\n")
    assert code == 0
    assert err.count("repeats line 2; counted once") == 1 and "own.csv:3" in err
    assert "owner_hq_typo: unknown column, not read" in err
    assert "1 edges from 2 rows" in " ".join(out.split())
