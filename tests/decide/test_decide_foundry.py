"""The foundry due-diligence rule (Note 1 to 3A090, 90 FR 5298): a foundry or OSAT exporting an advanced-node
logic IC presumes it 3A090.a and needs a licence to every destination unless the presumption is overcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from decide_helpers import codes, end_user

from chipscreen.decide.foundry import foundry_rule
from chipscreen.model import Decision

Decide = Callable[..., Decision]
SMALL_SOC: dict[str, Any] = {
    "id": "small-soc",
    "kind": "ic",
    "datacenter": False,
    "dense_tops": {"int8": 10},
    "die_area_mm2": 100,
    "io_bandwidth_gbs": 10,
}
FOUNDRY = {"role": "exporter", "name": "Example Foundry Inc.", "country": "US", "producer": "front_end_fabricator"}
MY_USER = end_user("Example Penang Devices Sdn Bhd", "MY")


def ship(decide: Decide, date: str, fabrication: dict[str, Any] | None, exporter: dict[str, Any] = FOUNDRY) -> Decision:
    return decide(date=date, item=SMALL_SOC, to="MY", parties=[exporter, MY_USER], fabrication=fabrication)


def notes(d: Decision) -> list[str]:
    return [f.detail for f in d.flags if f.evidence.get("rule") == "foundry_due_diligence"]


def test_a_7nm_logic_ic_needs_a_licence_to_malaysia_from_the_compliance_date(decide: Decide) -> None:
    d = ship(decide, "2025-01-31", {"node_nm": 7})
    assert d.license_required and codes(d) == {"foundry_due_diligence"}
    assert "presumed 3A090.a" in d.reasons[0].detail and "90 FR 5298" in d.reasons[0].citation
    assert d.license_exceptions == []


def test_the_day_before_compliance_is_a_note_not_a_licence(decide: Decide) -> None:
    d = ship(decide, "2025-01-30", {"node_nm": 7})
    assert not d.license_required
    assert any("compliance required from 2025-01-31" in n for n in notes(d))


def test_before_the_rule_took_effect_nothing_is_said(decide: Decide) -> None:
    assert notes(ship(decide, "2025-01-15", {"node_nm": 7})) == []
    assert notes(ship(decide, "2025-01-16", {"node_nm": 7}))  # in effect, compliance pending


def test_an_exporter_that_is_not_a_foundry_or_osat_is_not_bound(decide: Decide) -> None:
    plain = {"role": "exporter", "name": "Example Distribution LLC", "country": "US"}
    d = ship(decide, "2025-06-02", {"node_nm": 7}, exporter=plain)
    assert not d.license_required and notes(d) == []


def test_a_planar_28nm_ic_is_not_an_applicable_advanced_logic_ic(decide: Decide) -> None:
    d = ship(decide, "2025-06-02", {"node_nm": 28, "non_planar": False})
    assert not d.license_required and any("not an applicable advanced logic IC" in n for n in notes(d))


def test_unstated_facts_leave_the_presumption_standing_and_are_named(decide: Decide) -> None:
    d = ship(decide, "2025-06-02", None)
    assert d.license_required
    assert d.reasons[0].evidence["missing"] == ["fabrication.node_nm", "fabrication.non_planar"]


def test_an_approved_designer_overcomes_the_presumption(decide: Decide) -> None:
    d = ship(decide, "2025-06-02", {"non_planar": True, "designer_approved": True})
    assert not d.license_required and any("presumption overcome" in n for n in notes(d))


def test_an_approved_osat_attestation_follows_the_threshold_of_the_year(decide: Decide) -> None:
    fab = {"node_nm": 5, "osat_approved": True, "transistors_billion": 32}
    osat = {**FOUNDRY, "producer": "osat", "name": "Example OSAT Inc."}
    assert ship(decide, "2026-12-31", fab, exporter=osat).license_required  # 32 bn >= 30 bn
    after = ship(decide, "2027-01-01", fab, exporter=osat)  # 32 bn < 35 bn
    assert not after.license_required and any("threshold unverified" in n for n in notes(after))


def test_the_thresholds_are_dated_and_marked_unverified() -> None:
    rule = foundry_rule()
    assert [b for _, b in rule.thresholds] == [30, 35, 40] and not rule.thresholds_verified
    assert rule.verified and not rule.compliance_verified
