"""The rows a screening result is written as, whichever engine screened it: ``screen-file``'s JSON lines and
CSV (``cli/screen_rows.py``) and the Spark engine's JSON lines and Parquet (``chipscreen.spark``).

One home for the shape, so two engines' outputs can only differ where their results do. Every row carries
the snapshot it was screened against and the screening date, so a row read on its own (or copied into
another file) still says what it means.
"""

from __future__ import annotations

import json
from typing import Any

from chipscreen.names.screener import ScreenResult

__all__ = ["TABLE_FIELDS", "json_row", "table_cells"]

TABLE_FIELDS = ("row", "query", "hit", "matches", "best_score", "best_list", "best_entity_id", "best_name",
                "best_matched_name", "error", "matches_json", "snapshot", "date")
"""The flat row of one result: a CSV row, a Parquet row; ``matches_json`` keeps every match explained."""


def json_row(result: ScreenResult, snapshot: str, on: str) -> str:
    """One JSON line: ``ScreenResult.to_dict()`` with the snapshot and date."""
    return json.dumps({**result.to_dict(), "snapshot": snapshot, "date": on}, ensure_ascii=False) + "\n"


def table_cells(result: ScreenResult, snapshot: str, on: str) -> dict[str, Any]:
    """The flat row with its types (None where a CSV cell is empty): the best match spelt out for a filter
    or a spreadsheet, ``hit`` None for a row that could not be screened."""
    best = result.matches[0] if result.matches else None
    return {
        "row": result.row, "query": result.query, "hit": None if result.error else result.hit,
        "matches": len(result.matches),
        "best_score": best.score if best else None,
        "best_list": best.list if best else None, "best_entity_id": best.entity_id if best else None,
        "best_name": best.name if best else None, "best_matched_name": best.matched_name if best else None,
        "error": result.error,
        "matches_json": json.dumps([m.to_dict() for m in result.matches], ensure_ascii=False),
        "snapshot": snapshot, "date": on,
    }
