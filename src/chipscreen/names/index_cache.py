"""The names index of a snapshot, cached under ``$CHIPSCREEN_HOME/cache`` between processes.

Building an index normalises every listed name (seconds for the bundled lists, minutes for a large private
list); reading one back costs milliseconds. The file is an Arrow IPC file of plain columns
(``index_arrays``), never a pickle: whoever can write to the cache folder can at worst make the next command
rebuild, not run code as its user. Its name carries

* the key: a hash of everything the index depends on besides the store (the snapshot, the list selection,
  every module of the names package and table of ``data/names``, the optional CJK readers, the format), so
  an upgraded chipscreen, or an edited table, never reads an older index;
* the SHA-256 of its content, checked on every read, so a damaged or planted file is deleted and rebuilt.

A write goes to a temporary file renamed into place: an interrupted write (a full disk, ``ulimit -f``, a
kill) leaves no partial cache under the final name, the temporary file is removed when the write fails, and
the next write removes those left by killed processes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from chipscreen import collector, progress
from chipscreen.names import pinyin_cache, romanisation_cache
from chipscreen.names.index import NameIndex
from chipscreen.names.index_arrays import decode, encode
from chipscreen.names.lexicon import names_data_dir
from chipscreen.territories import TABLE_PATH

if TYPE_CHECKING:
    from chipscreen.store import Store

__all__ = ["FORMAT", "cache_files", "index_inputs", "key", "load", "load_or_build", "save"]

FORMAT = 7
"""Bump when the columns of ``index_arrays`` change, so that older cache files are ignored."""
OPTIONAL_READERS = ("pykakasi", "hanja")
"""The distributions ``names.han`` reads Japanese and Korean with when they are installed."""

_NAME = re.compile(r"names-index-(?P<snap>\w+)-(?P<key>[0-9a-f]{16})-(?P<sha>[0-9a-f]{64})\.arrow")
_TMP = re.compile(r"names-index-.*\.tmp(?P<pid>\d+)")


def index_inputs() -> list[Path]:
    """Every file a names index depends on besides the store: each module of the names package (any of
    them may shape a token, a key or a bound), ``dates.py`` (listing windows are filed as its day numbers),
    ``territories.py`` and its table (places in names are read with them) and each table of ``data/names``."""
    code = Path(__file__).resolve().parent
    return [*sorted(code.rglob("*.py")), code.parent / "dates.py", code.parent / "territories.py", TABLE_PATH,
            *sorted(names_data_dir().glob("*.yml"))]


def key(snapshot_id: str, lists: Sequence[str] | None) -> str:
    """The part of a cache file's name that says what it was built from (see the module docstring)."""
    h = hashlib.sha256()
    h.update(f"{FORMAT}|{snapshot_id}|{','.join(sorted(lists or ()))}".encode())
    code = Path(__file__).resolve().parent
    for f in index_inputs():
        h.update((str(f.relative_to(code)) if f.is_relative_to(code) else f.name).encode())
        h.update(f.read_bytes())
    h.update(_optional_readers().encode())
    return h.hexdigest()[:16]


def _optional_readers() -> str:
    """Which of the ``cjk`` extra's readers (``names.han``) are installed, and their versions: asked of the
    package metadata, since building the converters themselves takes seconds (their dictionaries)."""
    found = []
    for dist in OPTIONAL_READERS:
        try:
            found.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            found.append(f"{dist}=none")
    return ",".join(found)


def _stem(snapshot_id: str, lists: Sequence[str] | None) -> str:
    return f"names-index-{snapshot_id[:16]}-{key(snapshot_id, lists)}"


def cache_files(folder: Path) -> list[Path]:
    """The index cache files in ``folder`` (complete ones, by name)."""
    return sorted(p for p in folder.glob("names-index-*.arrow") if _NAME.fullmatch(p.name))


def load(path: Path) -> NameIndex | None:
    """The index in ``path`` if its content has the hash its name states and its columns fit together;
    otherwise None (the file is then removed, when it can be)."""
    m = _NAME.fullmatch(path.name)
    try:
        data = path.read_bytes()
        if m is None or hashlib.sha256(data).hexdigest() != m["sha"]:
            raise ValueError("content does not match its hash")
        return decode(pa.ipc.open_file(pa.py_buffer(data)).read_all())
    except (OSError, ValueError, KeyError, IndexError, TypeError, pa.ArrowException):
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def save(index: NameIndex, folder: Path, stem: str) -> Path:
    """Write ``index`` as ``folder/stem-<sha256>.arrow``; raises OSError (nothing left behind) when it cannot."""
    # encoding allocates lists as long as the index while millions of its objects are alive: collector
    # passes over them took two thirds of the time, for nothing (the lists hold no reference cycles)
    with collector.paused():
        table = encode(index)
    folder.mkdir(parents=True, exist_ok=True)
    _remove_orphans(folder)
    tmp = folder / f"{stem}.tmp{os.getpid()}"
    try:
        # streamed to the file, then hashed from it: the whole file never sits in memory beside the index
        # (over half a gigabyte of the peak for a 500k-row private list)
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        del table
        with tmp.open("rb") as fh:
            path = folder / f"{stem}-{hashlib.file_digest(fh, 'sha256').hexdigest()}.arrow"
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def _remove_orphans(folder: Path) -> None:
    """Temporary files of writers that are no longer running (killed mid-write), and the pickles earlier
    versions cached (never read again)."""
    for old in folder.glob("names-index-*.pickle"):
        with contextlib.suppress(OSError):
            old.unlink()
    for tmp in folder.glob("names-index-*.tmp*"):
        m = _TMP.fullmatch(tmp.name)
        if m is None or _running(int(m["pid"])):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid < 2**22  # another user's live process (or a number no process can have)
    return True


def load_or_build(store: Store, snapshot_id: str, lists: Sequence[str] | None) -> NameIndex:
    """The snapshot's name index from the cache under ``store.home``, or built from the store and cached
    for the next process. Anything wrong with the cache just means a rebuild; a cache that cannot be
    written (a read-only home, a full disk) means a rebuild next time, nothing worse."""
    folder = Path(store.home) / "cache"
    romanisation_cache.prime(folder)
    pinyin_cache.prime(folder)
    stem = _stem(snapshot_id, lists)
    for path in sorted(folder.glob(f"{stem}-*.arrow")):
        index = load(path)
        if index is not None:
            return index
    names = store.names_table(snapshot_id, lists=lists)
    with progress.step(f"building the names index of snapshot {snapshot_id[:12]} ({names.num_rows:,} names, "
                       "once per snapshot)"):
        index = NameIndex.from_tables(names, store.identifiers_table(snapshot_id, lists=lists))
        pinyin_cache.save(folder)
        try:
            saved = save(index, folder, stem)
        except OSError:
            return index
    for old in folder.glob(f"names-index-{snapshot_id[:16]}-*"):
        if old != saved and _NAME.fullmatch(old.name):
            with contextlib.suppress(OSError):
                old.unlink()
    return index
