"""Country groups as dated data, and destination scope on both sides of every group boundary (§3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_helpers import chip, d

from chipscreen.errors import InputError
from chipscreen.rules import country_groups, license_requirement

H100 = "nvidia-h100-sxm5"


def needs_licence(dest: str, day: str, item: str = H100, **kw: str) -> bool:
    return license_requirement(chip(item), dest, d(day), **kw).license_required


def test_membership_of_the_groups_the_rules_name() -> None:
    g, day = country_groups(), d("2024-01-01")
    assert {"IL", "SG", "TW", "CY"} <= g.members("A:6", day)
    assert "IL" in g.members("D:4", day) and "AE" in g.members("D:4", day) and "SA" in g.members("D:4", day)
    assert "NO" in g.members("A:5", day)  # YAML 1.1 reads a bare NO as false: must be quoted in the data
    assert {"CN", "MO", "RU", "VN"} <= g.members("D:1", day)
    assert "CN" in g.members("D:5", day) and "MO" not in g.members("D:5", day)
    assert g.members("Macau", day) == {"MO"}
    assert len(g.members("AI Diffusion Tier 1", day)) == 19  # the US + 18


def test_hong_kong_is_treated_as_china() -> None:
    g = country_groups()
    assert g.canonical("HK", d("2024-01-01")) == "CN"
    assert g.canonical("hk", d("2024-01-01")) == "CN"
    assert g.canonical("HK", d("2020-01-01")) == "HK"  # before the 2020 change
    assert "D:5" in g.groups_of("HK", d("2024-01-01"))


def test_bad_destination_code_is_an_input_error() -> None:
    with pytest.raises(InputError, match="destination"):
        country_groups().canonical("China", d("2024-01-01"))


def test_cambodia_is_in_d5_from_the_2021_rule_until_state_lifts_the_embargo_unverified() -> None:
    g = country_groups()
    assert "KH" not in g.members("D:5", d("2021-12-08"))
    assert "KH" in g.members("D:5", d("2021-12-09"))  # 86 FR 70015
    assert "KH" in g.members("D:5", d("2025-11-06"))
    assert "KH" not in g.members("D:5", d("2025-11-07"))  # State's 126.1 removal controls D:5
    assert "KH" in g.members("D:1", d("2025-11-07"))  # D:1 is unchanged
    assert any("unverified" in c for c in g.caveats("KH", d("2025-11-07")))


def test_nicaragua_joins_d1_and_d5_on_2024_03_15() -> None:
    g = country_groups()
    for group in ("D:1", "D:5"):
        assert "NI" not in g.members(group, d("2024-03-14"))
        assert "NI" in g.members(group, d("2024-03-15"))  # 89 FR 18780
    assert not needs_licence("NI", "2024-03-14")  # Country Group B: outside the 3A090 scope
    assert needs_licence("NI", "2024-03-15")


def test_the_countries_744_21_names_join_on_their_own_dates() -> None:
    """744.21 names countries, each from its own rule (issue 13, item 3): Burma 8 Mar 2021 and Belarus 2 Mar 2022
    (secondary sources, unverified), Cambodia 9 Dec 2021 (86 FR 70015), Nicaragua 15 Mar 2024 (89 FR 18780)."""
    g = country_groups()
    group = "Military end use (744.21)"
    for code, first in (("MM", "2021-03-08"), ("KH", "2021-12-09"), ("BY", "2022-03-02"), ("NI", "2024-03-15")):
        day_before = d(first).fromordinal(d(first).toordinal() - 1)
        assert code not in g.members(group, day_before) and code in g.members(group, d(first)), code
    assert {"CN", "RU", "VE"} <= g.members(group, d("2020-06-29")) and "IR" not in g.members(group, d("2025-01-01"))


def test_ethiopia_is_in_d5_through_itar_126_1_from_2021_11_01() -> None:
    g = country_groups()
    assert "ET" not in g.members("D:5", d("2021-10-31"))
    assert "ET" in g.members("D:5", d("2021-11-01"))
    assert not needs_licence("ET", "2023-11-16")  # the 2022 scope was China only
    assert needs_licence("ET", "2023-11-17")  # D:5 in the October 2023 scope


def test_each_dated_row_shows_its_own_citation_and_whether_it_is_verified() -> None:
    rows = {r["code"]: r for r in country_groups().as_dict(d("2025-12-01"))["D:5"]["dated_or_uncertain"]}
    assert "89 FR 18780" in rows["NI"]["citation"] and rows["NI"]["verified"] and rows["NI"]["member_on_date"]
    assert rows["KH"]["until"] == d("2025-11-06") and not rows["KH"]["verified"]
    assert not rows["KH"]["member_on_date"]


# ------------------------------------------------------------------ scope on both sides of each boundary
def test_2022_scope_china_and_hong_kong_only() -> None:
    assert not needs_licence("CN", "2022-10-06")
    assert needs_licence("CN", "2022-10-07")
    assert needs_licence("HK", "2022-10-07")
    assert not needs_licence("AE", "2023-11-16")
    assert not needs_licence("RU", "2023-11-16")  # the 3A090 RS scope; Russia had its own sanctions


def test_macau_joins_on_2023_01_17() -> None:
    assert not needs_licence("MO", "2023-01-16")
    assert needs_licence("MO", "2023-01-17")


def test_uae_and_saudi_arabia_join_with_the_2023_scope() -> None:
    for dest in ("AE", "SA", "VN"):
        assert not needs_licence(dest, "2023-11-16")
        assert needs_licence(dest, "2023-11-17")


def test_israel_is_in_d4_but_excluded_as_a6() -> None:
    assert not needs_licence("IL", "2023-11-17")
    assert not needs_licence("IL", "2026-06-01")
    assert not needs_licence("FR", "2026-06-01")


def test_2023_scope_reason_names_the_scope() -> None:
    res = license_requirement(chip(H100), "AE", d("2024-01-01"))
    (reason,) = res.reasons
    assert reason.code == "destination" and "88 FR 73458" in reason.citation
    assert reason.evidence["destination"] == "AE" and "A:6" in reason.evidence["scope"]
    assert "D:4" in res.destination_groups


def test_hbm_scope_is_d5_and_macau_from_the_compliance_date() -> None:
    hbm = "hbm3-stack-819"
    assert not needs_licence("CN", "2024-12-30", hbm)  # effective 2024-12-02, compliance from 2024-12-31
    assert needs_licence("CN", "2024-12-31", hbm)
    assert needs_licence("MO", "2024-12-31", hbm)
    assert not needs_licence("AE", "2024-12-31", hbm)  # D:4 but not D:5


def test_headquarters_rule_follows_d5_membership() -> None:
    # A Cambodia-headquartered buyer in Malaysia: caught while KH is in D:5, not after.
    assert needs_licence("MY", "2025-11-06", headquarters="KH")
    assert not needs_licence("MY", "2025-11-07", headquarters="KH")


# ------------------------------------------------------------------ properties

ALL_CODES = sorted(
    {m.code for ms in country_groups().groups.values() for m in ms} | {"HK", "DE", "BR", "MY", "CL", "KE"}
)


@settings(max_examples=200, deadline=None)
@given(code=st.sampled_from(ALL_CODES), ordinal=st.integers(d("2023-11-17").toordinal(), d("2027-12-31").toordinal()))
def test_2023_destination_scope_is_d1_d4_d5_macau_minus_a5_a6(code: str, ordinal: int) -> None:
    day = d("2023-11-17").fromordinal(ordinal)
    g = country_groups()
    c = g.canonical(code, day)
    inside = {*g.members("D:1", day), *g.members("D:4", day), *g.members("D:5", day), "MO"}
    outside = {*g.members("A:5", day), *g.members("A:6", day)}
    res = license_requirement(chip(H100), code, day)
    assert any(r.code == "destination" for r in res.reasons) is (c in inside - outside)


def test_invariants_for_every_rulebook_item_and_destination() -> None:
    from chipscreen.rules import catalog, classify, list_rulebooks

    for rb in list_rulebooks():
        day = rb.effective or d("2026-06-01")
        for e in catalog():
            cls = classify(e.item, day, rb)
            for code in ALL_CODES:
                res = license_requirement(e.item, code, day, rulebook=rb, classification=cls, exporter="NVIDIA")
                assert res.license_required is bool(res.reasons)
                if not res.license_required:
                    assert res.review_policy is None and res.license_exceptions == []
                if code == "HK" and day >= d("2021-01-01"):
                    cn = license_requirement(e.item, "CN", day, rulebook=rb, classification=cls, exporter="NVIDIA")
                    assert (res.license_required, res.review_policy) == (cn.license_required, cn.review_policy)


# ------------------------------------------------------------------ what other packages ask of the groups
def test_treated_as_answers_the_country_a_headquarters_counts_as() -> None:
    g = country_groups()
    assert g.treated_as("HK", d("2024-01-01")) == "CN"
    assert g.treated_as(" hk", d("2024-01-01")) == "CN"
    assert g.treated_as("HK", d("2020-12-22")) == "HK" and g.treated_as("HK", d("2020-12-23")) == "CN"
    assert g.treated_as("MO", d("2024-01-01")) == "MO"  # Macau stays separate: named in every scope
    assert g.treated_as("de", d("2024-01-01")) == "DE"
    assert g.treated_as("Hong Kong", d("2024-01-01")) == "HONG KONG"  # free text is screened as written


def test_every_membership_row_carries_its_own_date_range() -> None:
    from chipscreen.dates import DateRange

    g = country_groups()
    kh = next(m for m in g.groups["D:5"] if m.code == "KH")
    assert kh.span == DateRange(d("2021-12-09"), d("2025-11-06")) and kh.until == d("2025-11-06")
    assert all(isinstance(m.span, DateRange) for ms in g.groups.values() for m in ms)
    assert g.mappings["HK"].span == DateRange(d("2020-12-23"), None)


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ("members: [MO]", "members: [Macau]", "groups.Macau.members[0]", "not an ISO alpha-2 code: 'Macau'"),
        ("{code: KH, from: 2021-12-09,", '{code: KH, from: "2021-12-32",', "groups.D:5.members[21].from",
         "not an ISO date (YYYY-MM-DD): '2021-12-32'"),
        ("    as: CN\n", "", "treated_as.HK.as", "missing"),
        ("{code: CU, confidence: L,", "{code: CU, confidence: X,", "groups.D:1.members[26].confidence",
         "unknown confidence 'X'; expected one of H, M, L"),
        ("members: [RU]", "members: RU", "groups.Russia.members", "Input should be a valid list, got 'RU'"),
    ],
)
def test_a_bad_country_groups_file_names_file_and_key(
    edited: Callable[[Path, str, str], Path], old: str, new: str, key: str, problem: str
) -> None:
    from chipscreen.errors import DataError
    from chipscreen.paths import data_dir
    from chipscreen.rules.countries import country_groups as load

    path = edited(data_dir() / "country_groups.yaml", old, new)
    with pytest.raises(DataError) as exc:
        load(path)
    assert (exc.value.file, exc.value.key, exc.value.problem) == (str(path), key, problem)
