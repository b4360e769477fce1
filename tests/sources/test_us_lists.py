"""The 2026-07 US list files, read from the copies the product ships."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from chipscreen.errors import InputError
from chipscreen.paths import data_dir
from chipscreen.sources import parse_file
from chipscreen.sources.us_lists import entity_list_footnotes

US = data_dir() / "lists" / "us_lists_2026-07"


def test_entity_list_has_every_entry_dated_from_its_earliest_rule_taking_effect() -> None:
    ds = parse_file(US / "bis_entity_list.json")
    assert ds.rows_read == 3409 and len(ds.entries) == 3409
    assert ds.retrieved == dt.date(2026, 7, 9)
    by_name = {e.party.name: e for e in ds.entries}
    iflytek = by_name["IFLYTEK"]
    assert iflytek.listing.list_code == "EL"
    assert iflytek.party.country == "CN"
    assert iflytek.listing.start_date == dt.date(2019, 10, 9)
    assert iflytek.listing.footnotes == [4]
    biren = by_name["Shanghai Biren Intelligent Technology Co., Ltd."]
    assert biren.listing.start_date == dt.date(2023, 10, 17)  # 88 FR 71991: effective 17 Oct, published 19 Oct
    assert {n.value for n in biren.party.names} >= {"Biren", "Biren Technology"}
    sensetime = by_name["Beijing Sensetime Technology Development Co., Ltd."]
    assert "Sense Time" in {n.value for n in sensetime.party.names}
    dated = sum(1 for e in ds.entries if e.listing.start_date)
    assert dated / len(ds.entries) > 0.99


def test_huawei_keeps_its_fdp_footnotes_1_and_2_and_its_addresses() -> None:
    ds = parse_file(US / "bis_entity_list.json")
    huawei = next(e for e in ds.entries if e.party.name == "Huawei Technologies Co., Ltd.")
    assert huawei.listing.footnotes == [1, 2]
    assert huawei.listing.start_date == dt.date(2019, 5, 16)  # 84 FR 22961: effective 16 May, published 21 May
    assert len(huawei.party.addresses) > 3


@pytest.mark.parametrize(
    ("notes", "footnotes"),
    [
        ("For all items subject to the EAR. (See §§ 734.9(e)(2) and 744.11 of the EAR) 4", [4]),
        ("For all items subject to the EAR, see §§ 734.9(e) 1 and 744.11 of the EAR 2", [1, 2]),
        ("For all items subject to the EAR. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR)", [3]),
        ("For all items subject to the EAR (See §§ 734.4(a)(9), 734.9(e)(3), and 744.11 of the EAR) 5", [5]),
        ("For all items subject to the EAR. (See § 744.11 of the EAR)", []),
        ("For items on the CCL and EAR99 items listed in supplement no. 7 to part 746 of the EAR", []),
    ],
)
def test_fdp_footnotes_are_read_without_mistaking_section_numbers(notes: str, footnotes: list[int]) -> None:
    assert entity_list_footnotes(notes) == footnotes


def test_cmic_entries_carry_their_uscc_codes() -> None:
    ds = parse_file(US / "ofac_nscmic.json")
    assert len(ds.entries) == 68
    ids = {i.value for e in ds.entries for i in e.party.identifiers if i.scheme == "uscc"}
    assert "91110000MA005UCQ5P" in ids


@pytest.mark.parametrize("name", sorted(p.name for p in US.glob("*.json") if p.name != "lists.json"))
def test_every_shipped_list_parses_with_its_record_count(name: str) -> None:
    doc = json.loads((US / name).read_text())
    ds = parse_file(US / name)
    assert ds.rows_read == doc["count"] == len(ds.entries)


def test_truncated_json_names_the_line(tmp_path: Path) -> None:
    text = (US / "bis_meu.json").read_text()
    bad = tmp_path / "bis_meu.json"
    bad.write_text(text[: len(text) // 2])
    with pytest.raises(InputError) as err:
        parse_file(bad)
    assert str(err.value).startswith(f"{bad}:")
    assert "JSON" in str(err.value)


def test_an_entry_without_a_name_fails_the_file_unless_skipped(tmp_path: Path) -> None:
    doc = json.loads((US / "bis_meu.json").read_text())
    doc["entities"][3]["name"] = ""
    bad = tmp_path / "meu.json"
    bad.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=r"entities\[3\]\.name: missing"):
        parse_file(bad)
    ds = parse_file(bad, skip_bad_rows=True)
    assert len(ds.entries) == 69 and len(ds.skipped) == 1
