"""The names index of the watch set: the user's parties filed like a list, so that changed list entries can
be looked up in it (reverse screening) instead of every party being screened again.

It is the names package's own ``NameIndex`` (same normalisation, keys and bounds), built once per watch-set
version and cached under ``$CHIPSCREEN_HOME/cache`` with the names cache's file format and checks (its name
carries the watch-set version and the hash of every names module and table, so nothing stale is read).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pyarrow as pa

from chipscreen import progress
from chipscreen.names.index import NameIndex
from chipscreen.names.index_cache import cache_files, key, load, save
from chipscreen.store import Store, watch

WATCH_LIST = "WATCH"
"""The list code the watched parties carry inside their index."""

_MEMO: dict[tuple[str, str], NameIndex] = {}


def as_names_table(parties: pa.Table) -> pa.Table:
    """The watch set in the columns ``NameIndex.from_tables`` reads (a party's first name is its primary)."""
    n = parties.num_rows
    ids = parties.column("party_id").to_pylist()
    names = parties.column("name").to_pylist()
    primary: dict[str, str] = {}
    for pid, name in zip(ids, names, strict=True):
        primary.setdefault(pid, name)
    return pa.table({
        "entity_id": parties.column("party_id"), "list_code": pa.array([WATCH_LIST] * n, pa.string()),
        "name": parties.column("name"), "kind": parties.column("name_kind"),
        "primary_name": pa.array([primary[p] for p in ids], pa.string()), "country": parties.column("country"),
    })


def _stem(version: str) -> str:
    tag = f"watch{version}"
    return f"names-index-{tag}-{key(tag, None)}"


def watch_index(store: Store) -> NameIndex:
    """The index of the store's watch set: from memory, from the cache, or built (and cached)."""
    version = watch.watch_version(store)
    memo_key = (str(store.path), version)
    if memo_key in _MEMO:
        return _MEMO[memo_key]
    folder, stem = Path(store.home) / "cache", _stem(version)
    index = next((i for p in sorted(folder.glob(f"{stem}-*.arrow")) if (i := load(p)) is not None), None)
    if index is None:
        parties = watch.parties_table(store)
        with progress.step(f"indexing the watch set ({parties.num_rows:,} names, once per version)"):
            index = NameIndex.from_tables(as_names_table(parties))
        with contextlib.suppress(OSError):
            saved = save(index, folder, stem)
            for old in cache_files(folder):
                if old.name.startswith("names-index-watch") and old != saved:
                    old.unlink()
    _MEMO.clear()
    _MEMO[memo_key] = index
    return index
