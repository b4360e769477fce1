"""Ultimate parent and headquarters, for the October 2023 headquarters rule.

Operational definition until counsel confirms it: the ultimate parent is the top *entity* of the chain of
majority (> 50%) owners; where no percentages are known, GLEIF's accounting-consolidation links stand in
(direct parent to climb, ``IS_ULTIMATELY_CONSOLIDATED_BY`` to jump to the top). A natural person at the
top is not a parent company: the chain stops at the last entity and a flag says why. 50/50 joint ventures
(no majority) and majority cycles are flagged for review rather than guessed.

Whether the resulting country is "Macau or D:5" is a rules question; this module only supplies the
headquarters country, mapped for the test (Hong Kong counts as China) by ``headquarters_country_for_rule``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chipscreen.ownership.csr import BOOL, I64, PPM
from chipscreen.ownership.graph import Graph
from chipscreen.ownership.tables import PARENT_DIRECT, PARENT_ULTIMATE, REL_KINDS
from chipscreen.rules import country_groups

MAJORITY_PPM = PPM // 2  # strictly more than this is a majority


@dataclass
class Parents:
    parent: I64  # immediate majority (or consolidating) parent, -1 if none
    via: npt.NDArray[np.int8]  # 0 none, 1 majority share, 2 GLEIF direct consolidation
    root: I64  # top of the chain (itself when no parent)
    ultimate: I64  # root, or the root's GLEIF ultimate-consolidation parent
    cycle: BOOL  # on or below a majority cycle: no well-defined top
    jv: BOOL  # largest known stake is exactly 50%: no majority parent
    person_top: BOOL  # a natural person holds the majority of the top entity
    ultimate_link: I64  # the node's own GLEIF IS_ULTIMATELY_CONSOLIDATED_BY target, -1 if none


def compute(g: Graph) -> Parents:
    """Majority parent per node, then pointer jumping (``p <- p[p]``) to the root: O(V log depth)."""
    n = g.n
    own = g.own
    parent = np.full(n, -1, dtype=np.int64)
    via = np.zeros(n, dtype=np.int8)
    jv = np.zeros(n, dtype=bool)
    person_top = np.zeros(n, dtype=bool)
    if own.src.size:
        # Majority owner: strictly above 50% (two such owners only in >100% data: the larger wins).
        best = np.full(n, -1, dtype=np.int64)
        np.maximum.at(best, own.dst, g.lo)
        maj = np.flatnonzero(g.lo > MAJORITY_PPM)
        maj = maj[np.argsort(g.lo[maj], kind="stable")]
        m_src, m_dst = own.src[maj], own.dst[maj]
        by_person = g.person[m_src]
        parent[m_dst[~by_person]] = m_src[~by_person]
        via[m_dst[~by_person]] = 1
        person_top[m_dst[by_person]] = True
        parent[m_dst[by_person]] = -1  # a person is never the parent company, even if larger than an entity
        via[m_dst[by_person]] = 0
        jv = best == MAJORITY_PPM
    has_share_owner = np.zeros(n, dtype=bool)
    if own.src.size:
        has_share_owner[own.dst[g.hi > 0]] = True
    direct = g.other_kind == REL_KINDS.index(PARENT_DIRECT)
    if direct.any():
        d_src, d_dst = g.other_src[direct], g.other_dst[direct]
        take = (parent[d_dst] < 0) & ~has_share_owner[d_dst]
        parent[d_dst[take]] = d_src[take]
        via[d_dst[take]] = 2
    ultimate_link = np.full(n, -1, dtype=np.int64)
    ult = g.other_kind == REL_KINDS.index(PARENT_ULTIMATE)
    if ult.any():
        ultimate_link[g.other_dst[ult]] = g.other_src[ult]
    root = np.where(parent >= 0, parent, np.arange(n, dtype=np.int64))
    for _ in range(64):
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    # A true top has no parent. Pointer jumping around a cycle of length L settles on p^(2^k) = identity
    # once 2^k is a multiple of L, so "settled on a node that still has a parent" marks a cycle.
    cycle = (root[root] != root) | (parent[root] >= 0)
    if cycle.any():
        root[cycle] = np.flatnonzero(cycle)  # no top: the entity stands for itself, flagged
    # The top of the chain, lifted by its own GLEIF ultimate-consolidation link; a node without any chain
    # takes its own ultimate link. (GLEIF's own links can disagree with the direct chain: flagged upstream.)
    top_link = ultimate_link[root]
    own_link = ultimate_link
    ultimate = np.where((top_link >= 0) & ~cycle, top_link, root)
    alone = (root == np.arange(n)) & (own_link >= 0) & ~cycle
    ultimate[alone] = own_link[alone]
    person_top = person_top[root] | person_top
    return Parents(parent, via, root, ultimate, cycle, jv, person_top, ultimate_link)


def chain(p: Parents, v: int, limit: int = 50) -> list[int]:
    """The path from ``v`` up to its root (inclusive), for explanations."""
    out = [v]
    seen = {v}
    while p.parent[out[-1]] >= 0 and len(out) < limit:
        nxt = int(p.parent[out[-1]])
        if nxt in seen:
            break
        out.append(nxt)
        seen.add(nxt)
    return out


def headquarters_country_for_rule(country: str | None, day: dt.date | None = None) -> str | None:
    """Headquarters country as the headquarters rule reads it on ``day``: ``HK`` -> ``CN``.

    ``data/country_groups.yaml`` (``treated_as``) says which territory counts as which country from when;
    a value that is not a two-letter country code is shown as stated (upper-cased): no rule can place it.
    """
    if not country:
        return None
    return country_groups().treated_as(country, day or dt.date.today())
