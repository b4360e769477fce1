"""The API the decision engine calls: ``Control(store).as_of(date).status(party) -> ControlStatus``.

The date-independent graph (nodes, dated edges and listings, id and name indexes) is read once per
(store, snapshot, ownership-data version) into a ``graph.Structure``. One ``as_of`` view then only masks
the edges and listings in force on its date and runs every kernel for all nodes (a few hundred ms on a
million companies); the kernels' results are cached per *epoch* (the edge epoch, and per regime its listing
epoch and parameters), so every later date in an epoch already seen costs a few dictionary lookups. A view
answers any number of ``status`` questions from the arrays. Each answer carries what an
analyst needs to trust it: the lists the party is on, per regime the capture status with a proof tree
(contributing owners, their stakes, the round of capture), the look-through share as a separate risk
indicator, the ultimate parent and its headquarters, listed relatives with paths, and data-quality flags.

Which regimes exist, their thresholds and feeding lists are data (``data/ownership/regimes.yaml``); whether
the BIS Affiliates rule is in force on a date comes from the rules package when it can answer, else from
that file's dated windows, and a caller may override it (``affiliates_rule_in_force``).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import yaml
from pydantic import BaseModel, Field

from chipscreen.errors import InputError
from chipscreen.ownership import parents as parents_mod
from chipscreen.ownership.graph import BOOL, PPM, Graph, build, feeds
from chipscreen.ownership.status import Fixpoint, LookThrough, greatest_fixpoint, least_fixpoint, look_through
from chipscreen.paths import data_dir
from chipscreen.store import SnapshotInfo, Store

BIS = "bis_affiliates"
OFAC = "ofac"
StatusCode = Literal["listed", "captured", "review", "possibly", "not"]
_STATUS_CODES: tuple[StatusCode, ...] = ("not", "possibly", "review", "captured", "listed")


# ------------------------------------------------------------------------------------------ regimes
@dataclass
class Regime:
    """One ownership regime as data: the test and the lists that feed it."""

    name: str
    title: str
    threshold_ppm: int
    op: str  # ">=" (OFAC, BIS) or ">" (EU/UK style)
    lists: dict[str, list[str] | None]  # list code -> required programs (None = every entry)
    citation: str
    in_force_windows: list[dict[str, Any]]
    suspended: list[dict[str, Any]]

    @property
    def effective_threshold(self) -> int:
        """The integer the score is compared with ``>=``: "more than 50%" is ">= 500001 ppm"."""
        return self.threshold_ppm + (1 if self.op == ">" else 0)

    def in_force(self, on: dt.date) -> tuple[bool, str]:
        for w in self.suspended:
            if _in_window(w, on):
                return False, f"suspended: {w.get('citation', '')}"
        for w in self.in_force_windows:
            if _in_window(w, on):
                return True, str(w.get("citation", "in force"))
        return False, "not in force on this date (regimes.yaml windows)"


def _in_window(w: dict[str, Any], on: dt.date) -> bool:
    start, until = w.get("from"), w.get("until")
    return not ((start and on < start) or (until and on > until))


def regimes_file() -> Path:
    return data_dir() / "ownership" / "regimes.yaml"


def load_regimes(path: Path | None = None) -> tuple[dict[str, Regime], int]:
    """Regimes and the significant-minority flag threshold from YAML (the data, not the code, decides)."""
    data = yaml.safe_load((path or regimes_file()).read_text(encoding="utf-8")) or {}
    out: dict[str, Regime] = {}
    for name, r in (data.get("regimes") or {}).items():
        lists = {str(code): ([str(p).upper() for p in v["programs"]] if v and v.get("programs") else None)
                 for code, v in (r.get("lists") or {}).items()}
        out[name] = Regime(name, r.get("title", name), int(r["threshold_ppm"]), r.get("op", ">="), lists,
                           str(r.get("citation", "")).strip(), list(r.get("in_force") or []),
                           list(r.get("suspended") or []))
    return out, int(data.get("significant_minority_ppm", 250_000))


def _rules_affiliates(on: dt.date) -> dict[str, Any] | None:
    """The rules package's answer for the BIS Affiliates rule on a date, when it exposes one.

    Accepts a mapping or an object with ``in_force``, ``threshold_ppm`` and ``lists`` (list codes, or
    entries ``{list, programs}``); anything else is ignored and regimes.yaml is used.
    """
    try:
        from chipscreen import rules
    except Exception:
        return None
    fn = getattr(rules, "affiliates_rule", None)
    if fn is None:
        return None
    try:
        ans = fn(on)
    except Exception:
        return None
    if ans is None:
        return None
    get = ans.get if isinstance(ans, dict) else (lambda k, d=None: getattr(ans, k, d))
    label = get("status") or ("in force" if get("in_force") else "not in force")
    out: dict[str, Any] = {"in_force": get("in_force"),
                           "source": f"chipscreen.rules.affiliates_rule: {label} (rulebook {get('rulebook', '?')})"}
    threshold = get("threshold_ppm")
    if threshold is not None:
        out["threshold_ppm"] = int(threshold)
    if get("op") is not None:
        out["op"] = str(get("op"))
    raw_lists = get("list_details") or get("lists")  # details carry the SDN program filter
    if raw_lists:
        lists: dict[str, list[str] | None] = {}
        for item in raw_lists:
            if isinstance(item, str):
                lists[item] = None
            else:
                iget = item.get if isinstance(item, dict) else (lambda k, d=None, _i=item: getattr(_i, k, d))
                progs = iget("programs")
                lists[str(iget("list") or iget("code"))] = [str(p).upper() for p in progs] if progs else None
        out["lists"] = lists
    cite = get("citation")
    if cite is not None:
        out["citation"] = cite if isinstance(cite, str) else str(getattr(cite, "text", cite))
    return out


# ------------------------------------------------------------------------------------------ results
class PathStep(BaseModel):
    party_id: str
    name: str
    relation: str | None = None  # kind of the edge *into* the next step (ownership, parent_direct, ...)
    share_ppm: int | None = None


class ProofNode(BaseModel):
    """Why a party is blocked: its blocked owners (recursively) with stakes and the round of capture."""

    party_id: str
    name: str
    lists: list[str] = Field(default_factory=list)  # feeding lists it is on (a leaf of the proof)
    stake_ppm: int | None = None  # this owner's direct stake in the child node
    round: int  # 0 = listed; k = captured in round k; -1 = blocked only in the greatest fixpoint (review)
    aggregate_ppm: int | None = None  # sum of contributing blocked owners' stakes at capture
    owners: list[ProofNode] = Field(default_factory=list)


class RegimeStatus(BaseModel):
    regime: str
    title: str
    citation: str
    in_force: bool | None
    in_force_source: str
    threshold_ppm: int
    op: str
    status: StatusCode
    listed: bool
    captured: bool  # listed, or captured by the least fixpoint on lower-bound shares ("definitely")
    possibly: bool  # captured on upper-bound shares only (ranges, unknown shares)
    review: bool  # captured in the greatest fixpoint only: depends on circular holdings
    applies: bool  # captured/listed and the regime is not known to be out of force on the date
    aggregate_ppm: int  # blocked owners' direct stakes (lower bounds)
    aggregate_max_ppm: int  # same on upper bounds
    round: int | None = None
    contributing_lists: list[str] = Field(default_factory=list)
    contributing_parties: list[str] = Field(default_factory=list)  # party ids: proof leaves, else blocked owners
    contributing_names: list[str] = Field(default_factory=list)  # same order as contributing_parties
    proof: ProofNode | None = None


class ListingRef(BaseModel):
    entity_id: str
    list_code: str
    name: str
    programs: list[str] = Field(default_factory=list)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    matched_by: str


class ParentInfo(BaseModel):
    party_id: str
    name: str
    hq_country: str | None
    hq_country_for_test: str | None  # Hong Kong -> CN (hq_country_map.yaml)
    method: str  # "self" | "majority_chain" | "gleif_consolidation" | "gleif_ultimate"
    path: list[PathStep] = Field(default_factory=list)


class Relative(BaseModel):
    relation: Literal["parent", "subsidiary", "sister"]
    party_id: str
    name: str
    lists: list[str]
    path: list[PathStep]


class DataFlag(BaseModel):
    code: str
    detail: str


class ControlStatus(BaseModel):
    """Everything the engine knows about one party's ownership and control on one date."""

    query: str
    date: dt.date
    snapshot: str | None
    found: bool
    party_id: str | None = None
    name: str | None = None
    country: str | None = None
    headquarters: str | None = None
    headquarters_for_test: str | None = None
    listed: list[ListingRef] = Field(default_factory=list)
    regimes: dict[str, RegimeStatus] = Field(default_factory=dict)
    look_through_ppm: int = 0
    look_through_converged: bool = True
    ultimate_parent: ParentInfo | None = None
    relatives: list[Relative] = Field(default_factory=list)
    flags: list[DataFlag] = Field(default_factory=list)
    candidates: list[str] = Field(default_factory=list)  # other parties the query matched

    @property
    def is_listed(self) -> bool:
        return any(True for _ in self.listed)

    @property
    def captured(self) -> bool:
        """Listed or captured under a regime that is (or may be) in force: what exit status 1 means."""
        return self.is_listed or any(r.applies for r in self.regimes.values())


