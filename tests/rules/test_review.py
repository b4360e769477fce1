"""Licence requirement, reasons, licence exceptions and review policy for one shipment."""

from __future__ import annotations

from rules_helpers import chip, d, ic

from chipscreen.model import Item
from chipscreen.rules import license_requirement

H100, H200, H20 = "nvidia-h100-sxm5", "nvidia-h200-sxm", "nvidia-h20"


def codes(res: object) -> list[str]:
    return [r.code for r in res.reasons]  # type: ignore[attr-defined]


# ------------------------------------------------------------------ headquarters rule
def test_headquarters_rule_applies_anywhere_outside_the_us_from_2023_11_17() -> None:
    assert not license_requirement(chip(H100), "MY", d("2023-11-16"), headquarters="CN").license_required
    res = license_requirement(chip(H100), "MY", d("2023-11-17"), headquarters="CN")
    assert codes(res) == ["headquarters"] and "744.23" in res.reasons[0].citation
    assert license_requirement(chip(H100), "DE", d("2024-01-01"), parent_headquarters="MO").license_required
    assert not license_requirement(chip(H100), "US", d("2024-01-01"), headquarters="CN").license_required
    assert not license_requirement(chip(H100), "MY", d("2024-01-01"), headquarters="JP").license_required


def test_hbm_before_its_compliance_date_is_a_note_not_a_reason() -> None:
    res = license_requirement(chip("hbm3-stack-819"), "CN", d("2024-12-02"))
    assert not res.license_required
    assert any("before its compliance date" in n for n in res.notes)


def test_headquarters_rule_reaches_hbm_from_2024_12_31() -> None:
    assert not license_requirement(chip("hbm3-stack-819"), "KR", d("2024-12-30"), headquarters="HK").license_required
    assert license_requirement(chip("hbm3-stack-819"), "KR", d("2024-12-31"), headquarters="HK").license_required
    res = license_requirement(chip("hbm3-stack-819"), "KR", d("2025-01-01"), headquarters="HK")
    assert codes(res) == ["headquarters"]


def test_uncontrolled_items_need_no_licence_anywhere() -> None:
    res = license_requirement(chip("nvidia-rtx-4090d"), "CN", d("2024-06-01"), headquarters="CN")
    assert not res.license_required and res.reasons == [] and res.review_policy is None


# ------------------------------------------------------------------ is-informed letters bind the named exporter only
def test_august_2022_letter_binds_nvidia_for_a100_to_china_and_russia() -> None:
    a100 = chip("nvidia-a100-sxm4-80gb")
    assert not license_requirement(a100, "CN", d("2022-08-25"), exporter="NVIDIA Corporation").license_required
    res = license_requirement(a100, "HK", d("2022-08-26"), exporter="NVIDIA Corporation")
    assert codes(res) == ["is_informed"] and res.reasons[0].party == "NVIDIA Corporation"
    assert license_requirement(a100, "RU", d("2022-09-01"), exporter="Nvidia Corp.").license_required
    other = license_requirement(a100, "CN", d("2022-09-01"), exporter="Supermicro")
    assert not other.license_required and any("binds NVIDIA" in n for n in other.notes)
    assert not license_requirement(a100, "CN", d("2022-09-01")).license_required


def test_august_2022_letter_to_amd_for_mi250() -> None:
    res = license_requirement(chip("amd-mi250x"), "RU", d("2022-09-01"), exporter="Advanced Micro Devices, Inc.")
    assert codes(res) == ["is_informed"]
    assert not license_requirement(chip("amd-mi250x"), "RU", d("2022-09-01"), exporter="NVIDIA").license_required


