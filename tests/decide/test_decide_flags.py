"""Flags: the three circumvention routes and the red flags, raised whatever the rules of the day require
(docs/export-controls.md §6; docs/contracts.md "Decision")."""

from __future__ import annotations

from collections.abc import Callable

from decide_helpers import end_user, exporter, flag_codes, on_days

from chipscreen.model import Decision

Decide = Callable[..., Decision]
CLOUD = {"role": "provider", "name": "Example US Cloud Inc.", "country": "US", "headquarters": "US"}


def customer(name: str, country: str = "CN") -> dict[str, str]:
    return {"role": "customer", "name": name, "country": country}


def test_remote_access_for_a_listed_customer_only_once_it_is_listed(decide: Decide) -> None:
    """iFlytek was listed on 9 Oct 2019: renting it compute needs no licence, but must be seen."""
    kw = {"kind": "cloud_service", "to": "US", "item": "nvidia-a100-sxm4-80gb"}
    before, after = on_days(decide, ("2019-10-08", "2019-10-09"), parties=[CLOUD, customer("IFLYTEK")], **kw)
    assert "remote_access" not in flag_codes(before)
    flag = next(f for f in after.flags if f.code == "remote_access")
    assert flag.party == "IFLYTEK" and any(g["code"] == "entity_list" for g in flag.evidence["grounds"])
    assert not after.license_required


def test_remote_access_for_a_d5_headquartered_customer_needs_a_3a090_class_item(decide: Decide) -> None:
    kw = {"kind": "cloud_service", "to": "MY", "date": "2024-06-01"}
    rented = decide(item="nvidia-h100-sxm5", parties=[CLOUD, customer("Example Shenzhen AI Co., Ltd.")], **kw)
    gaming = decide(item="nvidia-rtx-4090d", parties=[CLOUD, customer("Example Shenzhen AI Co., Ltd.")], **kw)
    assert "remote_access" in flag_codes(rented)
    assert "remote_access" not in flag_codes(gaming)


def test_pre_rule_stock_is_units_acquired_before_the_control_began(decide: Decide) -> None:
    """A100s in China: controlled from 7 Oct 2022 for this lessor (the August 2022 letter bound NVIDIA only)."""
    lessor = {"role": "lessor", "name": "Example Municipal Computing Center", "country": "CN"}
    lessee = {"role": "lessee", "name": "IFLYTEK", "country": "CN"}
    kw = {
        "kind": "lease",
        "from": "CN",
        "to": "CN",
        "date": "2023-05-10",
        "item": "nvidia-a100-sxm4-80gb",
        "parties": [lessor, lessee],
    }
    old = decide(acquired="2022-10-06", **kw)
    new = decide(acquired="2022-10-07", **kw)
    flag = next(f for f in old.flags if f.code == "pre_rule_stock")
    assert flag.evidence["control_start"] == "2022-10-07"
    assert "pre_rule_stock" not in flag_codes(new)
    assert old.license_required  # the lease hands the hardware over: an in-country transfer


def test_unlisted_affiliate_minority_stake_from_the_day_the_stake_exists(decide: Decide) -> None:
    """Anhui Tingjian Data: 35% owned by iFlytek from 1 Jun 2024 (illustrative): below 50%, no rule captures it."""
    parties = [exporter(), end_user("Anhui Tingjian Data Co., Ltd.")]
    before, after = on_days(decide, ("2024-05-31", "2024-06-01"), item="nvidia-l20", parties=parties)
    assert "unlisted_affiliate" not in flag_codes(before)
    flag = next(f for f in after.flags if f.code == "unlisted_affiliate")
    assert any(t["tie"] == "minority_stake" for t in flag.evidence["ties"])
    assert not after.license_required


def test_unlisted_affiliate_sister_of_a_listed_company(decide: Decide) -> None:
    """Shanghai SenseTime: sister of the listed Beijing SenseTime under the unlisted SenseTime Group."""
    d = decide(
        date="2022-11-15",
        item="nvidia-a800-sxm4-80gb",
        parties=[exporter(), end_user("Shanghai SenseTime Intelligent Technology Co., Ltd.")],
    )
    flag = next(f for f in d.flags if f.code == "unlisted_affiliate")
    assert {t["tie"] for t in flag.evidence["ties"]} & {"sister", "name"}
    assert not d.license_required  # A800: NVLink 400 GB/s passes the 2022 test


def test_transshipment_hub_with_a_china_headquartered_end_user(decide: Decide) -> None:
    hub = {"role": "intermediary", "name": "Example Pacific Trading Pte. Ltd.", "country": "SG"}
    kw = {"date": "2024-06-03", "to": "SG", "item": "nvidia-h100-sxm5"}
    cn = decide(parties=[exporter(), hub, end_user("Example KL AI Lab Sdn. Bhd.", "MY", headquarters="CN")], **kw)
    my = decide(parties=[exporter(), hub, end_user("Example KL AI Lab Sdn. Bhd.", "MY", headquarters="MY")], **kw)
    assert "transshipment" in flag_codes(cn)
    assert "transshipment" not in flag_codes(my)


