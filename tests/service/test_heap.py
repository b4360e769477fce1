"""The long-lived heap is moved out of the collector's reach: once the index is built, and again when a full
collection shows that requests have since built long-lived structures of their own."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from chipscreen.service.heap import Heap


@pytest.fixture
def heap() -> Iterator[Heap]:
    heap = Heap(slow_full_ms=0)  # every full collection counts as slow
    yield heap
    heap.stop()
    gc.unfreeze()


def test_settling_freezes_what_is_alive(heap: Heap) -> None:
    index_like = [{"name": f"entry {i}", "aliases": [str(i)]} for i in range(10_000)]
    heap.settle()
    assert gc.get_freeze_count() >= len(index_like)


def test_a_slow_full_collection_freezes_its_survivors_at_the_next_tick(heap: Heap) -> None:
    heap.settle()
    frozen = gc.get_freeze_count()
    heap.watch()
    made_by_requests = [[i] for i in range(5_000)]
    assert not heap.settle_if_due()  # no full collection yet
    gc.collect()
    assert heap.settle_if_due() and heap.frozen_after_slow == 1
    assert gc.get_freeze_count() >= frozen + len(made_by_requests)
    assert not heap.settle_if_due()  # once per slow collection


def test_a_fast_full_collection_freezes_nothing() -> None:
    heap = Heap(slow_full_ms=60_000)
    heap.watch()
    try:
        gc.collect()
        assert not heap.settle_if_due()
    finally:
        heap.stop()
