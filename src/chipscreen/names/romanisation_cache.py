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
from importlib import metadata
from pathlib import Path
from typing import Any

from chipscreen import hashed_json
from chipscreen.names import native, romanisation
from chipscreen.names.lexicon import names_data_dir

_FAMILY = "wade-giles"


def key() -> str:
    h = hashlib.sha256(metadata.version("pypinyin").encode())
    for f in (native.source(romanisation), Path(__file__), names_data_dir() / "wade_giles.yml"):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def prime(folder: Path) -> None:
    """Read the tables from ``folder`` (and hand them to ``romanisation``), or derive them and write them there
    for the next process; a folder that cannot be written only means deriving them again next time."""
    k = key()
    for path in hashed_json.candidates(folder, _FAMILY, k):
        tables = _read(path)
        if tables is not None:
            romanisation.prime(tables)
            return
    with contextlib.suppress(OSError):
        _write(folder, k, romanisation.tables())


def _read(path: Path) -> romanisation.Tables | None:
    try:
        doc = json.loads(hashed_json.verified(path, _FAMILY))
        spellings = {str(k): frozenset(_strings(v)) for k, v in dict(doc["spellings"]).items()}
        marked, longest = frozenset(_strings(doc["marked"])), doc["longest"]
        if not spellings or type(longest) is not int or longest != max(map(len, spellings)):
            raise ValueError("tables that do not fit together")
        return spellings, marked, longest
    except (OSError, ValueError, KeyError, TypeError):
        hashed_json.discard(path)
        return None


def _strings(values: Any) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TypeError("expected a list of strings")
    return values


def _write(folder: Path, k: str, tables: romanisation.Tables) -> None:
    spellings, marked, longest = tables
    doc = {"spellings": {s: sorted(v) for s, v in sorted(spellings.items())}, "marked": sorted(marked),
           "longest": longest}
    hashed_json.write(folder, _FAMILY, k, json.dumps(doc, ensure_ascii=True, separators=(",", ":")).encode())
