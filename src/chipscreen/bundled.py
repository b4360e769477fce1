"""The bundled snapshot: the public-domain US lists shipped in ``data/lists`` (see its PROVENANCE.md).

An empty store loads them on first use, so a fresh install answers screening questions with no setup."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import yaml

from chipscreen.paths import data_dir
from chipscreen.sources import parse_file

if TYPE_CHECKING:
    from chipscreen.store import LoadResult, Store


def load_bundled(store: Store) -> LoadResult:
    folder = data_dir() / "lists"
    manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    parsed = []
    for spec in manifest["files"]:
        retrieved = spec["retrieved"]
        if isinstance(retrieved, str):
            retrieved = dt.date.fromisoformat(retrieved)
        parsed.append(parse_file(folder / spec["path"], fmt=spec["format"], retrieved=retrieved))
    return store.load(parsed, note="bundled lists (data/lists/manifest.yaml)")
