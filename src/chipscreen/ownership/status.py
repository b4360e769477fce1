"""The legal 50% test as a fixpoint, its cycle check, and the look-through share (a risk indicator only).

Legal status (OFAC FAQ 401, BIS Affiliates rule): an entity is blocked when the *direct* stakes of its
blocked owners add up to at least the threshold; an owner is blocked if listed or itself blocked. Stakes
flow at full value through blocked intermediates and not at all through unblocked ones; percentages are
never multiplied along chains. That is a monotone operator on a boolean vector:

* the **least** fixpoint (start from the listed set, add until nothing changes) is the legal answer:
  nothing is blocked without a chain of >= 50% aggregate holdings starting at listed parties;
* the **greatest** fixpoint (start from everything, remove until stable) differs only on entities whose
  capture depends on circular holdings; those go to review (vector 9, mutual cross-holding);
* with share *ranges*, the least fixpoint on lower bounds says "definitely", on upper bounds "possibly".

Shares are int64 ppm and compared as integers, so 10% + 35% + 5% is exactly 50%.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from chipscreen.ownership.csr import BOOL, CSR, I64, segment_sum


@dataclass
class Fixpoint:
    """Result of one fixpoint run: who is blocked, in which round, and the blocked owners' aggregate."""

    blocked: BOOL
    round: npt.NDArray[np.int32]  # 0 = listed, k = captured in round k, -1 = not blocked
    score: I64  # sum of the direct stakes of blocked owners (ppm)
    rounds: int


def least_fixpoint(g: CSR, weights: I64, listed: BOOL, threshold_ppm: int) -> Fixpoint:
    """Frontier (semi-naive) evaluation: each edge is pushed once, when its owner becomes blocked."""
    n = g.n
    blocked = listed.copy()
    rnd = np.full(n, -1, dtype=np.int32)
    rnd[listed] = 0
    score = np.zeros(n, dtype=np.int64)
    frontier = np.flatnonzero(listed).astype(np.int64)
    r = 0
    while frontier.size:
        eidx = g.out_edges(frontier)
        if eidx.size == 0:
            break
        r += 1
        dst = g.dst[eidx]
        np.add.at(score, dst, weights[eidx])  # exact int64 accumulation
        new = _distinct(dst, n)
        new = new[(score[new] >= threshold_ppm) & ~blocked[new]]
        blocked[new] = True
        rnd[new] = r
        frontier = new
    return Fixpoint(blocked, rnd, score, r)


def greatest_fixpoint(g: CSR, weights: I64, listed: BOOL, threshold_ppm: int) -> BOOL:
    """Start with everyone blocked and retract those whose blocked owners no longer reach the threshold."""
    n = g.n
    score = segment_sum(g.dst, weights, n)
    alive = np.ones(n, dtype=bool)
    dead = ~listed & (score < threshold_ppm)
    alive[dead] = False
    frontier = np.flatnonzero(dead).astype(np.int64)
    while frontier.size:
        eidx = g.out_edges(frontier)
        if eidx.size == 0:
            break
        dst = g.dst[eidx]
        np.subtract.at(score, dst, weights[eidx])
        new = _distinct(dst, n)
        new = new[alive[new] & ~listed[new] & (score[new] < threshold_ppm)]
        alive[new] = False
        frontier = new
    return alive


def _distinct(idx: I64, n: int) -> I64:
    """Distinct node ids, by a mark array: O(n) without a sort, cheaper than np.unique on big frontiers."""
    if idx.size < 256:
        return np.unique(idx)
    mark = np.zeros(n, dtype=bool)
    mark[idx] = True
    return np.flatnonzero(mark).astype(np.int64)


@dataclass
class LookThrough:
    share: npt.NDArray[np.float64]  # fraction 0..1 held by the listed set, through unlisted intermediates
    iterations: int
    converged: bool
    residual: float


def look_through(g: CSR, weights: I64, listed: BOOL, *, tol: float = 1e-9, max_iter: int = 200) -> LookThrough:
    """Integrated (Leontief) ownership by the listed set: ``x = Wt (l + (1 - l) x)``, by Jacobi iteration.

    A risk indicator (BIS Red Flag 29, OFAC's minority-stake caution), never the legal status: it counts
    stakes through unblocked intermediates and multiplies along chains, both of which the law does not.
    Jacobi converges when every cycle's share product is below 1; bad data (two companies owning 100% of
    each other) does not, which is reported through ``converged`` instead of looping for ever. The
    tolerance (1e-9) is far below the ppm (1e-6) the share is reported in.
    """
    n = g.n
    # The by-owned view of the CSR *is* Wt in CSR form: row i sums its entries in order, as scipy's CSR
    # product does (bincount adds in input order), without importing scipy (a fifth of a warm ``check``).
    perm = g.perm_in
    w_data, w_cols = weights[perm].astype(np.float64) / 1e6, g.src[perm]
    w_rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(g.indptr_in))
    lvec = listed.astype(np.float64)
    free = 1.0 - lvec
    x = np.zeros(n)
    residual = 0.0
    for it in range(1, max_iter + 1):
        nxt = np.bincount(w_rows, weights=w_data * (lvec + free * x)[w_cols], minlength=n).astype(np.float64)
        residual = float(np.abs(nxt - x).max()) if n else 0.0
        x = nxt
        if residual < tol:
            return LookThrough(np.minimum(x, 1.0), it, True, residual)
    return LookThrough(np.minimum(x, 1.0), max_iter, False, residual)
