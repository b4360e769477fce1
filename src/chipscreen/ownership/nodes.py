"""The graph's nodes beyond the ownership parties: listings attached to parties, and *virtual* nodes.

A listed entry or a relation stated in list text may name a party that no ownership file mentions; it gets
a virtual node so that every listed party can be asked about. A listing attaches to the ownership party with
its entity id and to every party bearing one of its names (exact normalised name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chipscreen.dates import DateRange
from chipscreen.ownership.tables import AFFILIATE, CONTROL, LINKED, OWNERSHIP, PARENT_DIRECT, REL_KINDS
from chipscreen.store import SnapshotInfo
from chipscreen.store.ownership import OwnershipTables

LIST_RELATION_KINDS = {"parent": PARENT_DIRECT, "linked": LINKED, "affiliate": AFFILIATE, "ownership": OWNERSHIP,
                       "directorship": CONTROL, "unknown": LINKED}
"""How a relation stated in list text counts in the graph (``list_relations.kind`` -> edge kind)."""
Lists = dict[str, list[str] | None]
"""The lists feeding a regime: list code -> required programs (None: every entry of the list)."""


@dataclass
class Listing:
    """One list entry attached to a graph node (a node can be on several lists)."""

    entity_id: str
    list_code: str
    name: str
    programs: list[str]
    start_date: dt.date | None
    end_date: dt.date | None
    matched_by: str  # "id" | "name" | "virtual"

    @property
    def window(self) -> DateRange:
        return DateRange(self.start_date, self.end_date)

    def in_force(self, on: dt.date) -> bool:
        return self.window.contains(on)


def feeds(e: Listing, lists: Lists) -> bool:
    """Whether a list entry feeds a regime with these lists (list code -> required programs or None)."""
    return feeds_programs(e.list_code, e.programs, lists)


def feeds_programs(list_code: str, programs: Sequence[str], lists: Lists) -> bool:
    """``feeds`` for an entry's list code and programs (the only fields it reads)."""
    if list_code not in lists:
        return False
    progs = lists[list_code]
    return progs is None or any(p.strip("[]").upper() in progs for p in programs)


@dataclass
class DatedLinks:
    """Edges with their first and last day in force (day numbers, open ends as ``chipscreen.dates``')."""

    src: list[int] = field(default_factory=list)
    dst: list[int] = field(default_factory=list)
    start: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)

    def add(self, a: int, b: int, start: int, end: int) -> None:
        self.src.append(a)
        self.dst.append(b)
        self.start.append(start)
        self.end.append(end)


