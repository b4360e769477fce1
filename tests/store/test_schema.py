"""The tables are declared once; the DDL, the inserts and the dataclasses read from a row follow them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from chipscreen.store import DatasetInfo, Store
from chipscreen.store.schema import DATASETS, NAMES, TABLES, bulk_insert


def test_each_table_in_the_file_has_the_declared_columns_in_order(tmp_path: Path) -> None:
    with Store(tmp_path / "home") as store:
        for table in TABLES:
            cols = store.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?"
                " ORDER BY ordinal_position",
                [table.name],
            ).fetchall()
            assert cols == [(c.name, c.type) for c in table.columns]


def test_dataset_info_fields_follow_the_datasets_columns() -> None:
    assert tuple(f.name for f in dataclasses.fields(DatasetInfo)) == DATASETS.column_names


def test_a_row_must_have_a_value_per_column(tmp_path: Path) -> None:
    with Store(tmp_path / "home") as store, store.writing():  # the live file is read-only: write its copy
        row = tuple("x" for _ in NAMES.columns)
        bulk_insert(store.con, NAMES, [row])
        assert store.con.execute("SELECT count(*) FROM names").fetchone() == (1,)
        with pytest.raises(ValueError, match="names"):
            bulk_insert(store.con, NAMES, [(*row, "extra")])
        with pytest.raises(ValueError, match="names"):
            bulk_insert(store.con, NAMES, [row[:-1]])
