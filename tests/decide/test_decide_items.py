"""Decisions on items a user ships that the catalog does not describe (issue 13, items 10-15): inline chips
inside systems, items with no accelerator or with their own ECCN, .z items, foreign-made items, clusters
that make a supercomputer, and classifications the specs leave open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from decide_helpers import accelerator_ic, codes, end_user, exporter, on_days, reason_of

from chipscreen.model import Decision

Decide = Callable[..., Decision]
UNLISTED_CN = "Example Beijing Cloud Services Co., Ltd."
NEW_CHIP = accelerator_ic()


def test_a_new_server_with_a_new_chip_is_decided(decide: Decide) -> None:
    server = {"id": "new-server", "kind": "system", "datacenter": True, "contains": {"item": NEW_CHIP, "count": 8}}
    parties = [exporter(), end_user(UNLISTED_CN)]
    before, after = on_days(decide, ("2023-11-16", "2023-11-17"), item=server, parties=parties)
    assert after.classification.paragraph == "4A090.a" and "destination" in codes(after)
    assert before.classification.paragraph == "4A090" and before.license_required  # the 2022 test


# ------------------------------------------------------------------ item 10
HUAWEI = "Huawei Technologies Co., Ltd."


def test_a_server_with_no_accelerator_needs_a_licence_only_for_a_listed_party(decide: Decide) -> None:
    """744.11: an Entity List entry requires a licence for all items subject to the EAR."""
    server = {"id": "file-server", "kind": "system", "eccn": "5A992.c"}
    plain = decide(date="2024-06-03", item=server, parties=[exporter(), end_user(UNLISTED_CN)])
    listed = decide(date="2024-06-03", item=server, parties=[exporter(), end_user(HUAWEI)])
    assert not plain.license_required and plain.classification.eccn == "5A992"
    assert listed.license_required and codes(listed) == {"entity_list"}


def test_ear99_to_a_listed_party_needs_a_licence_from_the_listing_date(decide: Decide) -> None:
    """Huawei's entry (84 FR 22961) is dated from its Federal Register citation in the bundled list."""
    item = {"id": "cable", "eccn": "EAR99"}
    after = decide(date="2020-01-02", item=item, parties=[exporter(), end_user(HUAWEI)])
    before = decide(date="2019-01-02", item=item, parties=[exporter(), end_user(HUAWEI)])
    assert after.license_required and "entity_list" in codes(after)
    assert not before.license_required and after.classification.eccn == "EAR99"


# ------------------------------------------------------------------ item 12
def test_a_z_server_takes_the_4a090_licence_scope(decide: Decide) -> None:
    """742.6(a)(6)(iii): .z items follow the licence requirements of 3A090/4A090 (88 FR 73458)."""
    h100s = {"item": "nvidia-h100-sxm5", "count": 8}
    server = {"id": "crypto-server", "kind": "system", "eccn": "5A992", "contains": h100s}
    parties = [exporter(), end_user(UNLISTED_CN)]
    before, after = on_days(decide, ("2023-11-16", "2023-11-17"), item=server, parties=parties)
    assert after.classification.paragraph == "5A992.z" and "destination" in codes(after)
    assert after.license_required and after.license_exceptions == []
    assert before.classification.paragraph == "4A090"
    to_jp = decide(date="2023-11-17", to="JP", item=server, parties=[exporter(), end_user("Example Tokyo KK", "JP")])
    assert not to_jp.license_required


# ------------------------------------------------------------------ item 15
NO_DIE_AREA = {"id": "no-die-area", "kind": "ic", "datacenter": True, "dense_tops": {"fp16": 125.0}}


def test_an_undetermined_item_needs_no_licence_where_no_classification_would_need_one(decide: Decide) -> None:
    """Malaysia is in none of D:1, D:4, D:5 or Macau: 3A090.a, 3A090.b and 'not controlled' all answer no."""
    d = decide(date="2024-06-03", to="MY", item=NO_DIE_AREA, parties=[exporter(), end_user("Example KL Sdn Bhd", "MY")])
    flag = next(f for f in d.flags if f.code == "undetermined_classification")
    assert not d.license_required and flag.evidence["same_answer"] is True
    assert set(flag.evidence["alternatives"]) == {"3A090.a", "3A090.b", "not controlled"}
    assert "under any classification" in flag.detail


