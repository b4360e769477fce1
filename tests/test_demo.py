"""The stages of ``chipscreen demo`` as the library computes them (the CLI only prints them)."""

from __future__ import annotations

from chipscreen.demo import (
    AI_CHIP_FIRMS,
    DEMO_NAMES,
    latest_snapshot,
    listed_ai_chip_firms,
    scenario_transactions,
    screen_demo_names,
)
from chipscreen.store import Store


def test_the_snapshot_and_the_listed_ai_chip_firms(bundled_store: Store) -> None:
    snap, counts = latest_snapshot(bundled_store)
    assert counts["EL"] > 0
    firms = listed_ai_chip_firms(bundled_store, snap)
    assert firms and all(any(f.name.startswith(w) for w in AI_CHIP_FIRMS) for f in firms)
    assert all(f.footnotes and f.listed for f in firms)


def test_the_demo_names_hit_the_listed_firms_and_miss_the_german_one(bundled_store: Store) -> None:
    screened = {s.query: s for s in screen_demo_names(bundled_store)}
    assert list(screened) == [name for name, _ in DEMO_NAMES]
    assert screened["HUAWEI TECH CO LTD"].hit and screened["HUAWEI TECH CO LTD"].best is not None
    assert not screened["Acme Robotics GmbH"].hit


def test_the_scenarios_are_read_whole() -> None:
    txs = scenario_transactions()
    assert txs and len({tx.id for tx in txs}) == len(txs)
