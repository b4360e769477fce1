"""A plain parties CSV for customer files and private watch lists: ``name,country[,id]`` with a header.

Loaded as a list of its own (code ``PARTIES`` unless ``--list`` names it), so a company's internal
deny list is screened like any government list."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Final, Protocol

from chipscreen.countries import to_iso2
from chipscreen.errors import InputError
from chipscreen.model import Identifier
from chipscreen.sources.base import Entry, ParsedDataset, RowErrors, build_entry, clean, file_sha256

FORMAT: Final = "parties-csv"
LIST_CODE = "PARTIES"


def looks_like(path: Path, head: str) -> bool:
    first = [c.strip().lower() for c in head.split("\n", 1)[0].split(",")]
    return path.suffix.lower() in (".csv", ".txt") and "name" in first


class _CsvRows(Protocol):
    """What a ``csv.reader`` offers: rows, and the line it has read up to (for error locations)."""

    @property
    def line_num(self) -> int: ...

    def __next__(self) -> list[str]: ...


def _open_rows(path: Path) -> tuple[_CsvRows, list[str]]:
    """The CSV reader positioned after the header, and the header's lower-cased column names."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason}); nothing was imported") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        raise InputError(f"{path}:1: header: missing or unreadable") from None
    if "name" not in header:
        raise InputError(f"{path}:1: header: no 'name' column (expected name,country[,id])")
    return reader, header


def _lines(path: Path, reader: _CsvRows) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with their line numbers; a CSV syntax error fails the whole file."""
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"{path}:{line}: CSV: {exc}; nothing was imported") from None
        if any(c.strip() for c in cells):
            yield line, cells


def _row_entry(source: str, line: int, row: dict[str, str], errors: RowErrors) -> Entry | None:
    name = clean(row.get("name"))
    if not name:
        errors.add(line, "name", "missing")
        return None
    country_text = clean(row.get("country"))
    iso = to_iso2(country_text) if country_text else None
    if country_text and iso is None:
        errors.add(line, "country", f"unknown country {country_text!r}")
        return None
    ident = clean(row.get("id"))
    return build_entry(
        source=source,
        list_code=LIST_CODE,
        name=name,
        country=iso,
        identifiers=[Identifier(scheme=_scheme(ident), value=ident)] if ident else [],
        party_id=f"parties-{ident}" if ident else None,
    )


def parse(path: Path, *, retrieved: dt.date | None = None, skip_bad_rows: bool = False) -> ParsedDataset:
    reader, header = _open_rows(path)
    errors = RowErrors(str(path), skip_bad_rows)
    entries: list[Entry] = []
    rows = 0
    for line, cells in _lines(path, reader):
        rows += 1
        if len(cells) != len(header):
            errors.add(line, "row", f"{len(cells)} cells, header has {len(header)}")
            continue
        entry = _row_entry(path.name, line, dict(zip(header, cells, strict=True)), errors)
        if entry is not None:
            entries.append(entry)
    skipped = errors.finish()
    return ParsedDataset(
        name=path.name,
        format=FORMAT,
        path=str(path),
        sha256=file_sha256(path),
        retrieved=retrieved or dt.date.today(),
        entries=entries,
        rows_read=rows,
        skipped=skipped,
    )


def _scheme(value: str) -> str:
    """An id column holds whatever the customer file has; recognise the registry formats we can."""
    v = value.replace(" ", "").upper()
    if len(v) == 20 and v.isalnum() and v[-2:].isdigit():
        return "lei"
    if len(v) == 18 and v.isalnum():
        return "uscc"
    return "registration"
