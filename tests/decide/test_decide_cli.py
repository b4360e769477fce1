"""``chipscreen check`` and ``chipscreen replay`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from chipscreen.cli import app
from chipscreen.paths import data_dir

runner = CliRunner()
SCENARIOS = data_dir() / "scenarios" / "three_routes.jsonl"


def test_check_one_transaction_json_exits_1_when_a_licence_is_required(tmp_path: Path, decision_home: Path) -> None:
    tx = tmp_path / "tx.json"
    tx.write_text(SCENARIOS.read_text().splitlines()[3])  # R2-01: lease to iFlytek
    result = runner.invoke(app, ["check", str(tx), "--json", "--home", str(decision_home)])
    assert result.exit_code == 1, result.output
    decision = json.loads(result.output)
    assert decision["id"] == "R2-01" and decision["license_required"] is True
    assert {"rulebook", "snapshot", "classification", "reasons", "flags"} <= set(decision)


def test_check_batch_with_a_bad_line_exits_2_and_decides_the_rest(tmp_path: Path, decision_home: Path) -> None:
    txs = tmp_path / "txs.jsonl"
    lines = [*SCENARIOS.read_text().splitlines()[:2], '{"id": "broken"']
    txs.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["check", str(txs), "--json", "--home", str(decision_home)])
    assert result.exit_code == 2
    decided = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [d["id"] for d in decided] == ["R1-01", "R1-02"]


def replay(home: Path, *args: str) -> Result:
    """``chipscreen replay`` of the three-routes scenarios under the 2022-10-07 rulebook against another."""
    return runner.invoke(app, ["replay", str(SCENARIOS), "--rulebook", "2022-10-07", *args, "--home", str(home)])


def test_replay_writes_html_and_json(tmp_path: Path, decision_home: Path) -> None:
    out = tmp_path / "report.html"
    result = replay(decision_home, "--vs", "proposal-remote-access", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "<svg" in out.read_text()
    as_json = replay(decision_home, "--vs", "2026-01-15", "--json")
    doc = json.loads(as_json.output)
    assert doc[0]["by_route"]["remote_access"]["closed_by_b"] == 0


POSSIBLE_MATCH_ONLY = {"id": "PM-1", "date": "2026-03-01", "kind": "export", "item": "nvidia-h20", "quantity": 1,
                       "from": "US", "to": "DE", "parties": [{"role": "consignee", "name": "Maria Garcia",
                                                              "country": "DE"}]}


def test_check_whose_only_finding_is_a_possible_match_exits_1(tmp_path: Path, decision_home: Path) -> None:
    """Issue 14 item 8: a possible match is a finding, not "nothing found"."""
    tx = tmp_path / "tx.json"
    tx.write_text(json.dumps(POSSIBLE_MATCH_ONLY))
    result = runner.invoke(app, ["check", str(tx), "--json", "--home", str(decision_home)])
    decision = json.loads(result.stdout)
    assert decision["license_required"] is False
    assert {f["code"] for f in decision["flags"]} == {"possible_match"}
    assert result.exit_code == 1


def test_check_batch_with_findings_and_a_bad_line_reports_both(tmp_path: Path, decision_home: Path) -> None:
    """Issue 14 item 18: exit 2 for the bad line, the findings printed, in --json and in the summary."""
    txs = tmp_path / "txs.jsonl"
    txs.write_text("\n".join([SCENARIOS.read_text().splitlines()[3], '{"id": "broken"']) + "\n")
    result = runner.invoke(app, ["check", str(txs), "--json", "--home", str(decision_home)])
    assert result.exit_code == 2
    decided = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [(d["id"], d["license_required"]) for d in decided] == [("R2-01", True)]
    assert "1 bad record(s) of 2; of the 1 decided, 1 with findings: R2-01" in result.stderr
    text = runner.invoke(app, ["check", str(txs), "--home", str(decision_home)])
    assert text.exit_code == 2 and "R2-01" in text.stdout and "with findings: R2-01" in text.stderr
