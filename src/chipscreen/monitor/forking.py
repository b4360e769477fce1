"""The monitor's two pieces of shared plumbing: work spread over forked processes that share large read-only
indexes copy-on-write, and a cache folder written whole.

A worker inherits the indexes through ``fork`` instead of receiving them pickled (hundreds of megabytes for a
large watch set); only the chunks of work and their answers cross between processes. A cache folder is written
beside its final place and renamed over it, so a reader sees the old folder or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

Shared = TypeVar("Shared")
Chunk = TypeVar("Chunk")
Answer = TypeVar("Answer")

_WORK: tuple[Callable[[Any, Any], Any], Any] | None = None


def can_fork(workers: int, items: int, parallel_from: int) -> bool:
    """Whether forking ``workers`` processes pays for ``items`` items (below ``parallel_from`` it costs more)."""
    return workers > 1 and items >= parallel_from and os.name == "posix"


def spans(count: int, workers: int) -> list[tuple[int, int]]:
    """``count`` items as about four runs (start, end) per worker: a slow run then holds up the others less."""
    size = max(1, -(-count // (4 * workers)))
    return [(i, min(i + size, count)) for i in range(0, count, size)]


def chunks(items: Sequence[Chunk], workers: int) -> list[Sequence[Chunk]]:
    """The items in the runs of ``spans``."""
    return [items[a:b] for a, b in spans(len(items), workers)]


def forked_map(work: Callable[[Shared, Chunk], Answer], shared: Shared, todo: Sequence[Chunk], workers: int
               ) -> list[Answer]:
    """``[work(shared, c) for c in todo]`` in ``workers`` forked processes that inherit ``shared``."""
    global _WORK
    import multiprocessing as mp

    _WORK = (work, shared)
    gc.freeze()  # the indexes are long-lived: a collector pass in a worker would copy their pages
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            return pool.map(_run, todo)
    finally:
        _WORK = None
        gc.unfreeze()


def _run(chunk: Any) -> Any:
    assert _WORK is not None
    work, shared = _WORK
    return work(shared, chunk)


def write_folder(where: Path, write: Callable[[Path], None], family: str) -> None:
    """Write a cache folder with ``write`` (given the folder to fill) and rename it into place whole; the other
    folders of its ``family`` (``where``'s siblings whose names start so) are dropped: a run needs one."""
    where.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{where.name}-", dir=where.parent))
    try:
        write(tmp)
        if where.exists():
            shutil.rmtree(where, ignore_errors=True)
        os.replace(tmp, where)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    for other in where.parent.glob(f"{family}*"):
        if other != where and other.is_dir():
            with contextlib.suppress(OSError):
                shutil.rmtree(other)
