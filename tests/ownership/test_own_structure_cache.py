"""The assembled ownership structure, kept as a hashed Arrow file: read back equal to what the store gives,
answering the same, kept per snapshot and ownership version, and a damaged or planted file never trusted."""

from __future__ import annotations

import datetime as dt
import pickle
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from own_helpers import add_lists, write_csv

from chipscreen import hashed_json
from chipscreen.ownership import Control, structure_cache
from chipscreen.ownership import load as own_load
from chipscreen.ownership.nodes import feeds, read_list_nodes
from chipscreen.ownership.parts import Parts, read_parts
from chipscreen.ownership.structure import structure_for
from chipscreen.ownership.tables import ownership_tables
from chipscreen.store import Store

LISTED = [("EL", "Huawei Technologies Co., Ltd.", {"start_date": dt.date(2019, 5, 16)}),
          ("EL", "Beijing Sophgo Technologies Ltd.", {"aliases": ["Sophgo"]}), ("SDN", "Rostec")]
OWNERS = ['"Huawei Technologies Co., Ltd.",Huawei Device Co,100,,', "Rostec,Rostec Daughter JSC,60,2020-01-01,",
          "Unlisted Holding,Sophgo Subsidiary,30,,"]


def _plain(value: Any) -> Any:
    """Arrays as lists, recursively, so that two sets of parts compare with ``==``."""
    if isinstance(value, np.ndarray):
        return [value.dtype.kind, value.tolist()]
    if isinstance(value, pa.Array):
        return [str(value.type), value.to_pylist()]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _fresh(store: Store) -> Parts:
    tables = ownership_tables(store)
    tables.state()
    return read_parts(tables, store.latest_snapshot())


def _files(store: Store) -> list[Path]:
    return sorted((Path(store.home) / "cache").glob("own-structure-*.arrow"))


def _answers(store: Store) -> list[Any]:
    view = Control(store).as_of(dt.date(2024, 6, 1))
    names = ["Huawei Device Co", "Rostec Daughter JSC", "Sophgo Subsidiary", "Sophgo", "Huawei Technologies Co., Ltd."]
    return [(st.captured, st.model_dump(mode="json")) for st in (view.status(n) for n in names)]


@pytest.fixture
def loaded(store: Store, tmp_path: Path) -> Store:
    add_lists(store, LISTED)
    own_load.load(store, write_csv(tmp_path / "o.csv", OWNERS))
    return store


def test_the_file_holds_what_the_store_gives_and_is_read_not_rebuilt(loaded: Store) -> None:
    expected = _fresh(loaded)
    path = structure_cache.load_or_build(loaded)
    assert _files(loaded) == [path] and structure_cache.path_for(loaded) == path
    assert _plain(asdict(structure_cache.load(path))) == _plain(asdict(expected))
    stamp = path.stat().st_mtime_ns
    structure_for(loaded, cache={})
    assert _files(loaded) == [path] and path.stat().st_mtime_ns == stamp


def test_answers_from_the_file_equal_answers_from_the_store(loaded: Store) -> None:
    first = _answers(loaded)  # reads the store, writes the file
    assert len(_files(loaded)) == 1
    assert _answers(loaded) == first  # a new Control: parts read back from the file
    assert any(captured for captured, _ in first) and not all(captured for captured, _ in first)


def test_a_new_snapshot_or_ownership_version_gets_a_new_file(loaded: Store, tmp_path: Path) -> None:
    before = structure_cache.load_or_build(loaded)
    own_load.load(loaded, write_csv(tmp_path / "p.csv", ["Rostec,Rostec Granddaughter JSC,70,,"]))
    after_load = structure_cache.load_or_build(loaded)
    add_lists(loaded, [*LISTED, ("EL", "Sugon Information Industry Co., Ltd.")])
    after_lists = structure_cache.load_or_build(loaded)
    assert len({before.name, after_load.name, after_lists.name}) == 3
    assert _files(loaded) == sorted([after_load, after_lists])  # the two written last (data/caches.yml)
    assert _plain(asdict(structure_cache.load(after_lists))) == _plain(asdict(_fresh(loaded)))


