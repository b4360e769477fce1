"""Copy-on-write store files: a writer never changes the file readers have open.

The live store is ``$CHIPSCREEN_HOME/chipscreen.duckdb``, and it is only ever opened read-only. A writer (holding
``lock``) copies it to ``chipscreen.duckdb.writing``, writes the copy, checkpoints and closes it, flushes it to
disk and renames it over the live file. The rename is the commit: a reader that opened the old file keeps a
consistent view of it until it reopens; a new reader sees the new one; a writer killed at any point leaves the
live file as it was plus a stale work file, which the next writer removes. A reader therefore never waits for a
writer and never sees half a write.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from chipscreen.errors import ChipscreenError

STORE_FILE = "chipscreen.duckdb"
ALIAS = "store"  # the name the store file is attached under in a connection


class StoreDamagedError(ChipscreenError):
    """The store file cannot be opened as a database: say what is wrong and how to recover."""


def wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def work_path(live: Path) -> Path:
    return live.with_name(live.name + ".writing")


def damaged(path: Path, exc: BaseException) -> StoreDamagedError:
    reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    return StoreDamagedError(
        f"{path}: the store file is damaged and cannot be opened ({reason}). Nothing was changed. "
        "Run `chipscreen store verify` to check it and its backups, then `chipscreen store restore` to put back "
        "the last good store (the damaged file is kept beside it)"
    )


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def attach(con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
    """Attach a store file as ``store`` and make it the default database of ``con``."""
    mode = " (READ_ONLY)" if read_only else ""
    try:
        con.execute(f"ATTACH {_quoted(path)} AS {ALIAS}{mode}")
    except duckdb.Error as exc:
        if not os.access(path, os.R_OK):
            raise ChipscreenError(f"{path}: cannot read the store file (permission denied)") from None
        raise damaged(path, exc) from None
    con.execute(f"USE {ALIAS}")


def detach(con: duckdb.DuckDBPyConnection, *, checkpoint: bool) -> None:
    """Close the attached file, after writing its last changes into it when ``checkpoint``; a failed
    checkpoint (a full disk) still detaches it, so that the live file can be attached again."""
    try:
        if checkpoint:
            con.execute(f"CHECKPOINT {ALIAS}")
    finally:
        # ``SET schema`` rather than ``USE``: USE fails on a database a failed checkpoint invalidated
        con.execute("SET schema = 'memory.main'")
        con.execute(f"DETACH {ALIAS}")


def discard(work: Path) -> None:
    """Remove a work file (a failed write's, or a killed writer's); only the lock holder calls this."""
    for p in (work, wal(work)):
        p.unlink(missing_ok=True)


def start_empty(live: Path) -> Path:
    """A clean work path for a writer that fills it itself (a restore)."""
    work = work_path(live)
    discard(work)
    return work


def start(live: Path) -> Path:
    """The work copy a writer writes: the live file (and a write-ahead log an older version left) copied."""
    work = start_empty(live)
    if live.exists():
        shutil.copyfile(live, work)
        if wal(live).exists():
            shutil.copyfile(wal(live), wal(work))
    return work


def _fsync(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(work: Path, live: Path) -> None:
    """Make a checkpointed, closed work file the live store: durable first, then one atomic rename."""
    if wal(work).exists():
        raise ChipscreenError(f"{work}: the write was not checkpointed; the live store was left unchanged")
    _fsync(work)
    wal(live).unlink(missing_ok=True)  # merged into the work copy by ``start``; must not outlive its file
    os.replace(work, live)
    _fsync(live.parent, directory=True)
