"""The pinyin readings of Han runs (``han.pinyin``) cached as JSON beside the names index.

A warm ``check`` of a party written in Chinese characters spent 0.8 s of its 2.2 s importing pypinyin (its
phrase dictionary and segmenter) to read a name the index build had already read. The readings a process
gave are written here when it builds an index, and read back, on the first Han run only, by the
next process. A reading depends only on pypinyin's version and the code that asks for it, which name the file
(``key``); the file's content is checked against the SHA-256 in its name and read as plain JSON, so a damaged
or planted file is removed and the names read by pypinyin again, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from importlib import metadata
from pathlib import Path

from chipscreen import hashed_json
from chipscreen.names import han, native

__all__ = ["READINGS_MAX", "key", "prime", "save"]

READINGS_MAX = 300_000
"""Readings one file keeps: reading it back must stay cheaper than importing pypinyin."""
_FAMILY = "pinyin-readings"


def key() -> str:
    h = hashlib.sha256(metadata.version("pypinyin").encode())
    for f in (native.source(han), Path(__file__)):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def prime(folder: Path) -> None:
    """Hand ``han`` the readings cached in ``folder``, to be read when a Han run is first asked for."""
    han.prime(lambda: read(folder))


def read(folder: Path) -> han.Readings:
    """The readings of the valid cache file in ``folder`` (none when there is none)."""
    k = key()
    for path in hashed_json.candidates(folder, _FAMILY, k):
        got = _read(path)
        if got is not None:
            return got
    return {}


def save(folder: Path) -> None:
    """Add the readings this process gave to the cache in ``folder``; a folder that cannot be written only
    means asking pypinyin again next time."""
    given = han.readings_given()
    merged = read(folder)
    if given.keys() <= merged.keys():
        return
    for text, syllables in given.items():
        if len(merged) >= READINGS_MAX:
            break
        merged[text] = syllables
    with contextlib.suppress(OSError):
        _write(folder, key(), merged)


def _read(path: Path) -> han.Readings | None:
    try:
        doc = json.loads(hashed_json.verified(path, _FAMILY))
        if not isinstance(doc, dict):
            raise TypeError("expected an object")
        out: han.Readings = {}
        for text, syllables in doc.items():
            if not isinstance(syllables, list) or not all(isinstance(s, str) for s in syllables):
                raise TypeError("expected lists of syllables")
            out[text] = tuple(syllables)
        return out
    except (OSError, ValueError, TypeError):
        hashed_json.discard(path)
        return None


def _write(folder: Path, k: str, readings: han.Readings) -> None:
    data = json.dumps({t: list(s) for t, s in sorted(readings.items())}, ensure_ascii=False,
                      separators=(",", ":")).encode()
    hashed_json.write(folder, _FAMILY, k, data)
