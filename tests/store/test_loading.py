"""Dataset and snapshot ids are content hashes; loading the same lists again makes no new snapshot."""

from __future__ import annotations

from pathlib import Path

from chipscreen.paths import data_dir
from chipscreen.sources import parse_file
from chipscreen.store import Store
from chipscreen.store.loading import dataset_id, entry_row, identifier_rows, name_rows, relation_row, snapshot_id
from chipscreen.store.schema import ENTRIES, IDENTIFIERS, LIST_RELATIONS, NAMES

MEU = data_dir() / "lists" / "us_lists_2026-07" / "bis_meu.json"


def test_snapshot_id_depends_on_the_composition_not_on_the_order_of_the_map() -> None:
    assert snapshot_id({"EL": "d1", "MEU": "d2"}) == snapshot_id({"MEU": "d2", "EL": "d1"})
    assert snapshot_id({"EL": "d1"}) != snapshot_id({"EL": "d2"})


def test_dataset_id_is_the_same_for_the_same_file_and_day() -> None:
    assert dataset_id(parse_file(MEU)) == dataset_id(parse_file(MEU))


def test_loading_the_same_file_twice_keeps_one_dataset_and_one_snapshot(tmp_path: Path) -> None:
    with Store(tmp_path / "home") as store:
        first = store.load([parse_file(MEU)])
        again = store.load([parse_file(MEU)])
        assert again.snapshot == first.snapshot and again.replaced == {}
        assert len(store.snapshots()) == 1 and len(store.datasets()) == 1
        assert store.dataset(first.snapshot.lists["MEU"]).entries == store.counts()["MEU"] == 70


def test_each_row_builder_follows_its_tables_columns() -> None:
    ds = parse_file(data_dir() / "lists" / "csl_consolidated_2022-04.csv")
    e = next(e for e in ds.entries if e.party.identifiers and e.listing.programs)
    entry = dict(zip(ENTRIES.column_names, entry_row("d1", e), strict=True))
    assert (entry["dataset_id"], entry["entity_id"], entry["list_code"]) == ("d1", e.party.id, e.listing.list_code)
    assert (entry["kind"], entry["name"], entry["country"]) == (e.party.kind, e.party.name, e.party.country)
    assert (entry["start_date"], entry["end_date"]) == (e.listing.start_date, e.listing.end_date)
    assert (entry["remarks"], entry["programs"]) == (e.listing.remarks, e.listing.programs)
    name = dict(zip(NAMES.column_names, name_rows("d1", e)[0], strict=True))
    assert (name["name"], name["kind"]) == (e.party.name, "primary")
    ident = dict(zip(IDENTIFIERS.column_names, identifier_rows("d1", e)[0], strict=True))
    assert (ident["scheme"], ident["value"]) == (e.party.identifiers[0].scheme, e.party.identifiers[0].value)
    r = next(r for r in ds.relations)
    rel = dict(zip(LIST_RELATIONS.column_names, relation_row("d1", r), strict=True))
    assert (rel["owner_id"], rel["owned_name"], rel["kind"], rel["evidence"]) == (
        r.owner_id,
        r.owned_name,
        r.kind,
        r.evidence,
    )
