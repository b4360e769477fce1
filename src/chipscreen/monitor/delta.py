"""What a list change means for the watched parties, worked from the change alone (reverse screening).

The entries a change added or changed (their new version) and removed or changed (their old version) get
small indexes of their own; each of their names is looked up in the watch-set index, which yields the
watched names that could match it; only those are screened forward, with the ``Screener`` and the exact
options ``screen`` uses, against the changed entries. A finding is therefore what a full re-screen of the
watch set would report on those entries, at the cost of the change's size, not the watch set's.
A match is *new* when the pair did not match under the old version of the entry, or matched below the hit
threshold and is a hit now; a watched party that matched a removed entry is reported as delisted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc

from chipscreen.dates import day_number
from chipscreen.monitor.settings import settings
from chipscreen.names import Match, Screener
from chipscreen.names.index import NameIndex
from chipscreen.store import DiffRow, SnapshotInfo, Store
from chipscreen.text import fold_words

FindingKind = Literal["hit", "possible match", "delisted"]
Key = tuple[str, str]  # (list code, entity id)


@dataclass(frozen=True)
class WatchedName:
    """One name of a watched party, as it is screened."""

    party_id: str
    name: str
    country: str | None


@dataclass
class PartyFinding:
    """A watched party and the list entry whose change concerns it, with the match's explanation."""

    kind: FindingKind
    party_id: str
    party_name: str
    list_code: str
    entity_id: str
    entry_name: str
    change: str  # the entry's change: added, changed, removed
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)
    changed_fields: list[str] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return self.kind != "delisted"


def entries_index(store: Store, snap: SnapshotInfo, keys: set[Key]) -> NameIndex | None:
    """A names index of just these entries of ``snap`` (None when there are none)."""
    codes = sorted({c for c, _ in keys})
    if not keys or not codes:
        return None
    names = store.names_table(snap, lists=codes)
    wanted = pa.array(sorted(f"{c}\x1f{e}" for c, e in keys), pa.string())

    def only(table: pa.Table) -> pa.Table:
        joined = pc.binary_join_element_wise(table.column("list_code"), table.column("entity_id"), "\x1f")
        return table.filter(pc.is_in(joined, value_set=wanted))

    names = only(names)
    if not names.num_rows:
        return None
    return NameIndex.from_tables(names, only(store.identifiers_table(snap, lists=codes)))


def reverse_candidates(watch_index: NameIndex, changed: NameIndex, on: dt.date) -> list[int]:
    """Rows of the watch index that may match a name or identifier of the changed entries."""
    thr = Screener(index=changed)
    s = settings()
    rows: set[int] = set()
    day = day_number(on)
    listed = [r for r in range(len(changed.rows)) if changed.starts[r] <= day <= changed.ends[r]]
    for r in listed:
        rows.update(watch_index.candidates(changed.rows[r].normalized, min_bound=thr.review_threshold - s.bound_margin,
                                           limit=s.candidate_limit))
    return sorted(rows)


def watched_names(watch_index: NameIndex, rows: Iterable[int]) -> list[WatchedName]:
    """The distinct watched names behind index rows (one row per reading of a name)."""
    seen: dict[tuple[str, str], WatchedName] = {}
    for r in rows:
        row = watch_index.rows[r]
        seen.setdefault((row.entity_id, row.name),
                        WatchedName(row.entity_id, row.name, row.country))
    return list(seen.values())


def screen_against(index: NameIndex | None, names: list[WatchedName], on: dt.date) -> dict[tuple[str, Key], Match]:
    """Forward screening of watched names against an index of changed entries: the best match per
    (party, entry), as ``screen`` reports it (``max_matches`` large: every changed entry a name matches)."""
    out: dict[tuple[str, Key], Match] = {}
    if index is None:
        return out
    screener = Screener(index=index, max_matches=len(index.rows) or 1)
    seen: dict[tuple[str, str | None], list[Match]] = {}  # a name many parties share is screened once
    for w in names:
        matches = seen.get((w.name, w.country))
        if matches is None:
            matches = seen[(w.name, w.country)] = screener.screen(w.name, country=w.country, date=on).matches
        for m in matches:
            k = (w.party_id, (m.list, m.entity_id))
            if k not in out or m.score > out[k].score:
                out[k] = m
    return out


def party_findings(store: Store, old: SnapshotInfo | None, new: SnapshotInfo, rows: list[DiffRow],
                   watch_index: NameIndex, on: dt.date) -> list[PartyFinding]:
    """The watched parties a change concerns (see the module docstring), hits first."""
    now_keys = {(r.list_code, r.entity_id) for r in rows if r.change != "removed"}
    was_keys = {(r.list_code, r.entity_id) for r in rows if r.change != "added"}
    new_idx = entries_index(store, new, now_keys)
    old_idx = entries_index(store, old, was_keys) if old is not None else None
    cand: set[int] = set()
    for idx in (new_idx, old_idx):
        if idx is not None:
            cand.update(reverse_candidates(watch_index, idx, on))
    names = watched_names(watch_index, sorted(cand))
    now, before = screen_against(new_idx, names, on), screen_against(old_idx, names, on)
    by_key = {(r.list_code, r.entity_id): r for r in rows}
    # the same listing under another entity id (one list from another source: the CSL's EL then the eCFR's)
    # is the same finding: matched before under its name, it is not new, and it was not delisted
    named_before = {(pid, key[0], fold_words(m.name)): m for (pid, key), m in before.items()}
    named_now = {(pid, key[0], fold_words(m.name)) for (pid, key), m in now.items()}
    primary = {watch_index.rows[r].entity_id: watch_index.rows[r].primary_name for r in cand}
    found: list[PartyFinding] = []
    for (pid, key), m in now.items():
        prev = before.get((pid, key)) or named_before.get((pid, key[0], fold_words(m.name)))
        if prev is not None and (prev.hit or not m.hit):
            continue  # matched as strongly before the change: nothing new
        row = by_key[key]
        found.append(PartyFinding("hit" if m.hit else "possible match", pid, primary[pid], m.list, m.entity_id,
                                  m.name, row.change, m.score, m.explanation, sorted(row.fields)))
    for (pid, key), m in before.items():
        if by_key[key].change == "removed" and (pid, key[0], fold_words(m.name)) not in named_now:
            found.append(PartyFinding("delisted", pid, primary[pid], m.list, m.entity_id, m.name, "removed",
                                      m.score, m.explanation))
    found.sort(key=finding_order)
    return found


KIND_ORDER = {"hit": 0, "possible match": 1, "delisted": 2}


def finding_order(f: PartyFinding) -> tuple[int, float, str, str, str]:
    """Hits first, then possible matches, then delistings; the strongest match first within each. A party's
    findings depend only on its own names and the change, so the watch set may be worked in slices
    (``chipscreen.spark``), each slice's findings then put together in this order."""
    return KIND_ORDER[f.kind], -f.score, f.party_id, f.list_code, f.entity_id
