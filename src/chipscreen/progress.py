"""Progress of the slow first steps (loading the bundled lists, building a names index) on stderr.

A newcomer's first command on an empty home works for several seconds before it answers; a line saying what
it does and that it happens once keeps that from looking like a hang. Only where a person watches: stderr
is a terminal, or ``CHIPSCREEN_PROGRESS=1`` (``0`` silences it). Pipes, files and tests get no extra text.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

__all__ = ["TICK_SECONDS", "Ticker", "enabled", "step"]

_T = TypeVar("_T")
TICK_SECONDS = 5.0
"""The least time between two lines of a ``Ticker``."""


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


@dataclass
class Ticker:
    """``tick(done)`` inside a long loop prints ``what: done of total`` at most every ``every`` seconds: a
    names index of half a million private names takes minutes to build, and one line at its start is not
    enough to tell work from a hang. Silent where ``enabled`` is false (the check costs one comparison)."""

    what: str
    total: int
    every: float = field(default_factory=lambda: TICK_SECONDS)
    on: bool = field(default_factory=enabled)
    last: float = field(default_factory=time.perf_counter)

    def over(self, items: Iterable[_T], check_every: int = 4096) -> Iterator[_T]:
        """``items``, ticking with the count of those handed out every ``check_every`` of them."""
        for done, item in enumerate(items):
            if not done % check_every:
                self.tick(done)
            yield item

    def tick(self, done: int) -> None:
        if not self.on or time.perf_counter() - self.last < self.every:
            return
        self.last = time.perf_counter()
        share = 100 * done / self.total if self.total else 100.0
        print(f"chipscreen: {self.what}: {done:,} of {self.total:,} ({share:.0f} %)", file=sys.stderr, flush=True)
