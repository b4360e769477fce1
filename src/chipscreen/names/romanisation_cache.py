"""The Wade-Giles syllable tables (``romanisation.tables``) cached as JSON beside the names index.

Deriving them imports pypinyin and reads its 40,000 characters: over half a second that every warm ``screen``
and ``check`` paid, as any Latin word is asked whether it reads as Wade-Giles. They depend only on pypinyin's
version, ``data/names/wade_giles.yml`` and the code that derives them, which name the file (``key``); the
file's content is checked against the SHA-256 in its name and read as plain JSON, so a damaged or planted
file is removed and the tables derived again, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from importlib import metadata
from pathlib import Path
from typing import Any

from chipscreen.names import romanisation
from chipscreen.names.lexicon import names_data_dir

_NAME = re.compile(r"wade-giles-(?P<key>[0-9a-f]{16})-(?P<sha>[0-9a-f]{64})\.json")


def key() -> str:
    h = hashlib.sha256(metadata.version("pypinyin").encode())
    for f in (Path(romanisation.__file__), Path(__file__), names_data_dir() / "wade_giles.yml"):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def prime(folder: Path) -> None:
    """Read the tables from ``folder`` (and hand them to ``romanisation``), or derive them and write them there
    for the next process; a folder that cannot be written only means deriving them again next time."""
    k = key()
    for path in sorted(folder.glob(f"wade-giles-{k}-*.json")):
        tables = _read(path)
        if tables is not None:
            romanisation.prime(tables)
            return
    with contextlib.suppress(OSError):
        _write(folder, k, romanisation.tables())


def _read(path: Path) -> romanisation.Tables | None:
    m = _NAME.fullmatch(path.name)
    try:
        data = path.read_bytes()
        if m is None or hashlib.sha256(data).hexdigest() != m["sha"]:
            raise ValueError("content does not match its hash")
        doc = json.loads(data)
        spellings = {str(k): frozenset(_strings(v)) for k, v in dict(doc["spellings"]).items()}
        marked, longest = frozenset(_strings(doc["marked"])), doc["longest"]
        if not spellings or type(longest) is not int or longest != max(map(len, spellings)):
            raise ValueError("tables that do not fit together")
        return spellings, marked, longest
    except (OSError, ValueError, KeyError, TypeError):
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def _strings(values: Any) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TypeError("expected a list of strings")
    return values


def _write(folder: Path, k: str, tables: romanisation.Tables) -> None:
    spellings, marked, longest = tables
    doc = {"spellings": {s: sorted(v) for s, v in sorted(spellings.items())}, "marked": sorted(marked),
           "longest": longest}
    data = json.dumps(doc, ensure_ascii=True, separators=(",", ":")).encode()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"wade-giles-{k}.tmp{os.getpid()}"
    try:
        tmp.write_bytes(data)
        final = folder / f"wade-giles-{k}-{hashlib.sha256(data).hexdigest()}.json"
        tmp.replace(final)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    for old in folder.glob("wade-giles-*.json"):  # another pypinyin's or table's: never read again
        if old != final:
            with contextlib.suppress(OSError):
                old.unlink()
