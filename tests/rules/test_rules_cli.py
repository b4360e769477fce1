"""The rules engine's commands: classify, rules show|list, catalog list|show (via chipscreen.cli.app)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipscreen.cli import app
from chipscreen.errors import ChipscreenError, InputError, NotFoundError

runner = CliRunner()


def run_json(*args: str) -> object:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_classify_catalog_item_as_json() -> None:
    out = run_json("classify", "nvidia-h100-sxm5", "--date", "2024-01-01")
    assert isinstance(out, dict)
    assert out["eccn"] == "3A090" and out["paragraph"] == "3A090.a" and out["status"] == "controlled"
    assert out["tpp"] == pytest.approx(15831.2) and out["rulebook"] == "2023-11-17-acs-ifr"
    assert any("TPP = max" in line for line in out["work"]) and "88 FR 73458" in out["citation"]


def test_classify_shows_the_2022_io_prong() -> None:
    out = run_json("classify", "nvidia-a800-sxm4-80gb", "--date", "2023-06-01")
    assert isinstance(out, dict) and out["eccn"] is None and out["paragraph"] is None
    assert any("I/O GB/s 400 >= 600: no" in line for line in out["work"])


def test_classify_human_output() -> None:
    res = runner.invoke(app, ["classify", "nvidia-rtx-4090d", "--date", "2024-01-01"])
    assert res.exit_code == 0
    assert "not controlled" in res.stdout and "note2" in res.stdout


def test_classify_with_specs_and_overrides() -> None:
    out = run_json("classify", "--spec", "fp16=300", "--spec", "datacenter=false", "--date", "2024-01-01")
    assert isinstance(out, dict) and out["paragraph"] == "3A090.a"
    out = run_json("classify", "nvidia-h100-sxm5", "--spec", "io_bandwidth_gbs=400", "--date", "2023-01-01")
    assert isinstance(out, dict) and out["paragraph"] is None


def test_classify_a_z_server_from_specs() -> None:
    args = ["--spec", "kind=system", "--spec", "eccn=5a992", "--spec", "contains=nvidia-h100-sxm5:8"]
    out = run_json("classify", *args, "--date", "2024-01-02")
    assert isinstance(out, dict) and (out["paragraph"], out["licence_scope"]) == ("5A992.z", ["4A090.a"])


def test_classify_item_json_file(tmp_path: Path) -> None:
    path = tmp_path / "item.json"
    path.write_text(json.dumps({"id": "mine", "kind": "ic", "datacenter": True, "dense_tops": {"fp16": 125}}))
    out = run_json("classify", str(path), "--date", "2024-01-01")
    assert isinstance(out, dict) and out["status"] == "undetermined" and out["missing"] == ["die_area_mm2"]


def test_classify_under_a_named_rulebook() -> None:
    out = run_json("classify", "nvidia-h100-sxm5", "--rulebook", "2022-10-07")
    assert isinstance(out, dict) and out["paragraph"] == "3A090"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["classify", "no-such-chip"], NotFoundError),
        (["classify", "--spec", "fp12=1"], InputError),
        (["classify", "--spec", "fp16=-3"], InputError),
        (["classify", "--spec", "die_area_mm2=big"], InputError),
        (["classify", "nvidia-h100-sxm5", "--date", "2024-13-01"], ChipscreenError),
        (["classify"], InputError),
        (["rules", "show", "--rulebook", "nope"], NotFoundError),
    ],
)
def test_bad_input_raises_a_chipscreen_error(args: list[str], error: type[Exception]) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code != 0 and isinstance(res.exception, error), res.output


def test_bad_json_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"id": "x",\n "dense_tops": }')
    res = runner.invoke(app, ["classify", str(path)])
    assert isinstance(res.exception, InputError) and "bad.json:2" in str(res.exception)


def test_rules_show_on_a_date() -> None:
    out = run_json("rules", "show", "--date", "2026-02-01")
    assert isinstance(out, dict) and out["id"] == "2026-01-15-review-policy"
    names = {t["name"]: t for t in out["thresholds"]}
    assert names["env_tpp"]["op"] == "<" and names["env_tpp"]["value"] == 21000
    assert out["affiliates_rule"]["status"] == "suspended" and out["affiliates_rule"]["threshold_ppm"] == 500000
    assert out["review_policies"][0]["policy"] == "case_by_case"
    assert {x["id"] for x in out["letters"]} >= {"nvidia-2022-08-26", "nvidia-2025-04-09-h20"}
    assert "IL" in out["country_groups"]["A:6"]["members"]
    assert out["hong_kong"]["HK"]["as"] == "CN"


def test_rules_show_prints_the_dated_country_group_rows_with_their_citations() -> None:
    """Issue 13 acceptance: Nicaragua joins D:5 on 15 Mar 2024 (89 FR 18780), shown the day before and the day of."""

    def nicaragua(day: str) -> tuple[bool, dict[str, object]]:
        out = run_json("rules", "show", "--date", day)
        assert isinstance(out, dict)
        d5 = out["country_groups"]["D:5"]
        row = next(r for r in d5["dated_or_uncertain"] if r["code"] == "NI")
        return "NI" in d5["members"], row

    member, row = nicaragua("2024-03-14")
    assert not member and row["member_on_date"] is False and "89 FR 18780" in str(row["citation"])
    member, row = nicaragua("2024-03-15")
    assert member and row["member_on_date"] is True and row["verified"] is True
    res = runner.invoke(app, ["rules", "show", "--date", "2025-11-07"])
    kh = [line for line in res.stdout.splitlines() if line.strip().startswith("KH 2021-12-09")]
    assert res.exit_code == 0 and kh and all("86 FR 70015" in line for line in kh)


def test_rules_show_human_and_proposal() -> None:
    res = runner.invoke(app, ["rules", "show", "--rulebook", "proposal-remote-access"])
    assert res.exit_code == 0 and "remote access controlled: True" in res.stdout
    res = runner.invoke(app, ["rules", "show", "--date", "2023-01-17"])
    assert res.exit_code == 0 and "2023-01-17-macau" in res.stdout and "io_2022" in res.stdout


def test_rules_list() -> None:
    out = run_json("rules", "list")
    assert isinstance(out, list) and len(out) == 11 and out[-1]["status"] == "proposal"
    res = runner.invoke(app, ["rules", "list"])
    assert res.exit_code == 0 and "2023-11-17-acs-ifr" in res.stdout


def test_catalog_list_and_show() -> None:
    out = run_json("catalog", "list")
    assert isinstance(out, list) and len(out) >= 25
    one = run_json("catalog", "show", "intel-gaudi2-hl-225b")
    assert isinstance(one, dict) and one["io_bandwidth_gbs"] == 525 and "Register" in one["sources"]["io_bandwidth_gbs"]
    res = runner.invoke(app, ["catalog", "show", "nvidia-h20"])
    assert res.exit_code == 0 and "dram_bandwidth_gbs: 4000" in res.stdout
