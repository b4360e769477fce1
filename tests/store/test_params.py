"""Binding plain parameters does not import pandas (0.3 s of a warm command), and pandas still imports after.

Each case runs in a fresh interpreter: the test process itself has long imported pandas.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from chipscreen.store import Store


def _run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_plain_values_bind_without_importing_pandas_which_imports_afterwards() -> None:
    out = _run("""
        import datetime as dt, sys, duckdb
        from chipscreen.store.params import execute_plain
        con = duckdb.connect()
        row = execute_plain(con, "SELECT ? + 1, ? || 'b', ?::DATE, list_contains(?, 'x')",
                            [41, "a", dt.date(2024, 1, 2), ["x", "y"]]).fetchone()
        print(row, "pandas" in sys.modules)
        import pandas as pd
        df = pd.DataFrame({"v": [1, 2]})
        print(con.execute("SELECT sum(v) FROM df").fetchone()[0], con.execute("SELECT ?", [pd.NA]).fetchone())
    """)
    assert out.splitlines() == ["(42, 'ab', datetime.date(2024, 1, 2), True) False", "3 (None,)"]


def test_a_warm_store_read_does_not_import_pandas(tmp_path: Path) -> None:
    Store(tmp_path).close()
    out = _run(f"""
        import sys
        from chipscreen.store import Store
        s = Store({str(tmp_path)!r})
        print(s.latest_snapshot(), "pandas" in sys.modules)
    """)
    assert out == "None False"


def test_with_other_threads_running_pandas_is_not_hidden() -> None:
    out = _run("""
        import sys, threading, duckdb
        from chipscreen.store.params import execute_plain
        stop = threading.Event()
        t = threading.Thread(target=stop.wait)
        t.start()
        execute_plain(duckdb.connect(), "SELECT ?", [1]).fetchone()
        stop.set()
        print("pandas" in sys.modules and sys.modules["pandas"] is not None)
    """)
    assert out == "True"
