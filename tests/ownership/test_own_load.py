"""Loading: format detection, resolution to listed parties, bad input reported with file:line, atomicity."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from own_helpers import add_lists, status, write_csv

from chipscreen.errors import InputError
from chipscreen.ownership import load as own_load
from chipscreen.ownership.tables import ownership_tables
from chipscreen.store import Store


def _counts(store: Store) -> tuple[int, int, int]:
    tables = ownership_tables(store)
    tables.create()
    return tables.counts()


@pytest.mark.parametrize("row,field,fragment", [
    ("A,B,abc,,", "percent", "not a number"),
    ("A,B,-5,,", "percent", "negative"),
    ("A,B,120,,", "percent", "above 100"),
    ("A,A,50,,", "owned", "self-ownership"),
    ("A,B,50,03/04/2020,", "start", "unknown date format"),
    ("A,B,50,2020-01-01,2019-01-01", "end", "before it starts"),
    ("A,B,50,2020-13-01,", "start", "unknown date format"),
    (",B,50,,", "owner", "empty"),
])
def test_bad_rows(row: str, field: str, fragment: str, store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", ["Good Co,Other Co,10,,", row])
    with pytest.raises(InputError) as exc:
        own_load.load(store, path)
    problem = exc.value.problems[0]
    assert problem.line == 3 and problem.field == field and fragment in problem.problem
    assert f"{path}:3: {field}:" in str(exc.value)


def test_total_above_100_for_one_company(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "over.csv", ["A,T,60,,", "B,T,50,,", "C,U,60,2010-01-01,2011-01-01",
                                             "D,U,60,2012-01-01,"])
    with pytest.raises(InputError) as exc:
        own_load.load(store, path)
    assert len(exc.value.problems) == 1  # U's stakes never overlap in time
    assert "110%" in exc.value.problems[0].problem and "lines 2, 3" in exc.value.problems[0].problem


def test_failed_load_leaves_store_unchanged(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own_load.load(store, write_csv(tmp_path / "ok.csv", ["A,B,60,,"]))
    before = _counts(store)
    with pytest.raises(InputError):
        own_load.load(store, write_csv(tmp_path / "bad.csv", ["A,C,60,,", "C,C,1,,"]))
    assert _counts(store) == before
    # A failure half-way through the write (after parties were inserted) rolls back too.
    parsed = own_load.parse(write_csv(tmp_path / "ok2.csv", ["E,F,60,,"]))
    parsed.edges = parsed.edges.drop_columns(["evidence"])  # breaks the edge insert, after the party insert
    with pytest.raises(Exception):  # noqa: B017 - any DuckDB error
        own_load.write(store, parsed)
    assert _counts(store) == before


def test_reload_is_a_no_op(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", ["A,B,60,,"])
    own_load.load(store, path)
    before = _counts(store)
    assert own_load.load(store, path).already_loaded
    assert _counts(store) == before


def test_resolution_to_listed_by_id_and_normalised_name(store: Store, tmp_path: Path) -> None:
    add_lists(store, [("EL", "Huawei Technologies Co., Ltd.", {"party_id": "el-huawei"}), ("EL", "Other Corp")])
    path = write_csv(
        tmp_path / "ids.csv",
        ["HUAWEI TECHNOLOGIES CO LTD,Sub One,60,,,,", "Whatever Name,Sub Two,60,,,el-huawei,",
         "Other Corporation,Sub Three,60,,,,"],
        header="owner,owned,percent,start,end,owner_id,owned_id",
    )
    summary = own_load.load(store, path)
    assert summary.parties_matched == {"list_id": 1, "list_name": 2}
    assert status(store, "Sub One").regimes["bis_affiliates"].captured
    assert status(store, "Sub Two").regimes["bis_affiliates"].captured
    assert status(store, "el-huawei").is_listed
    # "Other Corporation" is not "Other Corp": legal forms are stripped, but "corporation" -> "" as well,
    # so both normalise to "other"; exact normalised equality is the rule.
    assert status(store, "Sub Three").regimes["bis_affiliates"].captured


def test_optional_columns_countries_and_hq(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "hq.csv", ["Parent HK,Child,100,,,HK,US,Hong Kong,US"],
                     header="owner,owned,percent,start,end,owner_country,owned_country,owner_hq,owned_hq")
    own_load.load(store, path)
    up = status(store, "Child").ultimate_parent
    assert up is not None and up.name == "Parent HK" and up.hq_country == "HK" and up.hq_country_for_test == "CN"
    with pytest.raises(InputError, match="unknown country"):
        own_load.load(store, write_csv(tmp_path / "badc.csv", ["A,B,10,,,Atlantis"],
                                       header="owner,owned,percent,start,end,owner_country"))


def test_format_detection(tmp_path: Path) -> None:
    shared = Path("/work/shared/data")
    assert own_load.detect_format(shared / "ownership/gleif-rr-cdf-sample-2019.csv") == "gleif"
    assert own_load.detect_format(shared / "ownership/gleif-lei-cdf-sample-2019.csv") == "gleif"
    assert own_load.detect_format(shared / "ownership/bods-0.4-example-multiple-indirect-ownership.json") == "bods"
    assert own_load.detect_format(shared / "opensanctions_ftm/zala_entities.ftm.json") == "ftm"
    assert own_load.detect_format(write_csv(tmp_path / "x.csv", ["A,B,1,,"])) == "csv"
    (tmp_path / "junk.txt").write_text("hello\n")
    with pytest.raises(InputError, match="cannot tell"):
        own_load.detect_format(tmp_path / "junk.txt")
    with pytest.raises(InputError, match="missing column"):
        own_load.parse(write_csv(tmp_path / "y.csv", ["A,B"], header="owner,owned"), "csv")


@pytest.mark.parametrize(("damage", "expected"), [
    ("a,b,c\n", r":6: row: 3 cells, header has 54; nothing was imported"),
    ('x,"unterminated,\n', r":\d+: CSV: unexpected end of data; nothing was imported"),
    ("\x01\x7f garbage without commas\n", r":6: row: 1 cells, header has 54; nothing was imported"),
])
def test_a_malformed_gleif_file_names_its_line_not_the_sniffer(shared: Path, tmp_path: Path, damage: str,
                                                               expected: str) -> None:
    """Issue 14 item 21: DuckDB's CSV sniffer reported a page of its search space, or (having settled on a
    wrong dialect) a header column missing; the user is told which line of the file is wrong."""
    lines = (shared / "ownership/gleif-rr-cdf-sample-2019.csv").read_text(encoding="utf-8").splitlines(True)
    path = tmp_path / "gleif-rr.csv"
    path.write_text("".join(lines[:5]) + damage + "".join(lines[5:8]), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        own_load.parse(path)
    message = str(raised.value)
    assert re.fullmatch(re.escape(str(path)) + expected, message), message
    assert "sniff" not in message and "Possible fixes" not in message
