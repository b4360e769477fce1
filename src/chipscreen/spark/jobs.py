"""The ``--engine spark`` runs of ``screen-file`` and ``check``: read the input file, run the engine, write
the output dataset, and say what the command's exit status needs (how many hits, findings, bad rows).

Inputs are CSV (read as ``screen-file`` reads it: a header row, RFC 4180 quoting with line breaks inside
quotes, every cell text) or Parquet for names, JSON lines or Parquet (a ``transaction`` column of JSON text)
for transactions. The output is a dataset directory, as Spark writes one: Parquet, or JSON lines in part
files that, read in name order, hold the rows in input order. The result is persisted while it is written
and counted, so nothing is screened or decided twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from chipscreen.errors import InputError
from chipscreen.spark.deciding import decide
from chipscreen.spark.screening import screen
from chipscreen.spark.session import session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from chipscreen.store import Store

__all__ = ["CheckCounts", "ScreenCounts", "check_file", "output_format", "screen_file"]

PARQUET = (".parquet", ".pq")
JSONL = (".jsonl", ".ndjson", ".json")
TX_COLUMN = "transaction"


@dataclass
class ScreenCounts:
    rows: int = 0
    hits: int = 0
    matched: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row, error) in row order


@dataclass
class CheckCounts:
    decided: int = 0
    errors: list[str] = field(default_factory=list)  # in line order
    findings: list[str] = field(default_factory=list)  # transaction ids, in line order


def output_format(out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix in PARQUET:
        return "parquet"
    if suffix in JSONL:
        return "jsonl"
    raise InputError(f"--out {out}: with --engine spark use a .parquet or .jsonl name (a dataset directory)")


def _refuse_existing(out: Path, restart: bool) -> None:
    if out.exists() and not restart:
        raise InputError(f"--out {out}: exists; --engine spark writes a whole dataset and does not resume "
                         "(--restart replaces it)")


def screen_file(store: Store, file: Path, out: Path, *, name_column: str = "name", country_column: str | None = None,
                date: dt.date | None = None, snapshot: str | None = None, lists: list[str] | None = None,
                master: str | None = None, restart: bool = False) -> ScreenCounts:
    """Screen every row of ``file`` into the dataset ``out``."""
    fmt = output_format(out)
    _refuse_existing(out, restart)
    spark = session(master)
    shape = "table" if fmt == "parquet" else "jsonl"
    result = screen(read_names(spark, file), store, snapshot=snapshot, lists=lists, date=date,
                    name_column=name_column, country_column=country_column, shape=shape).persist()
    try:
        write(result, out, fmt, "row", "line")
        from pyspark.sql import functions as F

        got = result.agg(F.count("*").alias("rows"), F.count_if(F.col("hit")).alias("hits"),
                         F.count_if(F.col("matches") > 0).alias("matched")).first()
        errors = result.where(F.col("error").isNotNull()).select("row", "error").orderBy("row").collect()
    finally:
        result.unpersist()
    assert got is not None
    return ScreenCounts(got["rows"], got["hits"], got["matched"], [(r["row"], r["error"]) for r in errors])


def check_file(store: Store, file: Path, out: Path, *, not_findings: frozenset[str], rulebook: str | None = None,
               snapshot: str | None = None, master: str | None = None, restart: bool = False) -> CheckCounts:
    """Decide every transaction of ``file`` into the dataset ``out``; ``not_findings`` are the flag codes
    that are no finding (``check``'s rule)."""
    fmt = output_format(out)
    _refuse_existing(out, restart)
    spark = session(master)
    df, column = read_transactions(spark, file)
    from pyspark.sql import functions as F

    result = decide(df, store, snapshot=snapshot, rulebook=rulebook, text_column=column, source=str(file)).persist()
    try:
        write(result.where(F.col("error").isNull()) if fmt == "jsonl" else result, out, fmt, "line", "decision")
        finding = F.col("license_required") | F.exists("flags", lambda f: ~f.isin(*sorted(not_findings)))
        decided = result.where(F.col("error").isNull()).count()
        errors = result.where(F.col("error").isNotNull()).orderBy("line").select("error").collect()
        found = result.where(F.col("error").isNull() & finding).orderBy("line").select("id").collect()
    finally:
        result.unpersist()
    return CheckCounts(decided, [r["error"] for r in errors], [r["id"] or "" for r in found])


def read_names(spark: SparkSession, file: Path) -> DataFrame:
    """A names file as text columns, its header names stripped as ``screen-file`` strips them."""
    if not file.exists():
        raise InputError(f"{file}: no such file")
    if file.suffix.lower() in PARQUET or file.is_dir():
        return spark.read.parquet(str(file))
    df = spark.read.csv(str(file), header=True, multiLine=True, escape='"', encoding="UTF-8")
    return df.toDF(*[c.strip().lstrip("\ufeff").strip() for c in df.columns])


def read_transactions(spark: SparkSession, file: Path) -> tuple[DataFrame, str]:
    """Transactions as rows of JSON text: the lines of a JSON-lines file, or a Parquet ``transaction``
    column. A JSON array (which ``check`` also reads) is one document, not rows Spark can split."""
    if not file.exists():
        raise InputError(f"{file}: no such file")
    if file.suffix.lower() in PARQUET or file.is_dir():
        df = spark.read.parquet(str(file))
        if TX_COLUMN not in df.columns:
            raise InputError(f"{file}: no column {TX_COLUMN!r} of JSON text (columns: {', '.join(df.columns)})")
        return df, TX_COLUMN
    with file.open("rb") as fh:
        head = fh.read(4096).lstrip()
    if head.startswith(b"["):
        raise InputError(f"{file}: a JSON array; --engine spark reads JSON lines (one transaction per line)")
    return spark.read.text(str(file)), "value"


def write(df: DataFrame, out: Path, fmt: str, order: str, text: str) -> None:
    """``df`` ordered by ``order`` as a dataset directory: every column in Parquet, the ``text`` column
    alone (one JSON object per line) in JSON lines."""
    ordered = df.orderBy(order)
    if fmt == "parquet":
        ordered.write.mode("overwrite").parquet(str(out))
    else:
        ordered.select(text).write.mode("overwrite").text(str(out))
