"""Once its index is built the service moves the long-lived heap out of the collector's reach, so that a full
collection does not walk the whole index while requests wait."""

from __future__ import annotations

import gc

from chipscreen.service.config import default_limits
from chipscreen.service.state import settle_heap


def test_settling_the_heap_freezes_what_is_alive_and_collects_the_young_less_often() -> None:
    before = gc.get_threshold()
    index_like = [{"name": f"entry {i}", "aliases": [str(i)]} for i in range(10_000)]
    try:
        settle_heap(default_limits().gc_gen0_threshold)
        assert gc.get_freeze_count() >= len(index_like)
        assert gc.get_threshold()[0] == default_limits().gc_gen0_threshold > before[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
