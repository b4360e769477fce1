"""The assembled ownership structure of a snapshot, kept as one Arrow file between processes.

A warm ``check`` spent about a third of its time assembling the date-independent ownership structure
(``parts.read_parts``: list entries attached to parties, virtual nodes, every dated edge), and each Spark
executor did the same again. The parts depend only on the snapshot (its id and lists), the ownership data
loaded (datasets and last load time), the legal forms the name key drops and the code that assembles them,
which together make the file's ``key``; so they are assembled once, written here, and read back (memory-
mapped) by every later process, or shipped to executors, which find it under the same key in their cache.

The file is an Arrow IPC file of plain columns (ints and strings, each column a list of one row so that
arrays of different lengths share one record batch): never a pickle, so a planted file cannot run code. Its
name carries the SHA-256 of its content (``hashed_json``), checked on every read: a damaged or planted file is
removed and the parts read from the store again. A home that cannot be written only means reading them again.

Shipping (Spark): the driver calls ``load_or_build(store, snapshot)`` and ships the file it returns; an executor
either calls ``load(path)`` itself or puts the file, under the same name, into the ``cache`` folder of the home
its store copy opens from, where ``Structure`` (``structure_for``) finds it by its key instead of assembling.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from chipscreen import hashed_json
from chipscreen.arrow_strings import number_view
from chipscreen.bounded import cache_sizes
from chipscreen.ownership import csr, nodes, parts, tables
from chipscreen.ownership.parts import Entries, OwnershipStatements, Parts, Relations, read_parts
from chipscreen.store import SnapshotInfo, Store
from chipscreen.store import ownership as store_ownership
from chipscreen.store.ownership import OwnershipTables

__all__ = ["FAMILY", "FORMAT", "key", "load", "load_or_build", "parts_for", "path_for", "save"]

FORMAT = 1
"""Bump when the columns change (the code is hashed into the key too, so this is belt and braces)."""
FAMILY = "own-structure"
SUFFIX = ".arrow"
_INPUTS = (parts, nodes, csr, tables, store_ownership)
"""The modules whose code shapes the parts (with this one): an upgraded chipscreen never reads an older file."""
_DICTS = ("virtual_ids", "virtual_norms", "entity_nodes", "listed_norms")
_EXTRA = ("id", "name", "country", "hq", "parent_exception")
_OWN = ("src", "dst", "share", "smin", "smax", "start", "end")
_REL = ("src", "dst", "kind", "start", "end")


def key(snap: SnapshotInfo, version: tuple[Any, ...], legal_forms: str) -> str:
    """What the parts are made of: the snapshot's lists, the ownership version, the legal forms, the code."""
    h = hashlib.sha256(json.dumps([FORMAT, snap.id, sorted(snap.lists.items()), [str(v) for v in version],
                                   legal_forms]).encode())
    for f in (*(m.__file__ for m in _INPUTS), __file__):
        h.update(Path(str(f)).read_bytes())
    return h.hexdigest()[:16]


def _state(store: Store, snapshot: str | SnapshotInfo | None) -> tuple[OwnershipTables, SnapshotInfo, str]:
    t = tables.ownership_tables(store)
    latest, *version = t.state()
    snap = snapshot if isinstance(snapshot, SnapshotInfo) else store.snapshot(snapshot or latest)
    return t, snap, key(snap, tuple(version), tables.LEGAL_FORMS_PATTERN)


def _folder(store: Store) -> Path:
    return Path(store.home) / "cache"


def path_for(store: Store, snapshot: str | SnapshotInfo | None = None) -> Path | None:
    """The cache file for the store's snapshot (the latest when ``None``) if one is there (``load`` checks it)."""
    k = _state(store, snapshot)[2]
    found = hashed_json.candidates(_folder(store), FAMILY, k, SUFFIX)
    return found[0] if found else None