# ------------------------------------------------------------------------------------------ engine
@dataclass
class _RegimeRun:
    regime: Regime
    listed: BOOL
    lo: Fixpoint
    hi: Fixpoint
    greatest: BOOL
    in_force: bool | None
    source: str


class Control:
    """Entry point: ``Control(store).as_of(date)``; views are cached per (date, snapshot)."""

    def __init__(self, store: Store, *, snapshot: str | SnapshotInfo | None = None,
                 regimes_path: Path | None = None) -> None:
        self.store = store
        self.snapshot = snapshot
        self.regimes_path = regimes_path
        self._views: dict[dt.date, ControlView] = {}
        self.cache: dict[Any, Any] = {}  # the date-independent graph.Structure (graph.build)
        self._regimes: tuple[dict[str, Regime], int] | None = None

    @property
    def regimes(self) -> tuple[dict[str, Regime], int]:
        """Regimes and the significant-minority level, read from YAML once per ``Control``."""
        if self._regimes is None:
            self._regimes = load_regimes(self.regimes_path)
        return self._regimes

    def as_of(self, date: dt.date | None = None, *, affiliates_rule_in_force: bool | None = None) -> ControlView:
        date = date or dt.date.today()
        key = date
        if affiliates_rule_in_force is not None or key not in self._views:
            view = ControlView(self, date, affiliates_rule_in_force)
            if affiliates_rule_in_force is not None:
                return view
            self._views[key] = view
        return self._views[key]


