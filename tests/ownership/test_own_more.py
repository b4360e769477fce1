"""GLEIF bad input, BODS share ranges, ownership stated inside list data, and the bulk table API."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from own_helpers import IN_FORCE, add_lists, load_edges, status

from chipscreen.errors import InputError
from chipscreen.model import Relation
from chipscreen.ownership import load as own_load
from chipscreen.ownership.control import Control
from chipscreen.ownership.tables import ownership_tables
from chipscreen.store import Store

RR_HEADER = ("Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,Relationship.RelationshipType,"
             "Relationship.RelationshipStatus,Registration.LastUpdateDate,Relationship.Period.1.startDate,"
             "Relationship.Period.1.endDate,Relationship.Period.1.periodType,Some.Future.Column")


def test_gleif_bad_dates_and_self_links(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "rr.csv"
    path.write_text(RR_HEADER + "\n"
                    "AAAA,BBBB,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,2019-01-01,1498089600000,,RELATIONSHIP_PERIOD,x\n"
                    "CCCC,DDDD,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,2019-01-01,31/12/2017,,RELATIONSHIP_PERIOD,x\n"
                    "EEEE,EEEE,IS_ULTIMATELY_CONSOLIDATED_BY,ACTIVE,2019-01-01,,,,x\n")
    with pytest.raises(InputError) as exc:
        own_load.load(store, path)
    got = {(p.line, p.field) for p in exc.value.problems}
    assert got == {(3, "Relationship.Period.startDate"), (4, "Relationship.StartNode.NodeID")}
    assert not ownership_tables(store).exist()  # parsing failed before the store was touched


def test_gleif_unix_millisecond_dates(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "rr.csv"
    path.write_text(RR_HEADER + "\n"
                    "AAAA,BBBB,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,2019-01-01,1498089600000,,RELATIONSHIP_PERIOD,x\n")
    own_load.load(store, path)
    assert store.con.execute("SELECT start_date FROM own_edges").fetchone() == (dt.date(2017, 6, 22),)
    assert status(store, "AAAA", dt.date(2017, 6, 21)).ultimate_parent.party_id == "AAAA"  # type: ignore[union-attr]
    assert status(store, "AAAA", dt.date(2017, 6, 22)).ultimate_parent.party_id == "BBBB"  # type: ignore[union-attr]


def _bods(tmp_path: Path, share: dict[str, object]) -> Path:
    statements = [
        {"recordId": "e1", "recordType": "entity", "recordDetails": {"name": "Banded Target Ltd"}},
        {"recordId": "e2", "recordType": "entity", "recordDetails": {"name": "Listed Holder Corp"}},
        {"recordId": "r1", "recordType": "relationship", "recordDetails": {
            "subject": "e1", "interestedParty": "e2",
            "interests": [{"type": "shareholding", "directOrIndirect": "direct", "share": share}]}},
    ]
    path = tmp_path / "bods.json"
    path.write_text(json.dumps(statements), encoding="utf-8")
    return path


@pytest.mark.parametrize("share,expected", [
    ({"minimum": 25, "maximum": 50, "exclusiveMinimum": True}, "possibly"),  # UK PSC band "25-50%"
    ({"minimum": 25, "maximum": 50, "exclusiveMinimum": True, "exclusiveMaximum": True}, "not"),
    ({"minimum": 50, "maximum": 75, "exclusiveMinimum": False}, "captured"),
    ({"exact": 49.9999}, "not"),
])
def test_bods_share_ranges_three_valued(share: dict[str, object], expected: str, store: Store, tmp_path: Path) -> None:
    add_lists(store, [("SDN", "Listed Holder Corp")])
    own_load.load(store, _bods(tmp_path, share))
    assert status(store, "Banded Target Ltd").regimes["ofac"].status == expected


def test_ownership_stated_in_list_data_feeds_the_fixpoint(store: Store) -> None:
    """FtM list files carry Ownership entities (list_relations kind 'ownership' with a share)."""
    add_lists(store, [("SDN", "Holding Listed", {"party_id": "NK-holding"})], relations=[
        Relation(owner_id="NK-holding", owned_id="NK-sub", owned_name="Sub From List", kind="ownership",
                 share_ppm=600_000),
        Relation(owner_id="NK-holding", owned_id="NK-sub2", owned_name="Sub Unknown Share", kind="ownership"),
    ])
    assert status(store, "Sub From List").regimes["ofac"].captured
    assert status(store, "NK-sub2").regimes["ofac"].status == "possibly"


def test_bulk_table(store: Store, tmp_path: Path) -> None:
    add_lists(store, [("SDN", "X Co")])
    load_edges(store, tmp_path, [("X Co", "A Co", "50"), ("A Co", "B Co", "50"), ("Z Co", "C Co", "60")])
    table = Control(store).as_of(IN_FORCE).table().to_pylist()
    by_name = {r["name"]: r for r in table}
    assert by_name["X Co"]["ofac_status"] == "listed"
    assert by_name["B Co"]["ofac_status"] == "captured" and by_name["B Co"]["ofac_round"] == 2
    assert by_name["C Co"]["ofac_status"] == "not" and by_name["B Co"]["look_through_ppm"] == 250_000


def test_gleif_reporting_exceptions_csv(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "repex.csv"
    path.write_text("LEI,ExceptionCategory,ExceptionReason.1,ExceptionReference.1\n"
                    "AAAA,ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT,NATURAL_PERSONS,\n", encoding="utf-8")
    assert own_load.detect_format(path) == "gleif"
    own_load.load(store, path)
    st = status(store, "AAAA")
    assert any(f.code == "gleif_reporting_exception" and "NATURAL_PERSONS" in f.detail for f in st.flags)


def test_bods_closed_record_is_not_an_edge(store: Store, tmp_path: Path) -> None:
    """A relationship restated with recordStatus 'closed' no longer holds."""
    add_lists(store, [("SDN", "Listed Holder Corp")])
    path = _bods(tmp_path, {"exact": 80})
    statements = json.loads(path.read_text(encoding="utf-8"))
    closed = dict(statements[2], recordStatus="closed", statementDate="2024-01-01")
    path.write_text(json.dumps([*statements, closed]), encoding="utf-8")
    summary = own_load.load(store, path)
    assert summary.edges == 0 and any("closed" in str(w) for w in summary.warnings)
    assert status(store, "Banded Target Ltd").regimes["ofac"].status == "not"
