"""The ownership graph as of one date: dense node numbering, CSR arrays, listings per node.

Why CSR by hand rather than a graph library: the kernels (fixpoints, Jacobi, pointer jumping) are a handful
of gathers and scatters over int arrays, and reading the edges from DuckDB as int64 columns then sorting
once is the whole build. Shares stay integer ppm throughout (``lo``/``hi`` bounds; equal when exact).

Nodes are the ownership parties (``own_parties.pid``), plus *virtual* nodes for listed entries and
list-text relations that no ownership file mentions, so that every listed party can be asked about.

Nodes, edges (with their start and end days) and listings do not depend on the date: ``Structure`` reads
and resolves them once per (store, snapshot, ownership-data version); a date only selects, by vectorised
masks, the edges and listings in force, and dates in the same *epoch* (nothing starts or ends between
them) share one set of arrays.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar, cast

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from chipscreen.ownership import tables
from chipscreen.ownership.tables import (
    AFFILIATE,
    BRANCH,
    CONTROL,
    LINKED,
    OWNERSHIP,
    PARENT_DIRECT,
    PARENT_ULTIMATE,
)
from chipscreen.store import SnapshotInfo, Store

PPM = 1_000_000
_T = TypeVar("_T")
I64 = npt.NDArray[np.int64]
BOOL = npt.NDArray[np.bool_]

REL_KINDS = (PARENT_DIRECT, PARENT_ULTIMATE, BRANCH, CONTROL, LINKED, AFFILIATE, OWNERSHIP)
_LIST_REL_KIND = {"parent": PARENT_DIRECT, "linked": LINKED, "affiliate": AFFILIATE, "ownership": OWNERSHIP,
                  "directorship": CONTROL, "unknown": LINKED}


@dataclass
class CSR:
    """Edges sorted by ``src`` with ``indptr`` over src; ``perm_in``/``indptr_in`` give the by-dst view."""

    n: int
    src: I64
    dst: I64
    indptr: I64
    perm_in: I64
    indptr_in: I64

    @classmethod
    def build(cls, n: int, src: I64, dst: I64, *cols: npt.NDArray[Any], presorted: bool = False
              ) -> tuple[CSR, list[npt.NDArray[Any]]]:
        """CSR over ``src`` (and the by-``dst`` permutation). Order inside a segment carries no meaning,
        so the unstable (introsort) argsort is fine: 5x faster than a stable sort on 2 M edges."""
        if presorted:
            cols_sorted = list(cols)
        else:
            order = np.argsort(src)
            src, dst = src[order], dst[order]
            cols_sorted = [c[order] for c in cols]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        perm_in = np.argsort(dst).astype(np.int64)
        indptr_in = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(dst, minlength=n), out=indptr_in[1:])
        return cls(n, src, dst, indptr, perm_in, indptr_in), cols_sorted

    def out_edges(self, nodes: I64) -> I64:
        """Edge indices leaving ``nodes`` (vectorised gather over CSR segments)."""
        return _segments(self.indptr, nodes)

    def in_edges(self, nodes: I64) -> I64:
        return self.perm_in[_segments(self.indptr_in, nodes)]


def _segments(indptr: I64, nodes: I64) -> I64:
    starts = indptr[nodes]
    lens = indptr[nodes + 1] - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - (np.cumsum(lens) - lens), lens)
    return offsets + np.arange(total, dtype=np.int64)


def segment_sum(index: I64, weights: I64, n: int) -> I64:
    """Exact int64 sum of ``weights`` grouped by ``index`` (``np.add.at``: no float anywhere)."""
    out = np.zeros(n, dtype=np.int64)
    if index.size:
        np.add.at(out, index, weights)
    return out


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

    def in_force(self, on: dt.date) -> bool:
        return not ((self.start_date and on < self.start_date) or (self.end_date and on > self.end_date))


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
    listings: dict[int, list[Listing]] = field(default_factory=dict)
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

    def listed_mask(self, lists: dict[str, list[str] | None]) -> BOOL:
        """Nodes listed on ``date`` on one of ``lists`` (list code -> required programs, or None for any)."""
        if self.structure is not None:
            return self.structure.listed_at(lists, self.date)[0]
        mask = np.zeros(self.n, dtype=bool)
        for v, entries in self.listings.items():
            if any(feeds(e, lists) and e.in_force(self.date) for e in entries):
                mask[v] = True
        return mask


def feeds(e: Listing, lists: dict[str, list[str] | None]) -> bool:
    """Whether a list entry feeds a regime with these lists (list code -> required programs or None)."""
    if e.list_code not in lists:
        return False
    progs = lists[e.list_code]
    return progs is None or any(p.strip("[]").upper() in progs for p in e.programs)


def day_number(d: dt.date) -> int:
    """Days since 1970-01-01: the integer the dated arrays are compared with."""
    return (d - _EPOCH0).days


_EPOCH0 = dt.date(1970, 1, 1)
_OPEN_START = -(1 << 40)  # no start date: in force since forever
_OPEN_END = 1 << 40  # no end date: still in force
_ASCII_SEP = re.compile(r"[^a-z0-9]+")
_FORMS_RE = re.compile(f" ({tables._LEGAL_FORMS}) ")
_WS = re.compile(r"\s+")
_INDEX_MAX = 300_000  # ownership parties up to which ids, LEIs and names are indexed in Python dicts


def norm_ascii(s: str) -> str | None:
    """``own_norm`` (the DuckDB macro in ``tables``) for an ASCII string, in Python.

    On ASCII input ``strip_accents`` is the identity and ``[^\\p{L}\\p{N}]`` is ``[^a-z0-9]`` after lower-
    casing, so this is the same function (tested against the macro); other strings go to DuckDB.
    """
    base = _ASCII_SEP.sub(" ", s.lower()).strip(" ") or None
    if base is None:
        return None
    out = _WS.sub(" ", _FORMS_RE.sub(" ", " " + base.replace(" ", "  ") + " ")).strip(" ")
    return out or base


def _days(col: str) -> str:
    bound = _OPEN_START if col.startswith("start") else _OPEN_END
    return f"coalesce(datediff('day', DATE '1970-01-01', {col}), {bound})"


class Structure:
    """Everything about the graph that does not depend on the date, built once per (store, snapshot,
    ownership-data version): the nodes (ownership parties, list entries, list-text relation endpoints), every
    edge with its start and end day, the list entries with theirs, and the id / name indexes.

    A date maps to an *edge epoch* (its position among the sorted days on which some edge starts or stops
    being in force) and, per regime, a *listing epoch* (same over the entries that feed the regime): dates
    in the same epochs see the same inputs, so ``cache`` keeps one computation per epoch (edge arrays,
    listed masks, and the kernels ``ControlView`` runs on them).
    """

    def __init__(self, store: Store, snap: SnapshotInfo | None, key: tuple[Any, ...]) -> None:
        self.store = store
        self.key = key
        self.snapshot = snap.id if snap else None
        self._snap = snap
        self.cache: OrderedDict[Any, Any] = OrderedDict()
        self._norms: dict[str, str | None] = {}
        self._alias: dict[str, list[str]] | None = None
        self._own_index: tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]] | None = None
        self._own_memo: dict[tuple[str, str], list[int]] = {}
        self._attrs: dict[str, pa.Array] | None = None
        self._specs: dict[Any, tuple[BOOL, I64]] = {}
        self._build(store, snap)

    # ------------------------------------------------------------------ build (once)
    def _build(self, store: Store, snap: SnapshotInfo | None) -> None:
        con = store.con
        tables.ensure(con)  # the own_norm macro is per connection
        kinds = con.execute("SELECT pid, kind = 'person' AS person FROM own_parties ORDER BY pid").fetchnumpy()
        n_own = len(kinds["pid"])
        if n_own and int(kinds["pid"][-1]) != n_own - 1:
            raise RuntimeError("own_parties.pid is not dense; the ownership tables are inconsistent")
        self.n_own = n_own
        extra_ids: list[str | None] = []
        extra_names: list[str | None] = []
        extra_country: list[str | None] = []
        extra_hq: list[str | None] = []
        listings: dict[int, list[Listing]] = {}
        virtual_ids: dict[str, int] = {}
        virtual_norms: dict[str, int] = {}
        entity_node: dict[str, int] = {}
        listed_hq: dict[int, str] = {}  # headquarters stated by a list entry (fallback when ownership data has none)
        listed_norm: dict[str, int] = {}

        def virtual(key_id: str | None, name: str | None, norm: str | None, country: str | None = None,
                    hq: str | None = None) -> int:
            if key_id and key_id in virtual_ids:
                return virtual_ids[key_id]
            if norm and norm in virtual_norms:
                v = virtual_norms[norm]
            else:
                v = n_own + len(extra_ids)
                extra_ids.append(key_id)
                extra_names.append(name)
                extra_country.append(country)
                extra_hq.append(hq)
                if norm:
                    virtual_norms[norm] = v
            if key_id:
                virtual_ids[key_id] = v
            return v

        rel_src: list[int] = []
        rel_dst: list[int] = []
        rel_kind_l: list[int] = []
        rel_start: list[int] = []
        rel_end: list[int] = []
        lr_own: list[tuple[int, int, int, int, int, int]] = []
        ends_a: list[int] = []
        ends_b: list[int] = []
        ends_start: list[int] = []
        ends_end: list[int] = []
        l_node: list[int] = []
        l_entry: list[Listing] = []
        n_list_nodes = n_own
        if snap is not None and snap.lists:
            pairs = " OR ".join(f"(x.list_code = '{c}' AND x.dataset_id = '{d}')" for c, d in snap.lists.items())
            rows = con.execute(f"""
                WITH le AS (SELECT x.entity_id, x.list_code, x.name, x.country, x.headquarters, x.programs,
                                   x.start_date, x.end_date, own_norm(x.name) AS norm FROM entries x WHERE {pairs}),
                     ln AS (SELECT DISTINCT x.entity_id, own_norm(x.name) AS norm FROM names x
                            WHERE ({pairs}) AND x.kind IN ('primary', 'alias')),
                     byid AS (SELECT DISTINCT le.entity_id, p.pid FROM le JOIN own_parties p ON p.id = le.entity_id),
                     byname AS (SELECT ln.entity_id, list(DISTINCT p.pid ORDER BY p.pid) AS pids
                                FROM ln JOIN own_parties p ON p.norm = ln.norm GROUP BY 1)
                SELECT le.entity_id, le.list_code, le.name, le.norm, le.country, le.headquarters, le.programs,
                       le.start_date, le.end_date, byid.pid, byname.pids
                FROM le LEFT JOIN byid USING (entity_id) LEFT JOIN byname USING (entity_id)
                ORDER BY le.entity_id, le.list_code""").fetchall()
            dids = sorted(set(snap.lists.values()))
            marks = ",".join("?" for _ in dids)
            rels = con.execute(f"""
                SELECT owner_id, owner_name, own_norm(owner_name), owned_id, owned_name, own_norm(owned_name),
                       kind, share_ppm, share_min_ppm, share_max_ppm, {_days('start_date')}, {_days('end_date')}
                FROM list_relations WHERE dataset_id IN ({marks}) ORDER BY rowid""",
                                 dids).fetchall()
            for eid, code, name, norm, country, hq, programs, start, end, pid_id, pids_name in rows:
                # A listing attaches to the party with its id and to every party bearing one of its names.
                targets: list[tuple[int, str]] = []
                if pid_id is not None:
                    targets.append((int(pid_id), "id"))
                targets += [(int(p), "name") for p in (pids_name or []) if p != pid_id]
                if not targets:
                    targets.append((virtual(eid, name, norm, country, hq), "virtual"))
                entity_node.setdefault(eid, targets[0][0])
                if norm:
                    listed_norm.setdefault(norm, targets[0][0])
                for v, how in targets:
                    entry = Listing(eid, code, name, list(programs or []), start, end, how)
                    listings.setdefault(v, []).append(entry)
                    l_node.append(v)
                    l_entry.append(entry)
                    if hq:
                        listed_hq.setdefault(v, hq)
            n_list_nodes = n_own + len(extra_ids)

            own_by_id: dict[str, int] = {}
            own_by_norm: dict[str, int] = {}
            wanted_ids = {r[0] for r in rels if r[0]} | {r[3] for r in rels if r[3]}
            wanted_norms = {r[2] for r in rels if r[2]} | {r[5] for r in rels if r[5]}
            if rels:
                id_list, norm_list = sorted(wanted_ids - set(entity_node)), sorted(wanted_norms)
                for pid, pid_id, pnorm in con.execute(
                    "SELECT pid, id, norm FROM own_parties WHERE list_contains(?, id) OR list_contains(?, norm)",
                    [id_list, norm_list],
                ).fetchall():
                    if pid_id in wanted_ids:
                        own_by_id[pid_id] = int(pid)
                    if pnorm in wanted_norms:
                        own_by_norm.setdefault(pnorm, int(pid))

            def endpoint(eid: str | None, name: str | None, norm: str | None) -> int:
                if eid and eid in entity_node:
                    return entity_node[eid]
                if eid and eid in own_by_id:
                    return own_by_id[eid]
                if norm and norm in own_by_norm:
                    return own_by_norm[norm]
                if norm and norm in listed_norm:
                    return listed_norm[norm]
                if norm and norm in virtual_norms:
                    return virtual_norms[norm]
                return virtual(eid, name, norm)

            # Every relation of the snapshot, whatever its dates: the per-date mask picks those in force.
            for o_id, o_name, o_norm, d_id, d_name, d_norm, kind, share, smin, smax, r_start, r_end in rels:
                a, b = endpoint(o_id, o_name, o_norm), endpoint(d_id, d_name, d_norm)
                ends_a.append(a)
                ends_b.append(b)
                ends_start.append(r_start)
                ends_end.append(r_end)
                if a == b:
                    continue
                k = _LIST_REL_KIND.get(kind or "unknown", LINKED)
                if k == OWNERSHIP:  # stated ownership (FtM) feeds the fixpoint; an unknown share: "possibly"
                    s_lo = share if share is not None else smin
                    s_hi = share if share is not None else smax
                    lr_own.append((a, b, -1 if s_lo is None else s_lo, -1 if s_hi is None else s_hi,
                                   r_start, r_end))
                    continue
                rel_src.append(a)
                rel_dst.append(b)
                rel_kind_l.append(REL_KINDS.index(k))
                rel_start.append(r_start)
                rel_end.append(r_end)

        n = n_own + len(extra_ids)
        self.n = n
        self.listings, self.virtual_ids, self.virtual_norms = listings, virtual_ids, virtual_norms
        self.entity_nodes, self.listed_hq, self.listed_norms = entity_node, listed_hq, listed_norm
        extra: dict[str, list[str | None]] = {
            "id": extra_ids, "name": extra_names, "country": extra_country, "hq": extra_hq,
            "parent_exception": [None] * len(extra_ids),
        }
        self._extra = extra
        person = np.zeros(n, dtype=bool)
        if n_own:
            person[:n_own] = np.ma.filled(np.ma.asarray(kinds["person"]), False).astype(bool)
        self.person = person

        # Nodes that only list-text relations created exist on the dates one of those relations is in force.
        self.n_list_nodes = n_list_nodes
        self._ends = (np.array(ends_a, np.int64), np.array(ends_b, np.int64), np.array(ends_start, np.int64),
                      np.array(ends_end, np.int64))

        # Ownership statements with their days, sorted once by (owner, owned): any per-date subset stays sorted.
        # -1 stands for "not stated".
        e = con.execute(f"""
            SELECT owner_pid, owned_pid, coalesce(share_ppm, -1) AS s, coalesce(share_min_ppm, -1) AS smin,
                   coalesce(share_max_ppm, -1) AS smax, {_days('start_date')} AS t0, {_days('end_date')} AS t1
            FROM own_edges WHERE kind = 'ownership'""").fetchnumpy()
        cols = [np.asarray(e[c], dtype=np.int64) for c in ("owner_pid", "owned_pid", "s", "smin", "smax", "t0", "t1")]
        if lr_own:
            arr = np.array(lr_own, dtype=np.int64)
            exact = np.where(arr[:, 2] == arr[:, 3], arr[:, 2], -1)
            add = [arr[:, 0], arr[:, 1], exact, arr[:, 2], arr[:, 3], arr[:, 4], arr[:, 5]]
            cols = [np.concatenate([c, a]) for c, a in zip(cols, add, strict=True)]
        key = cols[0] * np.int64(max(n, 1)) + cols[1]
        if key.size and not bool((key[1:] >= key[:-1]).all()):
            order = np.argsort(key, kind="stable")
            cols = [c[order] for c in cols]
        self._own = cols
        self._own_all = bool(((cols[5] == _OPEN_START) & (cols[6] == _OPEN_END)).all())

        case = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(REL_KINDS))
        r = con.execute(f"""
            SELECT owner_pid, owned_pid, CAST(CASE kind {case} ELSE {REL_KINDS.index(LINKED)} END AS TINYINT) AS k,
                   {_days('start_date')} AS t0, {_days('end_date')} AS t1
            FROM own_edges WHERE kind <> 'ownership'""").fetchnumpy()
        self._other = (
            np.concatenate([np.asarray(r["owner_pid"], np.int64), np.array(rel_src, np.int64)]),
            np.concatenate([np.asarray(r["owned_pid"], np.int64), np.array(rel_dst, np.int64)]),
            np.concatenate([np.asarray(r["k"], np.int8), np.array(rel_kind_l, np.int8)]),
            np.concatenate([np.asarray(r["t0"], np.int64), np.array(rel_start, np.int64)]),
            np.concatenate([np.asarray(r["t1"], np.int64), np.array(rel_end, np.int64)]),
        )
        self.edge_points = _change_points(
            np.concatenate([self._own[5], self._other[3], self._ends[2]]),
            np.concatenate([self._own[6], self._other[4], self._ends[3]]))

        # List entries as arrays (one row per (node, entry)): the per-date listed masks are two comparisons.
        self._l_node = np.array(l_node, dtype=np.int64)
        self._l_entry = l_entry
        self._l_start = np.array([day_number(x.start_date) if x.start_date else _OPEN_START for x in l_entry],
                                 dtype=np.int64)
        self._l_end = np.array([day_number(x.end_date) if x.end_date else _OPEN_END for x in l_entry],
                               dtype=np.int64)

    # ------------------------------------------------------------------ epochs and per-date parts
    def memo(self, key: Any, make: Callable[[], _T], limit: int = 512, freeze: bool = False) -> _T:
        """LRU over per-epoch results (bounded so a long batch on a big graph does not grow without end).

        ``freeze``: mark the result's arrays read-only, so that a caller writing into a shared result fails
        loudly instead of changing the answers of every other date of the epoch.
        """
        got = self.cache.get(key)
        if got is None:
            got = make()
            if freeze:
                _freeze(got)
            self.cache[key] = got
            while len(self.cache) > max(8, min(limit, 20_000_000 // (self.n + self._own[0].size + 1))):
                self.cache.popitem(last=False)
        else:
            self.cache.move_to_end(key)
        return cast(_T, got)

    def edge_epoch(self, date: dt.date) -> int:
        return int(np.searchsorted(self.edge_points, day_number(date), side="right"))

    def graph(self, date: dt.date) -> Graph:
        epoch = self.edge_epoch(date)
        parts = self.memo(("edges", epoch), lambda: self._edges_at(day_number(date)))
        return Graph(date=date, n=self.n, attrs_loader=self.attrs, person=self.person, listings=self.listings,
                     snapshot=self.snapshot, virtual_ids=self.virtual_ids, virtual_norms=self.virtual_norms,
                     entity_nodes=self.entity_nodes, listed_hq=self.listed_hq, listed_norms=self.listed_norms,
                     structure=self, epoch=epoch, **parts)

    def _edges_at(self, day: int) -> dict[str, Any]:
        n = self.n
        src, dst, share, smin, smax, t0, t1 = self._own
        if not self._own_all:
            on = (t0 <= day) & (t1 >= day)
            src, dst, share, smin, smax = src[on], dst[on], share[on], smin[on], smax[on]
        src, dst, lo, hi, unknown, ranged, conflicting = _reduce_pairs(n, src, dst, share, smin, smax, presorted=True)
        # Upper bound of an unknown or open share: what the other owners' known minimum leaves unexplained.
        in_lo = segment_sum(dst, lo, n)
        cap = np.maximum(PPM - (in_lo[dst] - lo), lo)
        hi = np.where(hi < 0, cap, np.minimum(hi, cap))
        own, (lo, hi, unknown, ranged, conflicting) = CSR.build(n, src, dst, lo, hi, unknown, ranged, conflicting,
                                                                presorted=True)
        o_src, o_dst, o_kind, o_t0, o_t1 = self._other
        on = (o_t0 <= day) & (o_t1 >= day)
        if not on.all():
            o_src, o_dst, o_kind = o_src[on], o_dst[on], o_kind[on]
        exists: BOOL | None = None
        if self.n_list_nodes < n:
            a, b, r0, r1 = self._ends
            live = (r0 <= day) & (r1 >= day)
            exists = np.ones(n, dtype=bool)
            exists[self.n_list_nodes:] = False
            exists[a[live]] = True
            exists[b[live]] = True
        return {"own": own, "lo": lo, "hi": hi, "unknown": unknown, "ranged": ranged, "conflicting": conflicting,
                "other_src": o_src, "other_dst": o_dst, "other_kind": o_kind, "exists": exists, "shared": {}}

    def _spec(self, lists: dict[str, list[str] | None]) -> tuple[Any, BOOL, I64]:
        """Entries feeding a regime with these lists, and the days on which that set of entries changes."""
        key = tuple(sorted((c, tuple(p) if p is not None else None) for c, p in lists.items()))
        got = self._specs.get(key)
        if got is None:
            feeding = np.array([feeds(x, lists) for x in self._l_entry], dtype=bool)
            got = self._specs[key] = (feeding, _change_points(self._l_start[feeding], self._l_end[feeding]))
        return key, got[0], got[1]

    def listing_epoch(self, lists: dict[str, list[str] | None], date: dt.date) -> tuple[Any, int]:
        key, _, points = self._spec(lists)
        return key, int(np.searchsorted(points, day_number(date), side="right"))

    def listed_at(self, lists: dict[str, list[str] | None], date: dt.date) -> tuple[BOOL, tuple[Any, int]]:
        """Nodes on one of ``lists`` on ``date`` (cached per listing epoch), and that epoch's key."""
        key, feeding, points = self._spec(lists)
        day = day_number(date)
        ep = (key, int(np.searchsorted(points, day, side="right")))

        def make() -> BOOL:
            on = feeding & (self._l_start <= day) & (self._l_end >= day)
            mask = np.zeros(self.n, dtype=bool)
            mask[self._l_node[on]] = True
            return mask

        return self.memo(("listed", ep), make, freeze=True), ep

    # ------------------------------------------------------------------ node strings and name lookups
    def attrs(self) -> dict[str, pa.Array]:
        if self._attrs is None:
            extra, n_own = self._extra, self.n_own
            nodes = self.store.con.sql("SELECT id, name, country, hq, parent_exception FROM own_parties ORDER BY pid"
                                       ).to_arrow_table()
            self._attrs = {c: _cat(nodes, c, extra[c], n_own) for c in extra}
        return self._attrs

    def norm(self, name: str) -> str | None:
        """``own_norm`` of a query: Python for ASCII (same function), DuckDB otherwise; memoised."""
        if name in self._norms:
            return self._norms[name]
        if name.isascii():
            out = norm_ascii(name)
        else:
            try:
                row = self.store.con.execute("SELECT own_norm(?)", [name]).fetchone()
            except Exception:  # the temp macro is per connection: define it and retry
                tables.ensure(self.store.con)
                row = self.store.con.execute("SELECT own_norm(?)", [name]).fetchone()
            out = row[0] if row else None
        if len(self._norms) < 1_000_000:
            self._norms[name] = out
        return out

    def own_parties(self, field_: str, value: str) -> list[int]:
        """Ownership parties whose ``id``, ``lei`` or ``norm`` is ``value`` (sorted pids)."""
        if self.n_own <= _INDEX_MAX:
            if self._own_index is None:
                by: tuple[dict[str, list[int]], dict[str, list[int]], dict[str, list[int]]] = ({}, {}, {})
                rows = self.store.con.execute("SELECT pid, id, lei, norm FROM own_parties ORDER BY pid").fetchall()
                for pid, pid_id, lei, norm in rows:
                    for d, k in zip(by, (pid_id, lei, norm), strict=True):
                        if k is not None:
                            d.setdefault(k, []).append(int(pid))
                self._own_index = by
            d = self._own_index[("id", "lei", "norm").index(field_)]
            return d.get(value, [])
        memo_key = (field_, value)
        got = self._own_memo.get(memo_key)
        if got is None:
            got = [int(r[0]) for r in self.store.con.execute(
                f"SELECT pid FROM own_parties WHERE {field_} = ? ORDER BY pid", [value]).fetchall()]
            if len(self._own_memo) < 1_000_000:
                self._own_memo[memo_key] = got
        return got

    def alias_entities(self, norm: str) -> list[str]:
        """List entity ids with any name (primary, alias, ...) of this normalised form in the snapshot."""
        if self._alias is None:
            alias: dict[str, list[str]] = {}
            snap = self._snap
            if snap is not None and snap.lists:
                pairs = " OR ".join(f"(x.list_code = '{c}' AND x.dataset_id = '{d}')" for c, d in snap.lists.items())
                for nm, eid in self.store.con.execute(
                    f"SELECT DISTINCT own_norm(x.name) AS nm, x.entity_id FROM names x WHERE ({pairs}) ORDER BY 1, 2"
                ).fetchall():
                    if nm:
                        alias.setdefault(nm, []).append(eid)
            self._alias = alias
        return self._alias.get(norm, [])


