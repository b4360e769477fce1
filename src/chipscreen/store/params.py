"""Run a parameterised DuckDB statement without importing pandas.

DuckDB's Python client imports pandas the first time it binds a parameter (to recognise ``pandas.NA`` and
data frames among the values): about 0.3 s of CPU, a third of the budget of a warm ``check`` (issue 14 item
19), for values that are plain ints, strings and lists. When pandas is not loaded yet, ``execute_plain`` hides it
from the import system for the duration of the call, so that DuckDB finds it absent and binds the plain
values as it does on a machine without pandas; once the call returns, pandas imports as usual (DuckDB does
not remember the miss, tested). This is done only while the process runs one Python thread (a command, not
the service), and only DuckDB's own code runs during the call (no Python UDF is registered on the store's
connection), so nothing else can miss pandas meanwhile; a long-lived process simply imports it once.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import Any

import duckdb

__all__ = ["execute_plain"]


def execute_plain(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]) -> duckdb.DuckDBPyConnection:
    """``con.execute(sql, params)`` for plain Python values (ints, strings, dates, lists of them)."""
    if "pandas" in sys.modules or threading.active_count() > 1:
        return con.execute(sql, params)
    sys.modules["pandas"] = None  # type: ignore[assignment]  # ``import pandas`` now raises ImportError
    try:
        return con.execute(sql, params)
    finally:
        if sys.modules.get("pandas", 0) is None:
            del sys.modules["pandas"]
