"""Compressed sparse row arrays over int64 node numbers, and the exact integer sums the kernels use.

Why CSR by hand rather than a graph library: the kernels (fixpoints, Jacobi, pointer jumping) are a handful
of gathers and scatters over int arrays, and reading the edges from DuckDB as int64 columns then sorting
once is the whole build. Shares stay integer ppm throughout (``lo``/``hi`` bounds; equal when exact).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from chipscreen.dates import OPEN_END, OPEN_START

PPM = 1_000_000
I64 = npt.NDArray[np.int64]
BOOL = npt.NDArray[np.bool_]


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
    out: I64 = offsets + np.arange(total, dtype=np.int64)
    return out


def segment_sum(index: I64, weights: I64, n: int) -> I64:
    """Exact int64 sum of ``weights`` grouped by ``index`` (``np.add.at``: no float anywhere)."""
    out = np.zeros(n, dtype=np.int64)
    if index.size:
        np.add.at(out, index, weights)
    return out


def in_force(start: I64, end: I64, day: int) -> BOOL:
    """``DateRange.contains`` over arrays of day numbers (inclusive ends; open ends are the open bounds)."""
    out: BOOL = (start <= day) & (end >= day)
    return out


def change_points(start: I64, end: I64) -> I64:
    """Sorted distinct days on which something starts (its start day) or stops (the day after its end)."""
    pts = np.concatenate([start[start != OPEN_START], end[end != OPEN_END] + 1])
    out: I64 = np.unique(pts)
    return out


def freeze(obj: Any) -> None:
    """Arrays in a result (an array, a tuple of results, or a dataclass with array fields) made read-only."""
    if isinstance(obj, np.ndarray):
        obj.flags.writeable = False
    elif isinstance(obj, tuple):
        for x in obj:
            freeze(x)
    elif hasattr(obj, "__dataclass_fields__"):
        for x in vars(obj).values():
            if isinstance(x, np.ndarray):
                x.flags.writeable = False


def reduce_pairs(n: int, src: I64, dst: I64, share: I64, smin: I64, smax: I64, presorted: bool = False
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
