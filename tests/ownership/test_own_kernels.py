"""Properties of the fixpoint kernels, checked by hypothesis against a plain reference implementation."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from chipscreen.ownership.csr import CSR
from chipscreen.ownership.status import greatest_fixpoint, least_fixpoint, look_through

THR = 500_000


@st.composite
def graphs(draw: st.DrawFn) -> tuple[int, list[tuple[int, int, int]], list[bool]]:
    n = draw(st.integers(2, 9))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20, unique=True))
    edges = [(a, b, draw(st.sampled_from([0, 100_000, 250_000, 400_000, 450_000, 499_999, 500_000, 600_000])))
             for a, b in pairs if a != b]
    listed = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return n, edges, listed


def _run(n: int, edges: list[tuple[int, int, int]], listed: list[bool]) -> tuple[np.ndarray, np.ndarray]:
    src = np.array([e[0] for e in edges], dtype=np.int64)
    dst = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges], dtype=np.int64)
    g, (ws,) = CSR.build(n, src, dst, w)
    mask = np.array(listed, dtype=bool)
    return least_fixpoint(g, ws, mask, THR).blocked, greatest_fixpoint(g, ws, mask, THR)


def _reference(n: int, edges: list[tuple[int, int, int]], listed: list[bool], start: bool) -> list[bool]:
    """Kleene iteration of b <- L | (sum of blocked owners' stakes >= 50%) from all-false or all-true."""
    b = [start or listed[i] for i in range(n)]
    while True:
        score = [0] * n
        for a, c, s in edges:
            if b[a]:
                score[c] += s
        nb = [listed[i] or score[i] >= THR for i in range(n)]
        if nb == b:
            return b
        b = nb


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_matches_reference_and_least_below_greatest(g: tuple[int, list[tuple[int, int, int]], list[bool]]) -> None:
    n, edges, listed = g
    least, greatest = _run(n, edges, listed)
    assert least.tolist() == _reference(n, edges, listed, start=False)
    assert greatest.tolist() == _reference(n, edges, listed, start=True)
    assert not (least & ~greatest).any()


@settings(max_examples=100, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_independent_of_edge_order(g: tuple[int, list[tuple[int, int, int]], list[bool]], rnd: object) -> None:
    n, edges, listed = g
    shuffled = list(edges)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a, b = _run(n, edges, listed), _run(n, shuffled, listed)
    assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist()


@settings(max_examples=100, deadline=None)
@given(graphs(), st.integers(0, 8))
def test_monotone_in_listed_set(g: tuple[int, list[tuple[int, int, int]], list[bool]], extra: int) -> None:
    """Adding a listed party never un-captures anyone."""
    n, edges, listed = g
    before, _ = _run(n, edges, listed)
    more = list(listed)
    more[extra % n] = True
    after, _ = _run(n, edges, more)
    assert not (before & ~after).any()


@settings(max_examples=100, deadline=None)
@given(graphs(), st.integers(0, 30), st.integers(0, 300_000))
def test_monotone_in_shares(g: tuple[int, list[tuple[int, int, int]], list[bool]], which: int, add: int) -> None:
    """Raising a share (upper bound of a range) never un-captures: so definitely implies possibly."""
    n, edges, listed = g
    if not edges:
        return
    before, _ = _run(n, edges, listed)
    i = which % len(edges)
    higher = list(edges)
    higher[i] = (edges[i][0], edges[i][1], min(1_000_000, edges[i][2] + add))
    after, _ = _run(n, higher, listed)
    assert not (before & ~after).any()


def test_look_through_flags_non_convergence() -> None:
    """Two companies owning 100% of each other: spectral radius 1, reported instead of looping."""
    g, (w,) = CSR.build(3, np.array([0, 1, 2]), np.array([1, 0, 0]), np.array([1_000_000, 1_000_000, 0]))
    lt = look_through(g, w, np.array([False, False, True]), max_iter=50)
    assert lt.iterations <= 50
