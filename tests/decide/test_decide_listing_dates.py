"""Entity List listings dated by rows added to data/lists/federal_register_rules.yaml after its first table:
a listing binds from its rule's effective date, tested on the day before and the day of."""

from __future__ import annotations

from collections.abc import Callable

from decide_helpers import codes, end_user, exporter

from chipscreen.model import Decision

Decide = Callable[..., Decision]


def test_the_may_2024_quantum_listings_bind_from_9_may_not_from_publication(decide: Decide) -> None:
    """89 FR 41888, published 2024-05-14; BIS announced the 37 listings effective 2024-05-09 (secondary
    sources only: the reason says the date is unverified)."""
    parties = [exporter(), end_user("Beijing Academy of Quantum Information Sciences")]
    before = decide(date="2024-05-08", item="nvidia-l20", parties=parties)
    after = decide(date="2024-05-09", item="nvidia-l20", parties=parties)
    assert "entity_list" not in codes(before)
    reason = next(r for r in after.reasons if r.code == "entity_list")
    assert reason.evidence["listed_since"] == "2024-05-09"
    assert "effective date of 89 FR 41888" in reason.evidence["listed_since_basis"]
    assert reason.evidence["listed_since_verified"] is False
