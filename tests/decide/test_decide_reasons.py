"""Each licence-requirement reason, on both sides of the date that changes it, from the rule text
(docs/export-controls.md §1-§4; 15 CFR 744.11, 744.21, 744.23; the Affiliates rule, 90 FR 47201)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from decide_helpers import codes, end_user, exporter, on_days, reason_of

from chipscreen.model import Decision, Reason

Decide = Callable[..., Decision]
UNLISTED_CN = "Example Beijing Cloud Services Co., Ltd."


def test_destination_china_from_the_october_2022_rule(decide: Decide) -> None:
    """87 FR 62186: 3A090 to China needs a licence from 7 Oct 2022 (the A100 passes both prongs)."""
    parties = [exporter(), end_user(UNLISTED_CN)]
    before, after = on_days(decide, ("2022-10-06", "2022-10-07"), item="nvidia-a100-sxm4-80gb", parties=parties)
    assert not before.license_required and "destination" not in codes(before)
    assert after.license_required and "destination" in codes(after)
    assert after.classification.eccn == "3A090"


def test_macau_joins_on_17_january_2023(decide: Decide) -> None:
    """88 FR 2821: Macau added to the 2022 controls effective 17 Jan 2023."""
    parties = [exporter(), end_user("Example Macau Compute Ltd.", "MO")]
    assert "destination" not in codes(decide(date="2023-01-16", to="MO", item="nvidia-a100-sxm4-80gb", parties=parties))
    assert "destination" in codes(decide(date="2023-01-17", to="MO", item="nvidia-a100-sxm4-80gb", parties=parties))


def test_headquarters_rule_reaches_a_group_company_abroad_from_17_november_2023(decide: Decide) -> None:
    """88 FR 73458 (744.23(a)(3)): entities headquartered in, or with an ultimate parent in, D:5 or Macau."""
    parties = [exporter(), end_user("SenseTime Japan Ltd.", "JP")]
    before, after = on_days(decide, ("2023-11-16", "2023-11-17"), to="JP", item="nvidia-h100-sxm5", parties=parties)
    assert "headquarters" not in codes(before)
    hq = reason_of(after, "headquarters")
    assert hq.party == "SenseTime Japan Ltd."
    assert after.license_required


def test_entity_list_applies_from_the_rules_effective_date_to_any_item(decide: Decide) -> None:
    """744.11: Biren listed by 88 FR 71991 (FR Doc 2023-23048), effective 17 Oct 2023, published 19 Oct 2023,
    for all items subject to the EAR (data/lists/federal_register_rules.yaml)."""
    parties = [exporter(), end_user("Shanghai Biren Intelligent Technology Co., Ltd.")]
    before, after = on_days(decide, ("2023-10-16", "2023-10-17"), item="nvidia-l20", parties=parties)
    assert "entity_list" not in codes(before)
    reason = reason_of(after, "entity_list")
    assert reason.evidence["listed_since"] == "2023-10-17"
    assert "effective date of 88 FR 71991" in reason.evidence["listed_since_basis"]
    assert reason.evidence["listed_since_verified"] is True
    assert reason.evidence["score"] >= 0.8 and reason.evidence["entity_id"].startswith("el-")
    assert "88 FR 71992" in reason.citation
    assert after.license_required and after.review_policy == "presumption_of_denial"
    assert after.license_exceptions == []
    # between the effective date and publication the listing already binds
    assert "entity_list" in codes(decide(date="2023-10-18", item="nvidia-l20", parties=parties))


def test_entity_list_reason_applies_the_entrys_own_review_policy(decide: Decide) -> None:
    """Supp. No. 4 to part 744, SMIC's column (85 FR 83416): case by case except items uniquely required at
    10 nm and below; Huawei's: presumption of denial."""
    smic = [exporter(), end_user("Semiconductor Manufacturing International Corporation")]
    decision = decide(date="2021-06-01", item="nvidia-l20", parties=smic)
    reason = reason_of(decision, "entity_list")
    assert reason.evidence["review_policy"] == "case_by_case"
    assert "10 nanometers and below" in reason.evidence["review_policy_text"]
    assert decision.review_policy == "case_by_case"
    huawei = [exporter(), end_user("Huawei Technologies Co., Ltd.")]
    assert decide(date="2021-06-01", item="nvidia-l20", parties=huawei).review_policy == "presumption_of_denial"