class ControlView:
    """All kernels for one date, computed lazily once, then answered per party."""

    def __init__(self, control: Control, date: dt.date, affiliates_rule_in_force: bool | None = None) -> None:
        self.control = control
        self.store = control.store
        self.date = date
        self.affiliates_override = affiliates_rule_in_force
        self.regimes, self.minority_ppm = control.regimes

    # -------------------------------------------------------------- bulk computation
    @cached_property
    def graph(self) -> Graph:
        return build(self.store, self.date, self.control.snapshot, cache=self.control.cache)

    @cached_property
    def runs(self) -> dict[str, _RegimeRun]:
        g = self.graph
        out: dict[str, _RegimeRun] = {}
        for name, reg in self.regimes.items():
            in_force: bool | None
            in_force, source = reg.in_force(self.date)
            if name == BIS:
                ans = _rules_affiliates(self.date)
                if ans is not None:
                    reg = Regime(reg.name, reg.title, ans.get("threshold_ppm", reg.threshold_ppm),
                                 ans.get("op", reg.op), ans.get("lists", reg.lists),
                                 ans.get("citation", reg.citation), reg.in_force_windows, reg.suspended)
                    if ans.get("in_force") is not None:
                        in_force, source = bool(ans["in_force"]), ans["source"]
                if self.affiliates_override is not None:
                    in_force, source = self.affiliates_override, "caller override (affiliates_rule_in_force)"
            s = g.structure
            assert s is not None
            listed, list_epoch = s.listed_at(reg.lists, self.date)
            thr = reg.effective_threshold

            def kernels(listed: BOOL = listed, thr: int = thr) -> tuple[Fixpoint, Fixpoint, BOOL]:
                lo = least_fixpoint(g.own, g.lo, listed, thr)
                hi = least_fixpoint(g.own, g.hi, listed, thr) if (g.hi != g.lo).any() else lo
                return lo, hi, greatest_fixpoint(g.own, g.lo, listed, thr)

            # Same edges, same listed set, same threshold: the same fixpoints, whatever the date.
            lo, hi, greatest = s.memo(("fixpoints", g.epoch, list_epoch, thr), kernels, freeze=True)
            out[name] = _RegimeRun(reg, listed, lo, hi, greatest, in_force, source)
            self.epochs[name] = list_epoch
        return out

    @cached_property
    def epochs(self) -> dict[str, Any]:
        """Per regime, the listing epoch of the date (filled by ``runs``)."""
        return {}

    @property
    def epoch_key(self) -> tuple[Any, ...]:
        """What the kernels' results depend on: the edge epoch and, per regime, its listing epoch."""
        _ = self.runs
        return (self.graph.epoch, tuple(sorted(self.epochs.items())))

    @cached_property
    def any_listed(self) -> BOOL:
        """Nodes on any feeding list of any regime on the date: the set look-through measures."""
        def make() -> BOOL:
            mask = np.zeros(self.graph.n, dtype=bool)
            for run in self.runs.values():
                mask |= run.listed
            return mask

        s = self.graph.structure
        assert s is not None
        return s.memo(("any_listed", self.epoch_key[1]), make, freeze=True)

    @cached_property
    def lookthrough(self) -> LookThrough:
        g = self.graph
        s = g.structure
        assert s is not None
        return s.memo(("look_through", *self.epoch_key),
                       lambda: look_through(g.own, g.lo, self.any_listed), freeze=True)

    @cached_property
    def parents(self) -> parents_mod.Parents:
        g = self.graph
        got = g.shared.get("parents")
        if got is None:
            got = g.shared["parents"] = parents_mod.compute(g)
        return got

    @cached_property
    def cycles(self) -> tuple[np.ndarray, np.ndarray]:
        """Strongly connected components of the ownership graph (labels, sizes): circular holdings."""
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import connected_components

        g = self.graph
        got = g.shared.get("cycles")
        if got is None:
            m = csr_matrix((np.ones(g.own.src.size, dtype=np.int8), g.own.dst, g.own.indptr), shape=(g.n, g.n))
            _, labels = connected_components(m, directed=True, connection="strong")
            got = g.shared["cycles"] = (labels, np.bincount(labels))
        return got

    def compute_all(self) -> None:
        """Run every kernel now (the benchmark's "all nodes" figure; ``status`` calls it lazily)."""
        _ = self.runs, self.lookthrough, self.parents, self.cycles

    def table(self) -> pa.Table:
        """One row per party: status per regime, look-through, ultimate parent and its HQ (for batch use)."""
        self.compute_all()
        g, p = self.graph, self.parents
        cols: dict[str, Any] = {"party_id": g.ids, "name": g.names}
        labels = pa.array(_STATUS_CODES, pa.string())
        for name, run in self.runs.items():
            code = np.zeros(g.n, dtype=np.int8)
            code[run.hi.blocked] = 1
            code[run.greatest & ~run.lo.blocked] = 2
            code[run.lo.blocked] = 3
            code[run.listed] = 4
            cols[f"{name}_status"] = pa.DictionaryArray.from_arrays(pa.array(code), labels)
            cols[f"{name}_round"] = pa.array(run.lo.round)
            cols[f"{name}_aggregate_ppm"] = pa.array(run.lo.score)
        cols["look_through_ppm"] = pa.array(np.rint(self.lookthrough.share * PPM).astype(np.int64))
        cols["ultimate_parent"] = pa.array(p.ultimate)
        cols["ultimate_parent_hq"] = g.hq.take(pa.array(p.ultimate))
        table = pa.table(cols)
        if g.exists is not None and not g.exists.all():  # endpoints of list-text relations not in force
            table = table.filter(pa.array(g.exists))
        return table

    # -------------------------------------------------------------- one party
    def resolve(self, party: str) -> list[int]:
        """Nodes a query names: list entity id, ownership id or LEI, else exact normalised name.

        Dictionary lookups on the ``Structure`` (built once); only a non-ASCII name is normalised by DuckDB,
        once. Nodes that exist only through list-text relations count on the dates those are in force.
        """
        g = self.graph
        s = g.structure
        assert s is not None
        exists = g.exists

        def ok(v: int) -> bool:
            return exists is None or bool(exists[v])

        q = party.strip()
        if q in g.entity_nodes:
            return [g.entity_nodes[q]]
        v = g.virtual_ids.get(q)
        if v is not None and ok(v):
            return [v]
        found = s.own_parties("id", q)
        if q.isascii():
            found = sorted(set(found) | set(s.own_parties("lei", q.upper())))
        if found:
            return list(found)
        norm = s.norm(q)
        if not norm:
            return []
        found = list(s.own_parties("norm", norm))
        v = g.virtual_norms.get(norm)
        if v is not None and ok(v):
            found.append(v)
        if not found and norm in g.listed_norms:
            found.append(g.listed_norms[norm])
        if not found and g.snapshot:
            found += [g.entity_nodes[eid] for eid in s.alias_entities(norm) if eid in g.entity_nodes]
        return list(dict.fromkeys(found))

    def status(self, party: str, *, affiliates_rule_in_force: bool | None = None) -> ControlStatus:
        """The full answer for one party (entity id, ownership id, LEI or name) on this view's date."""
        if affiliates_rule_in_force is not None and affiliates_rule_in_force != self.affiliates_override:
            return self.control.as_of(self.date, affiliates_rule_in_force=affiliates_rule_in_force).status(party)
        if not party or not party.strip():
            raise InputError("party: empty name or id")
        g = self.graph
        nodes = self.resolve(party)
        if not nodes:
            return ControlStatus(query=party, date=self.date, snapshot=g.snapshot, found=False,
                                 flags=[DataFlag(code="not_found", detail="no ownership data or list entry "
                                                 "with this id or exact normalised name")])
        # Prefer the node that is listed, then the one with most ownership data.
        def weight(v: int) -> tuple[int, int]:
            return (1 if v in g.listings else 0, g.degree(v))
        nodes.sort(key=weight, reverse=True)
        v = nodes[0]
        st = self._status_node(v, party)
        if len(nodes) > 1:
            st.candidates = [g.node_id(u) for u in nodes[1:]]
            st.flags.append(DataFlag(code="ambiguous_name", detail=f"{len(nodes)} parties share this name; "
                                     f"showing {g.node_id(v)}; others: {', '.join(st.candidates[:10])}"))
        return st

    def _listing_refs(self, v: int) -> list[ListingRef]:
        return [ListingRef(entity_id=e.entity_id, list_code=e.list_code, name=e.name, programs=e.programs,
                           start_date=e.start_date, end_date=e.end_date, matched_by=e.matched_by)
                for e in self.graph.listings.get(v, []) if e.in_force(self.date)]

    def _status_node(self, v: int, query: str) -> ControlStatus:
        g = self.graph
        self.compute_all()
        hq = g.node_hq(v)
        st = ControlStatus(
            query=query, date=self.date, snapshot=g.snapshot, found=True, party_id=g.node_id(v),
            name=g.node_name(v), country=g.country[v].as_py(), headquarters=hq,
            headquarters_for_test=parents_mod.hq_for_test(hq, self.date), listed=self._listing_refs(v),
        )
        for name, run in self.runs.items():
            st.regimes[name] = self._regime_status(v, run)
        lt = self.lookthrough
        st.look_through_ppm = round(float(lt.share[v]) * PPM)
        st.look_through_converged = lt.converged
        st.ultimate_parent = self._ultimate(v)
        st.relatives = self._relatives(v)
        st.flags += self._flags(v, st)
        return st

    def _regime_status(self, v: int, run: _RegimeRun) -> RegimeStatus:
        reg = run.regime
        listed = bool(run.listed[v])
        captured = bool(run.lo.blocked[v])
        possibly = bool(run.hi.blocked[v]) and not captured
        review = bool(run.greatest[v]) and not captured
        code: StatusCode = ("listed" if listed else "captured" if captured else "review" if review
                            else "possibly" if possibly else "not")
        proof = self._proof(v, run) if captured and not listed else self._review_proof(v, run) if review else None
        g = self.graph
        leaves: dict[str, set[str]] = {}
        names: dict[str, str] = {}
        if proof is not None:  # captured: the listed parties at the leaves of the proof
            stack = [proof]
            while stack:
                node = stack.pop()
                for code_ in node.lists:
                    leaves.setdefault(code_, set()).add(node.party_id)
                    names[node.party_id] = node.name
                stack.extend(node.owners)
        elif not listed:  # not (definitely) captured: the blocked direct owners behind the aggregate shown
            eidx = g.own.in_edges(np.array([v], dtype=np.int64))
            owners = g.own.src[eidx]
            for u in owners[run.hi.blocked[owners]].tolist():
                pid = g.node_id(u)
                names[pid] = g.node_name(u)
                for code_ in self._feeding_lists(u, reg) or ["(blocked by ownership)"]:
                    leaves.setdefault(code_, set()).add(pid)
        parties = sorted({p for s in leaves.values() for p in s})
        return RegimeStatus(
            regime=reg.name, title=reg.title, citation=reg.citation, in_force=run.in_force,
            in_force_source=run.source, threshold_ppm=reg.threshold_ppm, op=reg.op, status=code, listed=listed,
            captured=captured, possibly=possibly, review=review,
            applies=(captured or listed) and run.in_force is not False,
            aggregate_ppm=int(run.lo.score[v]) if not listed else 0,
            aggregate_max_ppm=int(run.hi.score[v]) if not listed else 0,
            round=int(run.lo.round[v]) if captured else None,
            contributing_lists=sorted(c for c in leaves if not c.startswith("(")), contributing_parties=parties,
            contributing_names=[names[p] for p in parties], proof=proof,
        )

    def _review_proof(self, v: int, run: _RegimeRun) -> ProofNode:
        """For a cycle-dependent case: the owners that count only if the circular holdings are blocked
        (round -1), with their stakes; one level, since the cycle has no well-founded order to unfold."""
        g = self.graph
        eidx = g.own.in_edges(np.array([v], dtype=np.int64))
        owners = g.own.src[eidx]
        keep = run.greatest[owners]
        node = ProofNode(party_id=g.node_id(v), name=g.node_name(v), round=-1,
                         aggregate_ppm=int(g.lo[eidx][keep].sum()))
        for u, s in sorted(zip(owners[keep].tolist(), g.lo[eidx][keep].tolist(), strict=True), key=lambda t: -t[1]):
            node.owners.append(ProofNode(party_id=g.node_id(u), name=g.node_name(u), stake_ppm=int(s),
                                         lists=self._feeding_lists(u, run.regime),
                                         round=int(run.lo.round[u]) if run.lo.blocked[u] else -1))
        return node

    def _feeding_lists(self, v: int, reg: Regime) -> list[str]:
        return sorted({e.list_code for e in self.graph.listings.get(v, [])
                       if feeds(e, reg.lists) and e.in_force(self.date)})

    def _proof(self, v: int, run: _RegimeRun, stake: int | None = None, budget: list[int] | None = None
               ) -> ProofNode:
        """Contributors are the owners blocked in an *earlier* round: exactly what made ``v`` reach the bar."""
        g, f = self.graph, run.lo
        budget = budget if budget is not None else [200]
        budget[0] -= 1
        r = int(f.round[v])
        node = ProofNode(party_id=g.node_id(v), name=g.node_name(v), lists=self._feeding_lists(v, run.regime),
                         stake_ppm=stake, round=r)
        if r <= 0:
            return node
        eidx = g.own.in_edges(np.array([v], dtype=np.int64))
        owners = g.own.src[eidx]
        keep = f.blocked[owners] & (f.round[owners] < r) & (f.round[owners] >= 0)
        contrib = sorted(zip(owners[keep].tolist(), g.lo[eidx][keep].tolist(), strict=True), key=lambda t: -t[1])
        node.aggregate_ppm = int(sum(s for _, s in contrib))
        for u, s in contrib:
            if budget[0] <= 0:
                break
            node.owners.append(self._proof(int(u), run, int(s), budget))
        return node

    def _ultimate(self, v: int) -> ParentInfo:
        g, p = self.graph, self.parents
        path_nodes = parents_mod.chain(p, v)
        steps: list[PathStep] = []
        for i, u in enumerate(path_nodes):
            nxt_kind = None
            share = None
            if i + 1 < len(path_nodes):
                nxt_kind = "ownership" if p.via[u] == 1 else "parent_direct"
                if p.via[u] == 1:
                    share = self._share(path_nodes[i + 1], u)
            steps.append(PathStep(party_id=g.node_id(u), name=g.node_name(u), relation=nxt_kind, share_ppm=share))
        top = int(p.ultimate[v])
        root = int(p.root[v])
        if top != root:
            method = "gleif_ultimate"
            steps[-1].relation = "parent_ultimate"
            steps.append(PathStep(party_id=g.node_id(top), name=g.node_name(top)))
        elif root == v:
            method = "self"
        else:
            method = "majority_chain" if all(p.via[u] == 1 for u in path_nodes[:-1]) else "gleif_consolidation"
        hq = g.node_hq(top)
        return ParentInfo(party_id=g.node_id(top), name=g.node_name(top), hq_country=hq,
                          hq_country_for_test=parents_mod.hq_for_test(hq, self.date), method=method, path=steps)

    def _share(self, owner: int, owned: int) -> int | None:
        g = self.graph
        eidx = g.own.in_edges(np.array([owned], dtype=np.int64))
        hit = eidx[g.own.src[eidx] == owner]
        return int(g.lo[hit[0]]) if hit.size else None

    def _relatives(self, v: int, depth: int = 3, limit: int = 50) -> list[Relative]:
        """Listed parents, subsidiaries and sisters over every edge kind (ownership of any size included)."""
        g = self.graph
        Hop = tuple[int, str, int | None]

        def walk(start: int, up: bool, max_depth: int) -> dict[int, list[Hop]]:
            """node -> path from start as [(node, edge kind, share)], breadth first."""
            paths: dict[int, list[Hop]] = {start: []}
            queue = deque([start])
            while queue:
                u = queue.popleft()
                if len(paths[u]) >= max_depth:
                    continue
                for w, kind, share in g.neighbours(u, up):
                    if w not in paths:
                        paths[w] = [*paths[u], (w, kind, share)]
                        queue.append(w)
            return paths

        def steps(origin: int, path: list[Hop]) -> list[PathStep]:
            out = [PathStep(party_id=g.node_id(origin), name=g.node_name(origin))]
            for w, kind, share in path:
                out[-1].relation, out[-1].share_ppm = kind, share
                out.append(PathStep(party_id=g.node_id(w), name=g.node_name(w)))
            return out

        def listed_codes(u: int) -> list[str]:
            return sorted({r.list_code for r in self._listing_refs(u)})

        result: list[Relative] = []
        ups = walk(v, True, depth)
        downs = walk(v, False, depth)
        for u, path in ups.items():
            if u != v and (codes := listed_codes(u)):
                result.append(Relative(relation="parent", party_id=g.node_id(u), name=g.node_name(u), lists=codes,
                                       path=steps(v, path)))
        for u, path in downs.items():
            if u != v and u not in ups and (codes := listed_codes(u)):
                result.append(Relative(relation="subsidiary", party_id=g.node_id(u), name=g.node_name(u),
                                       lists=codes, path=steps(v, path)))
        seen = set(ups) | set(downs)
        for anc, up_path in ups.items():
            if anc == v or len(up_path) > 2:
                continue
            for u, down_path in walk(anc, False, 1).items():
                if u in seen:
                    continue
                seen.add(u)
                if codes := listed_codes(u):
                    sister_path = steps(v, up_path)
                    for w, kind, share in down_path:
                        sister_path[-1].relation, sister_path[-1].share_ppm = kind + " (of)", share
                        sister_path.append(PathStep(party_id=g.node_id(w), name=g.node_name(w)))
                    result.append(Relative(relation="sister", party_id=g.node_id(u), name=g.node_name(u),
                                           lists=codes, path=sister_path))
            if len(result) >= limit:
                break
        return result[:limit]

    def _flags(self, v: int, st: ControlStatus) -> list[DataFlag]:
        g, p = self.graph, self.parents
        flags: list[DataFlag] = []
        eidx = g.own.in_edges(np.array([v], dtype=np.int64))
        listed_here = st.is_listed
        if eidx.size:
            known = int(g.lo[eidx].sum())
            if known > PPM:
                flags.append(DataFlag(code="over_100", detail=f"known stakes add up to {known / 1e4:g}% (> 100%): "
                                      "overlapping or duplicate records in the source"))
            elif known < PPM:
                flags.append(DataFlag(code="unexplained_remainder",
                                      detail=f"{(PPM - known) / 1e4:g}% of the ownership is not explained by the "
                                      "data (unknown is a red flag, not 0%)"))
            if g.unknown[eidx].any():
                flags.append(DataFlag(code="unknown_share", detail=f"{int(g.unknown[eidx].sum())} owner(s) with no "
                                      "stated share; upper bounds use the unexplained remainder"))
            if g.ranged[eidx].any():
                flags.append(DataFlag(code="share_range", detail="some shares are ranges; see possibly/definitely"))
            if g.conflicting[eidx].any():
                flags.append(DataFlag(code="conflicting_shares", detail="several statements for one owner disagree "
                                      "on this date; the lowest is used as the lower bound, the highest as upper"))
        elif not listed_here:
            flags.append(DataFlag(code="no_ownership_data", detail="no shareholder data on this date "
                                  "(BIS: an affirmative duty to determine ownership)"))
        for name, rs in st.regimes.items():
            if rs.possibly:
                flags.append(DataFlag(code="possibly_captured", detail=f"{name}: captured on upper-bound shares "
                                      f"({rs.aggregate_max_ppm / 1e4:g}%) but not on lower bounds "
                                      f"({rs.aggregate_ppm / 1e4:g}%)"))
            if rs.review:
                flags.append(DataFlag(code="cycle_dependent", detail=f"{name}: captured only if circular holdings "
                                      "are assumed blocked (greatest fixpoint): manual review"))
        captured_any = listed_here or any(r.captured for r in st.regimes.values())
        threshold = min((r.threshold_ppm for r in self.regimes.values()), default=PPM // 2)
        if not captured_any and st.look_through_ppm >= threshold:
            flags.append(DataFlag(code="look_through_majority", detail=f"listed parties hold "
                                  f"{st.look_through_ppm / 1e4:.2f}% looking through unlisted intermediates, "
                                  "though the 50% rule does not capture it (risk indicator)"))
        if eidx.size and not captured_any:
            owners = g.own.src[eidx]
            big = (g.lo[eidx] >= self.minority_ppm) & self.any_listed[owners]
            for u, s in zip(owners[big].tolist(), g.lo[eidx][big].tolist(), strict=True):
                flags.append(DataFlag(code="significant_minority_listed_owner", detail=f"{g.node_name(u)} "
                                      f"(listed) holds {s / 1e4:g}% directly (BIS Red Flag 29)"))
        labels, sizes = self.cycles
        if sizes[labels[v]] > 1:
            flags.append(DataFlag(code="circular_holdings", detail=f"part of a ring of {int(sizes[labels[v]])} "
                                  "companies that own each other (directly or through others)"))
        if not self.lookthrough.converged:
            flags.append(DataFlag(code="look_through_not_converged", detail="circular 100% holdings in the data; "
                                  "the look-through share is approximate"))
        if p.cycle[v]:
            flags.append(DataFlag(code="majority_cycle", detail="majority owners form a cycle: no ultimate parent"))
        if p.jv[v]:
            flags.append(DataFlag(code="joint_venture_50_50", detail="largest stake is exactly 50%: no majority "
                                  "parent; the headquarters test needs review"))
        if p.person_top[v]:
            flags.append(DataFlag(code="natural_person_top", detail="a natural person holds the majority at the "
                                  "top; the ultimate parent company is the last entity below"))
        top = int(p.ultimate[v])
        if top != v and not g.node_hq(top):
            flags.append(DataFlag(code="ultimate_parent_hq_unknown", detail=f"no headquarters country for the "
                                  f"ultimate parent {g.node_name(top)}: the headquarters rule cannot be settled"))
        stated = int(p.ultimate_link[v])
        if stated >= 0 and stated != top:
            flags.append(DataFlag(code="gleif_ultimate_disagrees", detail=f"GLEIF states {g.node_name(stated)} "
                                  f"({g.node_id(stated)}) as ultimate parent; the chain of parents reaches "
                                  f"{g.node_name(top)}"))
        for u in dict.fromkeys((v, top)):
            exc = g.parent_exception[u].as_py()
            if exc:
                flags.append(DataFlag(code="gleif_reporting_exception", detail=f"{g.node_name(u)}: {exc}"))
        return flags

