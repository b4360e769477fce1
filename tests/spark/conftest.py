"""One Spark session for every Spark test (``local[2]`` on 127.0.0.1, UI off: ``chipscreen.spark.local_session``)
and a home with the bundled lists and the scenario ownership data. Without Java or pyspark these tests fail,
saying what to install: they are part of ``make test``, never skipped."""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from spark_inputs import Run

from chipscreen.bundled import open_store
from chipscreen.ownership import load_file
from chipscreen.paths import data_dir

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    if shutil.which("java") is None:
        pytest.fail("the Spark tests need Java 17 or later on PATH (Debian: apt-get install openjdk-17-jre-headless)")
    try:
        import pyspark  # noqa: F401
    except ImportError:
        pytest.fail("the Spark tests need pyspark: pip install -e '.[spark]' (make test installs it)")
    from chipscreen.spark import local_session

    session = local_session("local[2]", shuffle_partitions=4, app_name="chipscreen-tests")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spark_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled lists and data/scenarios/ownership.csv, so decisions meet ownership flags too."""
    home = tmp_path_factory.mktemp("spark-home")
    with open_store(home) as store:
        load_file(store, data_dir() / "scenarios" / "ownership.csv")
    return home


@pytest.fixture(scope="session")
def chipscreen_cli(spark: SparkSession, spark_home: Path) -> Run:
    """``chipscreen ARGS --home spark_home`` in this process (so ``--engine spark`` finds the running
    session): exit status, stdout, stderr."""
    return cli_in(spark_home)


def cli_in(home: Path) -> Run:
    """``chipscreen ARGS --home HOME`` run in this process, as ``chipscreen_cli`` runs it."""
    from chipscreen.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        argv = sys.argv
        sys.argv = ["chipscreen", *args, "--home", str(home)]
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main()
        except SystemExit as exc:
            code = int(exc.code or 0)
        finally:
            sys.argv = argv
        return code, out.getvalue(), err.getvalue()

    return run



@pytest.fixture(scope="session")
def cli_for(spark: SparkSession) -> Callable[[Path], Run]:
    """``cli_in``, for a test with a home of its own."""
    return cli_in
