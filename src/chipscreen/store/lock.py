"""The writer lock: one process writes a store at a time; readers never take it.

DuckDB lets one process hold a database file for writing, and a second writer used to crash with DuckDB's
"Could not set lock". Writers now take an exclusive ``flock`` on ``$CHIPSCREEN_HOME/chipscreen.lock`` before
they copy the store (``files``), so a second writer waits for the first, saying so once, and gives up after a
bounded time with a one-line message (exit 2). The kernel drops the lock of a killed process, so a ``kill -9``
never leaves the store locked. The lock file records who holds it, for the waiting writer's message.
"""

from __future__ import annotations

import errno
import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from chipscreen.errors import ChipscreenError

LOCK_FILE = "chipscreen.lock"

Notify = Callable[[str], None]


class StoreBusyError(ChipscreenError):
    """Another process kept the store for writing longer than this one would wait."""


class ReadOnlyHomeError(ChipscreenError):
    """The home folder cannot be written: reading works, writing cannot."""


def to_stderr(message: str) -> None:
    """The default way a waiting writer tells the user why nothing happens yet."""
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def read_only_home(home: Path, exc: OSError) -> ChipscreenError:
    """The error for a home that refused a write: a read-only folder, or (a full disk) a plain failure."""
    reason = exc.strerror or type(exc).__name__
    if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ChipscreenError(f"{home}: cannot write the store ({reason}); nothing was changed")
    return ReadOnlyHomeError(
        f"{home}: cannot write the store here ({reason}). Read commands (lists show, screen, check) still work "
        "on it; to load or change data use a writable folder (--home or CHIPSCREEN_HOME)"
    )


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text or "another process"


def _acquire(fd: int, path: Path, wait: float, poll: float, notify: Notify) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            raise StoreBusyError(
                f"{path.parent}: the store is being written by {_holder(path)}; gave up after {wait:g} s. "
                "Nothing was changed: run the command again when that one has finished (or pass --wait SECONDS)"
            )
        if not told:
            notify(f"waiting up to {wait:g} s for {_holder(path)} to finish writing the store...")
            told = True
        time.sleep(max(poll, 0.01))


def _write_holder(fd: int) -> None:
    """Who holds the lock, for another writer's message: best effort, the lock is what counts."""
    command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))[:200]
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} ({command})".encode(errors="replace"), 0)
    except OSError:
        pass


@contextmanager
def writer_lock(home: Path, *, wait: float, poll: float, notify: Notify = to_stderr) -> Iterator[None]:
    """Hold the store's writer lock for the block; wait at most ``wait`` seconds for it."""
    path = home / LOCK_FILE
    try:
        home.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise read_only_home(home, exc) from None
    try:
        _acquire(fd, path, wait, poll, notify)
        _write_holder(fd)
        yield
    finally:
        os.close(fd)  # releases the lock
