"""A plain parties CSV for customer files and private watch lists: ``name,country[,id]`` with a header.

Loaded as a list of its own (code ``PARTIES`` unless ``--list`` names it), so a company's internal
deny list is screened like any government list.

Such files run to millions of rows, so the file is read as a stream (lines of bounded length) into a flat
Arrow table of plain parties (``ParsedDataset.parties``), never into an ``Entry`` object per row: a 6M-row
file parses in about a minute in a few hundred MB. A row repeating an earlier party (the same id, or the
same name and country) adds nothing but a spelling not seen before, as an alias: 3,000 copies of one row
are one listed party, not 3,000 (which made the names index grow with their square)."""

from __future__ import annotations

import csv
import datetime as dt
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chipscreen.countries import to_iso2
from chipscreen.errors import InputError
from chipscreen.sources import parties_columns as columns
from chipscreen.sources.base import (
    PARTY_COLUMNS,
    ParsedDataset,
    RowErrors,
)
from chipscreen.sources.lines import bounded_lines, check_text_file, numbered_rows

FORMAT: Final = "parties-csv"
LIST_CODE = "PARTIES"
BATCH_ROWS = 100_000
"""Rows gathered in Python lists before they become an Arrow batch (the lists are then freed)."""


def looks_like(path: Path, head: str) -> bool:
    first = [c.strip().lower() for c in head.split("\n", 1)[0].split(",")]
    return path.suffix.lower() in (".csv", ".txt") and "name" in first


class _Parties:
    """The flat parties table being built, a batch of rows at a time (``add``), each batch by Arrow kernels.

    Repeats are found once the file is read: each row's party id and (id, folded name) are kept as 64-bit
    hashes in arrays (8 bytes a row; a Python set of them costs ten times that), and ``numpy.unique`` finds
    the first row of each party (its primary name) and of each spelling (an alias; later copies are dropped).
    Two different ids hashing alike is as unlikely as two names colliding in a 12-hex entity id."""

    def __init__(self, list_code: str, header: list[str]) -> None:
        self.list_code = list_code
        self.at = {c: i for i, c in enumerate(header)}  # the last of repeated columns, as a dict of the row was
        self.batches: list[pa.RecordBatch] = []
        self.party_hashes = array("q")
        self.spelling_hashes = array("q")
        self.countries: dict[str, str | None] = {}
        self.parties = 0

    def column(self, cells: list[tuple[str, ...]], name: str, n: int) -> pa.Array:
        """A column of the batch, cleaned (``base.clean``); all null when the file has no such column."""
        at = self.at.get(name)
        return pa.nulls(n, pa.string()) if at is None else columns.clean(pa.array(cells[at], type=pa.string()))

    def add(self, lines: array[int], rows: list[list[str]], errors: RowErrors) -> None:
        """A batch of rows (each with the header's number of cells), its bad rows reported by line."""
        cells = list(zip(*rows, strict=True))
        n = len(rows)
        name, country_text, ident = (self.column(cells, c, n) for c in ("name", "country", "id"))
        iso = columns.lookup(country_text, self.iso2)
        no_name = pc.is_null(name)
        unknown = pc.and_(pc.invert(no_name), pc.and_(pc.is_valid(country_text), pc.is_null(iso)))
        for i in np.flatnonzero(no_name.to_numpy(zero_copy_only=False)).tolist():
            errors.add(lines[i], "name", "missing")
        for i in np.flatnonzero(unknown.to_numpy(zero_copy_only=False)).tolist():
            errors.add(lines[i], "country", f"unknown country {country_text[i].as_py()[:80]!r}")
        good = pc.invert(pc.or_(no_name, unknown))
        if not pc.all(good).as_py():
            name, iso, ident = name.filter(good), iso.filter(good), ident.filter(good)
        self.batches.append(self._batch(name, iso, ident))

    def _batch(self, name: pa.Array, iso: pa.Array, ident: pa.Array) -> pa.RecordBatch:
        """The streamed columns of good rows; a row with an id is the party ``parties-ID``."""
        idents = ident.to_pylist()
        unnamed = pc.is_null(ident)
        derived = iter(columns.entity_ids(self.list_code, name.filter(unnamed), iso.filter(unnamed)))
        pids = [f"parties-{i}" if i is not None else next(derived) for i in idents]
        names = name.to_pylist()
        self.party_hashes.extend(map(hash, pids))
        self.spelling_hashes.extend([hash((p, n.casefold())) for p, n in zip(pids, names, strict=True)])
        schemes = pa.array([_scheme(i) if i is not None else None for i in idents], type=pa.string())
        return pa.record_batch([pa.array(pids, type=pa.string()), name, columns.scripts(name), iso, schemes, ident],
                               names=_STREAMED)

    def table(self) -> pa.Table:
        """The parties with their list, kind and name kind; each party's identifier on its primary row only."""
        streamed = pa.Table.from_batches(self.batches, schema=pa.schema([(c, pa.string()) for c in _STREAMED]))
        self.batches = []
        n = streamed.num_rows
        primary = np.zeros(n, dtype=bool)
        primary[np.unique(np.frombuffer(self.party_hashes, dtype=np.int64), return_index=True)[1]] = True
        keep = np.zeros(n, dtype=bool)
        keep[np.unique(np.frombuffer(self.spelling_hashes, dtype=np.int64), return_index=True)[1]] = True
        self.parties = int(primary.sum())
        alias = pa.array(~primary)
        repeated = not primary.all()  # the usual file repeats nothing: then no column is copied
        cols = {
            "entity_id": streamed.column("entity_id"), "list_code": _constant(self.list_code, n),
            "kind": _constant("organization", n), "name": streamed.column("name"),
            "name_kind": pa.DictionaryArray.from_arrays(pa.array((~primary).astype(np.int8)), ["primary", "alias"]),
            "script": streamed.column("script"), "country": streamed.column("country"),
            "id_scheme": pc.if_else(alias, None, streamed.column("id_scheme")) if repeated else streamed["id_scheme"],
            "id_value": pc.if_else(alias, None, streamed.column("id_value")) if repeated else streamed["id_value"],
        }
        table = pa.table({c: cols[c] for c in PARTY_COLUMNS})
        return table.filter(pa.array(keep)) if not keep.all() else table

    def iso2(self, text: str) -> str | None:
        """A country column holds a handful of distinct values: each is looked up once."""
        if text not in self.countries:
            self.countries[text] = to_iso2(text)
        return self.countries[text]


