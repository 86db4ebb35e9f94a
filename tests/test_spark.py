"""forewarn.spark in Spark local mode: the rows equal `forewarn batch`'s for the same works, through
`annotate` (text and HTML records) and through examples/spark_submit.py (Parquet out).

Skips, saying why, without pyspark or a Java runtime that pyspark accepts (17 or newer for
pyspark 4). Start-up is about 10 s; the works are short."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.test_batch import make_records, read_rows, validate, write_jsonl

WORKS = 300
pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'forewarn[spark]')")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'forewarn[spark]')")
pytest.importorskip("pandas", reason="pandas is not installed (pip install 'forewarn[spark]')")


def _java_major() -> int | None:
    java = (
        shutil.which("java", path=os.path.join(os.environ["JAVA_HOME"], "bin"))
        if "JAVA_HOME" in os.environ
        else None
    )
    java = java or shutil.which("java")
    if java is None:
        return None
    done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    needed = 17 if int(pyspark.__version__.split(".")[0]) >= 4 else 8
    major = _java_major()
    if major is None or major < needed:
        found = "no java on PATH or JAVA_HOME" if major is None else f"Java {major}"
        pytest.skip(f"pyspark {pyspark.__version__} needs Java {needed} or newer; {found}")
    from pyspark.sql import SparkSession

    with pytest.MonkeyPatch.context() as patch:
        # The executors' Python must be this one: it has forewarn and the test's packages.
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        patch.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        session = (
            SparkSession.builder.master("local[2]")
            .appName("forewarn-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


@pytest.fixture(scope="module")
def works(tmp_path_factory) -> tuple[Path, list[dict[str, Any]]]:
    """WORKS short works (every 7th as HTML, one empty) and `forewarn batch`'s rows for them."""
    folder = tmp_path_factory.mktemp("spark")
    records = [*make_records(WORKS, seed=21, html_every=7), {"id": "empty", "text": "  "}]
    path = write_jsonl(folder / "works.jsonl", records)
    from forewarn.cli_batch import main

    assert main(["batch", str(path), "--out", str(folder / "rows.jsonl"), "--jobs", "2", "--quiet"]) == 0
    return path, sorted(read_rows(folder / "rows.jsonl"), key=lambda r: r["id"])


def test_annotate_gives_the_rows_batch_gives(spark, works):
    from forewarn.spark import annotate, spark_schema

    path, batch_rows = works
    df = spark.read.json(str(path))
    texts = annotate(df.where("text IS NOT NULL"), "id", "text", "text")
    pages = annotate(df.where("html IS NOT NULL"), id_col="id", text_col="html", kind="html")
    assert texts.schema == spark_schema()
    rows = sorted(
        (r.asDict(recursive=True) for r in texts.unionByName(pages).collect()), key=lambda r: r["id"]
    )
    assert len(rows) == WORKS + 1
    for row in rows[:20]:
        validate(row)
    assert rows == batch_rows
    assert next(r for r in rows if r["id"] == "empty")["error"] == "text is empty"
    assert sum(1 for r in rows if r["warnings"]) > WORKS // 2  # the comparison is not of empty rows


def test_annotate_reads_bytes_and_refuses_an_unknown_kind(spark):
    from forewarn.batch import Record, row_for
    from forewarn.library.scanner import ScanOptions
    from forewarn.spark import annotate

    story = (REPO / "examples" / "the-lighthouse-keeper.txt").read_bytes()
    df = spark.createDataFrame([(1, bytearray(story)), (2, None)], "n long, data binary")
    rows = {r["id"]: r.asDict(recursive=True) for r in annotate(df, "n", "data", "bytes").collect()}
    assert rows["1"] == row_for(Record("1", "bytes", data=story), ScanOptions())
    assert rows["1"]["error"] is None and rows["1"]["warnings"]
    assert rows["2"]["error"] == "the bytes column is null"
    with pytest.raises(ValueError, match="kind must be one of"):
        annotate(df, "n", "data", "pdf")  # type: ignore[arg-type]


def test_spark_submit_example_writes_the_rows_batch_writes(spark, works, tmp_path):
    import pyarrow.parquet as pq

    path, batch_rows = works
    spec = importlib.util.spec_from_file_location("spark_submit", REPO / "examples" / "spark_submit.py")
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    out = tmp_path / "rows.parquet"
    assert example.main([str(path), str(out), "--partitions", "2"]) == 0  # the session above is reused
    rows = sorted(pq.read_table(out).to_pylist(), key=lambda r: r["id"])
    assert rows == batch_rows
