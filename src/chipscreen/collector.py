"""Pausing Python's cyclic garbage collector around bulk builds.

An index build, an index encoding or a batch of classifications allocates millions of objects that stay
alive and hold no reference cycles: reference counting frees what is dropped, and the collector's repeated
passes over the growing heap are pure waste (a third to two thirds of those runs' time, measured where each
caller says). The pause restores the collector's previous state, so nested pauses and a process that runs
with the collector off are left as they were.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the ``with`` block, then back as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


YOUNG_THRESHOLD = 100_000
"""Allocations between two passes over the youngest generation in a bulk-screening worker."""


def rarer_young_passes() -> None:
    """In a process that only screens (a forked worker): screening a name allocates thousands of short-lived
    tuples and lists, which reference counting frees; CPython's default pass over the youngest generation
    every 700 allocations then costs a seventh of the worker's time (40,000 of ``bench_names_speed.py``'s
    names in one process, compiled engine: 4,030 -> 4,630 names/s). Cyclic garbage still goes, every
    ``YOUNG_THRESHOLD`` allocations."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
