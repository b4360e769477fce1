"""Screen a Parquet dataset of customers on a Spark cluster (docs/scale.md): run with spark-submit.

    spark-submit --master yarn --archives chipscreen-env.tar.gz#env examples/spark_screen.py \
        HOME INPUT OUTPUT [ROW_COLUMN]

HOME is a chipscreen home with the lists loaded (read on the driver), INPUT a Parquet dataset with a ``name``
(and optional ``country``) column, OUTPUT the Parquet dataset written: one typed row per input row.
"""

import sys

from chipscreen import open_store
from chipscreen.spark import screen, session


def main(home: str, source: str, target: str, row_column: str | None = None) -> None:
    spark = session()  # the session spark-submit configured
    df = spark.read.parquet(source)
    with open_store(home) as store:
        screen(df, store, row_column=row_column, shape="table").write.mode("overwrite").parquet(target)


if __name__ == "__main__":
    main(*sys.argv[1:5])
