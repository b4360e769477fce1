"""The bundled snapshot: the public-domain US lists shipped in ``data/lists`` (see its PROVENANCE.md).

An empty store loads them on first use (``open_store``), so a fresh install answers screening questions with
no setup. Constructing a ``Store`` never writes list data; opening one through ``open_store`` may."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chipscreen import progress
from chipscreen.dates import to_date
from chipscreen.errors import DataError
from chipscreen.paths import data_dir, read_yaml
from chipscreen.sources.base import Format, is_format
from chipscreen.store import LoadResult, Store

NOTE = "bundled lists (data/lists/manifest.yaml)"


@dataclass(frozen=True)
class BundledFile:
    """One entry of ``data/lists/manifest.yaml``: a list file, its reader, and when it was retrieved."""

    path: Path
    format: Format
    retrieved: dt.date


def open_store(home: Path | str | None = None, *, read_only: bool = False, wait: float | None = None) -> Store:
    """The store at ``home``, with the bundled lists loaded into it if it holds no snapshot yet; its writes wait
    ``wait`` seconds for another writer (``None``: data/store/safety.yml)."""
    store = Store(home, read_only=read_only, wait=wait)
    if not read_only and store.latest_snapshot() is None:
        load_bundled(store)
    return store


def _manifest_file(manifest: Path, key: str, spec: Any) -> BundledFile:
    if not isinstance(spec, dict):
        raise DataError(str(manifest), key, "expected {path, format, retrieved}")
    path, fmt, retrieved = spec.get("path"), spec.get("format"), spec.get("retrieved")
    if not isinstance(path, str) or not path:
        raise DataError(str(manifest), f"{key}.path", "expected a file or folder beside the manifest")
    if not isinstance(fmt, str) or not is_format(fmt):
        raise DataError(str(manifest), f"{key}.format", f"unknown format {fmt!r}")
    try:
        day = to_date(retrieved)
    except ValueError as exc:
        raise DataError(str(manifest), f"{key}.retrieved", str(exc)) from None
    if day is None:
        raise DataError(str(manifest), f"{key}.retrieved", "expected the date the file was retrieved")
    return BundledFile(manifest.parent / path, fmt, day)


def read_manifest(manifest: Path) -> list[BundledFile]:
    """The files a manifest names; a malformed entry is a DataError naming its key."""
    doc = read_yaml(manifest)
    files = doc.get("files") if isinstance(doc, dict) else None
    if not isinstance(files, list):
        raise DataError(str(manifest), "files", "expected a list of {path, format, retrieved}")
    return [_manifest_file(manifest, f"files[{i}]", spec) for i, spec in enumerate(files)]


def load_bundled(store: Store) -> LoadResult:
    from chipscreen.sources import registry  # the readers: only an empty home needs them

    files = read_manifest(data_dir() / "lists" / "manifest.yaml")
    with progress.step(f"first use of {store.home}: loading the {len(files)} bundled list files (once)"):
        parsed = [registry.parse_file(f.path, fmt=f.format, retrieved=f.retrieved) for f in files]
        return store.load(parsed, note=NOTE)