def test_an_undetermined_item_names_the_fact_that_decides_it(decide: Decide) -> None:
    d = decide(date="2024-06-03", item=NO_DIE_AREA, parties=[exporter(), end_user(UNLISTED_CN)])
    flag = next(f for f in d.flags if f.code == "undetermined_classification")
    assert d.license_required and flag.evidence["same_answer"] is False
    assert flag.evidence["alternatives"] == {"3A090.a": True, "3A090.b": True, "not controlled": False}
    assert "die_area_mm2" in flag.detail


def test_an_undetermined_item_to_a_d5_headquartered_party_abroad(decide: Decide) -> None:
    """The HQ rule (17 Nov 2023): the answer turns on the classification again, so a licence is assumed."""
    party = end_user("Example KL Sdn Bhd", "MY", headquarters="CN")
    before, after = on_days(decide, ("2023-11-16", "2023-11-17"), to="MY", item=NO_DIE_AREA,
                            parties=[exporter(), party])
    assert not before.license_required and after.license_required


# ------------------------------------------------------------------ item 13: foreign-made items
FOREIGN = {**NEW_CHIP, "id": "foreign-accel", "us_origin": False, "us_content_percent": 5, "us_technology": False}
CN_TO_CN = {"from": "CN", "to": "CN", "kind": "in_country_transfer"}


def jurisdiction(d: Decision) -> dict[str, Any]:
    return next(f.evidence for f in d.flags if "subject_to_ear" in f.evidence)


def test_a_foreign_chip_without_us_technology_or_content_is_not_subject_to_the_ear(decide: Decide) -> None:
    d = decide(date="2024-06-03", item=FOREIGN, parties=[end_user(UNLISTED_CN)], **CN_TO_CN)
    assert not d.license_required and d.reasons == []
    assert jurisdiction(d)["subject_to_ear"] is False
    assert any("de minimis: US content 5% <= 25%" in line for line in d.classification.work)


def test_de_minimis_brings_a_foreign_chip_with_enough_us_content_under_the_ear(decide: Decide) -> None:
    item = {**FOREIGN, "us_content_percent": 30}
    d = decide(date="2024-06-03", item=item, parties=[end_user(UNLISTED_CN)], **CN_TO_CN)
    assert d.license_required and "destination" in codes(d)
    assert any("30% > 25%" in line for line in d.classification.work)


def test_the_advanced_computing_fdp_rule_reaches_china_from_7_october_2022(decide: Decide) -> None:
    """734.9(h) (87 FR 62186): a 3A090 direct product of US technology destined to the PRC."""
    item = {**FOREIGN, "us_technology": True}
    before, after = on_days(decide, ("2022-10-06", "2022-10-07"), item=item, parties=[end_user(UNLISTED_CN)],
                            **CN_TO_CN)
    assert jurisdiction(before)["subject_to_ear"] is False
    assert after.license_required and any("Advanced computing FDP rule" in w for w in after.classification.work)


def test_the_footnote_1_fdp_rule_reaches_huawei_from_15_may_2020(decide: Decide) -> None:
    """734.9(e)(1): a foreign-made direct product of US technology, with a footnote-1 entity as a party."""
    item = {"id": "router", "kind": "system", "us_origin": False, "us_content_percent": 0, "us_technology": True}
    parties = [end_user(HUAWEI)]
    before, after = on_days(decide, ("2020-05-14", "2020-05-15"), item=item, parties=parties, **CN_TO_CN)
    assert not before.license_required and jurisdiction(before)["subject_to_ear"] is False
    assert after.license_required and codes(after) == {"entity_list"}
    assert any("footnote 1" in w for w in after.classification.work)


def test_an_unstated_fact_is_decided_as_subject_and_named(decide: Decide) -> None:
    item = {**FOREIGN, "us_technology": None}
    d = decide(date="2024-06-03", item=item, parties=[end_user(UNLISTED_CN)], **CN_TO_CN)
    assert d.license_required and jurisdiction(d)["missing"] == ["us_technology"]


