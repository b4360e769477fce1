"""The entries a list change touches, as names indexes of their own: what a monitor run screens against the watch
set instead of the whole snapshot (``monitor.delta``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chipscreen.monitor.findings import Key
from chipscreen.names import Screener
from chipscreen.names.index import NameIndex
from chipscreen.names.index_arrays import load_rows, rows_of_entities
from chipscreen.store import DiffRow, SnapshotInfo, Store


def entries_index(index: NameIndex, keys: set[Key]) -> NameIndex | None:
    """The rows of these entries (list code, entity id) in a snapshot's ``index``, as an index of their own; None
    when there are none. The rows are the snapshot's own, already read (reading the names again was most of the
    cost of building it from the store), in the snapshot's order: a row's bound for a reading depends on the
    two alone, and rows of equal bound rank in the same order in both."""
    if not keys:
        return None
    maybe = rows_of_entities(index.rows, {eid for _, eid in keys})
    load_rows(index.rows, maybe)
    picked = [r for r in maybe if (index.rows[r].list_code, index.rows[r].entity_id) in keys]
    if not picked:
        return None
    at = {r: n for n, r in enumerate(picked)}
    identifiers: dict[str, list[tuple[str, int]]] = {}
    for value, filed in index.identifiers.items():
        mine = [(scheme, at[r]) for scheme, r in filed if r in at]
        if mine:
            identifiers[value] = mine
    return NameIndex([index.rows[r] for r in picked], index.starts[picked], index.ends[picked], identifiers)


@dataclass
class Changed:
    """The changed entries of each snapshot as an index (None: none there), with both snapshots' forward
    screeners (a baseline run has no old snapshot: every entry of the new one counts as added)."""

    new: NameIndex | None
    old: NameIndex | None
    forward: tuple[Screener | None, Screener]

    @property
    def indexes(self) -> list[NameIndex]:
        return [i for i in (self.new, self.old) if i is not None]


def changed_indexes(store: Store, old: SnapshotInfo | None, new: SnapshotInfo, rows: Sequence[DiffRow],
                    forward: tuple[Screener | None, Screener]) -> Changed:
    """The changed entries as indexes: their new versions and their old ones (a baseline run: the snapshot's
    own index). ``forward``: the two snapshots' screeners, whose indexes hold the rows."""
    if old is None or forward[0] is None:
        return Changed(forward[1].index, None, forward)
    now_keys = {(r.list_code, r.entity_id) for r in rows if r.change != "removed"}
    was_keys = {(r.list_code, r.entity_id) for r in rows if r.change != "added"}
    return Changed(entries_index(forward[1].index, now_keys), entries_index(forward[0].index, was_keys), forward)