def _freeze(obj: Any) -> None:
    """Arrays in a result (an array, a tuple of results, or a dataclass with array fields) made read-only."""
    if isinstance(obj, np.ndarray):
        obj.flags.writeable = False
    elif isinstance(obj, tuple):
        for x in obj:
            _freeze(x)
    elif hasattr(obj, "__dataclass_fields__"):
        for x in vars(obj).values():
            if isinstance(x, np.ndarray):
                x.flags.writeable = False


def _change_points(start: I64, end: I64) -> I64:
    """Sorted distinct days on which something starts (its start day) or stops (the day after its end)."""
    pts = np.concatenate([start[start != _OPEN_START], end[end != _OPEN_END] + 1])
    return np.unique(pts)


def structure_for(store: Store, snapshot: str | SnapshotInfo | None = None,
                  cache: dict[Any, Any] | None = None) -> Structure:
    """The date-independent ``Structure`` for the store's snapshot and ownership data, from ``cache`` when
    the snapshot and the ownership data version (datasets loaded) are unchanged."""
    con = store.con
    # The latest snapshot and the ownership data version (datasets loaded): asked again only after the
    # store has committed a write (``Store.generation``), not on every new date of a batch.
    state_key = ("state", id(store))
    generation = getattr(store, "generation", None)
    remembered = cache.get(state_key) if cache is not None else None
    if remembered is not None and generation is not None and remembered[0] == generation:
        latest, version = remembered[1], remembered[2]
    else:
        state = (
            "SELECT (SELECT id FROM snapshots ORDER BY seq DESC LIMIT 1), count(*), max(loaded_at) FROM own_datasets"
        )
        try:  # the tables exist: skip the DDL (the macros are defined when a Structure is built)
            latest, *version = con.execute(state).fetchall()[0]
        except duckdb.Error:
            tables.ensure(con)
            latest, *version = con.execute(state).fetchall()[0]
        if cache is not None and generation is not None:
            cache[state_key] = (generation, latest, version)
    snap: SnapshotInfo | None
    if isinstance(snapshot, SnapshotInfo):
        snap = snapshot
    elif snapshot is None:
        snap = None if latest is None else (cache or {}).get(("snapinfo", latest)) or store.snapshot(str(latest))
        if cache is not None and snap is not None:
            cache[("snapinfo", snap.id)] = snap
    elif snapshot.startswith("latest"):
        snap = store.snapshot(snapshot)
    else:  # a snapshot id never changes meaning
        snap = (cache or {}).get(("snapinfo", snapshot)) or store.snapshot(snapshot)
        if cache is not None:
            cache[("snapinfo", snapshot)] = snap
    key = ("structure", str(store.path), snap.id if snap else None, tuple(version))
    got = cache.get(key) if cache is not None else None
    if got is None:
        got = Structure(store, snap, key)
        if cache is not None:
            for k in [k for k in cache if isinstance(k, tuple) and k and k[0] == "structure"]:
                del cache[k]  # an older snapshot or ownership version: its arrays are no longer wanted
            cache[key] = got
    return got


