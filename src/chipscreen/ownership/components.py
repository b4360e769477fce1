"""Strongly connected components of the ownership graph (circular holdings), without scipy on small graphs.

Importing scipy's graph routines cost every warm ``check`` a fifth of a second, for a question whose answer
is nearly always "no cycle". Nodes with no in-edge or no out-edge among the remaining ones are in no cycle:
trimming them with numpy leaves only the circular holdings, which an iterative Tarjan walk labels in Python.
When trimming leaves a large graph (millions of edges of bad data), scipy's compiled routine labels it.
Only which nodes share a component, and its size, carry meaning: the label numbers do not.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["PYTHON_MAX", "SCIPY_MIN_NODES", "TRIM_ROUNDS", "strong_components"]

I64 = npt.NDArray[np.int64]

TRIM_ROUNDS = 16
"""Trimming passes at most (each removes one layer of a chain's ends): the rest is left to the walk."""
PYTHON_MAX = 20_000
"""Nodes left after trimming that the Python walk labels; more go to scipy."""
SCIPY_MIN_NODES = 200_000
"""Graphs of this many nodes go to scipy untrimmed: its import is small beside their other work, and trimming
passes over millions of edges are not."""


def strong_components(n: int, src: I64, dst: I64) -> tuple[I64, I64]:
    """(label per node, size per label) of the graph of edges ``src[i] -> dst[i]`` over ``n`` nodes."""
    if n >= SCIPY_MIN_NODES:
        return _scipy(n, src, dst)
    alive = _trim(n, src, dst)
    keep = alive[src] & alive[dst]
    nodes = np.flatnonzero(alive)
    labels = np.arange(n, dtype=np.int64)  # a trimmed node is its own component
    if nodes.size > PYTHON_MAX:
        return _scipy(n, src[keep], dst[keep])
    if nodes.size:
        _tarjan(nodes, src[keep], dst[keep], labels)
    return labels, np.bincount(labels, minlength=n).astype(np.int64)


def _trim(n: int, src: I64, dst: I64) -> npt.NDArray[np.bool_]:
    alive = np.ones(n, dtype=bool)
    for _ in range(TRIM_ROUNDS):
        e = alive[src] & alive[dst]
        now = alive & (np.bincount(src[e], minlength=n) > 0) & (np.bincount(dst[e], minlength=n) > 0)
        if now.sum() == alive.sum():
            break
        alive = now
    return alive


def _tarjan(nodes: I64, src: I64, dst: I64, labels: I64) -> None:
    """Label each component of the remaining graph by its smallest node (iterative: no recursion limit)."""
    succ: dict[int, list[int]] = {int(v): [] for v in nodes}
    for a, b in zip(src.tolist(), dst.tolist(), strict=True):
        succ[a].append(b)
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    for root in succ:
        if root in index:
            continue
        work = [(root, 0)]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, i = work[-1]
            if i < len(succ[v]):
                work[-1] = (v, i + 1)
                w = succ[v][i]
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                _pop_component(v, stack, on_stack, labels)


def _pop_component(v: int, stack: list[int], on_stack: set[int], labels: I64) -> None:
    members = []
    while True:
        w = stack.pop()
        on_stack.discard(w)
        members.append(w)
        if w == v:
            break
    labels[members] = min(members)


def _scipy(n: int, src: I64, dst: I64) -> tuple[I64, I64]:
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    m = csr_matrix((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(n, n))
    _, labels = connected_components(m, directed=True, connection="strong")
    out = np.asarray(labels, dtype=np.int64)
    return out, np.bincount(out, minlength=n).astype(np.int64)