def test_h20_letter_from_2025_04_09_binds_nvidia_only() -> None:
    h20 = chip(H20)
    assert not license_requirement(h20, "CN", d("2025-04-08"), exporter="NVIDIA").license_required
    res = license_requirement(h20, "CN", d("2025-04-09"), exporter="NVIDIA")
    assert codes(res) == ["is_informed"] and res.classification.paragraph is None
    assert res.review_policy == "presumption_of_denial"
    assert license_requirement(h20, "MY", d("2025-05-01"), exporter="NVIDIA", headquarters="CN").license_required
    assert not license_requirement(h20, "MY", d("2025-05-01"), exporter="NVIDIA").license_required
    distributor = license_requirement(h20, "CN", d("2025-05-01"), exporter="Acme Distribution")
    assert not distributor.license_required and any("binds NVIDIA" in n for n in distributor.notes)


def test_october_2023_acceleration_for_nvidia_datacenter_parts() -> None:
    a800 = chip("nvidia-a800-sxm4-80gb")
    assert not license_requirement(a800, "CN", d("2023-10-22"), exporter="NVIDIA").license_required
    assert codes(license_requirement(a800, "CN", d("2023-10-23"), exporter="NVIDIA")) == ["is_informed"]
    assert not license_requirement(a800, "CN", d("2023-10-23"), exporter="Inspur").license_required


# ------------------------------------------------------------------ licence exceptions
def test_no_exceptions_under_the_2022_rule() -> None:
    res = license_requirement(chip(H100), "CN", d("2023-01-01"))
    assert res.license_required and res.license_exceptions == []


def test_nac_for_consumer_3a090a_and_datacenter_3a090b_not_for_datacenter_3a090a() -> None:
    day = d("2024-06-01")
    assert license_requirement(chip("nvidia-rtx-4090"), "CN", day).license_exceptions == ["NAC"]
    assert license_requirement(chip("nvidia-l40"), "CN", day).license_exceptions == ["NAC"]
    assert license_requirement(chip(H100), "CN", day).license_exceptions == []
    nac = license_requirement(chip("nvidia-l40"), "MO", day).exception_options[0]
    assert nac.notification and "740.8" in nac.citation


def test_aca_from_2024_04_04_for_d1_d4_destinations_outside_d5() -> None:
    l40 = chip("nvidia-l40")
    before = license_requirement(l40, "AE", d("2024-04-03"))
    assert before.license_exceptions == ["NAC"] and not before.exception_options[0].notification
    after = license_requirement(l40, "AE", d("2024-04-04"))
    assert after.license_exceptions == ["ACA"] and not after.exception_options[0].notification
    assert license_requirement(l40, "CN", d("2024-04-04")).license_exceptions == ["NAC"]
    # A D:5-headquartered buyer in a D:1/D:4 country gets NAC with notification, not ACA.
    hq = license_requirement(l40, "VN", d("2024-05-01"), headquarters="CN")
    assert hq.license_exceptions == ["NAC"] and hq.exception_options[0].notification


def test_a_transfer_inside_china_is_nac_without_notification_then_aca() -> None:
    l40 = chip("nvidia-l40")
    before = license_requirement(l40, "CN", d("2024-04-03"), transaction_kind="in_country_transfer")
    assert before.license_exceptions == ["NAC"] and not before.exception_options[0].notification
    after = license_requirement(l40, "CN", d("2024-04-04"), transaction_kind="in_country_transfer")
    assert after.license_exceptions == ["ACA"] and not after.exception_options[0].notification
    assert "C68" in after.exception_options[0].procedure
    # an export to China still goes through NAC with its notification
    export = license_requirement(l40, "CN", d("2024-04-04"), transaction_kind="export")
    assert export.license_exceptions == ["NAC"] and export.exception_options[0].notification


def test_the_reason_says_how_to_use_the_exception_offered() -> None:
    res = license_requirement(chip("nvidia-l40"), "CN", d("2024-06-01"))
    detail = res.reasons[0].detail
    assert "may ship under licence exception NAC (notification required)" in detail
    assert "25 days" in detail and "SNAP-R" in detail and "C67" in detail


