"""The columns of the ownership CSV (``owner,owned,percent[,start,end,...]``) and how its share is read.

The share column decides 50 % tests, so it is read strictly: a ``percent`` value strictly between 0 and 1
is refused (0.6 is far more often a fraction, 60 %, than 0.6 %), and a file of fractions says so by naming
its column ``fraction``. Columns the reader does not know are named in a warning, never dropped silently.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from chipscreen.errors import InputError, RowProblem
from chipscreen.ownership.parsed import percent_to_ppm

CSV_REQUIRED = ("owner", "owned")
# the share: ``percent`` (0..100) or, asked for explicitly by the column's name, ``fraction`` (0..1)
CSV_SHARE = ("percent", "fraction")
CSV_OPTIONAL = ("start", "end", "owner_id", "owned_id", "owner_country", "owned_country", "owner_hq", "owned_hq")
CSV_COLUMNS = (*CSV_REQUIRED, *CSV_SHARE, *CSV_OPTIONAL)


def csv_share(r: dict[str, str], column: str) -> tuple[int | None, str | None]:
    """The row's share in ppm. In ``percent`` a value strictly between 0 and 1 is refused: 0.6 is far more
    often a fraction (60 %) than 0.6 %, and reading it either way silently decides a 50 % test. Writing
    "0.6%" says the small share was meant; a ``fraction`` column says the file holds fractions."""
    text = r.get(column, "")
    if column == "fraction":
        if not text:
            return None, None
        try:
            value = Decimal(text)
        except InvalidOperation:
            return None, f"not a number: {text!r}"
        if not 0 <= value <= 1:
            return None, f"a fraction is 0..1, got {text}"
        return percent_to_ppm(str(value * 100))
    share, problem = percent_to_ppm(text)
    if problem is None and share is not None and 0 < share < 10_000 and not text.endswith("%"):
        return None, (f"{text} reads as {text} per cent: write 60 for sixty per cent, \"{text}%\" for under one "
                      "per cent, or name the column 'fraction' for shares written as 0..1")
    return share, problem


def csv_header(p: str, header: list[str]) -> tuple[str, list[RowProblem]]:
    """The share column, and a warning for each column the reader does not use (a misspelt ``owner_hq``
    would otherwise vanish and the HQ test run without it)."""
    missing = [c for c in CSV_REQUIRED if c not in header]
    shares = [c for c in CSV_SHARE if c in header]
    if missing or len(shares) != 1:
        need = ", ".join(missing + ([] if len(shares) == 1 else ["one of percent or fraction"]))
        raise InputError(f"{p}:1: missing column(s) {need} (need owner,owned,percent[,start,end])")
    unknown = [c for c in header if c not in CSV_COLUMNS]
    warnings = [RowProblem(p, 1, c or "(empty)", f"unknown column, not read (columns read: {', '.join(CSV_COLUMNS)})")
                for c in unknown]
    return shares[0], warnings