def test_the_catalog_ascend_is_a_us_technology_product_under_bis_guidance(decide: Decide) -> None:
    d = decide(date="2025-06-02", item="huawei-ascend-910b", parties=[end_user(UNLISTED_CN)], **CN_TO_CN)
    assert d.license_required and any("direct product of US technology" in w for w in d.classification.work)


# ------------------------------------------------------------------ item 14: a supercomputer from cluster size
def test_one_installation_of_enough_a100s_is_a_supercomputer(decide: Decide) -> None:
    """772.1: 5,200 A100 x 19.5 FP64 TFLOPS = 101.4 PF >= 100 (docs/export-controls.md §6, route 2)."""
    kw: dict[str, Any] = {"item": "nvidia-a100-sxm4-80gb", "one_installation": True, "parties": [end_user(UNLISTED_CN)]}
    big = decide(date="2022-10-07", quantity=5200, **kw)
    small = decide(date="2022-10-07", quantity=5100, **kw)  # 99.45 PF
    early = decide(date="2022-10-06", quantity=5200, **kw)
    reason = reason_of(big, "end_use")
    assert reason.evidence["end_use"] == "supercomputer" and reason.evidence["cluster"]["fp64_pflops"] == 101.4
    assert "end_use" not in codes(small) and "end_use" not in codes(early)
    assert any("5200 x nvidia-a100-sxm4-80gb x 19.5 FP64" in w for w in big.classification.work)
    # data/decide/supercomputer.yaml is verified: false, and the decision says so
    assert reason.evidence["cluster"]["definition_verified"] is False
    assert any("thresholds are unverified" in w for w in big.classification.work)


def test_a_system_counts_its_ics_and_an_unknown_figure_is_named(decide: Decide) -> None:
    dgx = decide(date="2024-06-03", to="MY", item="nvidia-dgx-h100", quantity=200, one_installation=True,
                 parties=[end_user("Example KL Sdn Bhd", "MY")])  # 1,600 H100 x 67 = 107.2 PF
    assert any("1600 x nvidia-h100-sxm5" in w for w in dgx.classification.work)
    unknown = decide(date="2024-06-03", item="nvidia-h20", quantity=10, one_installation=True,
                     parties=[end_user(UNLISTED_CN)])
    assert any("may be a supercomputer" in f.detail for f in unknown.flags)


def test_the_supercomputer_fdp_rule_follows_a_computed_supercomputer(decide: Decide) -> None:
    """734.9(i): a foreign-made direct product of US technology for a supercomputer in the PRC (87 FR 62186)."""
    small = {"id": "foreign-hpc", "kind": "ic", "datacenter": True, "dense_tops": {"fp64": 20, "fp16": 80},
             "die_area_mm2": 600, "io_bandwidth_gbs": 100, "us_origin": False, "us_content_percent": 0,
             "us_technology": True}  # TPP 1280: outside 3A090, so only (i) can reach it
    kw: dict[str, Any] = {"item": small, "quantity": 5000, "one_installation": True, "parties": [end_user(UNLISTED_CN)]}
    before, after = on_days(decide, ("2022-10-06", "2022-10-07"), **kw, **CN_TO_CN)
    assert jurisdiction(before)["subject_to_ear"] is False and not before.license_required
    assert after.license_required and codes(after) == {"end_use"}
    assert any("Supercomputer FDP rule" in w for w in after.classification.work)


def test_a_5a_z_item_between_the_2022_and_2023_rules_says_its_start_date_is_unverified(decide: Decide) -> None:
    """The decision carries the unverified datum as a rule note on both sides of 17 Nov 2023."""
    item = {"id": "crypto-box", "kind": "system", "eccn": "5A992.z.1"}
    parties = [exporter(), end_user(UNLISTED_CN)]

    def notes(day: str) -> list[str]:
        return [f.detail for f in decide(date=day, item=item, parties=parties).flags if f.code == "rule_note"]

    assert any("unverified" in n and "87 FR 62186" in n for n in notes("2023-11-16"))
    assert not any("87 FR 62186" in n for n in notes("2023-11-17"))
    assert not any("87 FR 62186" in n for n in notes("2022-10-06"))
