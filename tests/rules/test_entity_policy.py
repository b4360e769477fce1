"""The Entity List's per-entry review-policy column (data/lists/entity_list_review_policies.yaml)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml
from chipscreen.rules.entity_policy import entity_policy, parse_entity_policies, unverified_marks


def test_smic_is_case_by_case_except_items_for_10_nm_and_below() -> None:
    smic = entity_policy("Semiconductor Manufacturing International Corporation (SMIC)")
    assert smic is not None and smic.policy == "case_by_case" and smic.verified
    assert "10 nanometers and below" in smic.text and "85 FR 83416" in smic.citation


def test_huawei_entries_and_the_2019_surveillance_companies_are_presumption_of_denial() -> None:
    for name in ("Huawei Technologies Co., Ltd.", "Huawei Cloud Argentina", "IFLYTEK", "Megvii Technology"):
        pol = entity_policy(name)
        assert pol is not None and pol.policy == "presumption_of_denial", name
    assert "1A004.c" in (entity_policy("IFLYTEK") or pytest.fail("no IFLYTEK row")).text


def test_later_entries_from_announcements_are_marked_unverified() -> None:
    biren = entity_policy("Beijing Biren Technology Development Co., Ltd.")
    assert biren is not None and biren.policy == "presumption_of_denial" and not biren.verified


def test_an_entry_not_in_the_table_has_no_column() -> None:
    assert entity_policy("Example Unlisted Co., Ltd.") is None


def test_a_row_without_a_known_policy_names_file_and_row(edited: Callable[[Path, str, str], Path]) -> None:
    bad = edited(data_dir() / "lists" / "entity_list_review_policies.yaml", "policy: case_by_case", "policy: maybe")
    with pytest.raises(DataError) as exc:
        parse_entity_policies(read_yaml(bad), str(bad))
    assert exc.value.key == "entries[1].policy"


def test_the_supercomputing_centres_hygon_hisilicon_and_jinhua_read_from_the_2022_list_are_verified() -> None:
    for name in (
        "National Supercomputing Center Wuxi",
        "National Supercomputing Center Tianjin (NSCC-TJ)",
        "Shanghai High-Performance Integrated Circuit Design Center",
        "Chengdu Haiguang Integrated Circuit",
        "Wuxi Jiangnan Institute of Computing Technology",
        "Shanghai HiSilicon Technologies Co., Ltd.",
        "Fujian Jinhua Integrated Circuit Company, Ltd.",
    ):
        pol = entity_policy(name)
        assert pol is not None and pol.policy == "presumption_of_denial" and pol.verified, name


def test_inspur_sophgo_and_zhipu_entries_are_denied_but_unverified() -> None:
    for name in (
        "Inspur Group Co., Ltd.",
        "Inspur Software Co., Ltd.",
        "Sophgo Technologies Ltd.",
        "Beijing Zhipu Huazhang Technology Co., Ltd.",
    ):
        pol = entity_policy(name)
        assert pol is not None and pol.policy == "presumption_of_denial" and not pol.verified, name
    inspur = entity_policy("Inspur Electronic Information Industry Co., Ltd.")
    assert inspur is not None and "90 FR 14046" in inspur.citation


def test_every_name_in_the_table_is_an_entry_of_the_bundled_entity_list() -> None:
    """A name with a comma in a YAML flow list splits in two ('... Co.' and 'Ltd.'): the entry then silently
    keeps the list default. Every exact name and fragment must meet a primary name of the bundled list."""
    raw = read_yaml(data_dir() / "lists" / "entity_list_review_policies.yaml")
    listed = json.loads((data_dir() / "lists" / "us_lists_2026-07" / "bis_entity_list.json").read_text("utf-8"))
    primary = {e["name"].strip().casefold() for e in listed["entities"]}
    for row in raw["entries"]:
        missing = [n for n in row.get("names", []) if n.casefold() not in primary]
        missing += [f for f in row.get("names_containing", []) if not any(f.casefold() in p for p in primary)]
        assert missing == [], row["id"]
    assert entity_policy("Beijing Sensetime Technology Development Co., Ltd.") is not None


def test_unverified_marks_name_what_a_listing_reason_rests_on_without_the_primary_text() -> None:
    assert unverified_marks({"listed_since_verified": True, "review_policy_verified": True}) == ""
    assert unverified_marks({}) == ""  # no column and no table row: nothing claimed, nothing to mark
    both = unverified_marks({"listed_since_verified": False, "review_policy_verified": False})
    assert "start date unverified; review policy unverified" in both