def test_sensetime_and_hikvision_get_their_own_column_not_the_list_default(decide: Decide) -> None:
    """84 FR 54002 (CSL 2022 column): case by case only for the protective-equipment ECCNs named; a comma
    in the table's YAML once split these two names, and they fell back to the list default."""
    for name in (
        "Beijing Sensetime Technology Development Co., Ltd.",
        "Hangzhou Hikvision Digital Technology Co., Ltd.",
    ):
        d = decide(date="2021-06-01", item="nvidia-l20", parties=[exporter(), end_user(name)])
        reason = reason_of(d, "entity_list")
        assert "1A004.c" in reason.evidence["review_policy_text"] and reason.evidence["review_policy_verified"], name
        assert d.review_policy == "presumption_of_denial"


def test_meu_list_from_its_listing_date(decide: Decide) -> None:
    """744.21: the MEU List; AASPT was added by 85 FR 83799 (23 Dec 2020)."""
    parties = [exporter(), end_user("Academy of Aerospace Solid Propulsion Technology")]
    assert "meu" not in codes(decide(date="2020-12-22", item="nvidia-l20", parties=parties))
    assert "meu" in codes(decide(date="2020-12-23", item="nvidia-l20", parties=parties))


def test_affiliates_rule_captures_a_60_percent_subsidiary_only_while_in_force(decide: Decide) -> None:
    """90 FR 47201: in force 29 Sep 2025, suspended 10 Nov 2025 - 9 Nov 2026."""
    parties = [exporter(), end_user("Hefei Xunfei Compute Services Co., Ltd.")]
    before = decide(date="2025-09-28", item="nvidia-l20", parties=parties)
    during = decide(date="2025-09-29", item="nvidia-l20", parties=parties)
    suspended = decide(date="2025-11-10", item="nvidia-l20", parties=parties)
    assert "affiliate_50" not in codes(before)
    reason = reason_of(during, "affiliate_50")
    assert reason.evidence["aggregate_ppm"] == 600_000 and reason.evidence["threshold_ppm"] == 500_000
    assert reason.evidence["proof"]["owners"], "the proof tree names the listed owner"
    assert during.license_required
    assert "affiliate_50" not in codes(suspended)
    assert any(f.code == "unlisted_affiliate" for f in suspended.flags)


def test_is_informed_letter_binds_only_the_named_exporter(decide: Decide) -> None:
    """April 2025 H20 letter to NVIDIA (8-K 15 Apr 2025): NVIDIA's shipments from 9 Apr 2025."""
    nvidia = [exporter("NVIDIA Corporation"), end_user(UNLISTED_CN)]
    other = [exporter(), end_user(UNLISTED_CN)]
    assert "is_informed" not in codes(decide(date="2025-04-08", item="nvidia-h20", parties=nvidia))
    assert "is_informed" in codes(decide(date="2025-04-09", item="nvidia-h20", parties=nvidia))
    assert "is_informed" not in codes(decide(date="2025-04-09", item="nvidia-h20", parties=other))


def test_supercomputer_end_use_from_october_2022(decide: Decide) -> None:
    """744.23(a)(2): items for a supercomputer in China need a licence whatever their ECCN."""
    parties = [exporter(), end_user(UNLISTED_CN)]
    before, after = on_days(decide, ("2022-10-06", "2022-10-07"), item="nvidia-l20", end_use="supercomputer",
                            parties=parties)
    assert "end_use" not in codes(before)
    assert "end_use" in codes(after) and after.license_required


def end_use_from(decide: Decide, days: tuple[str, str], **tx: Any) -> Reason:
    """The end-use reason a transaction gains on the first day of a rule: it has none on the day before."""
    before, after = on_days(decide, days, **tx)
    assert "end_use" not in codes(before), days[0]
    return reason_of(after, "end_use")


def test_supercomputer_end_use_scope_follows_its_three_versions(decide: Decide) -> None:
    """744.23: China from 7 Oct 2022 ((a)(2)); Macau from 17 Jan 2023; Macau and D:5 from 17 Nov 2023 ((a)(1)).
    Never D:1 or D:4 alone (Vietnam, the UAE)."""
    vn = [exporter(), end_user("Example Hanoi Compute JSC", "VN")]
    mo = [exporter(), end_user("Example Macau Compute Ltd.", "MO")]
    ve = [exporter(), end_user("Example Caracas Compute CA", "VE")]
    for day in ("2022-10-07", "2023-11-17", "2025-06-01"):
        assert "end_use" not in codes(decide(date=day, to="VN", item="nvidia-l20", end_use="supercomputer", parties=vn))
    sc = {"item": "nvidia-l20", "end_use": "supercomputer"}
    end_use_from(decide, ("2023-01-16", "2023-01-17"), to="MO", parties=mo, **sc)
    reason = end_use_from(decide, ("2023-11-16", "2023-11-17"), to="VE", parties=ve, **sc)
    assert "744.23(a)(1)" in reason.citation and "CCL" in reason.detail


