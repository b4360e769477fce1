"""``lists changes``: each snapshot's changes against the one before it, oldest first, from a snapshot or a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from chipscreen.sources import parse_file
from chipscreen.store import Store
from chipscreen.store.changes import changed_lists, changes_since


def _load(store: Store, path: Path, day: str) -> str:
    return store.load([parse_file(path, retrieved=dt.date.fromisoformat(day))]).snapshot.id


def test_the_feed_lists_every_snapshot_after_the_start_in_order(empty_store: Store, shared: Path,
                                                                 tmp_path: Path) -> None:
    lines = (shared / "csl" / "csl_sample_2019.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    first = _load(empty_store, shared / "csl" / "csl_sample_2019.csv", "2019-06-01")
    smaller = tmp_path / "csl_b.csv"
    sdn = [i for i, line in enumerate(lines) if line.startswith("Specially Designated Nationals")]
    smaller.write_text("".join(line for i, line in enumerate(lines) if i != sdn[0]), encoding="utf-8")
    second = _load(empty_store, smaller, "2019-07-01")

    steps = changes_since(empty_store, first)
    assert [(s.old, s.new.id) for s in steps] == [(first, second)]
    assert [(r.list_code, r.change) for r in steps[0].changes] == [("SDN", "removed")]

    everything = changes_since(empty_store, "2000-01-01")  # a date before the store: the first load is all new
    assert [s.old for s in everything] == [None, first]
    assert {r.change for r in everything[0].changes} == {"added"}
    assert changes_since(empty_store, second) == []


def test_only_the_lists_a_snapshot_repointed_are_compared(empty_store: Store, shared: Path) -> None:
    _load(empty_store, shared / "csl" / "csl_sample_2019.csv", "2019-06-01")
    snap = empty_store.snapshot()
    assert changed_lists(snap, snap) == []
    assert changed_lists(None, snap) == sorted(snap.lists)
