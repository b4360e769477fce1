"""``lists changes --since SNAPSHOT|DATE``: the feed another system consumes.

Every snapshot after the starting point, in order, with the entries its load added, removed and changed
(and which fields) against the snapshot before it. Each step compares only the lists whose dataset the
snapshot re-pointed (a list left on the same dataset cannot have changed), with ``diff``'s own comparison:
one notion of "changed" for ``lists diff``, this feed and the monitor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chipscreen.errors import InputError
from chipscreen.store.diff import diff_entries
from chipscreen.store.records import DiffRow, SnapshotInfo

if TYPE_CHECKING:
    from chipscreen.store import Store


@dataclass
class ChangeStep:
    """One snapshot's changes against the one before it (``old`` None: the first snapshot of the store)."""

    old: str | None
    new: SnapshotInfo
    changes: list[DiffRow] = field(default_factory=list)


SELECTED_MAX = 5000
"""Entries a diff asks for by id; past this many it reads the lists whole (one scan beats a long IN list)."""


def changed_lists(old: SnapshotInfo | None, new: SnapshotInfo) -> list[str]:
    """The list codes whose dataset differs between two snapshots (added and dropped lists included)."""
    before = old.lists if old else {}
    return sorted(c for c in set(before) | set(new.lists) if before.get(c) != new.lists.get(c))


def step(store: Store, old: SnapshotInfo | None, new: SnapshotInfo) -> ChangeStep:
    """The changes from ``old`` (None: an empty store) to ``new``."""
    codes = changed_lists(old, new)
    if not codes:
        return ChangeStep(old.id if old else None, new)
    if old is None:
        return ChangeStep(None, new, diff_entries([], store.entries(new, lists=codes)))
    # an entry whose stored values are the same in both is the same entry: only the others are built and compared
    ids = store.differing_entities(old, new, codes)
    if not ids:
        return ChangeStep(old.id, new)
    chosen = ids if len(ids) <= SELECTED_MAX else None
    return ChangeStep(old.id, new, diff_entries(store.entries(old, lists=codes, entity_ids=chosen),
                                                store.entries(new, lists=codes, entity_ids=chosen)))


def start_of(store: Store, since: str) -> SnapshotInfo | None:
    """The snapshot the feed starts after: ``since`` as a snapshot reference, or as a date (YYYY-MM-DD) the
    newest snapshot made before that day (None when the store had none yet: everything is new)."""
    try:
        day = dt.date.fromisoformat(since)
    except ValueError:
        return store.snapshot(since)
    before = [s for s in store.snapshots() if s.created_at.date() < day]
    return max(before, key=lambda s: s.seq) if before else None


def changes_since(store: Store, since: str | SnapshotInfo | None) -> list[ChangeStep]:
    """The steps from the starting point to the latest snapshot, oldest first (empty when it is the latest)."""
    if isinstance(since, str) and not since.strip():
        raise InputError("--since: expected a snapshot id or a date (YYYY-MM-DD)")
    base = start_of(store, since) if isinstance(since, str) else since
    later = sorted((s for s in store.snapshots() if base is None or s.seq > base.seq), key=lambda s: s.seq)
    steps, prev = [], base
    for snap in later:
        steps.append(step(store, prev, snap))
        prev = snap
    return steps
