"""Provisions noted on decisions without adding a licence reason (data/rulebooks/provisions/): §744.6
U.S.-person support, and the AI Diffusion LPP cap and AIA/ACM exceptions while the rule was in the EAR text."""

from __future__ import annotations

from collections.abc import Callable

from decide_helpers import end_user, exporter

from chipscreen.model import Decision, Flag

Decide = Callable[..., Decision]
UNLISTED_CN = "Example Beijing Cloud Services Co., Ltd."


def provision(d: Decision, pid: str) -> Flag | None:
    return next((f for f in d.flags if f.evidence.get("provision") == pid), None)


def test_us_person_support_is_noted_for_a_supercomputer_end_use_from_12_october_2022(decide: Decide) -> None:
    kw = {"item": "nvidia-l20", "end_use": "supercomputer", "parties": [exporter(), end_user(UNLISTED_CN)]}
    assert provision(decide(date="2022-10-11", **kw), "us-person-support") is None
    flag = provision(decide(date="2022-10-12", **kw), "us-person-support")
    assert flag is not None and "744.6" in str(flag.evidence["citation"])


def test_us_person_support_reaches_macau_from_17_january_2023(decide: Decide) -> None:
    kw = {"to": "MO", "item": "nvidia-l20", "end_use": "advanced_node_ic", "parties": [end_user("Example Macau", "MO")]}
    assert provision(decide(date="2023-01-16", **kw), "us-person-support") is None
    assert provision(decide(date="2023-01-17", **kw), "us-person-support") is not None


def test_the_lpp_cap_is_computed_for_tier_2_while_the_rule_was_in_the_text(decide: Decide) -> None:
    """90 FR 4544 (effective 2025-01-13): 2,000 H100 x 15,831.2 TPP = 31.7M, over the 26.9M LPP cap."""
    kw = {"to": "MY", "item": "nvidia-h100-sxm5", "quantity": 2000, "parties": [end_user("Example KL Sdn Bhd", "MY")]}
    assert provision(decide(date="2025-01-12", **kw), "ai-diffusion-lpp") is None
    flag = provision(decide(date="2025-01-13", **kw), "ai-diffusion-lpp")
    assert flag is not None and flag.evidence["total_tpp"] == 2000 * 15831.2 and "over the cap" in flag.detail
    late = provision(decide(date="2025-05-13", **kw), "ai-diffusion-lpp")
    assert late is not None and "not_enforced" in late.evidence
    assert provision(decide(date="2025-03-03", **{**kw, "to": "JP"}), "ai-diffusion-lpp") is None  # Tier 1
    service = decide(date="2025-03-03", **{**kw, "kind": "cloud_service", "from": "MY"})
    assert provision(service, "ai-diffusion-lpp") is None  # nothing is exported


def test_aia_is_noted_for_tier_1_from_13_january_2025_and_marked_after_13_may(decide: Decide) -> None:
    """90 FR 4544: License Exception AIA for Tier 1 destinations (Japan is Tier 1; Malaysia is not)."""
    kw = {"to": "JP", "item": "nvidia-h100-sxm5", "parties": [end_user("Example Tokyo KK", "JP")]}
    assert provision(decide(date="2025-01-12", **kw), "ai-diffusion-aia") is None
    flag = provision(decide(date="2025-01-13", **kw), "ai-diffusion-aia")
    assert flag is not None and "not_enforced" not in flag.evidence and "90 FR 4544" in str(flag.evidence["citation"])
    mid = provision(decide(date="2025-05-12", **kw), "ai-diffusion-aia")
    assert mid is not None and "not_enforced" not in mid.evidence
    late = provision(decide(date="2025-05-13", **kw), "ai-diffusion-aia")
    assert late is not None and "not_enforced" in late.evidence
    assert provision(decide(date="2025-03-03", **{**kw, "to": "MY"}), "ai-diffusion-aia") is None


def test_acm_is_noted_outside_d5_and_macau_only(decide: Decide) -> None:
    kw = {"item": "nvidia-h100-sxm5", "parties": [end_user("Example KL Sdn Bhd", "MY")]}
    assert provision(decide(date="2025-01-12", to="MY", **kw), "ai-diffusion-acm") is None
    assert provision(decide(date="2025-01-13", to="MY", **kw), "ai-diffusion-acm") is not None
    assert provision(decide(date="2025-01-13", to="CN", item="nvidia-h100-sxm5"), "ai-diffusion-acm") is None
