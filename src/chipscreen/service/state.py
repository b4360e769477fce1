"""What the service serves from: one snapshot's index, entities and decider, built beside the old and swapped.

A request reads ``state.view()`` once and uses that ``View`` to the end, so it sees one snapshot whole. The
first view is built in a thread after start-up (``/readyz`` answers 503 until then); ``reload`` builds the
view of a newer snapshot beside the one in service and replaces it with one assignment. The old view's store
stays open (``retire_seconds``) for the requests that took it before the swap."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipscreen.bundled import open_store
from chipscreen.decide import Decider
from chipscreen.names import Screener
from chipscreen.ownership import Control
from chipscreen.ownership.tables import ownership_tables
from chipscreen.service.config import ServiceConfig, service_data
from chipscreen.service.ftm import dataset_name, entity_of
from chipscreen.service.heap import Heap
from chipscreen.store import DatasetInfo, ListedEntry, SnapshotInfo, Store
from chipscreen.store.files import STORE_FILE


class NotReady(Exception):
    """The index is still being built (or failed to build): the service answers 503."""


class UnknownDataset(LookupError):
    pass


# A fact an installed part needs of each listed entity, made from its entries when a view is built (the desk's
# entry content hash, for filing the API's findings): the build reads every entry anyway, where a request
# asking the store for a few entries costs more than screening them did.
EntityFact = Callable[[list[ListedEntry]], Any]


@dataclass
class View:
    """One snapshot, read whole: every request answers from exactly one of these."""

    store: Store
    snapshot: SnapshotInfo
    screener: Screener
    entities: dict[str, dict[str, Any]]
    datasets: dict[str, DatasetInfo]
    decider: Decider
    listings: dict[str, list[dict[str, Any]]]
    facts: dict[str, dict[str, Any]] = field(default_factory=dict)  # fact name -> entity id -> value
    _control: Control | None = None
    _memo: dict[str, Any] = field(default_factory=dict)

    def memo(self, name: str, make: Callable[[View], Any]) -> Any:
        """What ``make`` derives from this snapshot alone (the catalog, list counts), made once per view:
        a snapshot never changes, so a request need not ask the store again."""
        if name not in self._memo:
            self._memo[name] = make(self)
        return self._memo[name]

    def counts(self) -> dict[str, int]:
        """Entries per list code in this snapshot (asked of the store once)."""
        counts: dict[str, int] = self.memo("counts", lambda v: v.store.counts(v.snapshot))
        return counts

    def control(self) -> Control:
        """The ownership engine on this snapshot, built on first use (most deployments only screen)."""
        if self._control is None:
            self._control = Control(self.store, snapshot=self.snapshot)
        return self._control

    def lists_of(self, dataset: str) -> list[str]:
        """The list codes a yente dataset name stands for: a list (``el``), a group (``us_bis``) or ``default``."""
        codes = sorted(self.snapshot.lists)
        by_name = {dataset_name(c): c for c in codes}
        if dataset.lower() in by_name:
            return [by_name[dataset.lower()]]
        group = service_data().groups.get(dataset)
        if group is None:
            names = ", ".join(sorted([*service_data().groups, *by_name]))
            raise UnknownDataset(f"unknown dataset {dataset!r}; known: {names}")
        return [c for c in (group.lists or codes) if c in self.snapshot.lists]

    def screener_for(self, lists: Sequence[str], limit: int) -> Screener:
        """A screener over some lists that shares the one index (the list filter applies inside the index)."""
        every = len(lists) == len(self.snapshot.lists)
        return Screener(index=self.screener.index, lists=None if every else list(lists), max_matches=limit)


def build_view(store: Store, derive: Mapping[str, EntityFact] | None = None) -> View:
    """The view of the store's latest snapshot, with each fact of ``derive`` made for every entity."""
    snap = store.snapshot()
    screener = Screener(store, snapshot=snap.id, max_matches=50)
    grouped: dict[str, list[ListedEntry]] = defaultdict(list)
    for entry in store.entries(snap):
        grouped[entry.party.id].append(entry)
    entities = {eid: entity_of(entries) for eid, entries in grouped.items()}
    datasets = {did: store.dataset(did) for did in sorted(set(snap.lists.values()))}
    listings = {eid: [listing_facts(e) for e in entries] for eid, entries in grouped.items()}
    facts = {name: {eid: make(entries) for eid, entries in grouped.items()} for name, make in (derive or {}).items()}
    view = View(store, snap, screener, entities, datasets, Decider(store, snapshot=snap.id), listings, facts)
    view.control().as_of(dt.date.today()).status(snap.id)  # builds the ownership structure before the first request
    return view


