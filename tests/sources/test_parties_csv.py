"""The plain parties CSV (name,country[,id]) used for customer files and internal watch lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from chipscreen.errors import InputError
from chipscreen.model import Identifier
from chipscreen.names.screener import Screener
from chipscreen.sources import parse_file
from chipscreen.sources.base import ParsedDataset, build_entry
from chipscreen.store import Store

SAMPLE = ('name,country,id\n"Shanghai SenseTime Intelligent Technology Co., Ltd.",China,\n'
          "Acme GmbH,DE,529900T8BM49AURSDO55\nБелый Медведь ООО,RU,\n北京智谱华章科技有限公司,CN,91110108MA01J7XG53\n")


def test_reads_names_countries_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text(SAMPLE, encoding="utf-8")
    ds = parse_file(path)
    assert ds.parties is not None and ds.entry_count == 4 and ds.list_codes == ["PARTIES"]
    rows = ds.parties.to_pylist()
    assert [r["country"] for r in rows] == ["CN", "DE", "RU", "CN"]
    assert [r["id_scheme"] for r in rows] == [None, "lei", None, "uscc"]
    assert [r["script"] for r in rows] == ["Latin", "Latin", "Cyrillic", "Han"]


def test_a_parties_file_is_stored_as_entries_of_the_same_parties_would_be(tmp_path: Path) -> None:
    """The flat table skips the Entry objects, not what they would store."""
    path = tmp_path / "parties.csv"
    path.write_text(SAMPLE, encoding="utf-8")
    flat = parse_file(path, retrieved=dt.date(2026, 1, 1))
    assert flat.parties is not None
    entries = [build_entry(source=path.name, list_code="PARTIES", name=r["name"], country=r["country"],
                           identifiers=[Identifier(scheme=r["id_scheme"], value=r["id_value"])]
                           if r["id_value"] else [],
                           party_id=f"parties-{r['id_value']}" if r["id_value"] else None)
               for r in flat.parties.to_pylist()]
    objects = ParsedDataset(name=flat.name, format=flat.format, path=flat.path, sha256=flat.sha256,
                            retrieved=flat.retrieved, entries=entries, rows_read=flat.rows_read)
    assert _stored(tmp_path / "a", flat) == _stored(tmp_path / "b", objects)


def _stored(home: Path, ds: ParsedDataset) -> dict[str, list[tuple[Any, ...]]]:
    with Store(home) as store:
        store.load([ds])
        return {t: sorted(store.con.execute(f"SELECT * EXCLUDE (dataset_id) FROM {t}").fetchall(), key=repr)
                for t in ("entries", "names", "identifiers")}


def test_repeated_rows_are_one_party_with_each_spelling_once(tmp_path: Path) -> None:
    path = tmp_path / "dups.csv"
    path.write_text("name,country\n" + "Acme Widgets Ltd,CN\n" * 3000 + "ACME WIDGETS LTD.,CN\nacme widgets ltd,CN\n")
    ds = parse_file(path)
    assert ds.rows_read == 3002 and ds.entry_count == 1
    assert ds.parties is not None
    assert [(r["name"], r["name_kind"]) for r in ds.parties.to_pylist()] == [
        ("Acme Widgets Ltd", "primary"), ("ACME WIDGETS LTD.", "alias")]


def test_a_store_holding_repeated_entries_indexes_each_name_once(tmp_path: Path) -> None:
    """Issue 14 item 3: entries stored many times over (older stores) no longer join with each other."""
    entry = build_entry(source="t", list_code="PARTIES", name="Acme Widgets Ltd", country="CN")
    ds = ParsedDataset(name="t.csv", format="parties-csv", path="t.csv", sha256="3" * 64,
                       retrieved=dt.date(2026, 1, 1), entries=[entry])
    with Store(tmp_path / "home") as store:
        store.load([ds])
        with store.transaction() as con:
            for _ in range(9):  # as a store written before imports were deduplicated would hold them
                con.execute("INSERT INTO entries SELECT * FROM entries LIMIT 1")
                con.execute("INSERT INTO names SELECT * FROM names LIMIT 1")
        assert store.names_table().num_rows == 1
        assert Screener(store).screen("Acme Widgets Ltd").hit


def test_unknown_country_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "parties.csv"
    path.write_text("name,country\nAcme,Atlantis\n")
    with pytest.raises(InputError, match=r"parties\.csv:2: country: unknown country 'Atlantis'"):
        parse_file(path)


def test_one_huge_cell_is_one_bad_row_that_can_be_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("name,country\nAcme,CN\n" + "x" * (2 << 20) + ",CN\nBeta Corp,DE\n")
    with pytest.raises(InputError, match=r"big\.csv:3: line: longer than 1,048,576 characters"):
        parse_file(path)
    ds = parse_file(path, skip_bad_rows=True)
    assert ds.entry_count == 2 and [str(p) for p in ds.skipped] == [
        f"{path}:3: line: longer than 1,048,576 characters; left out"]


@pytest.mark.parametrize(("content", "problem"), [
    (b"", r"1: file: empty file"),
    ("name,country\nAcme,CN\n".encode("utf-16"), r"1: file: UTF-16 text; save it as UTF-8"),
    (b"name,country\n\x00\x00\x00", r"1: file: binary data"),
    (b"name,country\nAcme \xff\xfe Corp,CN\n" + b"a,b\n" * 2000, r"1: file: not UTF-8 text \(byte 0xff at offset 18\)"),
    (b"name,country\n" + b"a,b\n" * 2000 + b"Acme \xff Corp,CN\n", r"2002: text: not UTF-8 \(byte 0xff at column 6\)"),
])
def test_what_is_not_utf8_text_is_refused_by_line(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=rf"x\.csv:{problem}"):
        parse_file(path, fmt="parties-csv")
