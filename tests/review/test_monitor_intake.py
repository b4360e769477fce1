"""A transaction a monitor run re-decides is the same case as the API's /check of it: the summary a run keeps
hashes as the decision itself does."""

from __future__ import annotations

import json

from chipscreen.decide import Decider
from chipscreen.model import Transaction
from chipscreen.monitor.open_transactions import summary
from chipscreen.paths import data_dir
from chipscreen.review import decision_hash
from chipscreen.review.content import summary_hash
from chipscreen.store import Store


def test_a_kept_summary_hashes_as_its_decision(bundled_store: Store) -> None:
    decider = Decider(bundled_store)
    lines = (data_dir() / "scenarios" / "three_routes.jsonl").read_text(encoding="utf-8").splitlines()
    decisions = [decider.decide(Transaction.model_validate(json.loads(line))) for line in lines]
    assert any(d.flags for d in decisions) and any(d.license_required for d in decisions)
    assert [summary_hash(summary(d)) for d in decisions] == [decision_hash(d) for d in decisions]
    assert len({decision_hash(d) for d in decisions}) > 1


def test_the_hash_holds_once_the_summary_went_through_the_store(bundled_store: Store) -> None:
    decider = Decider(bundled_store)
    lines = (data_dir() / "scenarios" / "three_routes.jsonl").read_text(encoding="utf-8").splitlines()
    for line in lines:
        d = decider.decide(Transaction.model_validate(json.loads(line)))
        kept = json.loads(json.dumps(summary(d), sort_keys=True, default=str))  # as store/watch.py keeps it
        assert summary_hash(kept) == decision_hash(d)
