"""The Spark session the ``--engine spark`` commands and the tests run in.

Under ``spark-submit`` (or on Databricks) the session exists or is configured by the launcher, and chipscreen
takes it as it is. Otherwise it starts Spark on this machine: ``local[N]``, bound to 127.0.0.1 (a laptop's or
CI runner's network name need not resolve, and nothing should listen on other interfaces), the web UI off,
and the executors' Python the one running chipscreen (``PYSPARK_PYTHON``), so they import the same code.
A missing pyspark or Java is a message saying what to install, never a traceback.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING

from chipscreen.errors import ChipscreenError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["local_session", "session"]

LAUNCHED = "PYSPARK_GATEWAY_PORT"
"""Set by ``spark-submit`` (and notebooks) for the Python driver it starts: the session is theirs."""
NO_PYSPARK = "--engine spark needs pyspark: pip install 'chipscreen[spark]'"
NO_JAVA = "--engine spark needs Java 17 or later: install it (Debian: openjdk-17-jre-headless) or set JAVA_HOME"


def session(master: str | None = None) -> SparkSession:
    """The launcher's session when there is one, else a local one (``master`` overrides: ``local[4]``,
    ``spark://host:7077``...)."""
    builder = _builder()
    if master is None and os.environ.get(LAUNCHED):
        return builder.getOrCreate()
    return local_session(master or "local[*]")


def local_session(master: str = "local[2]", *, shuffle_partitions: int = 8, app_name: str = "chipscreen"
                  ) -> SparkSession:
    """A session on this machine, reachable only through the loopback interface, its UI off."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise ChipscreenError(NO_JAVA)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (
        _builder().master(master).appName(app_name)
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.pyspark.python", os.environ["PYSPARK_PYTHON"])
    )
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # pyspark's own error types name no missing program; say what is wrong
        raise ChipscreenError(f"{NO_JAVA} (Spark did not start: {str(exc).strip()[:300]})") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _builder() -> SparkSession.Builder:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ChipscreenError(NO_PYSPARK) from None
    return SparkSession.builder
