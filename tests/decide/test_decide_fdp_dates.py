"""The foreign-direct-product rules on both sides of each date that widens them (issue 13, item 13):
734.9(h) reaches Macau on 17 Jan 2023 and D:5 on 17 Nov 2023; the Entity List FDP rules of footnote 4
(87 FR 62186, 7 Oct 2022) and footnote 5 (89 FR 96790, 2 Dec 2024) reach an entry only from their own
dates, whatever the entry's listing date (data/decide/jurisdiction.yaml)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from decide_helpers import accelerator_ic, codes, end_user, on_days

from chipscreen.model import Decision

Decide = Callable[..., Decision]
# a 3A090 IC made abroad with US technology and no US content: only an FDP rule can bring it under the EAR
FOREIGN_3A090 = accelerator_ic("foreign-accel", us_origin=False, us_content_percent=0, us_technology=True)
# an ordinary foreign-made system (no 3A090 IC): only the Entity List FDP rules can reach it
FOREIGN_ROUTER: dict[str, Any] = {
    "id": "router",
    "kind": "system",
    "us_origin": False,
    "us_content_percent": 0,
    "us_technology": True,
}
PHYTIUM = "Tianjin Phytium Information Technology"  # listed 2021 (86 FR 18438), footnote 4 since 87 FR 62202
JINHUA = "Fujian Jinhua Integrated Circuit Company, Ltd."  # listed 2018 (83 FR 54521), footnote 5 today


def subject(d: Decision) -> bool:
    """An item outside the EAR carries a flag saying so; an item inside it carries none."""
    return all(f.evidence.get("subject_to_ear") is not False for f in d.flags)


def around(decide: Decide, days: tuple[str, str], item: dict[str, Any], party: dict[str, str]
           ) -> tuple[Decision, Decision]:
    """The same in-country transfer to ``party`` decided on the day before a rule and on its first day."""
    country = party["country"]
    tx = {"item": item, "parties": [party], "from": country, "to": country, "kind": "in_country_transfer"}
    return on_days(decide, days, **tx)


def test_the_advanced_computing_fdp_rule_reaches_macau_from_17_january_2023(decide: Decide) -> None:
    macau = end_user("Example Macau Compute Ltd.", "MO")
    before, after = around(decide, ("2023-01-16", "2023-01-17"), FOREIGN_3A090, macau)
    assert not subject(before) and not before.license_required
    assert subject(after) and after.license_required
    assert any("88 FR 2821" in w for w in after.classification.work)


def test_the_advanced_computing_fdp_rule_reaches_d5_from_17_november_2023(decide: Decide) -> None:
    """Venezuela is in D:5 but outside the PRC and Macau: the October 2023 rule brought it in."""
    caracas = end_user("Example Caracas Compute CA", "VE")
    before, after = around(decide, ("2023-11-16", "2023-11-17"), FOREIGN_3A090, caracas)
    assert not subject(before) and not before.license_required
    assert subject(after) and after.license_required and "destination" in codes(after)
    assert any("88 FR 73458" in w for w in after.classification.work)


def test_the_footnote_4_fdp_rule_reaches_a_listed_supercomputer_firm_from_7_october_2022(decide: Decide) -> None:
    before, after = around(decide, ("2022-10-06", "2022-10-07"), FOREIGN_ROUTER, end_user(PHYTIUM))
    assert not subject(before) and not before.license_required  # listed since 2021, but no FDP rule yet
    assert subject(after) and codes(after) == {"entity_list"}
    assert any("footnote 4" in w for w in after.classification.work)


def test_the_footnote_5_fdp_rule_reaches_a_listed_chip_maker_from_2_december_2024(decide: Decide) -> None:
    before, after = around(decide, ("2024-12-01", "2024-12-02"), FOREIGN_ROUTER, end_user(JINHUA))
    assert not subject(before) and not before.license_required  # listed since 2018, but no FDP rule yet
    assert subject(after) and codes(after) == {"entity_list"}
    assert any("footnote 5" in w for w in after.classification.work)
