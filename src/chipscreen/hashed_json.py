"""Small cache files named by the SHA-256 of their content.

Some warm-path reads are cached as plain JSON under ``$CHIPSCREEN_HOME/cache`` (the Wade-Giles tables, the
Pinyin readings an index build gave, the ownership structure's slow rows). Anyone who can write there could
plant a file, and a full disk can cut one short: naming each file by the hash of its bytes lets a reader refuse
both and derive the value again, never trust it. A file is ``{family}-{key}-{sha256}.json``, where the key names
what the content was made from; writing one removes the family's others (all, or all but the last few written,
for a family that readers ask under a few keys in turn).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from pathlib import Path


def candidates(folder: Path, family: str, key: str, suffix: str = ".json") -> list[Path]:
    """The files that may hold ``family``'s content for ``key`` (each still to be checked by ``verified``)."""
    return sorted(folder.glob(f"{family}-{key}-*{suffix}"))


def verified(path: Path, family: str) -> bytes:
    """The file's bytes; ValueError when its name is not the family's or its content not what the name says."""
    data = path.read_bytes()
    check(path, family, data)
    return data


def check(path: Path, family: str, data: bytes | memoryview, suffix: str = ".json") -> None:
    """ValueError unless ``data`` (the file's content, read or mapped) is what the file's name says."""
    m = re.fullmatch(re.escape(family) + r"-[0-9a-f]{16}-(?P<sha>[0-9a-f]{64})" + re.escape(suffix), path.name)
    if m is None or hashlib.sha256(data).hexdigest() != m["sha"]:
        raise ValueError("content does not match its hash")


def discard(path: Path) -> None:
    """Remove a file a reader refused, so that the next one derives and writes the value again."""
    with contextlib.suppress(OSError):
        path.unlink()


def write(folder: Path, family: str, key: str, data: bytes, suffix: str = ".json", keep: int = 1) -> Path:
    """Write ``data`` under its hash in one rename (a cut-short write leaves no file behind) and remove the
    family's other files but the ``keep - 1`` written last (a family cached per snapshot keeps the two a monitor
    run reads: with one, each snapshot's file evicted the other's)."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{family}-{key}.tmp{os.getpid()}"
    final = folder / f"{family}-{key}-{hashlib.sha256(data).hexdigest()}{suffix}"
    try:
        tmp.write_bytes(data)
        tmp.replace(final)
    except BaseException:
        discard(tmp)
        raise
    others = sorted((p for p in folder.glob(f"{family}-*{suffix}") if p != final), key=_written, reverse=True)
    for old in others[max(keep - 1, 0):]:
        discard(old)
    return final


def _written(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # removed meanwhile by another process
        return 0.0
