"""Whether ``screen-file`` may resume into an existing ``--out``: only when the same input was being screened
against the same snapshot on the same date.

Resuming skips the rows already in the output, so resuming a run of *another* input (the file was rewritten
with new names) would leave those names unscreened while the command reports success. The run therefore writes
a record of what it screens next to its output (``<out>.resume.json``: the input's name, size and the SHA-256
of the bytes read, the snapshot, the date, the list selection and the columns) before the first row, and a
later run resumes only when its own record is the same. Each result row also carries its snapshot and date, so
a row copied out of the file still says what it was screened against.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from chipscreen.errors import InputError

HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class RunRecord:
    """What one ``screen-file`` run screens: a resumed run must match every field."""

    input: str
    size: int
    sha256: str
    snapshot: str
    date: str
    lists: list[str]
    name_column: str
    country_column: str | None

    def differences(self, other: RunRecord) -> list[str]:
        mine, theirs = asdict(self), asdict(other)
        return [f"{key} {theirs[key]!r} -> {mine[key]!r}" for key in mine if mine[key] != theirs[key]]


def record_path(out: Path) -> Path:
    return out.with_name(out.name + ".resume.json")


def file_digest(file: Path) -> tuple[int, str]:
    """Size and SHA-256 of the file's bytes, read in chunks (a 200 MB input is not held in memory)."""
    h = hashlib.sha256()
    size = 0
    with file.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def read_record(out: Path) -> RunRecord | None:
    path = record_path(out)
    if not path.exists():
        return None
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
        return RunRecord(**raw)
    except (ValueError, TypeError) as exc:
        raise InputError(f"{path}: not a readable resume record ({exc}); use --restart to start over") from None


def check_resume(out: Path, now: RunRecord, rows_done: int, row_stamps: set[tuple[str, str]]) -> None:
    """Raise unless the rows already in ``out`` were screened from the same input, snapshot and date."""
    if rows_done == 0:
        return
    hint = "use --restart to screen every row again, or another --out"
    before = read_record(out)
    if before is None:
        raise InputError(f"--out {out}: holds {rows_done:,} result row(s) but no record of the input and "
                         f"snapshot that produced them ({record_path(out).name}); not resuming: {hint}")
    changed = now.differences(before)
    stale = sorted(s for s in row_stamps if s != (now.snapshot, now.date))
    if stale:
        changed.append(f"rows screened against snapshot/date {', '.join('/'.join(s) for s in stale)}")
    if changed:
        raise InputError(f"--out {out}: was written by another run ({'; '.join(changed)}); not resuming: {hint}")


def write_record(out: Path, record: RunRecord) -> None:
    """Written (atomically) before the first row, so an interrupted run always leaves its record."""
    path = record_path(out)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(asdict(record), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def forget(out: Path) -> None:
    """``--restart``: the output and its record go together."""
    for path in (out, record_path(out)):
        if path.exists():
            path.unlink()
