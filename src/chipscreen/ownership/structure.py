"""Everything about the ownership graph that does not depend on the date, read once.

Nodes are the ownership parties (``own_parties.pid``), plus *virtual* nodes for listed entries and
list-text relations that no ownership file mentions (``nodes.py``). Nodes, edges (with their start and end
days) and listings do not depend on the date: ``Structure`` reads and resolves them once per (store,
snapshot, ownership-data version); a date only selects, by vectorised masks, the edges and listings in
force (``graph.py``), and dates in the same *epoch* (nothing starts or ends between them) share one result.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

import numpy as np
import pyarrow as pa

from chipscreen.arrow_strings import string_array
from chipscreen.bounded import bounded
from chipscreen.dates import day_number
from chipscreen.ownership import csr, structure_cache
from chipscreen.ownership.csr import BOOL, I64, change_points, in_force
from chipscreen.ownership.nodes import Listing, Lists
from chipscreen.ownership.parts import LazyListings, OwnershipStatements, Relations
from chipscreen.ownership.tables import LEGAL_FORMS_PATTERN, ownership_tables
from chipscreen.store import SnapshotInfo, Store

_T = TypeVar("_T")
_ASCII_SEP = re.compile(r"[^a-z0-9]+")
_FORMS_RE = re.compile(f" ({LEGAL_FORMS_PATTERN}) ")
_WS = re.compile(r"\s+")
MISSING = object()  # what a memo lookup returns for a name not yet normalised (None is a normal form)
INDEX_MAX = 300_000
"""Ownership parties up to which ids, LEIs and names are indexed in Python dicts (above: SQL, memoised)."""


def norm_ascii(s: str) -> str | None:
    """``own_norm`` (the DuckDB macro in ``chipscreen.store.ownership``) for an ASCII string, in Python.

    On ASCII input ``strip_accents`` is the identity and ``[^\\p{L}\\p{N}]`` is ``[^a-z0-9]`` after lower-
    casing, so this is the same function (tested against the macro); other strings go to DuckDB.
    """
    base = _ASCII_SEP.sub(" ", s.lower()).strip(" ") or None
    if base is None:
        return None
    out = _WS.sub(" ", _FORMS_RE.sub(" ", " " + base.replace(" ", "  ") + " ")).strip(" ")
    return out or base


class Structure:
    """Everything about the graph that does not depend on the date, built once per (store, snapshot,
    ownership-data version): the nodes, every edge with its start and end day, the list entries with
    theirs, and the id / name indexes.

    A date maps to an *edge epoch* (its position among the sorted days on which some edge starts or stops
    being in force) and, per regime, a *listing epoch* (same over the entries that feed the regime): dates
    in the same epochs see the same inputs, so ``memo`` keeps one computation per epoch (edge arrays,
    listed masks, and the kernels ``ControlView`` runs on them).
    """

    def __init__(self, store: Store, snap: SnapshotInfo | None, key: tuple[Any, ...]) -> None:
        self.store = store
        self.tables = ownership_tables(store)
        self.key = key
        self.snapshot = snap.id if snap else None
        self._snap = snap
        self.cache: OrderedDict[Any, Any] = OrderedDict()
        self._norms: dict[str, str | None] = bounded("ownership.names")
        self._alias: dict[str, list[str]] | None = None
        self._own_index: tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]] | None = None
        self._own_memo: dict[tuple[str, str], list[int]] = bounded("ownership.parties")
        self._attrs: dict[str, pa.Array] | None = None
        self._specs: dict[Any, tuple[BOOL, I64]] = {}
        self._build(snap)

    def _build(self, snap: SnapshotInfo | None) -> None:
        p = structure_cache.parts_for(self.tables, snap, self.key[3] if len(self.key) > 3 else ())
        self.n_own, self.n, self.person = p.n_own, p.n, p.person
        self.listings: Mapping[int, list[Listing]] = LazyListings(p.entries)
        self.virtual_ids, self.virtual_norms, self.entity_nodes = p.virtual_ids, p.virtual_norms, p.entity_nodes
        self.listed_hq, self.listed_norms = p.listed_hq, p.listed_norms
        self._extra = p.extra
        # Nodes that only list-text relations created exist on the dates one of those relations is in force.
        self.n_list_nodes = p.n_list_nodes
        self.ends, self.own, self.other = p.ends, p.own, p.other
        self.own_undated = self.own.undated
        self.edge_points = p.edge_points
        # List entries as arrays (one row per (node, entry)): the per-date listed masks are two comparisons.
        self._entries = p.entries
        self._l_node, self._l_start, self._l_end = p.entries.node, p.entries.start, p.entries.end

    # ------------------------------------------------------------------ epochs
    def memo(self, key: Any, make: Callable[[], _T], limit: int = 512, freeze: bool = False) -> _T:
        """LRU over per-epoch results (bounded so a long batch on a big graph does not grow without end).

        ``freeze``: mark the result's arrays read-only, so that a caller writing into a shared result
        fails loudly instead of changing the answers of every other date of the epoch.
        """
        got = self.cache.get(key)
        if got is None:
            got = make()
            if freeze:
                csr.freeze(got)
            self.cache[key] = got
            while len(self.cache) > max(8, min(limit, 20_000_000 // (self.n + self.own.src.size + 1))):
                self.cache.popitem(last=False)
        else:
            self.cache.move_to_end(key)
        return cast(_T, got)

    def edge_epoch(self, date: dt.date) -> int:
        return int(np.searchsorted(self.edge_points, day_number(date), side="right"))

    def _spec(self, lists: Lists) -> tuple[Any, BOOL, I64]:
        """Entries feeding a regime with these lists, and the days on which that set of entries changes."""
        key = tuple(sorted((c, tuple(p) if p is not None else None) for c, p in lists.items()))
        got = self._specs.get(key)
        if got is None:
            feeding = self._entries.feeding(lists)
            got = self._specs[key] = (feeding, change_points(self._l_start[feeding], self._l_end[feeding]))
        return key, got[0], got[1]

    def listed_at(self, lists: Lists, date: dt.date) -> tuple[BOOL, tuple[Any, int]]:
        """Nodes on one of ``lists`` on ``date`` (cached per listing epoch), and that epoch's key."""
        key, feeding, points = self._spec(lists)
        day = day_number(date)
        ep = (key, int(np.searchsorted(points, day, side="right")))

        def make() -> BOOL:
            on = feeding & in_force(self._l_start, self._l_end, day)
            mask = np.zeros(self.n, dtype=bool)
            mask[self._l_node[on]] = True
            return mask

        return self.memo(("listed", ep), make, freeze=True), ep

    # ------------------------------------------------------------------ node strings and name lookups
    def attrs(self) -> dict[str, pa.Array]:
        """Node strings (id, name, country, hq, parent_exception): ownership parties, then virtual nodes."""
        if self._attrs is None:
            extra, n_own = self._extra, self.n_own
            nodes = self.tables.party_strings()
            self._attrs = {c: _cat(nodes, c, extra[c], n_own) for c in extra}
        return self._attrs

    def norm(self, name: str) -> str | None:
        """``own_norm`` of a query: Python for ASCII (same function), DuckDB otherwise; memoised."""
        got = self._norms.get(name, MISSING)
        if got is not MISSING:
            return cast("str | None", got)
        out = self._norms[name] = norm_ascii(name) if name.isascii() else self.tables.norm(name)
        return out

    def own_parties(self, field_: str, value: str) -> list[int]:
        """Ownership parties whose ``id``, ``lei`` or ``norm`` is ``value`` (sorted pids)."""
        if self.n_own <= INDEX_MAX:
            if self._own_index is None:
                by: tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]] = ({}, {}, {})
                for pid, pid_id, lei, norm in self.tables.party_keys():
                    for d, k in zip(by, (pid_id, lei, norm), strict=True):
                        if k is not None:
                            d.setdefault(k, []).append(pid)
                self._own_index = by
            d = self._own_index[("id", "lei", "norm").index(field_)]
            return d.get(value, [])
        memo_key = (field_, value)
        got = self._own_memo.get(memo_key)
        if got is None:
            got = self._own_memo[memo_key] = self.tables.parties_with(field_, value)
        return got

    @property
    def indexed(self) -> bool:
        """Whether id / LEI / name lookups have been answered from the in-memory index."""
        return self._own_index is not None

    def alias_entities(self, norm: str) -> list[str]:
        """List entity ids with any name (primary, alias, ...) of this normalised form in the snapshot."""
        if self._alias is None:
            alias: dict[str, list[str]] = {}
            if self._snap is not None and self._snap.lists:
                for nm, eid in self.tables.alias_entities(self._snap):
                    if nm:
                        alias.setdefault(nm, []).append(eid)
            self._alias = alias
        return self._alias.get(norm, [])