def test_advanced_node_ic_end_use_scope_follows_its_three_versions(decide: Decide) -> None:
    """744.23 advanced-node IC end use: the PRC from 7 Oct 2022; Macau from 17 Jan 2023 (88 FR 2821); Macau and
    D:5 from 17 Nov 2023 (88 FR 73424). Never Vietnam (D:1/D:4 without D:5)."""
    node = {"item": "nvidia-l20", "end_use": "advanced_node_ic"}
    cn = [exporter(), end_user(UNLISTED_CN)]
    mo = [exporter(), end_user("Example Macau Fab Ltd.", "MO")]
    ve = [exporter(), end_user("Example Caracas Fab CA", "VE")]
    vn = [exporter(), end_user("Example Hanoi Fab JSC", "VN")]
    end_use_from(decide, ("2022-10-06", "2022-10-07"), parties=cn, **node)
    end_use_from(decide, ("2023-01-16", "2023-01-17"), to="MO", parties=mo, **node)
    reason = end_use_from(decide, ("2023-11-16", "2023-11-17"), to="VE", parties=ve, **node)
    assert "88 FR 73424" in reason.citation and "CCL" in reason.detail
    assert "end_use" not in codes(decide(date="2025-06-01", to="VN", parties=vn, **node))


def test_military_end_use_reaches_the_countries_744_21_names_from_their_dates(decide: Decide) -> None:
    """744.21 names countries (Nicaragua from 15 Mar 2024, 89 FR 18780), not all of D:5: not Iran or Cuba."""
    ni = [exporter(), end_user("Example Managua Systems SA", "NI")]
    ir = [exporter(), end_user("Example Tehran Systems Co", "IR")]
    reason = end_use_from(decide, ("2024-03-14", "2024-03-15"), to="NI", item="nvidia-l20", end_use="military",
                          parties=ni)
    assert "Supp. No. 2 to part 744" in reason.detail
    assert "end_use" not in codes(decide(date="2024-06-01", to="IR", item="nvidia-l20", end_use="military", parties=ir))


def test_review_policy_case_by_case_for_h200_exports_from_the_us_after_15_january_2026(decide: Decide) -> None:
    """91 FR 1684: TPP < 21,000 and DRAM < 6,500 GB/s, exported from the US: case-by-case."""
    parties = [exporter(), end_user(UNLISTED_CN)]
    assert decide(date="2026-01-14", item="nvidia-h200-sxm", parties=parties).review_policy == "presumption_of_denial"
    assert decide(date="2026-01-15", item="nvidia-h200-sxm", parties=parties).review_policy == "case_by_case"
    # reexports from abroad stay under presumption of denial
    reexport = decide(date="2026-01-15", kind="reexport", **{"from": "SG"}, item="nvidia-h200-sxm", parties=parties)
    assert reexport.review_policy == "presumption_of_denial"


def test_cloud_service_is_not_an_export_unless_the_rulebook_says_so(decider, decide: Decide) -> None:  # type: ignore[no-untyped-def]
    from chipscreen.decide import Decider

    parties = [
        {"role": "provider", "name": "Example US Cloud Inc.", "country": "US"},
        {"role": "customer", "name": "IFLYTEK", "country": "CN"},
    ]
    today = decide(date="2026-03-01", kind="cloud_service", to="US", item="nvidia-h100-sxm5", parties=parties)
    assert not today.license_required
    proposal = Decider(decider.store, rulebook="proposal-remote-access")
    from decide_helpers import make_tx

    under = proposal.decide(
        make_tx(date="2026-03-01", kind="cloud_service", to="US", item="nvidia-h100-sxm5", parties=parties)
    )
    assert under.license_required and "entity_list" in codes(under)
    assert under.rulebook == "proposal-remote-access"


def test_decisions_are_deterministic_and_name_their_rulebook_and_snapshot(decide: Decide, decider) -> None:  # type: ignore[no-untyped-def]
    kw = {"date": "2024-02-01", "item": "nvidia-h100-sxm5", "parties": [exporter(), end_user("IFLYTEK")]}
    a, b = decide(**kw), decide(**kw)
    assert a.model_dump_json() == b.model_dump_json()
    assert a.rulebook.startswith("2024") or a.rulebook.startswith("2023")
    assert a.snapshot == decider.store.latest_snapshot().id
    assert a.classification.tpp and a.classification.work