@dataclass
class ListNodes:
    """Listings per node, the virtual nodes after the ``n_own`` ownership parties, and list-text relations."""

    n_own: int
    extra: dict[str, list[str | None]] = field(default_factory=lambda: {
        "id": [], "name": [], "country": [], "hq": [], "parent_exception": []})
    listings: dict[int, list[Listing]] = field(default_factory=dict)
    virtual_ids: dict[str, int] = field(default_factory=dict)  # id/entity id -> node for virtual nodes
    virtual_norms: dict[str, int] = field(default_factory=dict)
    entity_nodes: dict[str, int] = field(default_factory=dict)  # list entity id -> node
    listed_hq: dict[int, str] = field(default_factory=dict)  # a list entry's headquarters (fallback)
    listed_norms: dict[str, int] = field(default_factory=dict)  # primary listed name (normalised) -> node
    l_node: list[int] = field(default_factory=list)  # one row per (node, entry)
    l_entry: list[Listing] = field(default_factory=list)
    relations: DatedLinks = field(default_factory=DatedLinks)  # non-ownership list-text relations
    relation_kinds: list[int] = field(default_factory=list)  # index into REL_KINDS, per relation
    stated_ownership: list[tuple[int, int, int, int, int, int]] = field(default_factory=list)  # a, b, lo, hi, days
    ends: DatedLinks = field(default_factory=DatedLinks)  # endpoints of every list-text relation
    n_list_nodes: int = 0  # nodes below this exist on every date; above, only while a relation is in force

    @property
    def n(self) -> int:
        return self.n_own + len(self.extra["id"])

    def virtual(self, key_id: str | None, name: str | None, norm: str | None, country: str | None = None,
                hq: str | None = None) -> int:
        """The virtual node for an id or normalised name, made on first sight."""
        if key_id and key_id in self.virtual_ids:
            return self.virtual_ids[key_id]
        if norm and norm in self.virtual_norms:
            v = self.virtual_norms[norm]
        else:
            v = self.n
            for col, value in zip(("id", "name", "country", "hq", "parent_exception"),
                                  (key_id, name, country, hq, None), strict=True):
                self.extra[col].append(value)
            if norm:
                self.virtual_norms[norm] = v
        if key_id:
            self.virtual_ids[key_id] = v
        return v

    def add_entries(self, rows: list[tuple[Any, ...]]) -> None:
        """Attach each list entry to the party with its id and to every party bearing one of its names."""
        for eid, code, name, norm, country, hq, programs, start, end, pid_id, pids_name in rows:
            targets: list[tuple[int, str]] = []
            if pid_id is not None:
                targets.append((int(pid_id), "id"))
            targets += [(int(p), "name") for p in (pids_name or []) if p != pid_id]
            if not targets:
                targets.append((self.virtual(eid, name, norm, country, hq), "virtual"))
            self.entity_nodes.setdefault(eid, targets[0][0])
            if norm:
                self.listed_norms.setdefault(norm, targets[0][0])
            for v, how in targets:
                entry = Listing(eid, code, name, list(programs or []), start, end, how)
                self.listings.setdefault(v, []).append(entry)
                self.l_node.append(v)
                self.l_entry.append(entry)
                if hq:
                    self.listed_hq.setdefault(v, hq)

    def add_relations(self, rels: list[tuple[Any, ...]], own_by_id: dict[str, int],
                      own_by_norm: dict[str, int]) -> None:
        """Every relation of the snapshot, whatever its dates: the per-date mask picks those in force."""
        def endpoint(eid: str | None, name: str | None, norm: str | None) -> int:
            for key, index in ((eid, self.entity_nodes), (eid, own_by_id), (norm, own_by_norm),
                               (norm, self.listed_norms), (norm, self.virtual_norms)):
                if key and key in index:
                    return index[key]
            return self.virtual(eid, name, norm)

        for o_id, o_name, o_norm, d_id, d_name, d_norm, kind, share, smin, smax, r_start, r_end in rels:
            a, b = endpoint(o_id, o_name, o_norm), endpoint(d_id, d_name, d_norm)
            self.ends.add(a, b, r_start, r_end)
            if a == b:
                continue
            k = LIST_RELATION_KINDS.get(kind or "unknown", LINKED)
            if k == OWNERSHIP:  # stated ownership (FtM) feeds the fixpoint; an unknown share: "possibly"
                s_lo = share if share is not None else smin
                s_hi = share if share is not None else smax
                self.stated_ownership.append((a, b, -1 if s_lo is None else s_lo, -1 if s_hi is None else s_hi,
                                              r_start, r_end))
                continue
            self.relations.add(a, b, r_start, r_end)
            self.relation_kinds.append(REL_KINDS.index(k))


def read_list_nodes(tables: OwnershipTables, snap: SnapshotInfo | None, n_own: int) -> ListNodes:
    """Listings, virtual nodes and list-text relations of the snapshot (nothing without one)."""
    out = ListNodes(n_own, n_list_nodes=n_own)
    if snap is None or not snap.lists:
        return out
    rows = tables.listed_entries(snap)
    rels = tables.list_relations(sorted(set(snap.lists.values())))
    out.add_entries(rows)
    out.n_list_nodes = out.n
    own_by_id: dict[str, int] = {}
    own_by_norm: dict[str, int] = {}
    wanted_ids = {r[0] for r in rels if r[0]} | {r[3] for r in rels if r[3]}
    wanted_norms = {r[2] for r in rels if r[2]} | {r[5] for r in rels if r[5]}
    if rels:
        found = tables.parties_by_id_or_norm(sorted(wanted_ids - set(out.entity_nodes)), sorted(wanted_norms))
        for pid, pid_id, pnorm in found:
            if pid_id is not None and pid_id in wanted_ids:
                own_by_id[pid_id] = pid
            if pnorm is not None and pnorm in wanted_norms:
                own_by_norm.setdefault(pnorm, pid)
    out.add_relations(rels, own_by_id, own_by_norm)
    return out
