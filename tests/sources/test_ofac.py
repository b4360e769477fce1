"""OFAC legacy CSV files: SDN and the non-SDN consolidated list with USCC ids and "Linked To" parents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chipscreen.errors import InputError
from chipscreen.paths import data_dir
from chipscreen.sources import detect_format, parse_file

OFAC = data_dir() / "lists" / "ofac"


def test_non_sdn_list_has_huawei_with_its_uscc_and_linked_parents() -> None:
    folder = OFAC / "non_sdn_consolidated_2025-12"
    assert detect_format(folder) == "ofac-csv"
    ds = parse_file(folder)
    assert ds.rows_read == 443 - 1 or ds.rows_read == 442
    huawei = next(e for e in ds.entries if e.party.name == "HUAWEI TECHNOLOGIES CO., LTD.")
    assert huawei.listing.list_code == "CMIC"
    assert huawei.party.id == "ofac-30947"
    assert ("uscc", "914403001922038216") in {(i.scheme, i.value) for i in huawei.party.identifiers}
    assert huawei.party.country == "CN"
    holding = next(e for e in ds.entries if e.party.name == "HUAWEI INVESTMENT & HOLDING CO., LTD.")
    link = next(r for r in ds.relations if r.owned_id == holding.party.id)
    assert link.owner_name == "HUAWEI TECHNOLOGIES CO., LTD." and link.kind == "linked"
    assert {"HUAWEI INVESTMENT AND HOLDING CO., LTD."} <= {n.value for n in holding.party.names}


def test_sdn_files_read_names_aliases_addresses_and_remark_ids() -> None:
    ds = parse_file(OFAC / "sdn_2021-07" / "sdn.csv")
    assert ds.rows_read == 8976 and ds.list_codes == ["SDN"]
    bnc = next(e for e in ds.entries if e.party.id == "ofac-306")
    assert bnc.party.name == "BANCO NACIONAL DE CUBA"
    assert "NATIONAL BANK OF CUBA" in {n.value for n in bnc.party.names}
    assert "BNC" in {n.value for n in bnc.party.names}  # weak a.k.a. from the remarks
    assert bnc.party.country == "CH"
    assert any(r.kind == "linked" for r in ds.relations)
    people = sum(1 for e in ds.entries if e.party.kind == "person")
    assert people > 3000


def test_bad_row_names_file_line_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "ofac"
    shutil.copytree(OFAC / "non_sdn_consolidated_2025-12", folder)
    prim = folder / "cons_prim.csv"
    lines = prim.read_text().splitlines(keepends=True)
    lines[4] = '9999x,"BROKEN",-0- \n'
    prim.write_text("".join(lines))
    with pytest.raises(InputError, match=r"cons_prim\.csv:5: row: 3 cells, expected 12"):
        parse_file(folder)
    assert len(parse_file(folder, skip_bad_rows=True).skipped) == 1
