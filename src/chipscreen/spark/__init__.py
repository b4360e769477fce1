"""chipscreen on Apache Spark: the local engines run per partition (``mapInArrow``, ``mapInPandas``) over a
DataFrame, with the names index and the store built once on the driver and shipped to the executors (``shipping``).

``screen(df, store, ...)`` screens a DataFrame of names; ``decide(df, store, ...)`` decides one of transactions
(JSON text); both give rows in the local engine's shape. ``session()`` is the session the CLI's
``--engine spark`` runs in (the launcher's under ``spark-submit``, else ``local[N]`` on 127.0.0.1). Needs the
``spark`` extra and Java 17; see docs/scale.md. ``monitor(store)`` is ``monitor run`` with its work (the watch
set's slices, the open transactions) on Spark.
"""

from chipscreen.spark.deciding import decide
from chipscreen.spark.monitoring import monitor
from chipscreen.spark.screening import screen
from chipscreen.spark.session import local_session, session

__all__ = ["decide", "local_session", "monitor", "screen", "session"]