def load_or_build(store: Store, snapshot: str | SnapshotInfo | None = None) -> Path:
    """The checked cache file for the snapshot, assembled and written now if missing or damaged (into a
    temporary folder when the home cannot be written): the file the Spark driver ships to executors."""
    t, snap, k = _state(store, snapshot)
    folder = _folder(store)
    for path in hashed_json.candidates(folder, FAMILY, k, SUFFIX):
        with contextlib.suppress(ValueError, OSError):
            load(path)
            return path
        hashed_json.discard(path)
    got = read_parts(t, snap)
    try:
        return save(got, folder, k)
    except OSError:
        return save(got, Path(tempfile.mkdtemp(prefix="chipscreen-structure-")), k)


def parts_for(t: OwnershipTables, snap: SnapshotInfo | None, version: tuple[Any, ...]) -> Parts:
    """The parts for ``snap``: from the cache when it holds a sound file, else read (and cached)."""
    if snap is None or not snap.lists:
        return read_parts(t, snap)
    folder, k = _folder(t.store), key(snap, version, tables.LEGAL_FORMS_PATTERN)
    for path in hashed_json.candidates(folder, FAMILY, k, SUFFIX):
        try:
            return load(path)
        except (ValueError, OSError):
            hashed_json.discard(path)
    got = read_parts(t, snap)
    with contextlib.suppress(OSError):
        save(got, folder, k)
    return got


# ---------------------------------------------------------------------- the file
def save(p: Parts, folder: Path, k: str) -> Path:
    """Write the parts under ``folder`` as ``own-structure-{k}-{sha256}.arrow`` (in one rename)."""
    e = p.entries
    cols: dict[str, pa.Array] = {
        "meta": pa.array([p.n_own, p.n, p.n_list_nodes], pa.int64()),
        "person": pa.array(p.person.astype(np.int8)),
        **{f"own_{c}": pa.array(getattr(p.own, c)) for c in _OWN},
        **{f"other_{c}": pa.array(getattr(p.other, c)) for c in _REL},
        **{f"ends_{c}": pa.array(getattr(p.ends, c)) for c in _REL},
        **{f"e_{c}": pa.array(getattr(e, c)) for c in ("node", "start", "end", "group")},
        **{f"e_{c}": pa.array(getattr(e, c), pa.string()) for c in ("entity_id", "name", "matched_by")},
        "g_code": pa.array([g[0] for g in e.groups], pa.string()),
        "g_programs": pa.array([list(g[1]) for g in e.groups], pa.list_(pa.string())),
        **{f"x_{c}": p.extra[c] for c in _EXTRA},
        "hq_k": pa.array(list(p.listed_hq), pa.int64()), "hq_v": pa.array(list(p.listed_hq.values()), pa.string()),
        "alias_norm": pa.array(p.alias_norms, pa.string()), "alias_id": pa.array(p.alias_ids, pa.string()),
    }
    for name in _DICTS:
        d: dict[str, int] = getattr(p, name)
        cols[f"{name}_k"], cols[f"{name}_v"] = pa.array(list(d), pa.string()), pa.array(list(d.values()), pa.int64())
    batch = pa.record_batch([pa.ListArray.from_arrays(pa.array([0, len(a)], pa.int32()), a) for a in cols.values()],
                            names=list(cols))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return hashed_json.write(folder, FAMILY, k, sink.getvalue().to_pybytes(), SUFFIX,
                             keep=cache_sizes()["ownership.snapshot_files"])


def load(path: Path) -> Parts:
    """The parts in a cache file, memory-mapped; ValueError if its content is not what its name says or
    not a structure of this format (the caller removes it and reads the store instead)."""
    try:
        with pa.memory_map(str(path)) as mm:
            buf = mm.read_buffer()
        hashed_json.check(path, FAMILY, memoryview(buf), SUFFIX)
        batch = pa.ipc.open_file(buf).get_batch(0)
        if batch.num_rows != 1:
            raise TypeError(f"{batch.num_rows} rows, expected 1")
        cols = {name: _row(batch.column(i)) for i, name in enumerate(batch.schema.names)}
        return _checked(_parts(cols))
    except (pa.ArrowException, KeyError, IndexError, TypeError, ValueError) as exc:
        raise ValueError(f"{path.name}: not an ownership structure file ({exc})") from exc


