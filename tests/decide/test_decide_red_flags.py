"""Red flags of Supp. No. 3 to part 732 that a transaction's facts show: a freight forwarder named as the
final destination of a controlled item. Facts the transaction does not carry raise nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from decide_helpers import end_user, on_days

from chipscreen.decide.red_flags import red_flag_rules
from chipscreen.errors import DataError
from chipscreen.model import Decision, Flag

Decide = Callable[..., Decision]


def red(d: Decision) -> list[Flag]:
    return [f for f in d.flags if f.code == "red_flag"]


def test_a_forwarder_as_end_user_of_an_h100_is_flagged_with_its_words(decide: Decide) -> None:
    d = decide(
        date="2024-06-03",
        to="MY",
        item="nvidia-h100-sxm5",
        parties=[end_user("Example Penang Freight Forwarding Sdn Bhd", "MY")],
    )
    (flag,) = red(d)
    assert flag.evidence["words"] == ["forwarding", "freight"] and "732 Supp. 3" in flag.evidence["citation"]


def test_an_ordinary_end_user_or_a_forwarder_as_consignee_raises_nothing(decide: Decide) -> None:
    plain = decide(date="2024-06-03", to="MY", item="nvidia-h100-sxm5", parties=[end_user("Example KL Sdn Bhd", "MY")])
    consignee = {"role": "consignee", "name": "Example Penang Logistics Sdn Bhd", "country": "MY"}
    chain = decide(
        date="2024-06-03", to="MY", item="nvidia-h100-sxm5", parties=[consignee, end_user("Example KL Sdn Bhd", "MY")]
    )
    assert red(plain) == [] and red(chain) == []


def test_a_word_inside_another_word_does_not_count(decide: Decide) -> None:
    d = decide(date="2024-06-03", to="MY", item="nvidia-h100-sxm5", parties=[end_user("Expressway Data Sdn Bhd", "MY")])
    assert red(d) == []


def test_an_uncontrolled_item_raises_nothing(decide: Decide) -> None:
    d = decide(
        date="2024-06-03",
        to="MY",
        item={"id": "router", "kind": "system", "eccn": "EAR99"},
        parties=[end_user("Example Cargo Sdn Bhd", "MY")],
    )
    assert red(d) == []


def test_a_rule_file_with_no_words_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "red_flags.yaml"
    bad.write_text(
        "forwarder_final_destination: {title: t, citation: c, verified: false, roles: [end_user], "
        "words: [], controlled_only: true}\n"
    )
    with pytest.raises(DataError, match="words"):
        red_flag_rules(bad)


def customer(name: str, country: str, **kw: str) -> dict[str, str]:
    return {"role": "customer", "name": name, "country": country, **kw}


def provider() -> dict[str, str]:
    return {"role": "provider", "name": "Example Cloud LLC", "country": "US"}


def keys(d: Decision) -> list[str]:
    return [f.evidence["red_flag"] for f in red(d)]


def test_an_intermediary_in_china_on_the_way_to_malaysia_is_an_abnormal_route(decide: Decide) -> None:
    hk = {"role": "intermediary", "name": "Example HK Trading Ltd", "country": "HK"}
    d = decide(date="2024-06-03", to="MY", item="nvidia-h100-sxm5", parties=[hk, end_user("Example KL Sdn Bhd", "MY")])
    (flag,) = [f for f in red(d) if f.evidence["red_flag"] == "abnormal_route"]
    assert flag.party == "Example HK Trading Ltd" and flag.evidence["through"]["country"] == "HK"
    assert "abnormal" in flag.detail and flag.evidence["verified"] is False


def test_an_intermediary_outside_d5_or_a_shipment_to_china_itself_is_not_an_abnormal_route(decide: Decide) -> None:
    sg = {"role": "intermediary", "name": "Example SG Trading Pte Ltd", "country": "SG"}
    via_sg = decide(date="2024-06-03", to="MY", item="nvidia-h100-sxm5", parties=[sg, end_user("Example KL", "MY")])
    hk = {"role": "consignee", "name": "Example HK Trading Ltd", "country": "HK"}
    to_cn = decide(date="2024-06-03", to="CN", item="nvidia-h100-sxm5", parties=[hk, end_user("Example SZ", "CN")])
    assert "abnormal_route" not in keys(via_sg) and "abnormal_route" not in keys(to_cn)


def test_red_flag_28_holds_while_the_ai_diffusion_rule_was_enforced(decide: Decide) -> None:
    """Supp. 3 red flag 28 (90 FR 4544): IaaS for AI training, customer headquartered outside Tier 1."""
    parties = [provider(), customer("Example Bengaluru AI Pvt Ltd", "IN")]
    kw = {"kind": "cloud_service", "to": "IN", "item": "nvidia-h100-sxm5", "end_use": "ai_training"}
    before, first, last, after = (
        decide(date=day, parties=parties, **kw) for day in ("2025-01-12", "2025-01-13", "2025-05-12", "2025-05-13")
    )
    assert "iaas_training_outside_tier1" not in keys(before) + keys(after)
    (flag,) = [f for f in red(first) if f.evidence["red_flag"] == "iaas_training_outside_tier1"]
    assert "4E091" in flag.detail and "90 FR 4544" in flag.evidence["citation"] and flag.evidence["verified"]
    assert "iaas_training_outside_tier1" in keys(last)


def test_red_flag_28_spares_tier_1_customers_and_other_end_uses(decide: Decide) -> None:
    kw = {"date": "2025-03-03", "kind": "cloud_service", "to": "DE", "item": "nvidia-h100-sxm5"}
    tier1 = decide(parties=[provider(), customer("Example Berlin GmbH", "DE")], end_use="ai_training", **kw)
    civil = decide(parties=[provider(), customer("Example Pune Pvt Ltd", "IN")], end_use="civil", **kw)
    assert keys(tier1) == [] and keys(civil) == []


def test_training_for_a_d5_headquartered_customer_is_flagged_from_13_may_2025(decide: Decide) -> None:
    """May 2025 policy statement and diversion guidance: the customer's headquarters, not the site, counts."""
    parties = [provider(), customer("Example Cloud Tenant Pte Ltd", "SG", headquarters="CN")]
    kw = {"kind": "cloud_service", "to": "SG", "item": "nvidia-h100-sxm5", "end_use": "ai_training"}
    before, after = on_days(decide, ("2025-05-12", "2025-05-13"), parties=parties, **kw)
    assert "ai_training_for_d5_headquartered" not in keys(before)
    (flag,) = [f for f in red(after) if f.evidence["red_flag"] == "ai_training_for_d5_headquartered"]
    assert flag.evidence["ties"] == [{"field": "headquarters", "country": "CN"}]
    assert "presumption of denial" in flag.detail


def test_training_for_a_customer_headquartered_outside_d5_raises_nothing(decide: Decide) -> None:
    parties = [provider(), customer("Example Cloud Tenant Pte Ltd", "SG", headquarters="SG")]
    d = decide(
        date="2025-06-02",
        kind="cloud_service",
        to="SG",
        item="nvidia-h100-sxm5",
        end_use="ai_training",
        parties=parties,
    )
    assert keys(d) == []
