"""The ownership structure's snapshot-wide reads, cached as hashed JSON: read back equal to the store's
answer, kept per snapshot and ownership version, and a damaged file read from the store again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from own_helpers import add_lists, write_csv

from chipscreen.ownership import load as own_load
from chipscreen.ownership.rows_cache import CachedOwnershipTables
from chipscreen.ownership.tables import LEGAL_FORMS_PATTERN, ownership_tables
from chipscreen.store import Store
from chipscreen.store.ownership import OwnershipTables

LISTED = [("EL", "Huawei Technologies Co., Ltd.", {"start_date": dt.date(2019, 5, 16)}),
          ("EL", "Beijing Sophgo Technologies Ltd.", {"aliases": ["Sophgo"]}), ("SDN", "Rostec")]


def _rows(tables: OwnershipTables, store: Store) -> tuple[object, object]:
    snap = store.latest_snapshot()
    tables.state()  # as ``structure_for`` asks first (it makes the empty tables of a store without ownership data)
    return tables.listed_entries(snap), tables.alias_entities(snap)


def _files(store: Store) -> list[Path]:
    return sorted((Path(store.home) / "cache").glob("own-rows-*.json"))


def test_cached_rows_equal_the_stores_and_are_read_not_rebuilt(store: Store, tmp_path: Path) -> None:
    add_lists(store, LISTED)
    own_load.load(store, write_csv(tmp_path / "o.csv", ['"Huawei Technologies Co., Ltd.",Huawei Device Co,100,,']))
    plain = _rows(OwnershipTables(store, LEGAL_FORMS_PATTERN), store)
    assert isinstance(ownership_tables(store), CachedOwnershipTables)
    first = _rows(CachedOwnershipTables(store, LEGAL_FORMS_PATTERN), store)
    written = [(p, p.stat().st_mtime_ns) for p in _files(store)]
    assert first == plain and len(written) == 2
    assert _rows(CachedOwnershipTables(store, LEGAL_FORMS_PATTERN), store) == plain
    assert [(p, p.stat().st_mtime_ns) for p in _files(store)] == written


def test_a_new_snapshot_or_ownership_version_is_read_afresh(store: Store, tmp_path: Path) -> None:
    add_lists(store, LISTED)
    _rows(CachedOwnershipTables(store, LEGAL_FORMS_PATTERN), store)
    before = _files(store)
    own_load.load(store, write_csv(tmp_path / "o.csv", ["Rostec,Rostec Daughter JSC,60,,"]))
    add_lists(store, [*LISTED, ("EL", "Sugon Information Industry Co., Ltd.")])
    fresh = _rows(CachedOwnershipTables(store, LEGAL_FORMS_PATTERN), store)
    assert fresh == _rows(OwnershipTables(store, LEGAL_FORMS_PATTERN), store)
    after = _files(store)  # two families of rows, for this snapshot and the one before (data/caches.yml)
    assert len(after) == 4 and set(before) < set(after)
    add_lists(store, [*LISTED, ("EL", "Sugon Information Industry Co., Ltd."), ("EL", "Inspur Group")])
    _rows(CachedOwnershipTables(store, LEGAL_FORMS_PATTERN), store)
    assert len(_files(store)) == 4 and set(_files(store)).isdisjoint(before)  # the oldest snapshot's removed


def test_a_damaged_file_is_removed_and_the_rows_read_again(store: Store) -> None:
    add_lists(store, LISTED)
    plain = _rows(OwnershipTables(store, LEGAL_FORMS_PATTERN), store)
    _rows(CachedOwnershipTables(store, LEGAL_FORMS_PATTERN), store)
    for path in _files(store):
        data = path.read_bytes()
        path.write_bytes(data[:10] + bytes([data[10] ^ 0x01]) + data[11:])
    assert _rows(CachedOwnershipTables(store, LEGAL_FORMS_PATTERN), store) == plain
    assert len(_files(store)) == 2 and all(p.read_bytes()[:11] != b"" for p in _files(store))
