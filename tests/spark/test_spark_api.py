"""The pieces under the commands: the session, row numbering, and the index loaded once per executor process."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from chipscreen.bundled import open_store
from chipscreen.errors import ChipscreenError, InputError
from chipscreen.spark import local_session, screen
from chipscreen.spark.rows import numbered
from chipscreen.spark.shipping import screener_for, ship

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import SparkSession


def test_the_session_listens_on_loopback_only_with_its_ui_off(spark: SparkSession) -> None:
    conf = spark.sparkContext.getConf()
    assert conf.get("spark.driver.host") == "127.0.0.1" and conf.get("spark.driver.bindAddress") == "127.0.0.1"
    assert conf.get("spark.ui.enabled") == "false" and spark.sparkContext.uiWebUrl is None
    assert conf.get("spark.pyspark.python") == os.environ["PYSPARK_PYTHON"]


def test_without_java_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(ChipscreenError, match="needs Java 17"):
        local_session()


def test_rows_are_numbered_in_input_order_across_partitions(spark: SparkSession) -> None:
    df = spark.range(0, 10_000, numPartitions=7)
    got = numbered(df).select("id", "row").collect()
    assert len(got) == 10_000 and all(r["row"] == r["id"] + 1 for r in got)


def test_one_partition_is_numbered_without_a_job(spark: SparkSession) -> None:
    """A CSV is read whole, as one partition: its ids are its places, so nothing is counted (a second parse)."""
    df = spark.range(0, 10_000, numPartitions=1)
    sc = spark.sparkContext
    sc.setJobGroup("numbering-one-partition", "numbering")
    try:
        rows = numbered(df)
    finally:
        sc.setLocalProperty("spark.jobGroup.id", None)  # type: ignore[arg-type]  # None removes it
    ran = sc.statusTracker().getJobIdsForGroup("numbering-one-partition")
    assert ran == []
    got = rows.select("id", "row").collect()
    assert len(got) == 10_000 and all(r["row"] == r["id"] + 1 for r in got)


def test_a_missing_column_is_named(spark: SparkSession, spark_home: Path) -> None:
    with open_store(spark_home) as store, pytest.raises(InputError, match="no column 'nom'"):
        screen(spark.createDataFrame([("IFLYTEK",)], "name string"), store, name_column="nom")


def test_the_table_shape_has_a_typed_row_per_name(spark: SparkSession, spark_home: Path) -> None:
    df = spark.createDataFrame([("IFLYTEK CO LTD", "CN"), ("Harbor Cedar Foods Inc.", "DE"), ("", None)],
                               "customer string, cc string")
    with open_store(spark_home) as store:
        rows = screen(df, store, name_column="customer", country_column="cc", date=dt.date(2026, 1, 15)).collect()
    by_row = {r["row"]: r for r in rows}
    assert by_row[1]["hit"] is True and by_row[1]["best_list"] == "EL" and by_row[1]["best_score"] == 1.0
    assert by_row[2]["hit"] is False and by_row[2]["matches"] == 0 and by_row[2]["best_score"] is None
    assert by_row[3]["hit"] is None and by_row[3]["error"] == "empty name"


def test_each_executor_process_loads_the_index_once(spark: SparkSession, spark_home: Path) -> None:
    """Many small batches, two Python workers: each worker answers every batch with the same screener."""
    with open_store(spark_home) as store:
        shipped = ship(spark.sparkContext, store)

    def probe(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        for batch in batches:
            yield pd.DataFrame({"pid": [os.getpid()], "screener": [id(screener_for(shipped))],
                                "size": [len(batch)]})

    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "50")
    try:
        got = spark.range(0, 2000, numPartitions=8).mapInPandas(probe, "pid long, screener long, size long").collect()
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")
    assert len(got) >= 40 and sum(r["size"] for r in got) == 2000
    by_pid: dict[int, set[int]] = {}
    for r in got:
        by_pid.setdefault(r["pid"], set()).add(r["screener"])
    assert all(len(ids) == 1 for ids in by_pid.values()), by_pid


def test_a_damaged_shipped_index_is_refused_not_run(spark: SparkSession, spark_home: Path) -> None:
    """The copy an executor reads must have the SHA-256 its name states (a list selection of its own, so
    the index the other tests ship is left alone)."""
    from pyspark import SparkFiles

    from chipscreen.errors import DataError

    with open_store(spark_home) as store:
        shipped = ship(spark.sparkContext, store, lists=["MEU"])
    copy = Path(SparkFiles.get(shipped.index_file))
    copy.write_bytes(copy.read_bytes()[:-100] + b"\0" * 100)
    with pytest.raises(DataError, match="does not match its SHA-256"):
        screener_for(shipped)


def test_executors_load_the_ownership_structure_the_driver_assembled(spark: SparkSession, spark_home: Path) -> None:
    """The assembled structure and its alias read are shipped: an executor's structure assembles nothing
    and reads no rows (either would be written into its own cache, beside the shipped files) and has the
    driver's nodes."""
    from chipscreen.ownership.structure import structure_for
    from chipscreen.spark.shipping import store_for

    with open_store(spark_home) as store:
        shipped = ship(spark.sparkContext, store, with_store=True)
        driver_nodes = structure_for(store).n
    structure, aliases = shipped.ownership_files
    assert structure.startswith("own-structure-") and structure.endswith(".arrow")
    assert aliases.startswith("own-rows-alias_entities-")

    def probe(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        for _ in batches:
            store = store_for(shipped)
            nodes = structure_for(store).n
            cache = Path(store.home) / "cache"
            rows = sorted(p.name for p in cache.glob("own-*") if p.is_symlink())
            others = sorted(p.name for p in cache.glob("own-*") if not p.is_symlink())
            yield pd.DataFrame({"nodes": [nodes], "shipped": [",".join(rows)], "others": [",".join(others)]})

    got = spark.range(0, 4, numPartitions=2).mapInPandas(probe, "nodes long, shipped string, others string").collect()
    assert {(r["nodes"], r["shipped"], r["others"]) for r in got} == {
        (driver_nodes, ",".join(sorted(shipped.ownership_files)), "")}
