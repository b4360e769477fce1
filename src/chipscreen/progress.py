"""Progress of the slow first steps (loading the bundled lists, building a names index) on stderr.

A newcomer's first command on an empty home works for several seconds before it answers; a line saying what
it does and that it happens once keeps that from looking like a hang. Only where a person watches: stderr
is a terminal, or ``CHIPSCREEN_PROGRESS=1`` (``0`` silences it). Pipes, files and tests get no extra text.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["enabled", "step"]


def enabled() -> bool:
    forced = os.environ.get("CHIPSCREEN_PROGRESS")
    if forced is not None:
        return forced not in ("", "0")
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stderr
        return False


@contextmanager
def step(what: str) -> Iterator[None]:
    """``with step("building the names index"):`` prints ``what...`` before and the seconds it took after."""
    if not enabled():
        yield
        return
    t0 = time.perf_counter()
    print(f"chipscreen: {what}...", file=sys.stderr, flush=True)
    yield
    print(f"chipscreen: {what}: done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
