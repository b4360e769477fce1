"""``monitor run`` on Spark: the local run (``chipscreen.monitor.run_monitor``: the diff, the baseline rule,
what is recorded) with its two pieces of work done per slice of the watch set, by the local functions.

* Parties: the watch set is split by party id, every name of a party in one slice and in the order the store
  keeps them (the first is the party's primary name); each slice is indexed on its executor and worked by
  ``delta.party_findings`` over the shipped store, the function the local run calls with the whole watch
  set's index. A party's findings depend only on its own names and the change, so the slices' findings, put
  in ``findings.finding_order``, are the local run's.
* Open transactions: decided by ``open_transactions.decide_open`` with the executor process's ``Decider``
  over the shipped store (``shipping.decider_for``), one per process whatever the number of slices.

``monitor(store)`` is ``run_monitor`` with this work; its report, and what it records, are the local one's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from chipscreen.monitor.delta import party_findings
from chipscreen.monitor.findings import PartyFinding, finding_order
from chipscreen.monitor.open_transactions import decide_open
from chipscreen.monitor.run import MonitorReport, run_monitor
from chipscreen.monitor.watch_index import build as build_watch_index
from chipscreen.spark.rows import TASKS_PER_CORE, spread, texts
from chipscreen.spark.session import session
from chipscreen.spark.shipping import Shipped, decider_for, ship, store_for
from chipscreen.store import DiffRow, SnapshotInfo, Store, watch

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkWork", "monitor"]

SEQ = "__chipscreen_seq"
SLICE_NAMES = 100_000
"""Watched names per slice, within one to ``TASKS_PER_CORE`` slices per core: each slice also pays for the
changed entries' own indexes, so a small watch set is worked in few slices."""
FINDING_SCHEMA = "finding string"
SUMMARY_SCHEMA = "tx_id string, summary string"


def monitor(store: Store, *, spark: SparkSession | None = None, on: dt.date | None = None,
            record: bool = True) -> MonitorReport:
    """One ``monitor run`` with its work on Spark (``spark``, else ``session()``); see the module docstring."""
    return run_monitor(store, on=on, record=record, work=SparkWork(spark or session()))


class SparkWork:
    """``run_monitor``'s work (``chipscreen.monitor.run.MonitorWork``) done on a Spark session."""

    def __init__(self, spark: SparkSession, slices: int | None = None) -> None:
        self.spark = spark
        self.slices = slices

    def parties(self, store: Store, old: SnapshotInfo | None, new: SnapshotInfo, rows: list[DiffRow],
                on: dt.date) -> list[PartyFinding]:
        shipped = ship(self.spark.sparkContext, store, snapshot=new.id, with_store=True)
        work = partial(party_batches, shipped, old, new, rows, on.isoformat())
        got = self.watch_set(store).mapInPandas(work, FINDING_SCHEMA).collect()
        return sorted((finding_from_json(r["finding"]) for r in got), key=finding_order)

    def watch_set(self, store: Store) -> DataFrame:
        """The watched names in slices by party id, each slice in the store's order."""
        table = watch.parties_table(store)
        table = table.append_column(SEQ, pa.array(range(table.num_rows), pa.int64()))
        cores = self.spark.sparkContext.defaultParallelism
        slices = self.slices or min(max(-(-table.num_rows // SLICE_NAMES), cores), cores * TASKS_PER_CORE)
        return self.spark.createDataFrame(table).repartition(slices, "party_id").sortWithinPartitions(SEQ)

    def transactions(self, store: Store, snap: SnapshotInfo, txs: dict[str, dict[str, Any]], on: dt.date
                     ) -> dict[str, dict[str, Any]]:
        if not txs:
            return {}
        shipped = ship(self.spark.sparkContext, store, snapshot=snap.id, with_store=True)
        bodies = pa.table({"tx_id": list(txs), "body": [json.dumps(b, ensure_ascii=False) for b in txs.values()]})
        work = partial(transaction_batches, shipped, snap, on.isoformat())
        got = spread(self.spark.createDataFrame(bodies)).mapInPandas(work, SUMMARY_SCHEMA).collect()
        summaries = {r["tx_id"]: json.loads(r["summary"]) for r in got}
        return {tx_id: summaries[tx_id] for tx_id in txs}


# ---------------------------------------------------------------------------------------------- executors
def party_batches(shipped: Shipped, old: SnapshotInfo | None, new: SnapshotInfo, rows: list[DiffRow], on: str,
                  batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """One slice of the watch set (all its batches: a party's names may straddle two) worked as a whole."""
    import pandas as pd

    frames = [b for b in batches if len(b)]
    if not frames:
        return
    whole = pd.concat(frames, ignore_index=True)
    parties = pa.table({c: pa.array(texts(whole, c), pa.string()) for c in watch.PARTY_COLUMNS})
    index = build_watch_index(parties)
    found = party_findings(store_for(shipped), old, new, rows, index, dt.date.fromisoformat(on))
    if found:  # pyspark cannot convert an empty frame of this column's type
        yield pd.DataFrame({"finding": [finding_json(f) for f in found]}, columns=["finding"])


def transaction_batches(shipped: Shipped, snap: SnapshotInfo, on: str, batches: Iterator[pd.DataFrame]
                        ) -> Iterator[pd.DataFrame]:
    """Open transactions decided as the local run decides them, by this process's one ``Decider``."""
    import pandas as pd

    decider = decider_for(shipped, None)
    day = dt.date.fromisoformat(on)
    for batch in batches:
        txs = {str(i): json.loads(b) for i, b in zip(batch["tx_id"].tolist(), batch["body"].tolist(), strict=True)}
        out = decide_open(decider.store, snap, txs, day, decider=decider)
        if out:  # an empty batch (as in party_batches) yields nothing
                yield pd.DataFrame({"tx_id": list(out), "summary": [json.dumps(s, sort_keys=True, default=str)
                                                                for s in out.values()]}, columns=["tx_id", "summary"])


def finding_json(f: PartyFinding) -> str:
    """A finding as the report records it (``MonitorReport.to_dict``: JSON, a date as its text)."""
    return json.dumps(f.__dict__, ensure_ascii=False, default=str)


def finding_from_json(text: str) -> PartyFinding:
    return PartyFinding(**json.loads(text))