_STREAMED = ("entity_id", "name", "script", "country", "id_scheme", "id_value")


def _constant(value: str, n: int) -> pa.DictionaryArray:
    """A column of one value (a byte a row)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int8)), [value])


def _rows(path: Path, errors: RowErrors) -> Iterator[tuple[int, list[str]]]:
    """The header's lower-cased names first (line 1), then each non-blank row with its line number."""
    check_text_file(path)
    with path.open("rb") as fh:
        lines = bounded_lines(fh, str(path), errors)
        reader = csv.reader(lines, strict=True)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except (StopIteration, csv.Error):
            raise InputError(f"{path}:1: header: missing or unreadable") from None
        if "name" not in header:
            raise InputError(f"{path}:1: header: no 'name' column (expected name,country[,id])")
        yield 1, header
        yield from numbered_rows(reader, path, lambda: lines.line)


def parse(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False,
          list_code: str = LIST_CODE) -> ParsedDataset:
    errors = RowErrors(str(path), skip_bad_rows)
    rows = _rows(path, errors)
    _, header = next(rows)
    parties = _Parties(list_code, header)
    read, lines, batch = 0, array("q"), []
    for line, cells in rows:  # the one loop a row: everything else is done a batch at a time
        read += 1
        if len(cells) != len(header):
            errors.add(line, "row", f"{len(cells)} cells, header has {len(header)}")
            continue
        lines.append(line)
        batch.append(cells)
        if len(batch) >= BATCH_ROWS:
            parties.add(lines, batch, errors)
            lines, batch = array("q"), []
    if batch:
        parties.add(lines, batch, errors)
    errors.problems.sort(key=lambda p: p.line or 0)  # a batch's checks report after the reader's
    skipped = errors.finish()
    table = parties.table()
    return ParsedDataset.of_file(path, FORMAT, retrieved, rows_read=read, skipped=skipped, parties=table,
                                 party_count=parties.parties)


def _scheme(value: str) -> str:
    """An id column holds whatever the customer file has; recognise the registry formats we can."""
    v = value.replace(" ", "").upper()
    if len(v) == 20 and v.isalnum() and v[-2:].isdigit():
        return "lei"
    if len(v) == 18 and v.isalnum():
        return "uscc"
    return "registration"
