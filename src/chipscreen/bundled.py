"""The bundled snapshot: the public-domain US lists shipped in ``data/lists`` (see its PROVENANCE.md).

An empty store loads them on first use (``open_store``), so a fresh install answers screening questions with
no setup. Constructing a ``Store`` never writes list data; opening one through ``open_store`` may."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from chipscreen.paths import data_dir, read_yaml
from chipscreen.sources import parse_file
from chipscreen.store import LoadResult, Store


def open_store(home: Path | str | None = None, *, read_only: bool = False) -> Store:
    """The store at ``home``, with the bundled lists loaded into it if it holds no snapshot yet."""
    store = Store(home, read_only=read_only)
    if not read_only and store.latest_snapshot() is None:
        load_bundled(store)
    return store


def load_bundled(store: Store) -> LoadResult:
    folder = data_dir() / "lists"
    manifest = read_yaml(folder / "manifest.yaml")
    parsed = []
    for spec in manifest["files"]:
        retrieved = spec["retrieved"]
        if isinstance(retrieved, str):
            retrieved = dt.date.fromisoformat(retrieved)
        parsed.append(parse_file(folder / spec["path"], fmt=spec["format"], retrieved=retrieved))
    return store.load(parsed, note="bundled lists (data/lists/manifest.yaml)")
