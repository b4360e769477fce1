"""Circular holdings found without scipy: the same components as scipy's strongly connected components on
random graphs (sparse and dense, chains longer than the trimming rounds, self-holdings), through both the
Python walk and the large-graph path; and the look-through share computed without scipy equals scipy's
product bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from chipscreen.ownership import components
from chipscreen.ownership.components import strong_components
from chipscreen.ownership.csr import CSR
from chipscreen.ownership.status import look_through


def _partition(labels: np.ndarray) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for v, lab in enumerate(labels.tolist()):
        groups.setdefault(lab, set()).add(v)
    return {frozenset(g) for g in groups.values()}


def _scipy_partition(n: int, src: np.ndarray, dst: np.ndarray) -> set[frozenset[int]]:
    m = sp.csr_matrix((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(n, n))
    return _partition(connected_components(m, directed=True, connection="strong")[1])


def _graph(seed: int, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    src, dst = rng.integers(0, n, m), rng.integers(0, n, m)
    chain = np.arange(n - 1)  # a chain through every node: longer than the trimming rounds
    return np.concatenate([src, chain]).astype(np.int64), np.concatenate([dst, chain + 1]).astype(np.int64)


@pytest.mark.parametrize(("seed", "n", "m"), [(0, 200, 50), (1, 200, 220), (2, 500, 2_000), (3, 1, 1), (4, 300, 0)])
def test_the_components_are_scipys(seed: int, n: int, m: int) -> None:
    src, dst = _graph(seed, n, m)
    labels, sizes = strong_components(n, src, dst)
    assert _partition(labels) == _scipy_partition(n, src, dst)
    assert (sizes[labels] == np.bincount(labels)[labels]).all()


@pytest.mark.parametrize("limit", ["PYTHON_MAX", "SCIPY_MIN_NODES"])
def test_a_large_graph_or_remainder_goes_to_scipy_with_the_same_answer(monkeypatch: pytest.MonkeyPatch,
                                                                       limit: str) -> None:
    src, dst = _graph(5, 400, 1_200)
    monkeypatch.setattr(components, limit, 10)
    labels, sizes = strong_components(400, src, dst)
    assert _partition(labels) == _scipy_partition(400, src, dst)
    assert sizes.max() > 1


def test_two_companies_holding_each_other_are_one_component_of_two() -> None:
    labels, sizes = strong_components(4, np.array([0, 1, 2, 3], np.int64), np.array([1, 0, 3, 3], np.int64))
    assert labels[0] == labels[1] and sizes[labels[0]] == 2
    assert sizes[labels[2]] == 1 and sizes[labels[3]] == 1  # a self-holding is no circle of companies


def test_the_look_through_share_is_scipys_product_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    n, m = 300, 900
    src, dst = rng.integers(0, n, m).astype(np.int64), rng.integers(0, n, m).astype(np.int64)
    ppm = rng.integers(1, 400_000, m).astype(np.int64)
    g, (weights,) = CSR.build(n, src, dst, ppm)
    listed = rng.random(n) < 0.1
    got = look_through(g, weights, listed)
    wt = sp.csr_matrix((weights[g.perm_in] / 1e6, g.src[g.perm_in], g.indptr_in), shape=(n, n))
    x, lvec = np.zeros(n), listed.astype(np.float64)
    for _ in range(got.iterations):
        x = wt @ (lvec + (1.0 - lvec) * x)
    assert got.converged and np.array_equal(got.share, np.minimum(x, 1.0))
