"""The date-independent parts of the ownership graph as plain columns, read from the store.

``Structure`` is made of these parts whether they come straight from the store (``read_parts``) or from the
file ``structure_cache`` keeps of them: one representation, so that a cached and a fresh structure cannot
answer differently. Everything here is an int array, a list of strings or a dict of them: data a file can
hold without pickling anything. List entries stay columns (``Entries``); a ``Listing`` object is made only
for a node that an answer asks about (``LazyListings``), since a check looks at a handful of the tens of
thousands a snapshot has.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from chipscreen.dates import OPEN_END, OPEN_START, from_day_number
from chipscreen.ownership.csr import BOOL, I64, change_points
from chipscreen.ownership.nodes import Listing, ListNodes, Lists, feeds_programs, read_list_nodes
from chipscreen.ownership.tables import LINKED, REL_KINDS
from chipscreen.store import SnapshotInfo
from chipscreen.store.ownership import OwnershipTables


@dataclass
class OwnershipStatements:
    """Every ownership statement (stored and stated in list text), sorted by (owner, owned); -1: not stated."""

    src: I64
    dst: I64
    share: I64
    smin: I64
    smax: I64
    start: I64
    end: I64

    @property
    def undated(self) -> bool:
        """No statement has a date: every date sees all of them."""
        return bool(((self.start == OPEN_START) & (self.end == OPEN_END)).all())


@dataclass
class Relations:
    """Non-ownership edges (GLEIF consolidation, list-text links, control) with their kinds and days."""

    src: I64
    dst: I64
    kind: npt.NDArray[np.int8]  # index into REL_KINDS
    start: I64
    end: I64


@dataclass
class Entries:
    """List entries attached to nodes, one row per (node, entry), as columns; ``group`` indexes ``groups``,
    the distinct (list code, programs) pairs, which is all a regime asks of an entry to know if it feeds it."""

    node: I64
    start: I64  # day numbers (open ends as ``chipscreen.dates``')
    end: I64
    group: I64
    entity_id: list[str]
    name: list[str]
    matched_by: list[str]
    groups: list[tuple[str, tuple[str, ...]]]

    def feeding(self, lists: Lists) -> BOOL:
        """Rows whose entry feeds a regime with these lists."""
        by_group = np.array([feeds_programs(code, progs, lists) for code, progs in self.groups], dtype=bool)
        out: BOOL = by_group[self.group] if self.group.size else np.zeros(0, dtype=bool)
        return out

    def listing(self, row: int) -> Listing:
        code, progs = self.groups[int(self.group[row])]
        start, end = int(self.start[row]), int(self.end[row])
        return Listing(self.entity_id[row], code, self.name[row], list(progs),
                       None if start == OPEN_START else from_day_number(start),
                       None if end == OPEN_END else from_day_number(end), self.matched_by[row])


class LazyListings(Mapping[int, list[Listing]]):
    """Node -> its list entries (in the order they were read), each ``Listing`` made on first use."""

    def __init__(self, entries: Entries) -> None:
        self._entries = entries
        self._order = np.argsort(entries.node, kind="stable")
        self._sorted = entries.node[self._order]
        self._made: dict[int, list[Listing]] = {}

    def _rows(self, v: int) -> I64:
        lo, hi = np.searchsorted(self._sorted, [v, v + 1])
        rows: I64 = self._order[lo:hi]
        return rows

    def __getitem__(self, v: int) -> list[Listing]:
        got = self._made.get(v)
        if got is None:
            rows = self._rows(v)
            if not rows.size:
                raise KeyError(v)
            got = self._made[v] = [self._entries.listing(int(r)) for r in rows]
        return got

    def __contains__(self, v: object) -> bool:
        return isinstance(v, int | np.integer) and bool(self._rows(int(v)).size)

    def __iter__(self) -> Iterator[int]:
        return iter(int(v) for v in np.unique(self._sorted))

    def __len__(self) -> int:
        return int(np.unique(self._sorted).size)


@dataclass
class Parts:
    """What ``Structure`` is built from: nodes, dated edges, listings and the id / name indexes."""

    n_own: int
    n: int
    n_list_nodes: int  # nodes below this exist on every date; above, only while a relation is in force
    person: BOOL
    own: OwnershipStatements
    other: Relations
    ends: Relations  # endpoints of every list-text relation (kind unused)
    entries: Entries
    extra: dict[str, list[str | None]]  # virtual nodes' id, name, country, hq, parent_exception
    virtual_ids: dict[str, int] = field(default_factory=dict)
    virtual_norms: dict[str, int] = field(default_factory=dict)
    entity_nodes: dict[str, int] = field(default_factory=dict)
    listed_norms: dict[str, int] = field(default_factory=dict)
    listed_hq: dict[int, str] = field(default_factory=dict)

    @property
    def edge_points(self) -> I64:
        return change_points(np.concatenate([self.own.start, self.other.start, self.ends.start]),
                             np.concatenate([self.own.end, self.other.end, self.ends.end]))


def _ownership_statements(tables: OwnershipTables, nodes: ListNodes) -> OwnershipStatements:
    """Sorted once by (owner, owned): any per-date subset stays sorted."""
    e = tables.ownership_statements()
    cols = [np.asarray(e[c], dtype=np.int64) for c in ("owner_pid", "owned_pid", "s", "smin", "smax", "t0", "t1")]
    if nodes.stated_ownership:
        arr = np.array(nodes.stated_ownership, dtype=np.int64)
        exact = np.where(arr[:, 2] == arr[:, 3], arr[:, 2], -1)
        add = [arr[:, 0], arr[:, 1], exact, arr[:, 2], arr[:, 3], arr[:, 4], arr[:, 5]]
        cols = [np.concatenate([c, a]) for c, a in zip(cols, add, strict=True)]
    key = cols[0] * np.int64(max(nodes.n, 1)) + cols[1]
    if key.size and not bool((key[1:] >= key[:-1]).all()):
        order = np.argsort(key, kind="stable")
        cols = [c[order] for c in cols]
    return OwnershipStatements(*cols)


def _relations(tables: OwnershipTables, nodes: ListNodes) -> Relations:
    r = tables.relation_edges(REL_KINDS, REL_KINDS.index(LINKED))
    rel = nodes.relations
    return Relations(
        np.concatenate([np.asarray(r["owner_pid"], np.int64), np.array(rel.src, np.int64)]),
        np.concatenate([np.asarray(r["owned_pid"], np.int64), np.array(rel.dst, np.int64)]),
        np.concatenate([np.asarray(r["k"], np.int8), np.array(nodes.relation_kinds, np.int8)]),
        np.concatenate([np.asarray(r["t0"], np.int64), np.array(rel.start, np.int64)]),
        np.concatenate([np.asarray(r["t1"], np.int64), np.array(rel.end, np.int64)]),
    )


def _entries(nodes: ListNodes) -> Entries:
    groups: dict[tuple[str, tuple[str, ...]], int] = {}
    group = [groups.setdefault((e.list_code, tuple(e.programs)), len(groups)) for e in nodes.l_entry]
    rows = nodes.l_entry
    return Entries(np.array(nodes.l_node, dtype=np.int64), np.array([e.window.start_day() for e in rows], np.int64),
                   np.array([e.window.end_day() for e in rows], np.int64), np.array(group, dtype=np.int64),
                   [e.entity_id for e in rows], [e.name for e in rows], [e.matched_by for e in rows], list(groups))


def read_parts(tables: OwnershipTables, snap: SnapshotInfo | None) -> Parts:
    """The parts as the store holds them for ``snap`` (and the ownership data loaded)."""
    kinds = tables.party_kinds()
    n_own = len(kinds["pid"])
    if n_own and int(kinds["pid"][-1]) != n_own - 1:
        raise RuntimeError("own_parties.pid is not dense; the ownership tables are inconsistent")
    nodes = read_list_nodes(tables, snap, n_own)
    person = np.zeros(nodes.n, dtype=bool)
    if n_own:
        person[:n_own] = np.ma.filled(np.ma.asarray(kinds["person"]), False).astype(bool)
    ends = nodes.ends
    return Parts(
        n_own=n_own, n=nodes.n, n_list_nodes=nodes.n_list_nodes, person=person,
        own=_ownership_statements(tables, nodes), other=_relations(tables, nodes),
        ends=Relations(np.array(ends.src, np.int64), np.array(ends.dst, np.int64), np.zeros(0, np.int8),
                       np.array(ends.start, np.int64), np.array(ends.end, np.int64)),
        entries=_entries(nodes), extra=nodes.extra, virtual_ids=nodes.virtual_ids,
        virtual_norms=nodes.virtual_norms, entity_nodes=nodes.entity_nodes, listed_norms=nodes.listed_norms,
        listed_hq=nodes.listed_hq)
