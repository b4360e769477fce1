"""A store bounds DuckDB's buffers by ``data/store/safety.yml`` (issue 14 item 4: a 6M-row list loads under 2 GB;
DuckDB's default of 80 % of RAM let the load peak over it) and spills what does not fit under its own home."""

from __future__ import annotations

from pathlib import Path

from chipscreen.store import Store
from chipscreen.store.settings import safety


def test_duckdb_memory_is_bounded_by_the_data_file_and_spills_under_the_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    with Store(home) as store:
        limit, spill = store.con.execute(
            "SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
    mib = float(limit.split()[0]) if limit.endswith("MiB") else float(limit.split()[0]) * 1024
    assert abs(mib * 1024 * 1024 - safety().duckdb_mb * 1e6) < 1e6
    assert safety().duckdb_mb < 2000, "the bound must leave room under the 2 GB load target"
    assert Path(spill) == home / "cache" / "duckdb-spill"
