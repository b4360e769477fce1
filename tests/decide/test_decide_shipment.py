"""A transaction's facts resolved once, and the licence questions the engine asks from them."""

from __future__ import annotations

import dataclasses

from decide_helpers import end_user, exporter, make_tx

from chipscreen.decide import Decider
from chipscreen.rules import license_requirement


def test_a_shipment_asks_one_question_per_receiving_party(decider: Decider) -> None:
    tx = make_tx(
        date="2024-06-01",
        item="nvidia-h100-sxm5",
        to="MY",
        parties=[exporter(), end_user("Acme Compute Sdn Bhd", "MY", headquarters="CN")],
    )
    sh = decider.shipment(tx)
    assert sh.moves and not sh.remote_controlled
    assert [p.name for p in sh.receivers] == ["Acme Compute Sdn Bhd"]
    assert sh.exporter is not None and sh.exporter.role == "exporter"
    q = sh.question("MY", sh.facts_of(sh.receivers[0]), "export")
    assert (q.headquarters, q.exporter, q.export_from, q.rulebook.id) == (
        "CN",
        "Example Distribution LLC",
        "US",
        sh.rulebook.id,
    )
    answer = decider.requirement(q)
    assert decider.requirement(dataclasses.replace(q)) is answer  # one answer per question in a batch
    assert answer == license_requirement(q) and [r.code for r in answer.reasons] == ["headquarters"]


def test_a_cloud_service_moves_nothing_unless_remote_access_is_controlled(decider: Decider) -> None:
    tx = make_tx(
        date="2024-06-01",
        kind="cloud_service",
        item="nvidia-h100-sxm5",
        to="MY",
        parties=[{"role": "provider", "name": "Example Cloud"}, {"role": "customer", "name": "Acme", "country": "CN"}],
    )
    sh = decider.shipment(tx)
    assert not sh.moves and [p.role for p in sh.receivers] == ["customer"]
    assert sh.question("CN", None, "cloud_service").headquarters is None
