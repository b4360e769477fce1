"""What the executors need, built once on the driver and shipped as files (``SparkContext.addFile``), then
loaded once per executor Python process.

* Screening needs only the snapshot's names index: the Arrow file of ``names.index_cache``, whose name
  carries its SHA-256. The driver loads or builds it (as any command does) and ships that file; an executor
  reads it with ``index_cache.load``, which checks the hash, so a damaged copy is refused, never run.
* Deciding needs the store too (list facts, ownership): the DuckDB file, shipped with its SHA-256 and
  opened read-only. The index travels beside it into the executor's own cache folder, where the store's
  ``Screener`` finds it under the same key instead of rebuilding it. So does the ownership structure, assembled
  once on the driver (``ownership.structure_cache``: an Arrow file named by what it was made from and by its
  SHA-256, checked when read), with the one slow read it still makes when asked about an alias (the listed
  aliases, normalised by SQL: ``ownership.rows_cache``): an executor process loads the structure as it is,
  assembling nothing and querying the store for neither.

The executors' memo is keyed by the shipped files' hashes, so a long-lived Python worker (Spark reuses them
across tasks) loads each index once, however many batches and jobs it serves, and a new snapshot is a new key.
Files are staged as hard links when the home's file system allows (a copy otherwise): a store replaced by a
later ``lists load`` (a rename over the live file) leaves the staged file as it was when shipped.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chipscreen.errors import DataError
from chipscreen.names.index_cache import cache_files, key, load, save
from chipscreen.names.screener import Screener

if TYPE_CHECKING:
    from pyspark import SparkContext

    from chipscreen.decide.engine import Decider
    from chipscreen.store import SnapshotInfo, Store

__all__ = ["ALIAS_READ", "Shipped", "decider_for", "ownership_files", "screener_for", "ship", "store_for"]

HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class Shipped:
    """The files a job's executors load (their names under ``SparkFiles``) and what they were built from."""

    snapshot_id: str
    lists: tuple[str, ...]
    index_file: str
    store_file: str | None = None
    store_sha256: str | None = None
    ownership_files: tuple[str, ...] = ()


def ship(sc: SparkContext, store: Store, *, snapshot: str | None = None, lists: list[str] | None = None,
         with_store: bool = False) -> Shipped:
    """Stage and register the snapshot's names index (and the store file when ``with_store``)."""
    snap = store.snapshot(snapshot)
    wanted = tuple(sorted(lists or ()))
    index_path = _index_file(store, snap.id, list(wanted) or None)
    staging = _staging(store)
    index_file = _register(sc, _stage(index_path, staging, index_path.name))
    if not with_store:
        return Shipped(snap.id, wanted, index_file)
    digest = file_sha256(store.path)
    staged = _stage(store.path, staging, f"chipscreen-store-{digest[:32]}.duckdb")
    rows = tuple(_register(sc, _stage(p, staging, p.name)) for p in ownership_files(store, snap))
    return Shipped(snap.id, wanted, index_file, _register(sc, staged), digest, rows)


ALIAS_READ = "alias_entities"
"""The ``rows_cache`` read an assembled structure still makes (lazily, when asked about an alias)."""


def ownership_files(store: Store, snap: SnapshotInfo) -> list[Path]:
    """The assembled ownership structure's file for ``snap`` and the cache file of its alias read, made now if
    missing (none for a snapshot without lists; no alias rows when the home cannot be written: each executor
    then reads them from its store)."""
    from chipscreen.ownership import structure_cache
    from chipscreen.ownership.rows_cache import CachedOwnershipTables
    from chipscreen.ownership.tables import ownership_tables

    if not snap.lists:
        return []
    files = [structure_cache.load_or_build(store, snap)]
    tables = ownership_tables(store)
    if isinstance(tables, CachedOwnershipTables):
        tables.alias_entities(snap)
        files += tables.files(ALIAS_READ, snap)
    return files


