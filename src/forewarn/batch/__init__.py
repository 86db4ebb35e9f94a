"""Many works at once: a resumable batch runner on every core (``forewarn batch``), with one row
layout (``row.schema.json``) shared with the Spark path (``forewarn.spark``).

>>> from forewarn.batch import Record, row_for
>>> from forewarn.library.scanner import ScanOptions
>>> record = Record("w1", "text", data="He stabbed the guard, and blood pooled on the stones.")
>>> row = row_for(record, ScanOptions())
>>> row["id"], [w["label"] for w in row["warnings"]], row["error"]
('w1', ['blood', 'violence'], None)
"""

from forewarn.batch.inputs import Inputs, Record, read_records
from forewarn.batch.rows import ROW_SCHEMA, arrow_schema, columns, error_row, json_schema, row_from_report
from forewarn.batch.runner import Progress, Summary, run_batch
from forewarn.batch.worker import row_for
from forewarn.batch.writers import JsonlWriter, ParquetWriter, RowWriter, open_writer
from forewarn.defaults import default_jobs

__all__ = [
    "ROW_SCHEMA",
    "Inputs",
    "JsonlWriter",
    "ParquetWriter",
    "Progress",
    "Record",
    "RowWriter",
    "Summary",
    "arrow_schema",
    "columns",
    "default_jobs",
    "error_row",
    "json_schema",
    "open_writer",
    "read_records",
    "row_for",
    "row_from_report",
    "run_batch",
]
