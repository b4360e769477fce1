"""trade.gov's CSL JSON download, in the shape it serves today ({"results": [{id, source, entity_number, ...,
addresses: [{address, city, state, postal_code, country}], ids: [{type, number, country, issue_date,
expiration_date}]}]}): read record by record, to the same entries as the CSV of the same rows, with every
problem located by line, however the file is cut into chunks."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from chipscreen.errors import InputError
from chipscreen.sources import detect_format, json_records, parse_file
from chipscreen.sources.base import ParsedDataset
from chipscreen.sources.json_records import JsonRecords

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from csl_json_shape import csv_rows, record, write_json  # the benchmark's writer: one home for the shape


def _comparable(ds: ParsedDataset) -> dict[str, Any]:
    return {e.party.id + "/" + e.listing.list_code: (e.party, e.listing.model_copy(update={"source": ""}))
            for e in ds.entries}


@pytest.fixture(scope="module")
def rows(shared_data: Path) -> list[dict[str, str]]:
    """The 2022-04 CSL's first 2,000 rows but those whose address cell holds ", and " (which the CSV
    splits and the JSON keeps whole, the JSON rightly)."""
    out = []
    for row in csv_rows(shared_data / "csl" / "consolidated_2022-04.csv"):
        if ", and " not in row["addresses"]:
            out.append(row)
        if len(out) == 2000:
            return out
    raise AssertionError("the sample has 2,000 rows")


def _write_csv(rows: list[dict[str, str]], path: Path) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_download_reads_to_the_entries_of_the_csv(rows: list[dict[str, str]], tmp_path: Path) -> None:
    as_json = tmp_path / "consolidated.json"
    write_json(rows, as_json)
    assert detect_format(as_json) == "csl-json"
    from_json = parse_file(as_json)
    from_csv = parse_file(_write_csv(rows, tmp_path / "consolidated.csv"))
    assert from_json.rows_read == from_csv.rows_read == 2000
    assert _comparable(from_json) == _comparable(from_csv)
    assert from_json.relations == [r.model_copy(update={"source": "consolidated.json"}) for r in from_csv.relations]


def test_record_boundaries_at_every_chunk_size_read_the_same(
    rows: list[dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "consolidated.json"
    write_json(rows[:200], path)
    whole = _comparable(parse_file(path))
    for chunk in (7, 64, 1000, 4093):
        monkeypatch.setattr(json_records, "CHUNK", chunk)
        assert _comparable(parse_file(path)) == whole, chunk


def test_each_record_carries_the_line_it_starts_on() -> None:
    text = '{"total": 3,\n "results": [\n  {"a": 1},\n  {"b":\n   2},\n\n  {"c": [1,\n 2]}\n ],\n "x": {}}\n'
    for chunk in (1, 3, 1 << 20):
        json_records.CHUNK, saved = chunk, json_records.CHUNK
        try:
            got = list(JsonRecords(io.BytesIO(text.encode()), "f.json"))
        finally:
            json_records.CHUNK = saved
        assert got == [(3, {"a": 1}), (4, {"b": 2}), (7, {"c": [1, 2]})], chunk


def test_a_bare_array_of_records_is_read_too(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    path = tmp_path / "csl.json"
    path.write_text(json.dumps([record(r) for r in rows[:5]], indent=1), encoding="utf-8")
    assert parse_file(path, fmt="csl-json").rows_read == 5


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"results": [\n {"name": "A"},\n {"name": "B"\n', r"csl\.json:4: JSON: Expecting ',' delimiter \(column 1\)"),
        ('{"results": [\n {"name": "A"},\n {"name": "B"}\n', r"csl\.json:4: JSON: expected ',' or '\]'"),
        ('{"results": [\n {"name": "A"},\n {"name": "B\n', r"csl\.json:3: JSON: Invalid control character"),
        ('{"results": [\n {"name": "A"}\n]}\n]', r"csl\.json:4: JSON: text after the end of the document"),
        ('{"results": [\n {"name": "A"}\n,,]}', r"csl\.json:3: JSON: Expecting value"),
    ],
)
def test_a_truncated_or_malformed_file_is_refused_with_its_line(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "csl.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=where):
        parse_file(path, fmt="csl-json")


def test_a_bad_record_is_named_by_its_line_and_skippable(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    path = tmp_path / "csl.json"
    records = [record(r) for r in rows[:4]]
    records[2]["start_date"] = "the day after tomorrow"
    path.write_text('{"results": [\n' + ",\n".join(json.dumps(r) for r in records[:3]) + ',\n"not a record",\n'
                    + json.dumps(records[3]) + "\n]}\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_file(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:4: start_date/end_date: not a date: 'the day after tomorrow'",
        f"{path}:5: record: not a JSON object: 'not a record'",
    ]
    assert parse_file(path, skip_bad_rows=True).rows_read == 5


def test_an_object_without_results_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "csl.json"
    path.write_text('{"total": 0, "sources": [{"source": "x"}]}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"csl\.json:1: results: expected a JSON array"):
        parse_file(path, fmt="csl-json")
