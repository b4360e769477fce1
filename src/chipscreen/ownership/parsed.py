"""What every ownership reader produces: parties and edges as Arrow tables, plus problems and warnings.

Readers parse the whole file before the store is touched (like the list importers), so a bad row fails the
load without leaving half of it behind. Small formats build Python rows; GLEIF, which comes in millions of
rows, builds the same Arrow tables directly in DuckDB.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyarrow as pa

from chipscreen.errors import RowProblem
from chipscreen.sources.base import file_sha256 as file_sha256  # one file hash for lists and ownership

PPM = 1_000_000

PARTY_SCHEMA = pa.schema([
    ("key", pa.string()), ("id", pa.string()), ("name", pa.string()), ("kind", pa.string()),
    ("country", pa.string()), ("hq", pa.string()), ("lei", pa.string()), ("parent_exception", pa.string()),
])
EDGE_SCHEMA = pa.schema([
    ("owner_key", pa.string()), ("owned_key", pa.string()), ("kind", pa.string()), ("share_ppm", pa.int64()),
    ("share_min_ppm", pa.int64()), ("share_max_ppm", pa.int64()), ("start_date", pa.date32()),
    ("end_date", pa.date32()), ("line", pa.int64()), ("evidence", pa.string()),
])


@dataclass
class ParsedOwnership:
    """One ownership file, parsed. ``warnings`` are data-quality flags that do not stop the load."""

    name: str
    format: str
    path: str
    sha256: str
    parties: pa.Table
    edges: pa.Table
    rows_read: int = 0
    warnings: list[RowProblem] = field(default_factory=list)


class Rows:
    """Collects party and edge rows of a small-format reader, then turns them into Arrow tables."""

    def __init__(self) -> None:
        self.parties: dict[str, dict[str, Any]] = {}
        self.edges: list[dict[str, Any]] = []

    def party(self, key: str, **values: Any) -> str:
        """Add or complete a party; later non-empty values fill gaps, never overwrite what was stated."""
        row = self.parties.setdefault(key, {"key": key})
        for k, v in values.items():
            if v not in (None, "") and row.get(k) in (None, ""):
                row[k] = v
        return key

    def edge(self, **values: Any) -> None:
        self.edges.append(values)

    def tables(self) -> tuple[pa.Table, pa.Table]:
        parties = pa.Table.from_pylist(
            [{c: r.get(c) for c in PARTY_SCHEMA.names} for r in self.parties.values()], schema=PARTY_SCHEMA
        )
        edges = pa.Table.from_pylist(
            [{c: r.get(c) for c in EDGE_SCHEMA.names} for r in self.edges], schema=EDGE_SCHEMA
        )
        return parties, edges


_NUM = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*%?\s*$")


def percent_to_ppm(text: str | float | int | None) -> tuple[int | None, str | None]:
    """Parse a percentage (0..100) to integer ppm with Decimal arithmetic: ``"49.99"`` -> 499900.

    Returns (ppm, problem). Floats are never compared to 0.5 anywhere: 0.1+0.35+0.05 would fail that test.
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return None, None
    if isinstance(text, bool):
        return None, f"not a number: {text!r}"
    raw = str(text)
    m = _NUM.match(raw)
    if not m:
        return None, f"not a number: {raw!r}"
    try:
        value = Decimal(m.group(1))
    except InvalidOperation:
        return None, f"not a number: {raw!r}"
    if value < 0:
        return None, f"negative percentage: {raw}"
    if value > 100:
        return None, f"percentage above 100: {raw}"
    return int((value * 10_000).to_integral_value()), None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date(text: str | None) -> tuple[dt.date | None, str | None]:
    """Strict ISO date (YYYY-MM-DD): anything else is reported, never guessed (is 03/04/2020 March or April?)."""
    if text is None or not str(text).strip():
        return None, None
    s = str(text).strip()
    if _ISO_DATE.match(s):
        try:
            return dt.date.fromisoformat(s), None
        except ValueError:
            pass
    return None, f"unknown date format {s!r} (expected YYYY-MM-DD)"


def partial_date(text: str | None, *, end: bool) -> dt.date | None:
    """FtM/BODS dates may be partial ("2005", "2005-09") or datetimes; widen them to the whole period."""
    if not text:
        return None
    s = str(text).strip()[:10]
    try:
        if len(s) == 4:
            return dt.date(int(s), 12, 31) if end else dt.date(int(s), 1, 1)
        if len(s) == 7:
            y, m = int(s[:4]), int(s[5:7])
            if not end:
                return dt.date(y, m, 1)
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def over_100_problems(
    path: str, edges: list[dict[str, Any]], names: dict[str, str]
) -> list[RowProblem]:
    """Owned companies whose known ownership shares add up to more than 100% at some instant.

    A sweep over the edges' validity intervals per owned company: the maximum concurrent sum is what
    matters (a 60% stake that ended before another 60% stake began is fine).
    """
    by_owned: dict[str, list[dict[str, Any]]] = {}
    for e in edges:
        if e.get("kind") == "ownership" and (e.get("share_min_ppm") or e.get("share_ppm")):
            by_owned.setdefault(e["owned_key"], []).append(e)
    problems: list[RowProblem] = []
    for owned, rows in by_owned.items():
        events: list[tuple[dt.date, int, int]] = []
        for r in rows:
            share = int(r.get("share_ppm") or r.get("share_min_ppm") or 0)
            start = r.get("start_date") or dt.date.min
            events.append((start, 1, share))
            if r.get("end_date") is not None and r["end_date"] < dt.date.max:
                events.append((r["end_date"] + dt.timedelta(days=1), 0, -share))
        total = peak = 0
        for _, _, delta in sorted(events):
            total += delta
            peak = max(peak, total)
        if peak > PPM:
            lines = ", ".join(str(r["line"]) for r in rows if r.get("line"))
            problems.append(RowProblem(
                path, rows[0].get("line"), "percent",
                f"shares in {names.get(owned, owned)!r} add up to {peak / 10_000:g}% (> 100%) "
                f"at some date (lines {lines})",
            ))
    return problems
