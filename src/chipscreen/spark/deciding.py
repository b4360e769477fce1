"""``chipscreen.spark.decide``: the local decision engine over a Spark DataFrame of transactions (JSON text,
one transaction per row, as a JSON-lines file holds them).

Each executor process opens the shipped store read-only and makes one ``Decider`` (``shipping.decider_for``),
whose caches then serve every batch it decides: a repeat customer is screened and resolved once per process,
as in one local ``check`` run. A row is read by ``transactions.parse_line`` and decided by
``Decider.decide_records``, the calls ``check`` makes, so its decision, or its error with its line, is the
local engine's; ``decision`` is the JSON line ``check --json`` prints for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

from chipscreen.errors import InputError
from chipscreen.spark.rows import ROW, numbered, spread, texts
from chipscreen.spark.shipping import Shipped, decider_for, ship
from chipscreen.transactions import TxRecord, parse_line

if TYPE_CHECKING:
    import pandas as pd
    from pyspark.sql import DataFrame

    from chipscreen.store import Store

__all__ = ["DECISION_SCHEMA", "decide"]

DECISION_SCHEMA = (
    "line long, id string, license_required boolean, flags array<string>, error string, decision string"
)
_COLUMNS = [c.split()[0] for c in DECISION_SCHEMA.split(", ")]


def decide(
    df: DataFrame, store: Store, *, snapshot: str | None = None, rulebook: str | None = None,
    text_column: str = "value", line_column: str | None = None, source: str = "<spark>",
) -> DataFrame:
    """Decide the transactions in ``df[text_column]`` (JSON text) against the store's snapshot, under the
    rulebook in force on each date unless ``rulebook`` fixes one. Rows are numbered in input order (the
    file's line numbers for ``spark.read.text``) unless ``line_column`` gives them; errors name ``source``
    and the line. The result is lazy."""
    for column in (text_column, line_column):
        if column is not None and column not in df.columns:
            raise InputError(f"no column {column!r} (columns: {', '.join(df.columns)})")
    shipped = ship(df.sparkSession.sparkContext, store, snapshot=snapshot, with_store=True)
    from pyspark.sql import functions as F

    lines = numbered(df, line_column).select(F.col(ROW), F.col(text_column).cast("string").alias("text"))
    return spread(lines).mapInPandas(partial(decide_batches, shipped, rulebook, source), DECISION_SCHEMA)


def decide_batches(shipped: Shipped, rulebook: str | None, source: str, batches: Iterator[pd.DataFrame]
                   ) -> Iterator[pd.DataFrame]:
    """Run on the executors: each batch of (row, text) read and decided as ``check`` does."""
    import pandas as pd

    decider = decider_for(shipped, rulebook)
    for batch in batches:
        records: list[TxRecord] = []
        for line, text in zip(batch[ROW].tolist(), texts(batch, "text"), strict=True):
            rec = parse_line(text or "", line=int(line), source=source)
            if rec is not None:
                records.append(rec)
        out: list[dict[str, Any]] = []
        for o in decider.decide_records(records):
            d = o.decision
            out.append({
                "line": o.line, "id": None if o.id is None else str(o.id),
                "license_required": d.license_required if d else None,
                "flags": [f.code for f in d.flags] if d else None,
                "error": o.error, "decision": d.model_dump_json() if d else None,
            })
        yield pd.DataFrame(out, columns=_COLUMNS)
