"""Small cache files named by the SHA-256 of their content.

Some warm-path reads are cached as plain JSON under ``$CHIPSCREEN_HOME/cache`` (the Wade-Giles tables, the
Pinyin readings an index build gave, the ownership structure's slow rows). Anyone who can write there could
plant a file, and a full disk can cut one short: naming each file by the hash of its bytes lets a reader refuse
both and derive the value again, never trust it. A file is ``{family}-{key}-{sha256}.json``, where the key names
what the content was made from; writing one removes the family's others, which no reader would pick again.
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


def write(folder: Path, family: str, key: str, data: bytes, suffix: str = ".json") -> Path:
    """Write ``data`` under its hash in one rename (a cut-short write leaves no file behind) and remove the
    family's other files."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{family}-{key}.tmp{os.getpid()}"
    final = folder / f"{family}-{key}-{hashlib.sha256(data).hexdigest()}{suffix}"
    try:
        tmp.write_bytes(data)
        tmp.replace(final)
    except BaseException:
        discard(tmp)
        raise
    for old in folder.glob(f"{family}-*{suffix}"):
        if old != final:
            discard(old)
    return final
