"""``chipscreen.spark.screen``: the local screener over a Spark DataFrame of names, one batch at a time.

Each executor process loads the shipped names index once (``shipping.screener_for``) and screens its batches
with ``Screener.screen_many``, the call ``screen-file`` makes, so a row's result is the local engine's; the
row is then written by ``chipscreen.result_rows``, the functions ``screen-file`` writes with. Batches travel
as Arrow record batches (``mapInArrow``), read and written column by column: pandas frames in between cost
the Python workers time the local engine never spends, on the same cores as the screening. Two shapes:

* ``table``: the typed columns of ``result_rows.TABLE_FIELDS`` (a Parquet file, a filter on ``hit``);
* ``jsonl``: ``row``, ``hit``, ``matches`` (how many), ``error`` and ``line``, the JSON line ``screen-file``
  writes for the row (without its line break).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from chipscreen.errors import InputError
from chipscreen.result_rows import json_row, table_cells
from chipscreen.spark.rows import ROW, arrow_schema, numbered, spread
from chipscreen.spark.shipping import Shipped, screener_for, ship

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame

    from chipscreen.store import Store

__all__ = ["SHAPES", "screen"]

TABLE_SCHEMA = (
    "row long, query string, hit boolean, matches int, best_score double, best_list string, "
    "best_entity_id string, best_name string, best_matched_name string, error string, matches_json string, "
    "snapshot string, date string"
)
JSONL_SCHEMA = "row long, hit boolean, matches int, error string, line string"
SHAPES = {"table": TABLE_SCHEMA, "jsonl": JSONL_SCHEMA}


def screen(
    df: DataFrame, store: Store, *, snapshot: str | None = None, lists: list[str] | None = None,
    date: dt.date | None = None, name_column: str = "name", country_column: str | None = None,
    row_column: str | None = None, shape: str = "table",
) -> DataFrame:
    """Screen ``df[name_column]`` (with ``country_column``, or a ``country`` column when there is one)
    against the store's snapshot on ``date`` (default today). Rows are numbered in input order unless
    ``row_column`` gives their numbers. The result is lazy: write it, or count it, to run it."""
    if shape not in SHAPES:
        raise InputError(f"shape: {shape!r} is not one of {', '.join(SHAPES)}")
    for column in (name_column, country_column, row_column):
        if column is not None and column not in df.columns:
            raise InputError(f"no column {column!r} (columns: {', '.join(df.columns)})")
    if country_column is None and "country" in df.columns:
        country_column = "country"
    shipped = ship(df.sparkSession.sparkContext, store, snapshot=snapshot, lists=lists)
    names = _inputs(numbered(df, row_column), name_column, country_column)
    on = (date or dt.date.today()).isoformat()
    return spread(names).mapInArrow(partial(screen_batches, shipped, on, shape), SHAPES[shape])


def _inputs(df: DataFrame, name_column: str, country_column: str | None) -> DataFrame:
    from pyspark.sql import functions as F

    country = F.col(country_column).cast("string") if country_column else F.lit(None).cast("string")
    return df.select(F.col(ROW), F.col(name_column).cast("string").alias("name"), country.alias("country"))


def screen_batches(shipped: Shipped, on: str, shape: str, batches: Iterator[pa.RecordBatch]
                   ) -> Iterator[pa.RecordBatch]:
    """Run on the executors: each batch of (row, name, country) screened as ``screen-file`` screens it."""
    import pyarrow as pa

    screener = screener_for(shipped)
    schema = arrow_schema(SHAPES[shape])
    day = dt.date.fromisoformat(on)
    snap = shipped.snapshot_id
    for batch in batches:
        # as in screen-file's forked workers (screener._screen_batch): the memos' millions of long-lived
        # objects out of the collector's sight, or each full collection walks them all again
        gc.freeze()
        cols = batch.to_pydict()
        items = [{"row": r, "name": n, "country": c} for r, n, c in zip(cols[ROW], cols["name"], cols["country"],
                                                                        strict=True)]
        out: list[dict[str, Any]] = []
        for result in screener.screen_many(items, date=day):
            if shape == "table":
                out.append(table_cells(result, snap, on))
            else:
                out.append({"row": result.row, "hit": None if result.error else result.hit,
                            "matches": len(result.matches), "error": result.error,
                            "line": json_row(result, snap, on)[:-1]})
        yield pa.RecordBatch.from_pylist(out, schema=schema)
