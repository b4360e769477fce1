"""``lists changes``: each snapshot's changes against the one before it, oldest first, from a snapshot or a date."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from chipscreen.sources import parse_file
from chipscreen.store import Store
from chipscreen.store.changes import changed_lists, changes_since
from chipscreen.store.diff import diff_entries


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


EDITS = {
    "aliases": ("alt_names", lambda v: v + "; ANOTHER NAME WRITTEN FOR THIS TEST"),  # the names table
    "identifiers": ("ids", lambda v: v.replace("0", "1", 1) if "0" in v else v + "1"),  # the identifiers table
    "addresses": ("addresses", lambda v: "Another Street 1, " + v),  # a column of the entry's own row
}


@pytest.mark.parametrize("field", sorted(EDITS))
def test_an_entry_changed_in_one_stored_value_is_found_as_the_whole_comparison_finds_it(
        empty_store: Store, shared: Path, tmp_path: Path, field: str) -> None:
    """The feed compares in full only the entries whose stored values differ (``Store.differing_entities``, in
    the database); a value in the names or identifiers table, or in the entry's row, makes the entry differ."""
    column, edit = EDITS[field]
    src = shared / "csl" / "csl_sample_2019.csv"
    first = _load(empty_store, src, "2019-06-01")
    with src.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    target = next(i for i, r in enumerate(rows) if r[column])
    rows[target][column] = edit(rows[target][column])
    edited = tmp_path / f"csl_{field}.csv"
    with edited.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    second = _load(empty_store, edited, "2019-07-01")

    [got] = changes_since(empty_store, first)
    assert [(r.change, sorted(r.fields)) for r in got.changes] == [("changed", [field])]
    old, new = empty_store.snapshot(first), empty_store.snapshot(second)
    codes = changed_lists(old, new)
    assert got.changes == diff_entries(empty_store.entries(old, lists=codes), empty_store.entries(new, lists=codes))