def test_unknown_ownership_of_a_receiver_of_controlled_items_in_scope(decide: Decide) -> None:
    unknown = decide(
        date="2026-02-10",
        item="nvidia-h200-sxm",
        parties=[exporter(), end_user("Example Beijing Cloud Services Co., Ltd.")],
    )
    known = decide(
        date="2026-02-10",
        item="nvidia-h200-sxm",
        parties=[exporter(), end_user("Shenzhen SenseTime Technology Co., Ltd.")],
    )
    assert "unknown_ownership" in flag_codes(unknown)
    assert "unknown_ownership" not in flag_codes(known)


def test_a_near_miss_is_a_possible_match_never_a_silent_clear(decide: Decide) -> None:
    d = decide(date="2024-01-10", item="nvidia-l20", parties=[exporter(), end_user("Cambrian Data Systems")])
    flag = next(f for f in d.flags if f.code == "possible_match")
    assert flag.evidence["matches"][0]["list"] == "EL"
    assert "entity_list" not in {r.code for r in d.reasons}


def test_non_licence_lists_are_flags(decide: Decide) -> None:
    d = decide(date="2024-01-10", item="nvidia-l20", parties=[exporter(), end_user("SENSETIME GROUP LIMITED", "HK")])
    assert "other_list" in flag_codes(d)


def test_transshipment_and_unknown_ownership_need_a_controlled_item_so_start_with_the_2022_rule(decide: Decide) -> None:
    hub = {"role": "intermediary", "name": "Example Pacific Trading Pte. Ltd.", "country": "SG"}
    parties = [exporter(), hub, end_user("Example KL AI Lab Sdn. Bhd.", "MY", headquarters="CN")]
    assert "transshipment" not in flag_codes(
        decide(date="2022-10-06", to="SG", item="nvidia-h100-sxm5", parties=parties)
    )
    assert "transshipment" in flag_codes(decide(date="2022-10-07", to="SG", item="nvidia-h100-sxm5", parties=parties))
    unknown = [exporter(), end_user("Example Beijing Cloud Services Co., Ltd.")]
    assert "unknown_ownership" not in flag_codes(decide(date="2022-10-06", item="nvidia-h100-sxm5", parties=unknown))
    assert "unknown_ownership" in flag_codes(decide(date="2022-10-07", item="nvidia-h100-sxm5", parties=unknown))


def test_possible_match_only_once_the_resembled_entry_is_listed(decide: Decide) -> None:
    """Cambricon was added to the Entity List by 87 FR 77505 (published 19 Dec 2022, effective 16 Dec 2022)."""
    parties = [exporter(), end_user("Cambrian Data Systems")]
    assert "possible_match" not in flag_codes(decide(date="2022-12-15", item="nvidia-l20", parties=parties))
    assert "possible_match" in flag_codes(decide(date="2022-12-16", item="nvidia-l20", parties=parties))


def test_other_list_and_denied_party_from_their_listing_dates(decide: Decide) -> None:
    """SenseTime Group on OFAC's NS-CMIC list (effective 8 Feb 2022); a Denied Persons order of 18 Apr 2023."""
    cmic = [exporter(), end_user("Sensetime Group Limited", "HK")]
    assert "other_list" not in flag_codes(decide(date="2022-02-07", item="nvidia-l20", parties=cmic))
    assert "other_list" in flag_codes(decide(date="2022-02-08", item="nvidia-l20", parties=cmic))
    dpl = [exporter(), end_user("DAMIAN ESPINOZA-GONZALEZ", "US")]
    assert "denied_party" not in flag_codes(decide(date="2023-04-17", to="US", item="nvidia-l20", parties=dpl))
    assert "denied_party" in flag_codes(decide(date="2023-04-18", to="US", item="nvidia-l20", parties=dpl))


def test_sanctioned_party_is_flagged_in_any_role(decide: Decide) -> None:
    d = decide(
        date="2024-01-10", item="nvidia-l20", parties=[exporter("BANCO NACIONAL DE CUBA"), end_user("Example Co")]
    )
    assert "sanctioned_party" in flag_codes(d)


def test_undetermined_classification_when_performance_density_decides_but_die_area_is_missing(decide: Decide) -> None:
    """2023 test: TPP 2000 datacenter part: a.2 / b.2 turn on PD, which needs the die area."""
    item = {
        "id": "no-die-area",
        "kind": "ic",
        "datacenter": True,
        "dense_tops": {"fp16": 125.0},
        "io_bandwidth_gbs": 700.0,
    }
    parties = [exporter(), end_user("Example Beijing Cloud Services Co., Ltd.")]
    # the 2022 test before: TPP 2000 < 4800, PD irrelevant
    before, after = on_days(decide, ("2023-11-16", "2023-11-17"), item=item, parties=parties)
    assert "undetermined_classification" not in flag_codes(before) and not before.license_required
    assert "undetermined_classification" in flag_codes(after) and after.license_required


def test_a_listed_party_in_a_sending_role_is_flagged_from_its_listing_date(decide: Decide) -> None:
    """The Entity List reaches receivers; a listed exporter or lessor is still shown to the reviewer."""
    parties = [exporter("IFLYTEK"), end_user("Example Co", "US")]
    before, after = on_days(decide, ("2019-10-08", "2019-10-09"), to="US", **{"from": "CN"}, item="nvidia-l20",
                            parties=parties)
    assert "listed_party" not in flag_codes(before)
    assert "listed_party" in flag_codes(after) and not after.license_required
