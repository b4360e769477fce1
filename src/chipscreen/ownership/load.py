"""``chipscreen ownership load FILE``: detect the format, parse everything, then write in one transaction.

Parties are resolved to listed entries so that a listed owner in an ownership file *is* the listed party:
by id (the list's entity id), else by LEI (lists carry LEIs as identifiers), else (for parties the file
names without an id of their own) by exact normalised name; otherwise the party is created. Parties that
carry their own id (FtM, BODS, GLEIF) keep it: two distinct registry entities are never merged because a
list gives one of them the other's name as an alias; the graph attaches listings to them by name instead.
Resolution is in SQL (``own_norm``), so three million GLEIF rows cost the
same code path as a ten-line CSV. A failed load leaves the store exactly as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from chipscreen.errors import InputError, RowProblem
from chipscreen.ownership import csv_shape, gleif, readers
from chipscreen.ownership.parsed import ParsedOwnership
from chipscreen.ownership.tables import ownership_tables
from chipscreen.store import SnapshotInfo, Store
from chipscreen.store.ownership import DatasetRow, OwnershipTables

FORMATS = ("csv", "ftm", "gleif", "bods")


@dataclass
class LoadSummary:
    """What a load did, for the CLI and for tests."""

    dataset_id: str
    name: str
    format: str
    rows_read: int
    edges: int
    parties_new: int
    parties_matched: dict[str, int] = field(default_factory=dict)  # resolved_by -> count
    warnings: list[RowProblem] = field(default_factory=list)
    already_loaded: bool = False


def detect_format(path: Path) -> str:
    """Guess from the first bytes: GLEIF CSV headers, BODS/GLEIF JSON shapes, FtM lines, our CSV header."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    with path.open("rb") as fh:
        head = fh.read(65536).decode("utf-8", errors="replace").lstrip("\ufeff")
    first = head.split("\n", 1)[0]
    if gleif.RR_MARK in first or first.startswith(('"LEI"', "LEI,")):
        return "gleif"
    stripped = head.lstrip()
    if stripped.startswith(("{", "[")):
        if '"recordType"' in head or '"statementType"' in head or '"bodsVersion"' in head:
            return "bods"
        if '"lei-records"' in head or '"relationship-records"' in head or '"reporting-exceptions"' in head:
            return "gleif"
        if '"schema"' in head:
            return "ftm"
    header = [h.strip().lower() for h in first.split(",")]
    if "owner" in header and "owned" in header:
        return "csv"
    raise InputError(f"{path}: cannot tell the ownership format; pass --format ({', '.join(FORMATS)})")


def parse(path: Path, fmt: str | None = None) -> ParsedOwnership:
    """Parse a whole file; nothing touches the store. Unreadable input is an InputError, never a traceback."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    try:
        return _parse(path, fmt)
    except InputError:
        raise
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}): {exc.reason}") from None
    except duckdb.Error as exc:
        problem = csv_shape.duckdb_problem(exc)
        raise InputError(f"{path}: cannot read as {fmt or 'detected format'}: {problem}") from None
    except (csv.Error, json.JSONDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}: cannot read as {fmt or 'detected format'}: {exc}") from None


def _parse(path: Path, fmt: str | None) -> ParsedOwnership:
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        return readers.read_csv(path)
    if fmt == "ftm":
        return readers.read_ftm(path)
    if fmt == "bods":
        return readers.read_bods(path)
    if fmt == "gleif":
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace").lstrip("\ufeff")
        if head.lstrip().startswith(("{", "[")):
            return readers.read_gleif_json(path)
        return _read_gleif_csv(path, head.split("\n", 1)[0])
    raise InputError(f"--format: unknown ownership format {fmt!r}; one of {', '.join(FORMATS)}")


def _read_gleif_csv(path: Path, first: str) -> ParsedOwnership:
    """A GLEIF CSV by DuckDB; when it fails, the line that made it fail, found by reading the file again."""
    try:
        if gleif.RR_MARK in first:
            return gleif.read_rr(path)
        return gleif.read_repex(path) if gleif.REPEX_MARK in first else gleif.read_lei(path)
    except (InputError, duckdb.Error) as exc:
        bad = csv_shape.first_bad_row(path)
        if bad is not None:
            raise InputError(f"{bad}; nothing was imported") from None
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{path}: cannot read as GLEIF CSV: {csv_shape.duckdb_problem(exc)}") from None


def load(store: Store, path: Path, fmt: str | None = None) -> LoadSummary:
    return write(store, parse(path, fmt))


def write(store: Store, parsed: ParsedOwnership) -> LoadSummary:
    """Store a parsed file: one all-or-nothing transaction; reloading the same file is a no-op. The whole
    of it holds the store's writer lock, so the tables it checks are those it writes (``Store.writing``)."""
    with store.writing():
        return _write_locked(store, parsed)


def _write_locked(store: Store, parsed: ParsedOwnership) -> LoadSummary:
    tables = ownership_tables(store)
    tables.create()
    did = "o" + hashlib.sha256(f"{parsed.format}|{parsed.sha256}".encode()).hexdigest()[:11]
    summary = LoadSummary(did, parsed.name, parsed.format, parsed.rows_read, parsed.edges.num_rows, 0,
                          warnings=list(parsed.warnings))
    if tables.has_dataset(did):
        summary.already_loaded = True
        return summary
    snap = store.latest_snapshot()
    with tables.staged(parsed.parties, parsed.edges), store.transaction():
        _write(tables, snap, parsed, summary)
    return summary


def _write(tables: OwnershipTables, snap: SnapshotInfo | None, parsed: ParsedOwnership,
           summary: LoadSummary) -> None:
    """The steps of one load, inside the caller's transaction."""
    did = summary.dataset_id
    tables.stage_parties(snap)
    tables.resolve_parties()
    tables.update_known_parties()
    summary.parties_new, summary.parties_matched = tables.insert_new_parties(did)
    for line in tables.stage_edges():
        summary.warnings.append(RowProblem(parsed.path, line, "owned", "owner and owned resolve to the same "
                                           "party; edge ignored"))
    summary.edges = tables.insert_edges(did)
    tables.insert_dataset(DatasetRow(
        did, parsed.name, parsed.format, parsed.path, parsed.sha256, dt.datetime.now(dt.UTC).replace(tzinfo=None),
        parsed.rows_read, parsed.parties.num_rows, summary.edges,
        json.dumps([str(w) for w in summary.warnings[:200]], ensure_ascii=False)))
    tables.drop_staged()
