"""Rows on Spark: numbering a DataFrame's rows in input order, spreading them over the cores, and reading
text cells out of a pandas batch.

The local engine numbers a file's rows 1, 2, 3... in file order, and each result carries its number; the
Spark engine must give the same numbers. ``monotonically_increasing_id`` is increasing in input order but not
consecutive (the partition index sits in its upper bits), so one small job counts the rows of each input
partition and each row's number is its partition's offset plus its place in the partition. That needs the
input read the same way twice, which a file scan is; a DataFrame that comes out of a shuffle should name its
own row column instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa
    from pyspark.sql import DataFrame

__all__ = ["ROW", "arrow_schema", "numbered", "spread", "texts"]

ROW = "row"
_PART = "__chipscreen_partition"
_ID = "__chipscreen_id"
PARTITION_BITS = 33
"""Where ``monotonically_increasing_id`` puts the partition index (Spark's documented layout)."""
TASKS_PER_CORE = 4
"""Enough tasks that a slow batch (a partition of long names) does not leave a core idle at the end."""


def numbered(df: DataFrame, row_column: str | None = None) -> DataFrame:
    """``df`` with a ``row`` column: ``row_column`` as a long, or 1, 2, 3... in input order."""
    from pyspark.sql import functions as F

    if row_column is not None:
        return df.withColumn(ROW, F.col(row_column).cast("long"))
    if df.rdd.getNumPartitions() == 1:
        # a CSV read whole (see ``spread``): the ids are the places already, and counting would parse it twice
        return df.withColumn(ROW, F.monotonically_increasing_id() + 1)
    marked = df.withColumn(_PART, F.spark_partition_id()).withColumn(_ID, F.monotonically_increasing_id())
    counts = sorted((r[_PART], r["count"]) for r in marked.groupBy(_PART).count().collect())
    offsets: list[Any] = []
    total = 0
    for part, count in counts:
        offsets += [F.lit(part), F.lit(total)]
        total += count
    if not offsets:
        return marked.withColumn(ROW, F.lit(None).cast("long")).drop(_PART, _ID)
    place = F.col(_ID) - F.shiftleft(F.col(_PART).cast("long"), PARTITION_BITS)
    row = F.create_map(*offsets)[F.col(_PART)] + place + 1
    return marked.withColumn(ROW, row.cast("long")).drop(_PART, _ID)


def spread(df: DataFrame) -> DataFrame:
    """``df`` over at least a few tasks per core: a CSV read whole (quoted line breaks make it unsplittable)
    comes as one partition, which one core would screen alone."""
    wanted = df.sparkSession.sparkContext.defaultParallelism * TASKS_PER_CORE
    if df.rdd.getNumPartitions() >= wanted:
        return df
    return df.repartition(wanted)


def texts(batch: pd.DataFrame, column: str) -> list[str | None]:
    """A column of text cells, a missing cell as None (pandas may hand it over as NaN or NA)."""
    values: Iterable[Any] = batch[column].tolist()
    return [v if isinstance(v, str) else None for v in values]


_ARROW_TYPES = {"long": "int64", "int": "int32", "double": "float64", "boolean": "bool_", "string": "string"}
"""The Spark SQL types of the engines' flat output schemas, as Arrow names them."""


def arrow_schema(ddl: str) -> pa.Schema:
    """The Arrow schema of a flat Spark DDL schema (``"row long, hit boolean, ..."``), so a ``mapInArrow``
    function builds its batches with the types Spark was promised."""
    import pyarrow as pa

    fields = [c.split() for c in ddl.split(", ")]
    return pa.schema([(name, getattr(pa, _ARROW_TYPES[kind])()) for name, kind in fields])