def _row(col: pa.Array) -> pa.Array:
    """The values of a one-row list column (``flatten`` would import ``pyarrow.compute``: 50 ms)."""
    if not isinstance(col, pa.ListArray):
        raise TypeError(f"a column of {col.type}, expected a list")
    start, end = col.offsets[0].as_py(), col.offsets[1].as_py()
    return col.values.slice(start, end - start)


def _ints(a: pa.Array, dtype: type[np.generic] = np.int64) -> Any:
    return number_view(a, dtype)


def _string_column(a: pa.Array) -> pa.Array:
    if a.type != pa.string():
        raise TypeError(f"a column of {a.type}, expected strings")
    return a


def _strs(a: pa.Array) -> list[Any]:
    out: list[Any] = _string_column(a).to_pylist()
    return out


def _parts(c: dict[str, pa.Array]) -> Parts:
    n_own, n, n_list_nodes = (int(x) for x in _ints(c["meta"]))
    groups = list(zip(_strs(c["g_code"]), (tuple(x) for x in c["g_programs"].to_pylist()), strict=True))
    entries = Entries(_ints(c["e_node"]), _ints(c["e_start"]), _ints(c["e_end"]), _ints(c["e_group"]),
                      _strs(c["e_entity_id"]), _strs(c["e_name"]), _strs(c["e_matched_by"]), groups)
    rel = {"kind": np.int8}
    return Parts(
        n_own=n_own, n=n, n_list_nodes=n_list_nodes, person=_ints(c["person"], np.int8).view(np.bool_),
        own=OwnershipStatements(*(_ints(c[f"own_{x}"]) for x in _OWN)),
        other=Relations(*(_ints(c[f"other_{x}"], rel.get(x, np.int64)) for x in _REL)),
        ends=Relations(*(_ints(c[f"ends_{x}"], rel.get(x, np.int64)) for x in _REL)),
        entries=entries, extra={x: _string_column(c[f"x_{x}"]) for x in _EXTRA},
        listed_hq=dict(zip(_ints(c["hq_k"]).tolist(), _strs(c["hq_v"]), strict=True)),
        alias_norms=_strs(c["alias_norm"]), alias_ids=_strs(c["alias_id"]),
        **{d: dict(zip(_strs(c[f"{d}_k"]), _ints(c[f"{d}_v"]).tolist(), strict=True)) for d in _DICTS})


def _same_length(*cols: Any) -> bool:
    return len({len(c) for c in cols}) <= 1


def _within(a: Any, n: int) -> bool:
    return not a.size or (int(a.min()) >= 0 and int(a.max()) < n)


def _checked(p: Parts) -> Parts:
    """Refuse parts whose arrays disagree in length or point outside the graph (a planted file)."""
    e, own, other, ends = p.entries, p.own, p.other, p.ends
    sound = (
        0 <= p.n_own <= p.n_list_nodes <= p.n and len(p.person) == p.n
        and _same_length(*(getattr(own, c) for c in _OWN)) and _same_length(*(getattr(other, c) for c in _REL))
        and _same_length(ends.src, ends.dst, ends.start, ends.end)
        and _same_length(e.node, e.start, e.end, e.group, e.entity_id, e.name, e.matched_by)
        and all(_within(a, p.n) for a in (own.src, own.dst, other.src, other.dst, ends.src, ends.dst, e.node))
        and _within(e.group, len(e.groups)) and _within(other.kind, len(tables.REL_KINDS))
        and _same_length(*p.extra.values(), range(p.n - p.n_own))
        and _same_length(p.alias_norms, p.alias_ids)
    )
    if not sound:
        raise ValueError("the arrays of the structure file do not fit together")
    return p
