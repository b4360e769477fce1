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
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pyarrow as pa

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
    """The flat parties table being built, a batch at a time, and the parties already in it."""

    def __init__(self, list_code: str) -> None:
        self.list_code = list_code
        self.rows: list[tuple[str | None, ...]] = []
        self.batches: list[pa.RecordBatch] = []
        # 64-bit hashes of the party ids seen and of (id, folded name): a set of ints is a third of a set of
        # the strings at 6M rows; two different ids hashing alike is as unlikely as a 12-hex id collision
        self.seen: set[int] = set()
        self.spellings: set[int] = set()
        self.countries: dict[str, str | None] = {}
        self.parties = 0

    def add(self, pid: str, name: str, country: str | None, ident: str | None) -> None:
        key = hash(pid)
        spelling = hash((pid, name.casefold()))
        if key in self.seen:
            if spelling in self.spellings:
                return
            kind = "alias"
        else:
            self.seen.add(key)
            self.parties += 1
            kind = "primary"
        self.spellings.add(spelling)
        ident = ident if kind == "primary" else None
        self.rows.append((pid, self.list_code, "organization", name, kind, script_of(name), country,
                          _scheme(ident) if ident else None, ident))
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            columns = zip(*self.rows, strict=True)
            self.batches.append(pa.record_batch([pa.array(c, type=pa.string()) for c in columns], names=PARTY_COLUMNS))
            self.rows = []

    def table(self) -> pa.Table:
        self.flush()
        schema = pa.schema([(c, pa.string()) for c in PARTY_COLUMNS])
        return pa.Table.from_batches(self.batches, schema=schema)

    def iso2(self, text: str) -> str | None:
        """A country column holds a handful of distinct values: each is looked up once."""
        if text not in self.countries:
            self.countries[text] = to_iso2(text)
        return self.countries[text]


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
