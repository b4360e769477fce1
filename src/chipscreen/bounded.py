"""Bounded memos for long-running processes: a least-recently-used map whose size is data
(``data/caches.yml``), for the per-party, per-date and per-question memos of the engines.

A batch command lives minutes and may keep every answer it computed; ``chipscreen serve`` lives for weeks and
sees every customer name and transaction date its clients send, so an unbounded memo there is a slow leak.
The map is a ``dict`` (an ``OrderedDict``), so the memos keep their types and their callers' code."""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar, overload

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml

K = TypeVar("K")
V = TypeVar("V")
D = TypeVar("D")


class LRU(OrderedDict[K, V]):
    """At most ``maxsize`` entries; reading or writing one makes it the newest, a write past the size drops
    the oldest. ``get`` never raises: an entry another thread dropped meanwhile is a miss, which the memos it
    backs recompute."""

    def __init__(self, maxsize: int) -> None:
        super().__init__()
        if maxsize < 1:
            raise ValueError(f"maxsize: at least 1, not {maxsize}")
        self.maxsize = maxsize

    def __getitem__(self, key: K) -> V:
        value = super().__getitem__(key)
        self.move_to_end(key)
        return value

    @overload
    def get(self, key: K, default: None = None) -> V | None: ...
    @overload
    def get(self, key: K, default: V | D) -> V | D: ...

    def get(self, key: K, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:  # absent, or dropped by another thread between the lookup and the move
            return default

    def __setitem__(self, key: K, value: V) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.maxsize:
            self.popitem(last=False)


def caches_file() -> Path:
    return data_dir() / "caches.yml"


def read_sizes(path: Path) -> dict[str, int]:
    """``section.name`` -> size; a non-positive or non-integer size names the file and the key."""
    raw: Any = read_yaml(path)
    if not isinstance(raw, dict):
        raise DataError(str(path), None, "expected sections of cache sizes")
    sizes: dict[str, int] = {}
    for section, entries in raw.items():
        for name, size in (entries or {}).items():
            if not isinstance(size, int) or isinstance(size, bool) or size < 1:
                raise DataError(str(path), f"{section}.{name}", f"a cache size is a positive integer, not {size!r}")
            sizes[f"{section}.{name}"] = size
    return sizes


@lru_cache(maxsize=1)
def cache_sizes() -> dict[str, int]:
    """The shipped sizes, read once per process."""
    return read_sizes(caches_file())


def bounded(name: str) -> LRU[Any, Any]:
    """A new LRU map of the size ``data/caches.yml`` gives ``name`` (``section.entry``)."""
    sizes = cache_sizes()
    if name not in sizes:
        raise DataError(str(caches_file()), name, "no size for this cache")
    return LRU(sizes[name])
