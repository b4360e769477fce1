"""Where a CSV stops being one table: the first row whose cells do not match the header, by line.

The GLEIF readers hand their files to DuckDB, whose dialect sniffer, on a file with one ragged or badly quoted
row, either fails with a page of its own search space or settles on a wrong dialect (and then reports the
header's columns missing). Only then is the file read again here, row by row, to say which line is wrong;
the well-formed file never pays for it.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import duckdb


def first_bad_row(path: Path) -> str | None:
    """``file:line: field: problem`` for the first row that is not a row of the header's table, or None."""
    csv.field_size_limit(min(sys.maxsize, 1 << 24))
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = next(reader, None)
            if not header:
                return f"{path}:1: header: missing"
            for cells in reader:
                if len(cells) != len(header) and "".join(cells).strip():
                    return f"{path}:{reader.line_num}: row: {len(cells)} cells, header has {len(header)}"
        except csv.Error as exc:
            return f"{path}:{reader.line_num}: CSV: {exc}"
    return None


def duckdb_problem(exc: duckdb.Error) -> str:
    """DuckDB's first line, without the search space and fixes its CSV sniffer appends."""
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__
