"""Data-quality and risk flags on one party's answer: what an analyst should check before trusting it.

None of these changes a status; each names a gap in the data (unexplained ownership, unknown or
conflicting shares), a case the 50% rule does not settle (cycles, look-through majorities, significant
listed minorities) or a headquarters question the data cannot answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from chipscreen.ownership.csr import BOOL, I64, PPM
from chipscreen.ownership.graph import Graph
from chipscreen.ownership.parents import Parents
from chipscreen.ownership.results import ControlStatus, DataFlag


@dataclass(frozen=True)
class FlagInputs:
    """The kernels' results the flags read, for one date."""

    graph: Graph
    parents: Parents
    min_threshold_ppm: int  # the lowest regime threshold: a look-through share at or above it is flagged
    minority_ppm: int  # a direct listed stake at or above this is a significant minority
    any_listed: BOOL
    cycle_labels: I64
    cycle_sizes: I64
    look_through_converged: bool


def _share_flags(g: Graph, eidx: I64, listed: bool) -> list[DataFlag]:
    """How completely and consistently the data explains who owns the party."""
    flags: list[DataFlag] = []
    if not eidx.size:
        if not listed:
            flags.append(DataFlag(code="no_ownership_data", detail="no shareholder data on this date "
                                  "(BIS: an affirmative duty to determine ownership)"))
        return flags
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
    return flags


def _risk_flags(x: FlagInputs, eidx: I64, st: ControlStatus) -> list[DataFlag]:
    """Cases the 50% rule does not capture but an analyst should see."""
    g = x.graph
    flags: list[DataFlag] = []
    for name, rs in st.regimes.items():
        if rs.possibly:
            flags.append(DataFlag(code="possibly_captured", detail=f"{name}: captured on upper-bound shares "
                                  f"({rs.aggregate_max_ppm / 1e4:g}%) but not on lower bounds "
                                  f"({rs.aggregate_ppm / 1e4:g}%)"))
        if rs.review:
            flags.append(DataFlag(code="cycle_dependent", detail=f"{name}: captured only if circular holdings "
                                  "are assumed blocked (greatest fixpoint): manual review"))
    captured_any = st.is_listed or any(r.captured for r in st.regimes.values())
    if not captured_any and st.look_through_ppm >= x.min_threshold_ppm:
        flags.append(DataFlag(code="look_through_majority", detail=f"listed parties hold "
                              f"{st.look_through_ppm / 1e4:.2f}% looking through unlisted intermediates, "
                              "though the 50% rule does not capture it (risk indicator)"))
    if eidx.size and not captured_any:
        owners = g.own.src[eidx]
        big = (g.lo[eidx] >= x.minority_ppm) & x.any_listed[owners]
        for u, s in zip(owners[big].tolist(), g.lo[eidx][big].tolist(), strict=True):
            flags.append(DataFlag(code="significant_minority_listed_owner", detail=f"{g.node_name(u)} "
                                  f"(listed) holds {s / 1e4:g}% directly (BIS Red Flag 29)"))
    return flags


def _structure_flags(x: FlagInputs, v: int) -> list[DataFlag]:
    """Circular holdings, and parents the headquarters test cannot settle."""
    g, p = x.graph, x.parents
    flags: list[DataFlag] = []
    if x.cycle_sizes[x.cycle_labels[v]] > 1:
        flags.append(DataFlag(code="circular_holdings", detail=f"part of a ring of "
                              f"{int(x.cycle_sizes[x.cycle_labels[v]])} companies that own each other "
                              "(directly or through others)"))
    if not x.look_through_converged:
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


def flags_for(x: FlagInputs, v: int, st: ControlStatus) -> list[DataFlag]:
    """Every flag on node ``v``'s answer ``st`` (statuses, look-through and parent already filled in)."""
    eidx = x.graph.own.in_edges(np.array([v], dtype=np.int64))
    return _share_flags(x.graph, eidx, st.is_listed) + _risk_flags(x, eidx, st) + _structure_flags(x, v)