def warm_up(view: View) -> None:
    """Screen the warm-up names (``data/service/service.yml``) so that the tables the screener loads on first
    use are loaded before the first request, and frozen with the index rather than walked by the collector."""
    for name in service_data().warm_names:
        view.screener.screen(name)


def prepare_home(home: Path) -> None:
    """What a read-only store cannot do for itself, done once before serving: an empty home gets the bundled
    lists (as the CLI's first command does) and the ownership tables, which the engine reads."""
    with open_store(home) as store:
        ownership_tables(store).create()


def listing_facts(e: ListedEntry) -> dict[str, Any]:
    """What reconciliation's data extension reads of a listing (nulls left out)."""
    facts = {"list": e.listing.list_code, "start_date": e.listing.start_date,
             "license_requirement": e.listing.license_requirement, "review_policy": e.listing.review_policy}
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in facts.items() if v is not None}


class ServiceState:
    """The view in service, and whether there is one yet; after warming, a watcher thread builds the view of
    each newer store (a ``lists load`` replaced the file) beside the one in service and swaps it in."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self._view: View | None = None
        self.error: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._seen: tuple[int, int] | None = None  # the store file (inode, mtime) the view in service came from
        self._retired: list[tuple[float, View]] = []  # replaced views, closed once no request can still read them
        self.heap = Heap(config.limits.gc_slow_full_ms)
        self._derive: dict[str, EntityFact] = {}

    def derive(self, name: str, make: EntityFact) -> None:
        """Have every view built from now on carry ``make(entries)`` of each entity in ``view.facts[name]``
        (called by an installed part before the first view is built)."""
        self._derive[name] = make

    def view(self) -> View:
        view = self._view
        if view is None:
            raise NotReady(self.error or "the index is warming up; retry shortly")
        return view

    @property
    def ready(self) -> bool:
        return self._view is not None

    def warm(self, *, prepare: bool = True) -> None:
        """Open the store read-only and build the first view (``prepare``: make the home ready first)."""
        try:
            if prepare:
                prepare_home(self.config.home)
            self._seen = self._file_id()
            view = build_view(open_store(self.config.home, read_only=True), self._derive)
            warm_up(view)
            self.heap.settle()
            self._view = view  # ready from here on: warmed and out of the collector's reach
            self.heap.watch()
        except Exception as exc:  # reported by /readyz; the process stays up to say why
            self.error = f"the index could not be built: {exc}"
            raise

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._warm_then_watch, name="chipscreen-warm", daemon=True)
        thread.start()
        return thread

    def watch(self) -> threading.Thread:
        """Look for a newer store every ``reload_seconds`` until ``close`` (the first view is already built)."""
        thread = threading.Thread(target=self._watch, name="chipscreen-reload", daemon=True)
        thread.start()
        return thread

    def _warm_then_watch(self) -> None:
        with contextlib.suppress(Exception):  # kept in self.error and served by /readyz
            self.warm()
            self._watch()

    def _watch(self) -> None:
        while not self._stop.wait(self.config.limits.reload_seconds):
            self.heap.settle_if_due()
            with contextlib.suppress(Exception):  # a failed build keeps the view in service; retried next time
                self.reload()

    def _file_id(self) -> tuple[int, int]:
        st = (self.config.home / STORE_FILE).stat()
        return st.st_ino, st.st_mtime_ns

    def reload(self) -> bool:
        """Serve the newest snapshot if the store file changed: its view is built beside the one in service
        (which keeps answering) and replaces it in one assignment. Returns whether it swapped."""
        current = self._file_id()
        if current == self._seen or self._view is None:
            self._close_retired()
            return False
        store = open_store(self.config.home, read_only=True)
        if store.snapshot().id == self._view.snapshot.id:
            store.close()
            self._seen = current
            return False
        fresh = build_view(store, self._derive)
        with self._lock:
            old, self._view, self._seen = self._view, fresh, current
            self._retired.append((time.monotonic(), old))
        self.heap.settle()
        return True

    def _close_retired(self) -> None:
        """Close replaced views' stores once every request that took them has long finished."""
        cutoff = time.monotonic() - self.config.limits.retire_seconds
        with self._lock:
            done = [v for t, v in self._retired if t < cutoff]
            self._retired = [(t, v) for t, v in self._retired if t >= cutoff]
        for view in done:
            view.store.close()
        if done:
            self.heap.thaw_and_settle()

    def close(self) -> None:
        self._stop.set()
        self.heap.stop()
        with self._lock:
            for _, view in self._retired:
                view.store.close()
            self._retired = []
            if self._view is not None:
                self._view.store.close()
                self._view = None
