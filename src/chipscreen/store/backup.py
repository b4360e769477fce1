"""Verified backups of the last good stores, and the checks behind ``chipscreen store verify|restore``.

After every write the new live file is copied to ``$CHIPSCREEN_HOME/backups/`` under a name that carries the
time and the sha256 of its bytes (``chipscreen-20261206T043012123456Z-<sha256>.duckdb``): the name is the
manifest, so a backup and its hash can never disagree after a crash between two writes, and a backup whose
bytes no longer hash to its name is known damaged. A file is *good* when its hash matches (backups) and DuckDB
opens it and reads every row of every table, which checks every block's own checksum.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from chipscreen.errors import NotFoundError
from chipscreen.store import files
from chipscreen.store.lock import Notify, to_stderr, writer_lock
from chipscreen.store.settings import safety

BACKUP_DIR = "backups"
_NAME = re.compile(r"^chipscreen-(\d{8}T\d{12}Z)-([0-9a-f]{64})\.duckdb$")
_CHUNK = 1 << 20
_ROWS = 100_000  # rows read per batch while scanning a table: bounded memory on a 6M-row list


@dataclass(frozen=True)
class FileCheck:
    """What ``verify`` found about one store file."""

    path: Path
    ok: bool
    problem: str | None
    sha256: str | None
    snapshot: str | None
    snapshots: int


@dataclass(frozen=True)
class Restored:
    """What ``restore_backup`` put back, and where it kept the file it replaced (None when there was none)."""

    backup: FileCheck
    kept: Path | None


def backup_dir(home: Path) -> Path:
    return home / BACKUP_DIR


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def backups(home: Path) -> list[Path]:
    """The backups, newest first."""
    folder = backup_dir(home)
    found = [p for p in folder.iterdir() if _NAME.match(p.name)] if folder.is_dir() else []
    return sorted(found, key=lambda p: p.name, reverse=True)


def _copy_hashing(src: Path, dst: Path) -> str:
    h = hashlib.sha256()
    with src.open("rb") as fin, dst.open("wb") as fout:
        for chunk in iter(lambda: fin.read(_CHUNK), b""):
            h.update(chunk)
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    return h.hexdigest()


def save(live: Path, keep: int) -> Path:
    """Copy the live store (just written, checkpointed and closed) to a new backup; keep the newest ``keep``.
    Runs under the writer lock."""
    folder = backup_dir(live.parent)
    folder.mkdir(exist_ok=True)
    tmp = folder / ".chipscreen.duckdb.tmp"
    digest = _copy_hashing(live, tmp)
    existing = backups(live.parent)
    if existing and existing[0].name.endswith(f"-{digest}.duckdb"):
        tmp.unlink()
        return existing[0]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    final = folder / f"chipscreen-{stamp}-{digest}.duckdb"
    os.replace(tmp, final)
    for old in backups(live.parent)[keep:]:
        old.unlink(missing_ok=True)
    return final


def _scan(path: Path) -> tuple[str | None, int]:
    """Open a store file read-only and read all of it; the latest snapshot id and the number of snapshots."""
    con = duckdb.connect()
    try:
        files.attach(con, path, read_only=True)
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY table_name", [files.ALIAS]
        ).fetchall()]
        for table in tables:
            for _ in con.sql(f'SELECT * FROM "{table}"').to_arrow_reader(_ROWS):
                pass
        if "snapshots" not in tables:
            return None, 0
        row = con.execute("SELECT (SELECT id FROM snapshots ORDER BY seq DESC LIMIT 1), count(*) FROM snapshots"
                          ).fetchone()
        return (str(row[0]) if row and row[0] else None), int(row[1]) if row else 0
    finally:
        con.close()


def check(path: Path) -> FileCheck:
    """Is this store file (live or backup) good? A backup must also hash to its name."""
    if not path.exists():
        return FileCheck(path, False, "missing", None, None, 0)
    digest = sha256_of(path)
    named = _NAME.match(path.name)
    if named and named.group(2) != digest:
        return FileCheck(path, False, f"content hash {digest[:12]} does not match its name", digest, None, 0)
    try:
        snapshot, count = _scan(path)
    except (duckdb.Error, files.StoreDamagedError) as exc:
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        return FileCheck(path, False, reason, digest, None, 0)
    return FileCheck(path, True, None, digest, snapshot, count)


def newest_good(home: Path) -> FileCheck | None:
    """The newest backup that verifies, or None."""
    for path in backups(home):
        result = check(path)
        if result.ok:
            return result
    return None


def restore(live: Path, source: Path) -> Path | None:
    """Put a verified backup back as the live store (under the writer lock). The file it replaces is kept
    beside it as ``chipscreen.duckdb.replaced-<time>`` (a damaged store may still hold something worth
    reading), and its path returned."""
    work = files.start_empty(live)
    digest = _copy_hashing(source, work)
    named = _NAME.match(source.name)
    if named and named.group(2) != digest:
        files.discard(work)
        raise files.StoreDamagedError(f"{source}: changed while it was copied; nothing was restored")
    kept = None
    if live.exists():
        kept = live.with_name(f"{live.name}.replaced-{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%S%fZ')}")
        try:
            os.link(live, kept)
        except OSError:  # a file system without hard links
            shutil.copyfile(live, kept)
    files.publish(work, live)
    return kept


def restore_backup(home: Path, name: str | None, *, wait: float, notify: Notify = to_stderr) -> Restored:
    """Put back the named backup, or the newest one that verifies, as the live store, under the writer lock."""
    with writer_lock(home, wait=wait, poll=safety().poll_seconds, notify=notify):
        if name is None:
            chosen = newest_good(home)
            if chosen is None:
                raise NotFoundError(f"{backup_dir(home)}: no backup verifies; nothing was restored")
        else:
            chosen = check(backup_dir(home) / Path(name).name)
            if not chosen.ok:
                raise NotFoundError(f"{chosen.path}: {chosen.problem}; nothing was restored")
        kept = restore(home / files.STORE_FILE, chosen.path)
    return Restored(chosen, kept)
