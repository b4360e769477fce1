"""The official formats through the CLI a user runs: ``lists load`` of the UN XML, OFAC's zipped enhanced XML
and a CSL JSON download into a home, then ``screen`` finding a listed party by a name only that file gives."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from csl_json_shape import csv_rows, write_json  # the benchmark's writer: one home for the shape

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def home(bundled_home: Path, tmp_path: Path) -> Path:
    """A copy of the bundled store: loading writes, and the session's bundled store is read-only."""
    return Path(shutil.copytree(bundled_home, tmp_path / "home"))


def _matches(run_cli: Run, home: Path, name: str) -> list[dict[str, object]]:
    code, out, _ = run_cli("screen", name, "--json", "--home", str(home))
    assert code == 1, out  # a hit
    return list(json.loads(out)["matches"])


def test_load_the_un_list_and_screen_a_listed_person(run_cli: Run, home: Path, shared_data: Path) -> None:
    un = shared_data / "un" / "UN_consolidated_2026-02-27.xml"
    code, out, err = run_cli("lists", "load", str(un), "--json", "--home", str(home))
    assert code == 0, err
    assert json.loads(out)["datasets"][0]["entries"] == 1003
    found = _matches(run_cli, home, "Gaston Iyamuremye")
    assert ("un-6907995", "UN") in {(m["entity_id"], m["list"]) for m in found}
    # his "Low" quality alias alone is a possible match to review, never a hit, and says why
    code, out, _ = run_cli("screen", "Rumuli", "--json", "--home", str(home))
    weak = [m for m in json.loads(out)["matches"] if m["entity_id"] == "un-6907995"]
    assert code == 1 and weak and not weak[0]["hit"]
    assert "weak_alias" in {a["feature"] for a in weak[0]["explanation"]["adjustments"]}


def test_load_ofac_enhanced_xml_and_screen_a_chinese_name(run_cli: Run, home: Path, shared_data: Path) -> None:
    zipped = shared_data / "ofac" / "CONS_ENHANCED_2025-01.ZIP"
    code, _, err = run_cli("lists", "load", str(zipped), "--replace", "--accept-shrink", "--home", str(home))
    assert code == 0, err
    found = _matches(run_cli, home, "旷视科技有限公司")
    assert ("ofac-33091", "CMIC") in {(m["entity_id"], m["list"]) for m in found}


def test_load_a_csl_json_download_and_screen_an_entry(
    run_cli: Run, home: Path, shared_data: Path, tmp_path: Path
) -> None:
    rows = list(csv_rows(shared_data / "csl" / "consolidated_sample_2025.csv"))
    path = tmp_path / "consolidated.json"
    write_json(rows, path)
    code, out, err = run_cli("lists", "load", str(path), "--replace", "--accept-shrink", "--json", "--home", str(home))
    assert code == 0, err
    assert json.loads(out)["datasets"][0]["format"] == "csl-json"
    listed = rows[0]["name"]
    assert listed in {m["name"] for m in _matches(run_cli, home, listed)}


def test_a_malformed_file_is_refused_by_line_and_the_store_is_unchanged(
    run_cli: Run, home: Path, shared_data: Path, tmp_path: Path
) -> None:
    before = run_cli("lists", "show", "--json", "--home", str(home))[1]
    data = (shared_data / "un" / "UN_consolidated_2026-02-27.xml").read_bytes()
    cut = tmp_path / "un.xml"
    cut.write_bytes(data[: len(data) // 2])
    code, _, err = run_cli("lists", "load", str(cut), "--home", str(home))
    assert code == 2 and f"{cut}:" in err and "XML:" in err and "Traceback" not in err
    assert run_cli("lists", "show", "--json", "--home", str(home))[1] == before