def _index_file(store: Store, snapshot_id: str, lists: list[str] | None) -> Path:
    """The index's cache file, built by the driver when the cache has none (a read-only home keeps no
    cache: the index is then written to a temporary folder for the job)."""
    Screener(store, snapshot=snapshot_id, lists=lists)  # loads or builds and caches the index
    stem_key = key(snapshot_id, lists)
    for path in cache_files(Path(store.home) / "cache"):
        if f"-{stem_key}-" in path.name:
            return path
    index = Screener(store, snapshot=snapshot_id, lists=lists).index
    return save(index, Path(tempfile.mkdtemp(prefix="chipscreen-index-")),
                f"names-index-{snapshot_id[:16]}-{stem_key}")


def _staging(store: Store) -> Path:
    folder = Path(store.home) / "cache" / "spark"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.gettempdir()) / f"chipscreen-spark-{os.getuid()}"
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stage(source: Path, folder: Path, name: str) -> Path:
    """``folder/name`` with ``source``'s content as it is now: a hard link, else a copy."""
    target = folder / name
    if target.exists():
        return target
    tmp = folder / f".{name}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    tmp.replace(target)
    return target


_REGISTERED: set[tuple[int, str]] = set()


def _register(sc: SparkContext, path: Path) -> str:
    """Add the file to the context once (Spark refuses a name registered twice with another path)."""
    marker = (id(sc), path.name)
    if marker not in _REGISTERED:
        sc.addFile(str(path))
        _REGISTERED.add(marker)
    return path.name


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


# ---------------------------------------------------------------------------------------------- executors
_LOADED: dict[tuple[Any, ...], Any] = {}
"""Per executor Python process: what each shipped set of files was loaded into."""


def _shipped_path(name: str) -> Path:
    from pyspark import SparkFiles

    return Path(SparkFiles.get(name))


def screener_for(shipped: Shipped) -> Screener:
    """The screener over the shipped index, loaded on the first batch this process sees."""
    memo = ("screener", shipped.index_file, shipped.lists)
    got = _LOADED.get(memo)
    if got is None:
        index = load(_shipped_path(shipped.index_file))
        if index is None:
            raise DataError(shipped.index_file, None, "the shipped names index does not match its SHA-256")
        got = Screener(index=index, lists=list(shipped.lists) or None)
        _LOADED[memo] = got
        gc.freeze()  # millions of long-lived objects: keep the collector from walking them every batch
    assert isinstance(got, Screener)
    return got


def store_for(shipped: Shipped) -> Store:
    """The shipped store, read-only, in a home of this process's own (its hash checked once)."""
    from chipscreen.store import Store

    memo = ("store", shipped.store_sha256, shipped.index_file)
    got = _LOADED.get(memo)
    if got is None:
        assert shipped.store_file is not None
        got = Store(_executor_home(shipped), read_only=True)
        _LOADED[memo] = got
    assert isinstance(got, Store)
    return got


def decider_for(shipped: Shipped, rulebook: str | None) -> Decider:
    """A decider over the shipped store (read-only) and index, made on the first batch this process sees."""
    from chipscreen.decide.engine import Decider

    memo = ("decider", shipped.store_sha256, shipped.index_file, rulebook)
    got = _LOADED.get(memo)
    if got is None:
        got = Decider(store_for(shipped), rulebook=rulebook, snapshot=shipped.snapshot_id)
        _LOADED[memo] = got
        gc.freeze()
    assert isinstance(got, Decider)
    return got


def _executor_home(shipped: Shipped) -> Path:
    """A home of this process's own: the shipped store (its hash checked) and the index in its cache. It is
    made in the job's ``SparkFiles`` folder, which Spark deletes when the job's context stops: in the system's
    temporary folder, every job left one home per executor process behind."""
    from pyspark import SparkFiles

    from chipscreen.store.files import STORE_FILE

    assert shipped.store_file is not None
    store_path = _shipped_path(shipped.store_file)
    if file_sha256(store_path) != shipped.store_sha256:
        raise DataError(shipped.store_file, None, "the shipped store does not match its SHA-256")
    home = Path(tempfile.mkdtemp(prefix="chipscreen-executor-", dir=SparkFiles.getRootDirectory()))
    (home / STORE_FILE).symlink_to(store_path)
    (home / "cache").mkdir()
    for name in (shipped.index_file, *shipped.ownership_files):
        (home / "cache" / name).symlink_to(_shipped_path(name))
    return home
