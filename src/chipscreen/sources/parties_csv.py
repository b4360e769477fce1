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
from chipscreen.sources.base import (
    PARTY_COLUMNS,
    ParsedDataset,
    RowErrors,
    clean,
    entity_id,
    file_sha256,
    script_of,
)
from chipscreen.sources.lines import bounded_lines, check_text_file

FORMAT: Final = "parties-csv"
LIST_CODE = "PARTIES"
BATCH_ROWS = 100_000
"""Rows gathered in Python lists before they become an Arrow batch (the lists are then freed)."""


def looks_like(path: Path, head: str) -> bool:
    first = [c.strip().lower() for c in head.split("\n", 1)[0].split(",")]
    return path.suffix.lower() in (".csv", ".txt") and "name" in first


class _Parties:
    """The flat parties table being built, a batch at a time.

    Repeats are found once the file is read: each row's party id and (id, folded name) are kept as 64-bit
    hashes in arrays (8 bytes a row; a Python set of them costs ten times that), and ``numpy.unique`` finds
    the first row of each party (its primary name) and of each spelling (an alias; later copies are dropped).
    Two different ids hashing alike is as unlikely as two names colliding in a 12-hex entity id."""

    def __init__(self, list_code: str) -> None:
        self.list_code = list_code
        self.rows: list[tuple[str | None, ...]] = []
        self.batches: list[pa.RecordBatch] = []
        self.party_hashes = array("q")
        self.spelling_hashes = array("q")
        self.countries: dict[str, str | None] = {}
        self.parties = 0

    def add(self, pid: str, name: str, country: str | None, ident: str | None) -> None:
        self.party_hashes.append(hash(pid))
        self.spelling_hashes.append(hash((pid, name.casefold())))
        self.rows.append((pid, name, script_of(name), country, _scheme(ident) if ident else None, ident))
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            columns = zip(*self.rows, strict=True)
            self.batches.append(pa.record_batch([pa.array(c, type=pa.string()) for c in columns], names=_STREAMED))
            self.rows = []

    def table(self) -> pa.Table:
        """The parties with their list, kind and name kind; each party's identifier on its primary row only."""
        self.flush()
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
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"{path}:{lines.line}: CSV: {exc}; nothing was imported") from None
            if any(c.strip() for c in cells):
                yield lines.line, cells


def parse(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False,
          list_code: str = LIST_CODE) -> ParsedDataset:
    errors = RowErrors(str(path), skip_bad_rows)
    parties = _Parties(list_code)
    rows = _rows(path, errors)
    _, header = next(rows)
    read = 0
    for line, cells in rows:
        read += 1
        if len(cells) != len(header):
            errors.add(line, "row", f"{len(cells)} cells, header has {len(header)}")
            continue
        _add_row(parties, line, dict(zip(header, cells, strict=True)), errors)
    skipped = errors.finish()
    table = parties.table()
    return ParsedDataset(name=path.name, format=FORMAT, path=str(path), sha256=file_sha256(path),
                         retrieved=retrieved or dt.date.today(), rows_read=read, skipped=skipped, parties=table,
                         party_count=parties.parties)


def _add_row(parties: _Parties, line: int, row: dict[str, str], errors: RowErrors) -> None:
    name = clean(row.get("name"))
    if not name:
        errors.add(line, "name", "missing")
        return
    country_text = clean(row.get("country"))
    iso = parties.iso2(country_text) if country_text else None
    if country_text and iso is None:
        errors.add(line, "country", f"unknown country {country_text[:80]!r}")
        return
    ident = clean(row.get("id"))
    parties.add(f"parties-{ident}" if ident else entity_id(parties.list_code, name, iso), name, iso, ident)


def _scheme(value: str) -> str:
    """An id column holds whatever the customer file has; recognise the registry formats we can."""
    v = value.replace(" ", "").upper()
    if len(v) == 20 and v.isalnum() and v[-2:].isdigit():
        return "lei"
    if len(v) == 18 and v.isalnum():
        return "uscc"
    return "registration"
