"""The service's heap and Python's cyclic garbage collector.

The index of a snapshot is hundreds of thousands of objects that live as long as the snapshot. Left to the
collector, every full collection walks all of them for nothing while each request in flight waits: on the
bundled lists one took 200 to 950 ms of CPU. ``gc.freeze`` moves what is alive out of the collector's reach.
Some long-lived structures are only made by the first requests (the names index's plain lists, the ownership
graph of a date); a full collection that still takes long after the freeze means such objects exist, and
since a full collection has just dropped all garbage, what is left is alive and is frozen too.

Raising the young generation's threshold (a common server setting) was measured and left out: at 50,000
allocations each young collection took 26 ms of CPU, a worse tail than Python's default."""

from __future__ import annotations

import gc
import time
from typing import Any


class Heap:
    """Freezes the long-lived heap once it is built, and again when a full collection shows it has grown."""

    def __init__(self, slow_full_ms: float) -> None:
        self.slow_full_s = slow_full_ms / 1000
        self.due = False
        self.frozen_after_slow = 0  # how many times a slow full collection led to a freeze
        self._started = 0.0

    def settle(self) -> None:
        """Collect everything, then freeze what survived (after the view is built or swapped in)."""
        gc.collect()
        gc.freeze()

    def thaw_and_settle(self) -> None:
        """After a replaced view is dropped: its objects were frozen with it, and only a full collection of
        an unfrozen heap can free the cycles among them."""
        gc.unfreeze()
        self.settle()

    def watch(self) -> None:
        if self._observe not in gc.callbacks:
            gc.callbacks.append(self._observe)

    def stop(self) -> None:
        if self._observe in gc.callbacks:
            gc.callbacks.remove(self._observe)

    def _observe(self, phase: str, info: dict[str, Any]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.thread_time()
        elif time.thread_time() - self._started > self.slow_full_s:
            self.due = True  # not frozen here: the collector is still running this callback

    def settle_if_due(self) -> bool:
        """Freeze the survivors of a slow full collection (called from the service's watcher thread)."""
        if not self.due:
            return False
        self.due = False
        gc.freeze()
        self.frozen_after_slow += 1
        return True
