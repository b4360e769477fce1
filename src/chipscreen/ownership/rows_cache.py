"""The two slow reads of the ownership structure, cached per snapshot and ownership version as hashed JSON.

A warm ``check`` rebuilt the date-independent ownership structure on every run, and most of that time went
to two queries that normalise every listed name with the ``own_norm`` macro (``listed_entries``,
``alias_entities``): over a second of a 1.8 s command. Their rows depend only on the snapshot (a content
hash of its lists), the ownership data loaded (datasets and last load time), the legal forms the macro drops
and the code of the queries, which together name the file (``key``). The file is plain JSON under
``$CHIPSCREEN_HOME/cache``, checked against the SHA-256 in its name: a damaged file is removed and the rows
read from the store again, never trusted; a home that cannot be written only means reading them again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from chipscreen import hashed_json
from chipscreen.bounded import cache_sizes
from chipscreen.store import SnapshotInfo, Store
from chipscreen.store import ownership as store_ownership
from chipscreen.store.ownership import OwnershipTables

_DATES = {"listed_entries": (7, 8), "alias_entities": ()}
"""Which columns of each query's rows are dates (JSON keeps them as ISO text)."""
_WIDTH = {"listed_entries": 11, "alias_entities": 2}
READS = tuple(_WIDTH)
"""The snapshot-wide reads kept, each in a file of its own (``CachedOwnershipTables.files``)."""


class CachedOwnershipTables(OwnershipTables):
    """``OwnershipTables`` whose snapshot-wide reads come from the cache when it holds them."""

    def __init__(self, store: Store, legal_forms: str) -> None:
        super().__init__(store, legal_forms)
        self.legal_forms = legal_forms

    def listed_entries(self, snap: SnapshotInfo | None) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._cached(
            "listed_entries", snap, lambda: super(CachedOwnershipTables, self).listed_entries(snap))
        return rows

    def alias_entities(self, snap: SnapshotInfo | None) -> list[tuple[str | None, str]]:
        rows: list[tuple[str | None, str]] = self._cached(
            "alias_entities", snap, lambda: super(CachedOwnershipTables, self).alias_entities(snap))
        return rows

    def files(self, what: str, snap: SnapshotInfo) -> list[Path]:
        """The cache files that may hold ``what`` for ``snap`` (each checked when read): the files Spark ships."""
        return hashed_json.candidates(self.folder, _family(what), self.key(what, snap))

    @property
    def folder(self) -> Path:
        return Path(self.store.home) / "cache"

    def _cached(self, what: str, snap: SnapshotInfo | None, read: Callable[[], Any]) -> Any:
        if snap is None or not snap.lists:
            return read()
        for path in self.files(what, snap):
            rows = _load(path, what)
            if rows is not None:
                return rows
        rows = read()
        with contextlib.suppress(OSError, TypeError):
            _save(self.folder, what, self.key(what, snap), rows)
        return rows

    def key(self, what: str, snap: SnapshotInfo) -> str:
        """What the rows are made of: the snapshot's lists, the ownership version, the legal forms, the code."""
        _, datasets, loaded = self.state()
        h = hashlib.sha256(json.dumps([what, snap.id, sorted(snap.lists.items()), datasets, str(loaded),
                                       self.legal_forms]).encode())
        for f in (Path(store_ownership.__file__), Path(__file__)):
            h.update(f.read_bytes())
        return h.hexdigest()[:16]


def _load(path: Path, what: str) -> list[tuple[Any, ...]] | None:
    try:
        # a snapshot's rows on every warm check: orjson reads them three times faster than json
        rows = orjson.loads(hashed_json.verified(path, _family(what)))
        if not isinstance(rows, list) or any(not isinstance(r, list) or len(r) != _WIDTH[what] for r in rows):
            raise ValueError("rows of the wrong shape")
        return [_row(r, _DATES[what]) for r in rows]
    except (OSError, ValueError, TypeError):
        hashed_json.discard(path)
        return None


def _row(cells: list[Any], dates: tuple[int, ...]) -> tuple[Any, ...]:
    for i in dates:
        if cells[i] is not None:
            cells[i] = dt.date.fromisoformat(cells[i])
    return tuple(cells)


def _iso(o: Any) -> str:
    if isinstance(o, dt.date):
        return o.isoformat()
    raise TypeError(f"a {type(o).__name__} in the rows: not cached")


def _save(folder: Path, what: str, k: str, rows: list[tuple[Any, ...]]) -> None:
    data = json.dumps(rows, ensure_ascii=False, separators=(",", ":"), default=_iso).encode()
    hashed_json.write(folder, _family(what), k, data, keep=cache_sizes()["ownership.snapshot_files"])


def _family(what: str) -> str:
    return f"own-rows-{what}"
