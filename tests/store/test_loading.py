"""Dataset and snapshot ids are content hashes; loading the same lists again makes no new snapshot."""

from __future__ import annotations

from pathlib import Path

from chipscreen.paths import data_dir
from chipscreen.sources import parse_file
from chipscreen.store import Store
from chipscreen.store.loading import dataset_id, snapshot_id

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
