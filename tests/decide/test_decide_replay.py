"""Replay: which gap would a rule close, and what would it have stopped?"""

from __future__ import annotations

from pathlib import Path

from chipscreen.bundled import open_store
from chipscreen.decide import replay
from chipscreen.decide.report import replay_html
from chipscreen.paths import data_dir
from chipscreen.transactions import read_transactions


def _scenarios() -> list:  # type: ignore[type-arg]
    return [r.transaction for r in read_transactions(data_dir() / "scenarios" / "three_routes.jsonl")]


def test_remote_access_proposal_closes_the_cloud_route_that_the_current_rules_leave_open(decision_home: Path) -> None:
    txs = _scenarios()
    with open_store(decision_home) as store:
        current = replay(txs, "2022-10-07", "2026-01-15", store=store)
        proposal = replay(txs, "2022-10-07", "proposal-remote-access", store=store)
    assert current.by_route["remote_access"]["flagged_under_a"] >= 3
    assert current.by_route["remote_access"]["closed_by_b"] == 0
    assert proposal.by_route["remote_access"]["closed_by_b"] >= 3
    assert proposal.required_b > current.required_b
    changed = {c.id: c for c in proposal.changes}
    assert changed["R1-01"].change == "newly_required" and "entity_list" in " ".join(changed["R1-01"].reasons_added)
    assert current.by_route["unlisted_affiliate"]["closed_by_b"] >= 1  # the 2023 rules closed the A800 gap
    html = replay_html([current, proposal])
    assert "<svg" in html and "R1-01" in html and "proposal-remote-access" in html
