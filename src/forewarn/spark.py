"""forewarn on Spark: a DataFrame of works in, a DataFrame of rows out, the same rows as
``forewarn batch`` writes (one schema, ``forewarn/batch/row.schema.json``; one row builder,
``forewarn.batch.row_for``).

Needs the spark extra (``pip install 'forewarn[spark]'``: pyspark, pyarrow, pandas) on the driver,
and forewarn itself on every executor (``pip install forewarn`` in the executors' Python, or a
wheel shipped with ``--py-files``). The scan runs in the executors' Python workers through
``mapInArrow``; each worker loads the detectors once and keeps them for every later task (Spark
reuses its Python workers), so the model loads once per executor process, not once per row.

>>> rows = annotate(spark.read.json("works.jsonl"), kind="html")  # doctest: +SKIP
>>> rows.write.parquet("rows.parquet")  # doctest: +SKIP
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from forewarn.batch.inputs import Kind, Record
from forewarn.batch.rows import arrow_schema
from forewarn.batch.worker import row_for
from forewarn.library.scanner import ScanOptions, Target
from forewarn.readers.txt import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame
    from pyspark.sql.types import StructType

KINDS: tuple[Kind, ...] = ("text", "html", "bytes", "path")
ROWS_PER_BATCH = 64  # rows scanned per Arrow batch sent back (Spark may send thousands at once)


def spark_schema() -> StructType:
    """The row schema as a Spark ``StructType`` (from the same Arrow schema Parquet output uses)."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(arrow_schema())


def annotate(
    df: DataFrame,
    id_col: str = "id",
    text_col: str = "text",
    kind: Kind = "text",
    *,
    who: bool = True,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DataFrame:
    """One row per row of ``df``, with the report's columns (``forewarn batch``'s row schema).

    ``text_col`` holds story text (``kind="text"``), an HTML page or AO3 download as a string
    (``"html"``), a file's bytes in any format forewarn reads (``"bytes"``: a binary column), or
    the path of a file every executor can read (``"path"``). The id is cast to a string. Other
    columns of ``df`` are not carried over: join the result back on ``id``. A work that cannot be
    read gives a row with ``error`` set; the job never fails for one work.

    With long works, lower ``spark.sql.execution.arrow.maxRecordsPerBatch`` (default 10,000 rows
    per batch handed to a worker) so that a batch of texts fits a worker's memory.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    from pyspark.sql import functions as F

    works = df.select(F.col(id_col).cast("string").alias("id"), F.col(text_col).alias("payload"))
    scan = functools.partial(annotate_batches, kind=kind, options=ScanOptions(who=who, max_bytes=max_bytes))
    return works.mapInArrow(scan, spark_schema())


def annotate_batches(
    batches: Iterator[pa.RecordBatch], *, kind: Kind, options: ScanOptions
) -> Iterator[pa.RecordBatch]:
    """What runs on the executors: batches of (id, payload) in, batches of rows out.

    Slices of ``ROWS_PER_BATCH`` rows are turned into Python objects one at a time, so a large
    batch of texts is never copied whole.
    """
    import pyarrow as pa

    schema = arrow_schema()
    for batch in batches:
        for start in range(0, batch.num_rows, ROWS_PER_BATCH):
            piece = batch.slice(start, ROWS_PER_BATCH)
            ids, payloads = piece.column(0).to_pylist(), piece.column(1).to_pylist()
            rows = [row_for(_record(i, p, kind), options) for i, p in zip(ids, payloads, strict=True)]
            yield pa.RecordBatch.from_pylist(rows, schema=schema)


def _record(rid: str | None, payload: Any, kind: Kind) -> Record:
    if rid is None:
        return Record("", kind, problem="the id is null")
    if payload is None:
        return Record(rid, kind, problem=f"the {kind} column is null")
    if kind == "path":
        return Record(rid, "path", target=Target(str(payload)))
    if kind == "bytes":
        return Record(rid, "bytes", data=bytes(payload))
    return Record(rid, kind, data=str(payload))
