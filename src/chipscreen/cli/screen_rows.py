"""The rows of ``screen-file``: reading the input CSV, writing a result as a JSON line or a CSV row, and
reading back what an earlier run wrote.

Every result row carries the snapshot it was screened against and the screening date, so a row read on its
own (or copied into another file) still says what it means, and a resumed run can check them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chipscreen.errors import InputError
from chipscreen.names.screener import ScreenResult
from chipscreen.result_rows import TABLE_FIELDS, table_cells

CSV_FIELDS = TABLE_FIELDS


@dataclass
class Done:
    """The rows written so far (by earlier runs too): how many were hits, had any match (a hit or a possible
    match in the review band: both are findings), or were errors, and the (snapshot, date) pairs they were
    screened under."""

    rows: set[int] = field(default_factory=set)
    hits: int = 0
    matched: int = 0
    errors: int = 0
    stamps: set[tuple[str, str]] = field(default_factory=set)

    def add(self, row: int, hit: bool, matched: bool, error: bool, snapshot: Any, date: Any) -> None:
        self.rows.add(row)
        self.hits += hit
        self.matched += matched
        self.errors += error
        self.stamps.add((str(snapshot or ""), str(date or "")))


def out_format(out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise InputError(f"--out {out}: use a .jsonl or .csv file name")


def read_input(
    file: Path, name_column: str, country_column: str | None
) -> tuple[Iterator[tuple[int, str | None, str | None]], int]:
    """Check the header now (a missing column is bad input: exit 2 before any work), stream rows later."""
    if not file.exists():
        raise InputError(f"{file}: no such file")
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            total = sum(1 for _ in reader)
    except UnicodeDecodeError as exc:
        raise InputError(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except csv.Error as exc:
        raise InputError(f"{file}: not a readable CSV file ({exc})") from None
    if not header:
        raise InputError(f"{file}: empty file (a header row with a {name_column!r} column is needed)")
    header = [h.strip() for h in header]
    if name_column not in header:
        raise InputError(f"{file}: no column {name_column!r} (columns: {', '.join(header)}); use --name-column")
    if country_column is not None and country_column not in header:
        raise InputError(f"{file}: no column {country_column!r} (columns: {', '.join(header)})")
    ccol = country_column if country_column is not None else ("country" if "country" in header else None)

    def rows() -> Iterator[tuple[int, str | None, str | None]]:
        csv.field_size_limit(1 << 24)
        with file.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            reader.fieldnames = [h.strip() for h in (reader.fieldnames or [])]
            for i, rec in enumerate(reader, start=1):
                yield i, rec.get(name_column), (rec.get(ccol) if ccol else None)

    return rows(), total


def finished_rows(out: Path, fmt: str) -> Done:
    """Rows already written by an earlier run. A last line cut by the interruption is removed so the file
    stays valid."""
    done = Done()
    if not out.exists() or out.stat().st_size == 0:
        return done
    data = out.read_bytes()
    if not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        with out.open("r+b") as fh:
            fh.truncate(cut)
        data = data[:cut]
    text = data.decode("utf-8", errors="replace")
    if fmt == "jsonl":
        for line in text.splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(rec, dict) and isinstance(rec.get("row"), int):
                done.add(rec["row"], rec.get("hit") is True, bool(rec.get("matches")), "error" in rec,
                         rec.get("snapshot"), rec.get("date"))
    else:
        for rec in csv.DictReader(text.splitlines()):
            try:
                row = int(rec.get("row") or "")
            except ValueError:
                continue
            done.add(row, rec.get("hit") == "true", rec.get("matches") not in (None, "", "0"), bool(rec.get("error")),
                     rec.get("snapshot"), rec.get("date"))
    return done


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection"): a listed
# name or a customer's input such as ``=cmd|' /C calc'!A0`` must arrive as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """OWASP's neutralisation: a leading single quote makes the spreadsheet show the cell as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(result: ScreenResult, snapshot: str, on: str) -> dict[str, Any]:
    """Every text cell neutralised: the query, the names and the error come from files nobody vetted."""
    cells = table_cells(result, snapshot, on)
    hit, score = cells["hit"], cells["best_score"]
    cells["hit"] = "" if hit is None else ("true" if hit else "false")
    cells["best_score"] = "" if score is None else f"{score:.4f}"
    return {key: csv_safe("" if value is None else value) for key, value in cells.items()}