def test_systems_follow_the_exception_eligibility_of_their_ics() -> None:
    day = d("2024-06-01")
    assert license_requirement(chip("nvidia-dgx-h100"), "CN", day).license_exceptions == []
    l40_box = Item(id="l40-box", kind="system", datacenter=True, contains={"item": "nvidia-l40", "count": 4})
    assert license_requirement(l40_box, "CN", day).license_exceptions == ["NAC"]


def test_hbm_exception_only_below_3_3() -> None:
    day = d("2025-02-01")
    low = Item(id="hbm-low", kind="hbm", memory_bandwidth_density=3.2)
    line = Item(id="hbm-line", kind="hbm", memory_bandwidth_density=3.3)
    offered = license_requirement(low, "CN", day)
    assert offered.license_exceptions == ["HBM"]
    # offered with the terms of 740.25 the engine cannot check, named in the reason
    assert offered.exception_options[0].conditions and "740.25" in offered.reasons[0].detail
    assert "only if the exporter confirms" in offered.reasons[0].detail
    assert license_requirement(line, "CN", day).license_exceptions == []
    assert license_requirement(chip("hbm3-stack-819"), "CN", day).license_exceptions == []


# ------------------------------------------------------------------ review policy
def test_presumption_of_denial_for_china_and_d5_headquarters() -> None:
    assert license_requirement(chip(H100), "CN", d("2024-06-01")).review_policy == "presumption_of_denial"
    assert license_requirement(chip(H100), "CN", d("2023-01-01")).review_policy == "presumption_of_denial"
    res = license_requirement(chip(H100), "MY", d("2024-06-01"), headquarters="CN")
    assert res.review_policy == "presumption_of_denial"


def test_presumption_of_approval_for_d1_d4_outside_d5() -> None:
    assert license_requirement(chip(H100), "AE", d("2024-06-01")).review_policy == "presumption_of_approval"
    assert license_requirement(chip(H100), "VN", d("2024-06-01")).review_policy == "presumption_of_approval"


def test_2026_case_by_case_envelope_for_exports_from_the_us() -> None:
    h200 = chip(H200)
    assert license_requirement(h200, "CN", d("2026-01-14"), export_from="US").review_policy == "presumption_of_denial"
    res = license_requirement(h200, "CN", d("2026-01-15"), export_from="US")
    assert res.review_policy == "case_by_case" and "91 FR 1684" in (res.review_policy_detail or {})["citation"]
    assert (
        license_requirement(chip("amd-mi325x"), "MO", d("2026-02-01"), export_from="US").review_policy == "case_by_case"
    )
    # Outside the envelope, or not from the US, or an HQ-only case abroad: presumption of denial.
    assert license_requirement(chip("nvidia-b200"), "CN", d("2026-02-01"), export_from="US").review_policy == (
        "presumption_of_denial"
    )
    assert license_requirement(h200, "CN", d("2026-02-01"), export_from="SG").review_policy == "presumption_of_denial"
    hq = license_requirement(h200, "MY", d("2026-02-01"), export_from="US", headquarters="CN")
    assert hq.review_policy == "presumption_of_denial"
    unknown = license_requirement(h200, "CN", d("2026-02-01"))
    assert unknown.review_policy == "presumption_of_denial" and any("export_from" in n for n in unknown.notes)


def test_2026_envelope_is_strict_on_both_limits() -> None:
    day = d("2026-02-01")

    def policy(tops: float, dram: float) -> str | None:
        item = ic(dense_tops={"fp8": tops}, die_area_mm2=800, dram_bandwidth_gbs=dram)
        return license_requirement(item, "CN", day, export_from="US").review_policy

    assert policy(2624.99, 6499.9) == "case_by_case"
    assert policy(2625, 6000) == "presumption_of_denial"  # TPP 21000 is not below 21000
    assert policy(2000, 6500) == "presumption_of_denial"  # 6500 GB/s is not below 6500


