"""The watch set's reverse index: a listed name's keys find every watched name whose own screening reaches it."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa

from chipscreen.monitor import add_parties
from chipscreen.monitor import watch_index as wi
from chipscreen.names.index import NameIndex
from chipscreen.names.keys import name_keys, query_keys
from chipscreen.names.tails import normalize_query
from chipscreen.store import Store, watch


def listed_and_watched(store: Store) -> tuple[NameIndex, list[str]]:
    """3,000 listed names of the bundled lists, and 400 of them as a customer might write them."""
    names = store.names_table()
    rng = random.Random(15)
    listed = names.take(sorted(rng.sample(range(names.num_rows), 3000)))
    written = []
    for name in rng.sample(listed.column("name").to_pylist(), 400):
        words = name.split()
        k = rng.randrange(len(words))
        if len(words[k]) > 4:
            words[k] = words[k][:2] + words[k][3:]  # a letter dropped
        written.append(" ".join(words[: max(1, len(words) - rng.randrange(2))]))  # the last word left out
    return NameIndex.from_tables(listed), written


def test_every_row_forward_screening_reaches_shares_a_key_with_the_query(bundled_store: Store) -> None:
    index, written = listed_and_watched(bundled_store)
    pairs = 0
    for name in written:
        for reading in normalize_query(name):
            keys = query_keys(reading)
            for r in index.candidates(reading, min_bound=0.0, limit=10**9):
                assert keys & name_keys(index.rows[r].normalized), (name, index.rows[r].name)
                pairs += 1
    assert pairs > 1000  # every bound and every key kind, not a handful of exact names


def test_a_listed_rows_keys_find_the_watched_names_that_reach_it(bundled_store: Store) -> None:
    index, written = listed_and_watched(bundled_store)
    parties = pa.table({"party_id": [f"P{i}" for i in range(len(written))], "name": written,
                        "name_kind": ["name"] * len(written), "country": [None] * len(written)})
    reverse = wi.build(parties)
    for w, row in enumerate(reverse.rows):
        for r in index.candidates(row.normalized, min_bound=0.0, limit=10**9):
            found = {x for k in name_keys(index.rows[r].normalized) for x in reverse.postings.get(k) or ()}
            assert w in found, (row.name, index.rows[r].name)


def test_the_index_is_cached_per_watch_set_version_and_read_back_alike(tmp_path: Path) -> None:
    store = Store(tmp_path / "home")
    customers = tmp_path / "customers.csv"
    customers.write_text("name,country,id\nHuawei Technologies Co Ltd,CN,C1\nAcme Robotics GmbH,DE,C2\n",
                         encoding="utf-8")
    add_parties(store, customers)
    built = wi.watch_index(store)
    wi._MEMO.clear()
    read = wi.watch_index(store)
    assert [r.name for r in read.rows] == [r.name for r in built.rows]
    assert {k: list(read.postings[k]) for k in built.postings} == {k: list(v) for k, v in built.postings.items()}
    customers.write_text("name,country,id\nNordlicht Maschinenbau GmbH,DE,C3\n", encoding="utf-8")
    add_parties(store, customers)
    assert "Nordlicht Maschinenbau GmbH" in {r.name for r in wi.watch_index(store).rows}
    assert watch.watch_version(store) in {p.name.split("-")[2].removeprefix("watchq")
                                          for p in (tmp_path / "home" / "cache").glob("names-index-watchq*")}
