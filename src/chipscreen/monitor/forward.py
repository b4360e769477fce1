"""The parties a change affects, screened forward against both snapshots by the worker that found them.

``monitor.delta``'s checks run in forked workers; a worker that finds a party affected screens it at once, with
what its checks left warm (the snapshots' candidate rows for the reading's words, the compared words' memo), instead of
handing the party to another pool. The party's names are its rows of the watch set's reverse index, found by the
party numbers ``monitor.results`` keeps: every name with a reading that has words, with its country, the first
name (the party's primary) first. A name the index holds no reading of has no word to match and matches nothing,
so the results are those of the party's names in the store (``store.watch.party_names``), screened by
``findings.full_rescreens``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from chipscreen.monitor.findings import Key, PartyFinding, compare, full_rescreens
from chipscreen.monitor.results import Results
from chipscreen.names import Screener
from chipscreen.names.index import NameIndex
from chipscreen.names.index_arrays import load_rows
from chipscreen.store import DiffRow


@dataclass
class Forward:
    """What a worker reads to screen the parties it finds: both snapshots' screeners, the old snapshot's stored
    results (their party numbers), the change's rows by key and the run's day."""

    screeners: tuple[Screener, Screener]
    results: Results
    by_key: dict[Key, DiffRow]
    on: dt.date

    @classmethod
    def of(cls, screeners: tuple[Screener, Screener], results: Results, rows: list[DiffRow], on: dt.date
           ) -> Forward:
        results.by_party()  # sorted here, before the workers fork, not once in each
        return cls(screeners, results, {(r.list_code, r.entity_id): r for r in rows}, on)

    def party(self, row: int) -> int:
        """The party number of a row of the reverse index."""
        return int(self.results.party[row])

    def names(self, watch_index: NameIndex, number: int) -> tuple[str, list[tuple[str, str | None]]]:
        """Party ``number``'s primary name and its names, each with its country, in the order they were added."""
        order, parties = self.results.by_party()
        lo, hi = np.searchsorted(parties, np.array([number, number + 1], dtype=parties.dtype))
        rows = sorted(order[int(lo) : int(hi)].tolist())
        load_rows(watch_index.rows, rows)
        named = dict.fromkeys((watch_index.rows[r].name, watch_index.rows[r].country) for r in rows)
        return watch_index.rows[rows[0]].primary_name, list(named)

    def findings(self, watch_index: NameIndex, found: dict[str, int]) -> dict[str, list[PartyFinding]]:
        """The findings of these parties (id -> party number), screened against both snapshots here."""
        primary: dict[str, str] = {}
        names: dict[str, list[tuple[str, str | None]]] = {}
        for pid, number in found.items():
            primary[pid], names[pid] = self.names(watch_index, number)
        before, now = full_rescreens(list(self.screeners), names, self.on)
        return {pid: compare(pid, primary[pid], before[pid], now[pid], self.by_key) for pid in names}