def _cat(nodes: pa.Table, col: str, extra: list[str | None], n_own: int) -> pa.Array:
    tail = string_array(extra)
    if not n_own:
        return tail
    head = nodes.column(col).combine_chunks().cast(pa.string())
    return pa.concat_arrays([head, tail]) if len(extra) else head


def _snapshot(store: Store, snapshot: str | SnapshotInfo | None, latest: str | None,
              cache: dict[Any, Any] | None) -> SnapshotInfo | None:
    """The snapshot asked for (the latest when ``None``); a snapshot id never changes meaning, so it is cached."""
    if isinstance(snapshot, SnapshotInfo):
        return snapshot
    if snapshot is not None and snapshot.startswith("latest"):
        return store.snapshot(snapshot)
    ref = latest if snapshot is None else snapshot
    if ref is None:
        return None
    snap = (cache or {}).get(("snapinfo", ref)) or store.snapshot(str(ref))
    if cache is not None:
        cache[("snapinfo", snap.id if snapshot is None else ref)] = snap
    return cast(SnapshotInfo, snap)


def structure_for(store: Store, snapshot: str | SnapshotInfo | None = None,
                  cache: dict[Any, Any] | None = None) -> Structure:
    """The date-independent ``Structure`` for the store's snapshot and ownership data, from ``cache`` when
    the snapshot and the ownership data version (datasets loaded) are unchanged."""
    # The latest snapshot and the ownership data version (datasets loaded): asked again only after the
    # store has committed a write (``Store.generation``), not on every new date of a batch.
    state_key = ("state", id(store))
    generation = store.generation
    remembered = cache.get(state_key) if cache is not None else None
    if remembered is not None and remembered[0] == generation:
        latest, version = remembered[1], remembered[2]
    else:
        latest, *version = ownership_tables(store).state()
        if cache is not None:
            cache[state_key] = (generation, latest, version)
    snap = _snapshot(store, snapshot, latest, cache)
    key = ("structure", str(store.path), snap.id if snap else None, tuple(version))
    got = cache.get(key) if cache is not None else None
    if got is None:
        got = Structure(store, snap, key)
        if cache is not None:
            for k in [k for k in cache if isinstance(k, tuple) and k and k[0] == "structure"]:
                del cache[k]  # an older snapshot or ownership version: its arrays are no longer wanted
            cache[key] = got
    return cast(Structure, got)


__all__ = ["INDEX_MAX", "OwnershipStatements", "Relations", "Structure", "norm_ascii", "structure_for"]
