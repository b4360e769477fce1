"""The API the decision engine calls: ``Control(store).as_of(date).status(party) -> ControlStatus``.

The date-independent graph (nodes, dated edges and listings, id and name indexes) is read once per
(store, snapshot, ownership-data version) into a ``structure.Structure``. One ``as_of`` view then only masks
the edges and listings in force on its date and runs every kernel for all nodes (a few hundred ms on a
million companies); the kernels' results are cached per *epoch* (the edge epoch, and per regime its listing
epoch and parameters), so every later date in an epoch already seen costs a few dictionary lookups. A view
answers any number of ``status`` questions from the arrays. Each answer carries what an
analyst needs to trust it: the lists the party is on, per regime the capture status with a proof tree
(``evidence.py``), the look-through share as a separate risk indicator, the ultimate parent and its
headquarters, listed relatives with paths, and data-quality flags (``flags.py``).

Which regimes exist, their thresholds and feeding lists are data (``regimes.py``); a caller may override
whether the BIS Affiliates rule is in force (``affiliates_rule_in_force``).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from chipscreen.bounded import bounded
from chipscreen.errors import InputError
from chipscreen.ownership import evidence
from chipscreen.ownership import parents as parents_mod
from chipscreen.ownership.components import strong_components
from chipscreen.ownership.csr import BOOL, CSR, I64, PPM
from chipscreen.ownership.flags import FlagInputs, flags_for
from chipscreen.ownership.graph import Graph, build
from chipscreen.ownership.regimes import BIS, Regime, RegimeRun, affiliates_on, load_regimes
from chipscreen.ownership.results import (
    STATUS_CODES,
    ControlStatus,
    DataFlag,
)
from chipscreen.ownership.status import Fixpoint, LookThrough, greatest_fixpoint, least_fixpoint, look_through
from chipscreen.store import SnapshotInfo, Store

__all__ = ["Control", "ControlStatus", "ControlView"]  # ControlStatus: what ``ControlView.status`` answers


def reached_from(g: CSR, weights: I64, listed: BOOL) -> BOOL:
    """The parties a listed party holds a stake in, directly or through others.

    Only these can be blocked by circular holdings: the greatest fixpoint also keeps a ring that no listed
    party owns any part of (two unlisted companies holding 60% of each other), yet blocking starts with a
    listed party and such a ring is cleared under every reading of the rule, so it is "not", not "review"."""
    seen = listed.copy()
    frontier = np.flatnonzero(listed).astype(np.int64)
    while frontier.size:
        eidx = g.out_edges(frontier)
        dst = g.dst[eidx][weights[eidx] > 0]
        new = np.unique(dst[~seen[dst]])
        seen[new] = True
        frontier = new.astype(np.int64)
    return seen


class Control:
    """Entry point: ``Control(store).as_of(date)``; views are cached per (date, snapshot), the most recently
    used ``ownership.views`` of them (``data/caches.yml``)."""

    def __init__(self, store: Store, *, snapshot: str | SnapshotInfo | None = None,
                 regimes_path: Path | None = None) -> None:
        self.store = store
        self.snapshot = snapshot
        self.regimes_path = regimes_path
        self._views: dict[dt.date, ControlView] = bounded("ownership.views")
        self.cache: dict[Any, Any] = {}  # the date-independent structure.Structure, made by structure_for
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

    @property
    def regimes(self) -> dict[str, Regime]:
        """Read on first use (the rulebooks behind the Affiliates rule are parsed once per process)."""
        return self.control.regimes[0]

    @property
    def minority_ppm(self) -> int:
        return self.control.regimes[1]

    # -------------------------------------------------------------- bulk computation
    @cached_property
    def graph(self) -> Graph:
        return build(self.store, self.date, self.control.snapshot, cache=self.control.cache)

    def _regime_on_date(self, name: str, reg: Regime) -> tuple[Regime, bool | None, str]:
        """The regime as it stands on the view's date, whether it is in force, and who says so."""
        if not reg.from_rulebooks:
            in_force, source = reg.in_force(self.date)
        else:
            reg, in_force, source = affiliates_on(reg, self.date)
        if name == BIS and self.affiliates_override is not None:
            return reg, self.affiliates_override, "caller override (affiliates_rule_in_force)"
        return reg, in_force, source

    @cached_property
    def runs(self) -> dict[str, RegimeRun]:
        g = self.graph
        s = g.structure
        assert s is not None
        out: dict[str, RegimeRun] = {}
        for name, base in self.regimes.items():
            reg, in_force, source = self._regime_on_date(name, base)
            listed, list_epoch = s.listed_at(reg.lists, self.date)
            thr = reg.effective_threshold

            def kernels(listed: BOOL = listed, thr: int = thr) -> tuple[Fixpoint, Fixpoint, BOOL]:
                lo = least_fixpoint(g.own, g.lo, listed, thr)
                hi = least_fixpoint(g.own, g.hi, listed, thr) if (g.hi != g.lo).any() else lo
                return lo, hi, greatest_fixpoint(g.own, g.lo, listed, thr) & reached_from(g.own, g.lo, listed)

            # Same edges, same listed set, same threshold: the same fixpoints, whatever the date.
            lo, hi, greatest = s.memo(("fixpoints", g.epoch, list_epoch, thr), kernels, freeze=True)
            out[name] = RegimeRun(reg, listed, lo, hi, greatest, in_force, source)
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
    def cycles(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """Strongly connected components of the ownership graph (labels, sizes): circular holdings."""
        g = self.graph
        got = g.shared.get("cycles")
        if got is None:
            got = g.shared["cycles"] = strong_components(g.n, g.own.src, g.own.dst)
        return got

    def compute_all(self) -> None:
        """Run every kernel now (the benchmark's "all nodes" figure; ``status`` calls it lazily)."""
        _ = self.runs, self.lookthrough, self.parents, self.cycles

    def table(self) -> pa.Table:
        """One row per party: status per regime, look-through, ultimate parent and its HQ (for batch use)."""
        self.compute_all()
        g, p = self.graph, self.parents
        cols: dict[str, Any] = {"party_id": g.ids, "name": g.names}
        labels = pa.array(STATUS_CODES, pa.string())
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

    def _status_node(self, v: int, query: str) -> ControlStatus:
        g = self.graph
        self.compute_all()
        hq = g.node_hq(v)
        st = ControlStatus(
            query=query, date=self.date, snapshot=g.snapshot, found=True, party_id=g.node_id(v),
            name=g.node_name(v), country=g.country[v].as_py(), headquarters=hq,
            headquarters_for_test=parents_mod.headquarters_country_for_rule(hq, self.date),
            listed=evidence.listing_refs(g, v, self.date),
        )
        for name, run in self.runs.items():
            st.regimes[name] = evidence.regime_status(g, v, run, self.date)
        lt = self.lookthrough
        st.look_through_ppm = round(float(lt.share[v]) * PPM)
        st.look_through_converged = lt.converged
        st.ultimate_parent = evidence.ultimate_parent(g, self.parents, v, self.date)
        st.relatives = evidence.relatives(g, v, self.date)
        labels, sizes = self.cycles
        inputs = FlagInputs(g, self.parents, min((r.threshold_ppm for r in self.regimes.values()), default=PPM // 2),
                            self.minority_ppm, self.any_listed, labels, sizes, lt.converged)
        st.flags += flags_for(inputs, v, st)
        return st
