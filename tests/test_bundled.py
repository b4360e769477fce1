"""The bundled lists: the manifest is read as a typed table, and only ``open_store`` loads it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chipscreen import bundled
from chipscreen.bundled import open_store, read_manifest
from chipscreen.errors import DataError
from chipscreen.paths import data_dir
from chipscreen.sources import parse_file
from chipscreen.store import LoadResult, Store


def test_the_shipped_manifest_names_existing_files_with_their_readers() -> None:
    files = read_manifest(data_dir() / "lists" / "manifest.yaml")
    assert len(files) == 16 and all(f.path.exists() for f in files)
    by_name = {f.path.name: f for f in files}
    assert by_name["csl_consolidated_2022-04.csv"].format == "csl-csv"
    assert by_name["csl_consolidated_2022-04.csv"].retrieved == dt.date(2022, 5, 16)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("files: 3\n", "files"),
        ("files:\n  - {path: a.json, format: xml, retrieved: 2026-01-01}\n", "files[0].format"),
        ("files:\n  - {path: a.json, format: ftm, retrieved: soon}\n", "files[0].retrieved"),
        ("files:\n  - {path: a.json, format: ftm}\n", "files[0].retrieved"),
        ("files:\n  - {format: ftm, retrieved: 2026-01-01}\n", "files[0].path"),
        ("files:\n  - a.json\n", "files[0]"),
    ],
)
def test_a_malformed_manifest_entry_is_reported_with_its_key(tmp_path: Path, text: str, key: str) -> None:
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(text)
    with pytest.raises(DataError) as err:
        read_manifest(manifest)
    assert err.value.key == key and err.value.file == str(manifest)


def test_open_store_loads_the_bundled_lists_into_an_empty_store_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[Path] = []

    def load_one_list(store: Store) -> LoadResult:  # the whole bundle takes seconds; one list shows the rule
        loads.append(store.home)
        return store.load([parse_file(data_dir() / "lists" / "us_lists_2026-07" / "bis_meu.json")])

    monkeypatch.setattr(bundled, "load_bundled", load_one_list)
    with Store(tmp_path / "home") as store:
        assert store.latest_snapshot() is None
    for _ in range(2):
        with open_store(tmp_path / "home") as store:
            assert store.counts() == {"MEU": 70}
    assert loads == [tmp_path / "home"]


def test_the_bundled_snapshot_says_where_it_came_from(bundled_store: Store) -> None:
    first = bundled_store.snapshots()[0]
    assert first.note == bundled.NOTE
    assert {bundled_store.dataset(d).name for d in first.lists.values()} >= {"bis_entity_list.json"}