def test_a_monitor_runs_old_and_new_snapshots_are_both_read_back_not_rebuilt(loaded: Store) -> None:
    old = loaded.latest_snapshot()
    add_lists(loaded, [*LISTED, ("EL", "Sugon Information Industry Co., Ltd.")])
    new = loaded.latest_snapshot()
    files = [structure_cache.load_or_build(loaded, s) for s in (old, new)]
    stamps = [p.stat().st_mtime_ns for p in files]
    assert [structure_cache.load_or_build(loaded, s) for s in (old, new)] == files
    assert [p.stat().st_mtime_ns for p in files] == stamps and _files(loaded) == sorted(files)


def test_a_damaged_file_is_removed_and_the_structure_read_again(loaded: Store) -> None:
    expected = _answers(loaded)
    path = _files(loaded)[0]
    data = path.read_bytes()
    path.write_bytes(data[:200] + bytes([data[200] ^ 0x01]) + data[201:])
    with pytest.raises(ValueError, match="does not match its hash"):
        structure_cache.load(path)
    assert _answers(loaded) == expected
    assert len(_files(loaded)) == 1 and structure_cache.load(_files(loaded)[0]).n > 0


def test_a_planted_pickle_is_never_unpickled(loaded: Store, tmp_path: Path) -> None:
    path = structure_cache.load_or_build(loaded)
    marker = tmp_path / "ran"
    planted = pickle.dumps(_Run(str(marker)))
    path.unlink()
    hashed_json.write(path.parent, structure_cache.FAMILY, path.name.split("-")[2], planted, ".arrow")
    assert _answers(loaded) and not marker.exists()
    assert structure_cache.load(_files(loaded)[0]).n > 0  # rebuilt as a structure file


def test_a_planted_file_with_a_good_hash_but_bad_arrays_is_refused(loaded: Store) -> None:
    path = structure_cache.load_or_build(loaded)
    parts = structure_cache.load(path)
    bad = replace(parts, own=replace(parts.own, dst=parts.own.dst + parts.n))  # edges to nodes that do not exist
    k = path.name.split("-")[2]
    path.unlink()
    planted = structure_cache.save(bad, path.parent, k)
    with pytest.raises(ValueError, match="do not fit together"):
        structure_cache.load(planted)
    assert _answers(loaded) and structure_cache.load(_files(loaded)[0]).own.dst.max() < parts.n


def test_a_home_that_cannot_be_written_still_gets_a_file_to_ship(loaded: Store, monkeypatch: pytest.MonkeyPatch
                                                                  ) -> None:
    def refuse(*_: object, **__: object) -> Path:
        raise OSError("read-only file system")

    calls: list[Path] = []
    real_save = structure_cache.save

    def save_once(parts: Parts, folder: Path, k: str) -> Path:
        calls.append(folder)
        return refuse() if len(calls) == 1 else real_save(parts, folder, k)

    monkeypatch.setattr(structure_cache, "save", save_once)
    path = structure_cache.load_or_build(loaded)
    assert calls[0] == Path(loaded.home) / "cache" and path.parent != calls[0] and not _files(loaded)
    assert _plain(asdict(structure_cache.load(path))) == _plain(asdict(_fresh(loaded)))


class _Run:
    """Unpickling this would create the marker file."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (Path(self.marker),))


def test_listings_made_on_demand_are_the_listings_read_from_the_store(loaded: Store) -> None:
    tables = ownership_tables(loaded)
    tables.state()
    snap = loaded.latest_snapshot()
    nodes = read_list_nodes(tables, snap, structure_cache.load(structure_cache.load_or_build(loaded)).n_own)
    s = structure_for(loaded, cache={})
    assert dict(s.listings) == nodes.listings and len(s.listings) == len(nodes.listings)
    assert all(v in s.listings for v in nodes.listings) and -1 not in s.listings and "0" not in s.listings
    for lists in ({"EL": None}, {"SDN": ["SDGT"]}, {"EL": None, "SDN": None}, {}):
        expected = [feeds(e, lists) for e in nodes.l_entry]
        assert s.listed_at(lists, dt.date(2024, 1, 1))[0].sum() <= sum(expected)
        assert structure_cache.load(structure_cache.load_or_build(loaded)).entries.feeding(lists).tolist() == expected
