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


def test_the_october_2023_russia_supplier_listings_bind_from_6_october(decide: Decide) -> None:
    """88 FR 70352, published 2023-10-11, effective 2023-10-06 (secondary source: marked unverified)."""
    parties = [exporter(), end_user("Ace Electronics (HK) Co., Limited", country="HK")]
    before = decide(date="2023-10-05", item="nvidia-l20", parties=parties, to="HK")
    after = decide(date="2023-10-06", item="nvidia-l20", parties=parties, to="HK")
    assert "entity_list" not in codes(before)
    reason = next(r for r in after.reasons if r.code == "entity_list")
    assert reason.evidence["listed_since"] == "2023-10-06"
    assert reason.evidence["listed_since_verified"] is False


def test_the_march_2025_listings_of_the_70_entity_rule_bind_from_25_march(decide: Decide) -> None:
    """90 FR 14034 (FR Doc 2025-05426), published 2025-03-28, taken as effective 2025-03-25 with its
    companion rule 90 FR 14046."""
    parties = [exporter(), end_user("Air Force Engineering University")]
    before = decide(date="2025-03-24", item="nvidia-l20", parties=parties)
    after = decide(date="2025-03-25", item="nvidia-l20", parties=parties)
    assert "entity_list" not in codes(before)
    reason = next(r for r in after.reasons if r.code == "entity_list")
    assert reason.evidence["listed_since"] == "2025-03-25"
    assert "90 FR 14034" in reason.evidence["listed_since_basis"]


def _el_detail(decide: Decide, name: str, day: str) -> str:
    d = decide(date=day, item="nvidia-l20", parties=[exporter(), end_user(name)])
    return next(r.detail for r in d.reasons if r.code == "entity_list")


def test_the_entity_list_reason_says_which_of_its_data_are_unverified(decide: Decide) -> None:
    """Where the start date or the review policy rests on secondary text, the reason's own words say so;
    where both were read in the primary text, it says nothing of the kind."""
    quantum = _el_detail(decide, "Beijing Academy of Quantum Information Sciences", "2024-06-01")
    assert "start date unverified" in quantum
    biren = _el_detail(decide, "Beijing Biren Technology Development Co., Ltd.", "2024-06-01")
    assert "review policy unverified" in biren and "start date" not in biren
    smic = _el_detail(decide, "Semiconductor Manufacturing International Corporation (SMIC)", "2024-06-01")
    assert "unverified" not in smic