def build(store: Store, date: dt.date, snapshot: str | SnapshotInfo | None = None,
          cache: dict[Any, Any] | None = None) -> Graph:
    """Read the store as of ``date`` into a ``Graph`` (ownership tables plus the list snapshot).

    ``cache`` (kept by ``Control``) holds the date-independent ``Structure`` per snapshot and ownership-data
    version, so that a batch over many dates reads and resolves everything once and then only masks arrays.
    """
    return structure_for(store, snapshot, cache).graph(date)


def _cat(nodes: pa.Table, col: str, extra: list[str | None], n_own: int) -> pa.Array:
    tail = pa.array(extra, pa.string())
    if not n_own:
        return tail
    head = nodes.column(col).combine_chunks().cast(pa.string())
    return pa.concat_arrays([head, tail]) if len(extra) else head


def _reduce_pairs(n: int, src: I64, dst: I64, share: I64, smin: I64, smax: I64, presorted: bool = False
                  ) -> tuple[I64, I64, I64, I64, BOOL, BOOL, BOOL]:
    """One edge per (owner, owned), sorted by owner: lo = min of lower bounds, hi = max of upper bounds
    (-1 if any statement leaves it open), plus unknown / ranged / conflicting flags. ``presorted``: the
    edges are already sorted by (src, dst)."""
    lo_raw = np.where(share >= 0, share, np.maximum(smin, 0))
    hi_raw = np.where(share >= 0, share, smax)
    unknown = (share < 0) & (smin < 0) & (smax < 0)
    ranged = (share < 0) & ~unknown
    key = src * np.int64(max(n, 1)) + dst
    if not presorted:  # (the caller may have sorted by (src, dst) once for every date)
        order = np.argsort(key)
        key, src, dst = key[order], src[order], dst[order]
        lo_raw, hi_raw, unknown, ranged, share = (lo_raw[order], hi_raw[order], unknown[order], ranged[order],
                                                  share[order])
    if key.size == 0 or bool((key[1:] != key[:-1]).all()):
        return src, dst, lo_raw, hi_raw, unknown, ranged, np.zeros(key.size, dtype=bool)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    # A statement without a share asserts no lower bound: the minimum runs over stated bounds only.
    big = np.iinfo(np.int64).max
    lo = np.minimum.reduceat(np.where(unknown, big, lo_raw), starts)
    lo[lo == big] = 0
    open_hi = np.maximum.reduceat((hi_raw < 0).astype(np.int8), starts).astype(bool)
    hi = np.where(open_hi, -1, np.maximum.reduceat(hi_raw, starts))
    stated = share >= 0
    smax_stated = np.maximum.reduceat(np.where(stated, share, -1), starts)
    smin_stated = np.minimum.reduceat(np.where(stated, share, np.iinfo(np.int64).max), starts)
    conflicting = (smax_stated >= 0) & (smin_stated != smax_stated)
    return (src[starts], dst[starts], lo, hi, np.logical_or.reduceat(unknown, starts),
            np.logical_or.reduceat(ranged, starts), conflicting)