# ------------------------------------------------------------------ AI Diffusion, remote access, undetermined
def test_ai_diffusion_worldwide_requirement_is_text_only() -> None:
    for day in ("2025-05-12", "2025-05-16", "2026-06-01"):
        res = license_requirement(chip("nvidia-b200"), "FR", d(day))
        assert not res.license_required
        assert any("rs_worldwide_a_2025" in n for n in res.notes)


def test_cloud_service_is_not_an_export_except_under_the_remote_access_proposal() -> None:
    day = d("2026-03-01")
    now = license_requirement(chip(H100), "CN", day, transaction_kind="cloud_service")
    assert not now.license_required and any("not an export" in n for n in now.notes)
    prop = license_requirement(
        chip(H100), "CN", day, transaction_kind="cloud_service", rulebook="proposal-remote-access"
    )
    assert prop.license_required and prop.rulebook == "proposal-remote-access"


def test_undetermined_item_is_assumed_to_need_a_licence_and_says_so() -> None:
    res = license_requirement(ic(dense_tops={"fp16": 125}), "CN", d("2024-06-01"))
    assert res.license_required and not res.determined
    assert "possibly" in res.reasons[0].detail and res.license_exceptions == []


def test_items_by_catalog_id_and_bad_country_codes_name_the_field() -> None:
    import pytest

    from chipscreen.errors import InputError

    assert license_requirement("nvidia-h100-sxm5", "CN", d("2024-06-01")).license_required
    with pytest.raises(InputError, match="export_from"):
        license_requirement("nvidia-h100-sxm5", "CN", d("2024-06-01"), export_from="USA")
    with pytest.raises(InputError, match="parent_headquarters"):
        license_requirement("nvidia-h100-sxm5", "CN", d("2024-06-01"), parent_headquarters="PRC")


def test_controlled_since_dates_the_control_that_now_applies() -> None:
    from chipscreen.rules import controlled_since

    on = d("2024-06-01")
    assert controlled_since("nvidia-h100-sxm5", "CN", on) == d("2022-10-07")
    assert controlled_since("nvidia-h100-sxm5", "CN", on, exporter="NVIDIA") == d("2022-08-26")
    assert controlled_since("nvidia-h100-sxm5", "MO", on) == d("2023-01-17")
    assert controlled_since("nvidia-a800-sxm4-80gb", "CN", on) == d("2023-11-17")
    assert controlled_since("nvidia-a800-sxm4-80gb", "CN", on, exporter="NVIDIA") == d("2023-10-23")
    assert controlled_since("nvidia-h100-sxm5", "AE", on) == d("2023-11-17")
    assert controlled_since("nvidia-h20", "CN", d("2025-06-01"), exporter="NVIDIA") == d("2025-04-09")
    assert controlled_since("nvidia-rtx-4090d", "CN", on) is None
    assert controlled_since("hbm3-stack-819", "CN", d("2025-06-01")) == d("2024-12-31")


# ------------------------------------------------------------------ the question object
def test_a_question_is_answered_as_its_keywords_are() -> None:
    import dataclasses

    import pytest

    from chipscreen.rules import load_rulebook
    from chipscreen.rules.question import LicenceQuestion

    q = LicenceQuestion.ask(H100, "MY", d("2026-02-01"), headquarters="CN", export_from="US")
    assert q.rulebook.id == load_rulebook(d("2026-02-01")).id and q.item.id == H100
    assert q.classification.paragraph == "3A090.a"
    by_question = license_requirement(q)
    by_keywords = license_requirement(H100, "MY", d("2026-02-01"), headquarters="CN", export_from="US")
    assert by_question == by_keywords and codes(by_question) == ["headquarters"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.destination = "CN"  # type: ignore[misc]
    elsewhere = dataclasses.replace(q, headquarters=None)
    assert not license_requirement(elsewhere).license_required


def test_an_item_without_a_destination_is_not_a_question() -> None:
    import pytest

    with pytest.raises(TypeError, match="destination"):
        license_requirement(H100)  # type: ignore[call-overload]
