"""forewarn on a Spark cluster: a JSON-lines file of works in, a Parquet folder of rows out.

    spark-submit examples/spark_submit.py INPUT.jsonl OUT.parquet [--no-who] [--partitions N]

INPUT holds one ``{"id", "text" | "html" | "path"}`` record a line, as for ``forewarn batch``
(a relative path is taken from INPUT's folder when INPUT is a local file; every executor must be
able to read the files). The rows are those ``forewarn batch`` writes (the
schema is ``forewarn/batch/row.schema.json``). Every executor's Python needs forewarn installed
(``pip install 'forewarn[spark]'``); the detectors load once per Python worker, not per row.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from forewarn.spark import annotate

# Arrow batches handed to a Python worker: fan fiction runs to megabytes a work, and Spark's
# default of 10,000 rows a batch would hold gigabytes of text in one worker.
ROWS_PER_ARROW_BATCH = "256"


def rows_of(works: DataFrame, who: bool) -> DataFrame:
    """The rows of every record, whichever of html, text or path it holds (html first, as batch)."""
    parts = []
    taken = None
    for kind in ("html", "text", "path"):
        if kind not in works.columns:
            continue
        these = works.where(works[kind].isNotNull())
        if taken is not None:
            these = these.where(~taken)
        parts.append(annotate(these, "id", kind, kind, who=who))
        taken = works[kind].isNotNull() if taken is None else taken | works[kind].isNotNull()
    if not parts:
        raise SystemExit('spark_submit: the input has none of the fields "html", "text", "path"')
    result = parts[0]
    for part in parts[1:]:
        result = result.unionByName(part)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="forewarn rows for a JSON-lines file of works, on Spark.")
    parser.add_argument("input", help="JSON lines of {id, text | html | path} records")
    parser.add_argument("out", help="the Parquet folder to write (replaced if it exists)")
    parser.add_argument("--no-who", action="store_true", help="skip characters, relationships and fandom")
    parser.add_argument("--partitions", type=int, default=0, help="repartition the works first (0: as read)")
    args = parser.parse_args(argv)

    spark = (
        SparkSession.builder.appName("forewarn")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", ROWS_PER_ARROW_BATCH)
        .getOrCreate()
    )
    # Records that are not JSON objects, or have no id, are left out here (forewarn batch
    # writes an error row for them).
    works = spark.read.option("mode", "DROPMALFORMED").json(args.input).where("id IS NOT NULL")
    if "path" in works.columns and "://" not in args.input:
        base = os.path.dirname(os.path.abspath(args.input))
        relative = ~works["path"].startswith("/")
        works = works.withColumn(
            "path", F.when(relative, F.concat_ws("/", F.lit(base), "path")).otherwise(works["path"])
        )
    if args.partitions:
        works = works.repartition(args.partitions)
    rows_of(works, who=not args.no_who).write.mode("overwrite").parquet(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
