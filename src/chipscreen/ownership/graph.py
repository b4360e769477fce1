"""The ownership graph as of one date: a view over a ``structure.Structure`` with the edges in force.

Dates in the same *edge epoch* (no edge starts or stops between them) share one set of arrays, so building
the view for a date already seen costs a dictionary lookup. Shares stay integer ppm throughout (``lo``/
``hi`` bounds; equal when exact).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from chipscreen.dates import day_number
from chipscreen.ownership.csr import BOOL, CSR, I64, PPM, in_force, reduce_pairs, segment_sum
from chipscreen.ownership.nodes import Listing
from chipscreen.ownership.structure import Structure, structure_for
from chipscreen.ownership.tables import OWNERSHIP, REL_KINDS
from chipscreen.store import SnapshotInfo, Store

__all__ = ["Graph", "build", "graph_at"]


@dataclass
class Graph:
    """The snapshot of ownership (and relatives) in force on ``date``: a per-date view over a ``Structure``.

    The arrays are shared by every date of the same edge epoch (same set of edges in force); building one
    costs a dictionary lookup once the epoch has been seen.
    """

    date: dt.date
    n: int
    attrs_loader: Callable[[], dict[str, pa.Array]]  # id, name, country, hq, parent_exception (lazy)
    person: BOOL
    own: CSR  # ownership edges, one per (owner, owned) pair
    lo: I64
    hi: I64
    unknown: BOOL  # share not stated
    ranged: BOOL  # stated as a range (lo < hi)
    conflicting: BOOL  # several statements for the pair on this date disagree
    other_src: I64  # non-ownership edges (GLEIF consolidation, list-text links, control): relatives, parents
    other_dst: I64
    other_kind: npt.NDArray[np.int8]  # index into REL_KINDS
    listings: Mapping[int, list[Listing]] = field(default_factory=dict)
    snapshot: str | None = None
    virtual_ids: dict[str, int] = field(default_factory=dict)  # id/entity id -> node for virtual nodes
    entity_nodes: dict[str, int] = field(default_factory=dict)  # list entity id -> node
    listed_hq: dict[int, str] = field(default_factory=dict)
    listed_norms: dict[str, int] = field(default_factory=dict)  # primary listed name (normalised) -> node
    virtual_norms: dict[str, int] = field(default_factory=dict)
    exists: BOOL | None = None  # nodes that exist on the date (None: all); see ``Structure.exists``
    structure: Structure | None = None
    epoch: int = 0  # edge epoch of ``date`` in ``structure``
    shared: dict[str, Any] = field(default_factory=dict)  # per-edge-epoch memo (other CSR, parents, cycles)

    @cached_property
    def attrs(self) -> dict[str, pa.Array]:
        """Node strings, read on first use: the kernels need none of them, explanations and tables do."""
        return self.attrs_loader()

    @property
    def ids(self) -> pa.Array:
        return self.attrs["id"]

    @property
    def names(self) -> pa.Array:
        return self.attrs["name"]

    @property
    def hq(self) -> pa.Array:
        return self.attrs["hq"]

    @property
    def country(self) -> pa.Array:
        return self.attrs["country"]

    @property
    def parent_exception(self) -> pa.Array:
        return self.attrs["parent_exception"]

    def _other(self) -> tuple[CSR, npt.NDArray[np.int8]]:
        got = self.shared.get("other")
        if got is None:
            csr, (kind,) = CSR.build(self.n, self.other_src, self.other_dst, self.other_kind)
            got = self.shared["other"] = (csr, kind)
        return got

    @property
    def other(self) -> CSR:
        """CSR over the non-ownership edges (built on first use per edge epoch; explanations walk it)."""
        return self._other()[0]

    @property
    def other_kind_sorted(self) -> npt.NDArray[np.int8]:
        return self._other()[1]

    def neighbours(self, u: int, up: bool) -> list[tuple[int, str, int | None]]:
        """(node, edge kind, share lower bound) for owners (``up``) or holdings of ``u``, all edge kinds."""
        arr = np.array([u], dtype=np.int64)
        out: list[tuple[int, str, int | None]] = []
        eidx = self.own.in_edges(arr) if up else self.own.out_edges(arr)
        ends = self.own.src[eidx] if up else self.own.dst[eidx]
        out += [(int(w), OWNERSHIP, int(s)) for w, s in zip(ends.tolist(), self.lo[eidx].tolist(), strict=True)]
        other = self.other
        kinds = self.other_kind_sorted
        eidx = other.in_edges(arr) if up else other.out_edges(arr)
        ends = other.src[eidx] if up else other.dst[eidx]
        out += [(int(w), REL_KINDS[int(k)], None) for w, k in zip(ends.tolist(), kinds[eidx].tolist(), strict=True)]
        return out

    def degree(self, v: int) -> int:
        o, x = self.own, self.other
        return int(o.indptr[v + 1] - o.indptr[v] + o.indptr_in[v + 1] - o.indptr_in[v]
                   + x.indptr[v + 1] - x.indptr[v] + x.indptr_in[v + 1] - x.indptr_in[v])

    def node_id(self, v: int) -> str:
        value: Any = self.ids[v]
        out = value.as_py() if hasattr(value, "as_py") else value
        return str(out) if out is not None else f"#{v}"

    def node_name(self, v: int) -> str:
        name = self.names[v].as_py()
        return str(name) if name else self.node_id(v)

    def node_hq(self, v: int) -> str | None:
        value = self.hq[v].as_py() or self.listed_hq.get(v)
        return str(value) if value else None


def _edges_at(s: Structure, day: int) -> dict[str, Any]:
    """The edge arrays in force on ``day`` (one pair per owner and owned, shares reduced)."""
    n = s.n
    o = s.own
    src, dst, share, smin, smax = o.src, o.dst, o.share, o.smin, o.smax
    if not s.own_undated:
        on = in_force(o.start, o.end, day)
        src, dst, share, smin, smax = src[on], dst[on], share[on], smin[on], smax[on]
    src, dst, lo, hi, unknown, ranged, conflicting = reduce_pairs(n, src, dst, share, smin, smax, presorted=True)
    # Upper bound of an unknown or open share: what the other owners' known minimum leaves unexplained.
    in_lo = segment_sum(dst, lo, n)
    cap = np.maximum(PPM - (in_lo[dst] - lo), lo)
    hi = np.where(hi < 0, cap, np.minimum(hi, cap))
    own, (lo, hi, unknown, ranged, conflicting) = CSR.build(n, src, dst, lo, hi, unknown, ranged, conflicting,
                                                            presorted=True)
    r = s.other
    o_src, o_dst, o_kind = r.src, r.dst, r.kind
    on = in_force(r.start, r.end, day)
    if not on.all():
        o_src, o_dst, o_kind = o_src[on], o_dst[on], o_kind[on]
    exists: BOOL | None = None
    if s.n_list_nodes < n:
        ends = s.ends
        a, b = ends.src, ends.dst
        live = in_force(ends.start, ends.end, day)
        exists = np.ones(n, dtype=bool)
        exists[s.n_list_nodes:] = False
        exists[a[live]] = True
        exists[b[live]] = True
    return {"own": own, "lo": lo, "hi": hi, "unknown": unknown, "ranged": ranged, "conflicting": conflicting,
            "other_src": o_src, "other_dst": o_dst, "other_kind": o_kind, "exists": exists, "shared": {}}


def graph_at(s: Structure, date: dt.date) -> Graph:
    """The view of ``s`` on ``date``; its edge arrays are shared by every date of the same edge epoch."""
    epoch = s.edge_epoch(date)
    parts = s.memo(("edges", epoch), lambda: _edges_at(s, day_number(date)))
    return Graph(date=date, n=s.n, attrs_loader=s.attrs, person=s.person, listings=s.listings,
                 snapshot=s.snapshot, virtual_ids=s.virtual_ids, virtual_norms=s.virtual_norms,
                 entity_nodes=s.entity_nodes, listed_hq=s.listed_hq, listed_norms=s.listed_norms,
                 structure=s, epoch=epoch, **parts)


def build(store: Store, date: dt.date, snapshot: str | SnapshotInfo | None = None,
          cache: dict[Any, Any] | None = None) -> Graph:
    """Read the store as of ``date`` into a ``Graph`` (ownership tables plus the list snapshot).

    ``cache`` (kept by ``Control``) holds the date-independent ``Structure`` per snapshot and ownership-data
    version, so that a batch over many dates reads and resolves everything once and then only masks arrays.
    """
    return graph_at(structure_for(store, snapshot, cache), date)
