"""Entity List listings dated by rows added to data/lists/federal_register_rules.yaml after its first table:
a listing binds from its rule's effective date, tested on the day before and the day of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from decide_helpers import codes, end_user, exporter, on_days, reason_of

from chipscreen.model import Decision

Decide = Callable[..., Decision]


def test_the_may_2024_quantum_listings_bind_from_9_may_not_from_publication(decide: Decide) -> None:
    """89 FR 41888, published 2024-05-14; BIS announced the 37 listings effective 2024-05-09 (secondary
    sources only: the reason says the date is unverified)."""
    parties = [exporter(), end_user("Beijing Academy of Quantum Information Sciences")]
    before, after = on_days(decide, ("2024-05-08", "2024-05-09"), item="nvidia-l20", parties=parties)
    assert "entity_list" not in codes(before)
    reason = reason_of(after, "entity_list")
    assert reason.evidence["listed_since"] == "2024-05-09"
    assert "effective date of 89 FR 41888" in reason.evidence["listed_since_basis"]
    assert reason.evidence["listed_since_verified"] is False


def test_the_october_2023_russia_supplier_listings_bind_from_6_october(decide: Decide) -> None:
    """88 FR 70352, published 2023-10-11, effective 2023-10-06 (secondary source: marked unverified)."""
    parties = [exporter(), end_user("Ace Electronics (HK) Co., Limited", country="HK")]
    before, after = on_days(decide, ("2023-10-05", "2023-10-06"), item="nvidia-l20", parties=parties, to="HK")
    assert "entity_list" not in codes(before)
    reason = reason_of(after, "entity_list")
    assert reason.evidence["listed_since"] == "2023-10-06"
    assert reason.evidence["listed_since_verified"] is False


def test_the_march_2025_listings_of_the_70_entity_rule_bind_from_25_march(decide: Decide) -> None:
    """90 FR 14034 (FR Doc 2025-05426), published 2025-03-28, taken as effective 2025-03-25 with its
    companion rule 90 FR 14046."""
    parties = [exporter(), end_user("Air Force Engineering University")]
    before, after = on_days(decide, ("2025-03-24", "2025-03-25"), item="nvidia-l20", parties=parties)
    assert "entity_list" not in codes(before)
    reason = reason_of(after, "entity_list")
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


@pytest.mark.parametrize(
    ("name", "effective", "verified"),
    [
        ("Shanghai HiSilicon Technologies Co., Ltd.", "2019-08-19", True),  # 84 FR 43493, published 08-21
        ("Beijing Huanjia Telecommunication Co., Ltd.", "2020-08-26", False),  # 85 FR 52898, published 08-27
        ("Beijing Nanjiang Aerospace Technology Co., Ltd.", "2023-02-10", False),  # 88 FR 9390, published 02-14
        ("Luopu Haishi Dingxin Electronic Technology Co., Ltd.", "2023-03-28", True),  # 88 FR 18983, 03-30
        ("3HC Semiconductors (HK) Co., Ltd.", "2023-04-12", False),  # 88 FR 23334, published 04-17
        ("Aviation Industry Corporation of China 612 Institute", "2023-06-12", True),  # 88 FR 38739, 06-14
        ("Chengdu RML Technology Co., Ltd.", "2025-01-03", False),  # 90 FR 561, published 01-06
        ("Inspur Group Co., Ltd.", "2023-03-02", False),  # 88 FR 13675, published 03-06
        ("Dennex Enterprises Limited", "2024-02-23", False),  # 89 FR 14388, published 02-27
    ],
)
def test_listings_dated_in_the_third_pass_bind_from_the_effective_day(
    decide: Decide, name: str, effective: str, verified: bool
) -> None:
    """The day before the rule took effect no Entity List licence; the day it did, one, with the rule's
    source and whether it was read in the primary text."""
    day = dt.date.fromisoformat(effective)
    parties = [exporter(), end_user(name)]
    before, after = on_days(decide, (str(day - dt.timedelta(days=1)), effective), item="nvidia-l20", parties=parties)
    assert "entity_list" not in codes(before)
    reason = reason_of(after, "entity_list")
    assert reason.evidence["listed_since"] == effective
    assert reason.evidence["listed_since_verified"] is verified
    assert ("start date unverified" in reason.detail) is not verified
