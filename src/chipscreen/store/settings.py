"""The store's safety settings from ``data/store/safety.yml``: shrink bounds, writer wait, backups kept,
DuckDB's memory bound.

Read once per process into a typed record, so that a bad edit to the file is a ``DataError`` naming the key
instead of a wrong guard."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml


@dataclass(frozen=True)
class Safety:
    shrink_max_fraction: float
    shrink_max_entries: int
    wait_seconds: float
    poll_seconds: float
    backups_kept: int
    duckdb_mb: int


def _number(path: Path, doc: object, section: str, key: str, *, integer: bool = False) -> float:
    value = doc.get(section, {}).get(key) if isinstance(doc, dict) and isinstance(doc.get(section), dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise DataError(str(path), f"{section}.{key}", f"expected a number >= 0, got {value!r}")
    if integer and not isinstance(value, int):
        raise DataError(str(path), f"{section}.{key}", f"expected a whole number, got {value!r}")
    return value


@lru_cache(maxsize=4)
def safety(path: Path | None = None) -> Safety:
    """The settings of ``path`` (default the shipped ``data/store/safety.yml``)."""
    path = path or data_dir() / "store" / "safety.yml"
    doc = read_yaml(path)
    return Safety(
        shrink_max_fraction=_number(path, doc, "shrink", "max_fraction"),
        shrink_max_entries=int(_number(path, doc, "shrink", "max_entries", integer=True)),
        wait_seconds=_number(path, doc, "writer", "wait_seconds"),
        poll_seconds=_number(path, doc, "writer", "poll_seconds"),
        backups_kept=max(1, int(_number(path, doc, "backups", "keep", integer=True))),
        duckdb_mb=max(64, int(_number(path, doc, "memory", "duckdb_mb", integer=True))),
    )
