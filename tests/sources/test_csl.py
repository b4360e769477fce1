"""The trade.gov Consolidated Screening List (CSV export and JSON shape)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from chipscreen.errors import InputError
from chipscreen.paths import data_dir
from chipscreen.sources import detect_format, parse_file
from chipscreen.sources.csl import list_code, split_multi, split_name

CSL = data_dir() / "lists" / "csl_consolidated_2022-04.csv"


@pytest.fixture(scope="module")
def csl():  # type: ignore[no-untyped-def]
    return parse_file(CSL)


def test_all_rows_and_all_13_sources_are_read(csl) -> None:  # type: ignore[no-untyped-def]
    assert detect_format(CSL) == "csl-csv"
    assert csl.rows_read == 14160
    assert set(csl.list_codes) == {
        "SDN",
        "EL",
        "DTC",
        "DPL",
        "SSI",
        "UVL",
        "ISN",
        "PLC",
        "MEU",
        "CMIC",
        "CAP",
        "NS-MBS",
        "FSE",
    }
    assert csl.retrieved == dt.date(2022, 4, 21)  # newest start_date when no date is given


def test_affiliated_entity_text_becomes_an_entry_with_a_parent_link(csl) -> None:  # type: ignore[no-untyped-def]
    marine = next(e for e in csl.entries if e.party.name == "Huawei Marine Networks Co., Ltd.")
    assert {"HMN Technologies", "Huawei Marine"} <= {n.value for n in marine.party.names}
    link = next(r for r in csl.relations if r.owned_id == marine.party.id)
    assert link.owner_name == "Huawei Technologies Co., Ltd."
    assert link.kind == "affiliate"
    assert "Affiliated Entity" in (link.evidence or "")


def test_sdn_rows_use_ofac_entity_numbers_as_ids(csl) -> None:  # type: ignore[no-untyped-def]
    sensetime = next(e for e in csl.entries if e.party.name == "SENSETIME GROUP LIMITED")
    assert sensetime.listing.list_code == "CMIC"
    assert sensetime.party.id == "ofac-33114"
    assert sensetime.party.country == "CN"
    assert any(i.scheme == "registration" and i.value == "2162198" for i in sensetime.party.identifiers)


def test_multi_valued_cells_and_name_text() -> None:
    assert split_multi("Beijing Shangtang Technology Development Co., Ltd., and Sense Time") == [
        "Beijing Shangtang Technology Development Co., Ltd.",
        "Sense Time",
    ]
    assert split_multi("Huawei Marine; HMN Technologies") == ["Huawei Marine", "HMN Technologies"]
    assert split_name("Far East Trading Company, Inc. (a.k.a. FETCO, Inc.)")[:2] == (
        "Far East Trading Company, Inc.",
        ["FETCO, Inc."],
    )
    assert list_code("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department") == "NS-MBS"


def test_json_shape_reads_like_the_csv(tmp_path: Path) -> None:
    with CSL.open(newline="", encoding="utf-8") as fh:
        rows = [r for _, r in zip(range(300), csv.DictReader(fh), strict=False)]
    for r in rows:
        r["alt_names"] = split_multi(r["alt_names"])
    path = tmp_path / "csl.json"
    path.write_text(json.dumps({"total": len(rows), "results": rows}))
    assert detect_format(path) == "csl-json"
    ds = parse_file(path)
    assert ds.rows_read == 300


def _write_lines(path: Path, lines: list[str]) -> None:
    path.write_text("".join(lines), encoding="utf-8")


def test_broken_quote_fails_with_the_line(tmp_path: Path) -> None:
    lines = CSL.read_text(encoding="utf-8").splitlines(keepends=True)[:40]
    lines[20] = lines[20].replace('"', "", 1)[:-1] + ',"unterminated\n'
    bad = tmp_path / "consolidated.csv"
    _write_lines(bad, lines)
    with pytest.raises(InputError) as err:
        parse_file(bad)
    assert f"{bad}:" in str(err.value)


def test_wrong_column_count_is_reported_and_skippable(tmp_path: Path) -> None:
    lines = CSL.read_text(encoding="utf-8").splitlines(keepends=True)[:40]
    lines[10] = lines[10].rstrip("\n") + ',"extra"\n'
    bad = tmp_path / "consolidated.csv"
    _write_lines(bad, lines)
    with pytest.raises(InputError, match=r"consolidated\.csv:11: row: 30 cells, header has 29"):
        parse_file(bad)
    ds = parse_file(bad, skip_bad_rows=True)
    assert ds.rows_read == 39 and len(ds.skipped) == 1


def test_missing_name_column_is_a_header_error(tmp_path: Path) -> None:
    bad = tmp_path / "c.csv"
    bad.write_text("_id,source,entity_number\n1,Entity List (EL) - BIS,\n")
    with pytest.raises(InputError, match="header: missing column"):
        parse_file(bad, fmt="csl-csv")


def test_api_json_with_address_and_id_objects(tmp_path: Path) -> None:
    record = {
        "source": "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
        "entity_number": "30947", "type": "Entity", "name": "HUAWEI TECHNOLOGIES CO., LTD.",
        "addresses": [{"address": "Bantian, Longgang District", "city": "Shenzhen", "country": "CN"}],
        "alt_names": ["HUAWEI"],
        "ids": [{"type": "Unified Social Credit Code (USCC)", "number": "914403001922038216", "country": "CN"},
                {"type": "Listing Date (CMIC)", "number": "03 Jun 2021"}],
        "start_date": None, "end_date": None,
    }
    path = tmp_path / "csl.json"
    path.write_text(json.dumps({"total": 1, "results": [record]}))
    entry = parse_file(path).entries[0]
    assert entry.party.id == "ofac-30947" and entry.party.country == "CN"
    assert [(i.scheme, i.value) for i in entry.party.identifiers] == [("uscc", "914403001922038216")]
    assert {n.value for n in entry.party.names} == {"HUAWEI TECHNOLOGIES CO., LTD.", "HUAWEI"}
