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
import pickle
import shutil
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

Shared = TypeVar("Shared")
Chunk = TypeVar("Chunk")
Answer = TypeVar("Answer")

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
    """``[work(shared, c) for c in todo]`` in ``workers`` forked processes that inherit ``shared``.

    The workers are bare ``fork`` children, not a ``multiprocessing`` pool: a pool spent about a tenth of a second
    starting and as much joining its workers, whose exit tears down a copy of a process of several gigabytes, in
    each stage of a million-party monitor run. Each child takes the next chunk from a shared counter (a slow
    chunk holds up nothing else), sends its answers back through a pipe and leaves at once (``os._exit``); the
    parent reads the answers and a thread reaps the children while the run goes on."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    counter, lock = ctx.RawValue("l", 0), ctx.Lock()
    gc.freeze()  # the indexes are long-lived: a collector pass in a worker would copy their pages
    try:
        children = [_fork(work, shared, todo, counter, lock) for _ in range(max(1, min(workers, len(todo))))]
        got: dict[int, Answer] = {}
        failure: str | None = None
        for pid, fd in children:
            with os.fdopen(fd, "rb") as fh:
                try:
                    kind, payload = pickle.load(fh)
                except (EOFError, pickle.UnpicklingError):
                    kind, payload = "error", f"worker {pid} ended without answering"
            threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()
            if kind == "ok":
                got.update(payload)
            else:
                failure = failure or str(payload)
    finally:
        gc.unfreeze()
    if failure is not None or len(got) != len(todo):
        raise RuntimeError(f"a forked worker failed: {failure or 'chunks went unanswered'}")
    return [got[i] for i in range(len(todo))]


def _fork(work: Callable[[Shared, Chunk], Answer], shared: Shared, todo: Sequence[Chunk], counter: Any, lock: Any
          ) -> tuple[int, int]:
    """Fork one worker; return its pid and the pipe its answers come back on. The child never returns."""
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return pid, read
    os.close(read)
    try:
        out: list[tuple[int, Answer]] = []
        while True:
            with lock:
                i = int(counter.value)
                counter.value = i + 1
            if i >= len(todo):
                break
            out.append((i, work(shared, todo[i])))
        answer: tuple[str, object] = ("ok", out)
    except BaseException:  # reported to the parent, which raises
        answer = ("error", traceback.format_exc())
    try:
        with os.fdopen(write, "wb") as fh:
            pickle.dump(answer, fh, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)


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
