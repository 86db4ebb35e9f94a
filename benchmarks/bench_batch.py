"""Throughput of ``forewarn batch`` with 1 and 2 workers (scaling efficiency), Spark local[2] beside
it, peak memory per worker, and what the whole of AO3 would take.

Works are made from ``../shared/data`` by ``tools/make_batch_corpus.py`` (AO3 pages and downloads,
the PAN 2023 sample works, stories stitched from labelled passages) into a temporary folder. Each
configuration runs in a fresh process, as a user runs it: ``forewarn batch works.jsonl --out
rows.jsonl --jobs N``. Works/s and words/s are over the run (worker start-up included); words are
the rows' ``words``. Spark's time excludes starting the session (reported apart).

A script, not a test::

    python benchmarks/bench_batch.py [--works 2000] [--jobs 1 2] [--no-spark]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
AO3_WORKS = 15_000_000  # about 15 million works on AO3 (about 12.6 million public)
BIG_MACHINE = 64  # cores


def _corpus(folder: Path, works: int) -> Path:
    sys.path.insert(0, str(REPO / "tools"))
    import make_batch_corpus

    out = folder / "corpus" / "works.jsonl"
    out.parent.mkdir()
    kinds = make_batch_corpus.build_jsonl(out, works, seed=14, bad=0)
    print(f"corpus: {works:,} works ({', '.join(f'{n} {k}' for k, n in kinds.items())}) in {out}")
    return out


def run_batch(works: Path, out: Path, jobs: int) -> dict[str, Any]:
    """One ``forewarn batch`` run in a fresh process: its summary, wall time and main-process peak."""
    command = [sys.executable, "-m", "forewarn.cli_batch", "batch", str(works), "--out", str(out)]
    command += ["--jobs", str(jobs), "--quiet", "--summary-json"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    wall = time.monotonic() - started
    summary: dict[str, Any] = json.loads(done.stdout)
    summary["wall"] = wall
    summary["main_peak_mb"] = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return summary


_SPARK = """
import json, sys, time
t0 = time.monotonic()
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[{cores}]").config("spark.ui.enabled", "false")
         .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
spark.range(1).collect()
t1 = time.monotonic()
sys.path.insert(0, {examples!r})
from spark_submit import rows_of
works = spark.read.json({works!r}).repartition({partitions})
rows = rows_of(works, who=True)
rows.write.mode("overwrite").parquet({out!r})
t2 = time.monotonic()
n = spark.read.parquet({out!r}).count()
print(json.dumps({{"startup": t1 - t0, "seconds": t2 - t1, "rows": n}}))
spark.stop()
"""


def run_spark(works: Path, out: Path, cores: int) -> dict[str, Any] | None:
    """Spark local[cores] over the same works through examples/spark_submit.py's ``rows_of``."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("spark: pyspark is not installed (pip install 'forewarn[spark]'): skipped")
        return None
    code = _SPARK.format(
        cores=cores, examples=str(REPO / "examples"), works=str(works), out=str(out), partitions=cores * 4
    )
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if done.returncode:
        print(f"spark: failed (is Java 17 installed?):\n{done.stderr[-2000:]}")
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


_SPIN = """
import time
t = time.perf_counter()
x = 0
for i in range(20_000_000):
    x += i
print(time.perf_counter() - t)
"""


def parallel_speedup(n: int) -> float:
    """How much faster n CPU-bound processes together go than one alone (n on n real cores):
    a virtual machine's cores may share one physical core, and then no pool can scale."""

    def spin(count: int) -> float:
        runs = [subprocess.Popen([sys.executable, "-c", _SPIN], stdout=subprocess.PIPE) for _ in range(count)]
        return max(float(p.communicate()[0]) for p in runs)

    alone = spin(1)
    return n * alone / spin(n)


def words_per_work() -> tuple[float, float, int]:
    """Mean and median of AO3's own word counts (``words_declared``) of the works in works-dev."""
    counts = [
        json.loads(line)["words_declared"]
        for line in (DATA / "works-dev" / "works.jsonl").open(encoding="utf-8")
        if line.strip()
    ]
    return statistics.mean(counts), statistics.median(counts), len(counts)


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:,.0f} h" if seconds < 86400 * 3 else f"{seconds / 86400:,.1f} days"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=2000, help="works in the corpus (default 2000)")
    parser.add_argument(
        "--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to run (default 1 2)"
    )
    parser.add_argument("--no-spark", action="store_true", help="skip Spark local mode")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        sys.exit(f"bench_batch: {DATA} is absent: the shared data must sit beside the checkout")
    machine = parallel_speedup(2)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"  2 CPU-bound processes at once go {machine:.2f}x as fast as one (the most a pool of 2 can get)")
    with tempfile.TemporaryDirectory(prefix="forewarn-bench-batch-") as tmp:
        folder = Path(tmp)
        works = _corpus(folder, args.works)
        results = {jobs: run_batch(works, folder / f"rows-{jobs}.jsonl", jobs) for jobs in args.jobs}
        words = results[args.jobs[0]]["words"]
        spark = None if args.no_spark else run_spark(works, folder / "rows.parquet", max(args.jobs))

    print()
    print("| run | works/s | words/s | words/s per core | wall | peak memory per worker |")
    print("|---|---|---|---|---|---|")
    for jobs, r in results.items():
        rate = r["words"] / r["wall"]
        print(
            f"| `forewarn batch --jobs {jobs}` | {r['written'] / r['wall']:,.1f} | {rate:,.0f} "
            f"| {rate / jobs:,.0f} | {r['wall']:.1f} s | {r['peak_worker_mb']:.0f} MB "
            f"(main {r['main_peak_mb']:.0f} MB) |"
        )
    if spark:
        cores, seconds = max(args.jobs), spark["seconds"]
        print(
            f"| Spark local[{cores}] (`forewarn.spark.annotate`) | {spark['rows'] / seconds:,.1f} "
            f"| {words / seconds:,.0f} | {words / seconds / cores:,.0f} | {seconds:.1f} s "
            f"(+ {spark['startup']:.1f} s start-up) | |"
        )
    if 1 in results and 2 in results:
        one, two = (results[j]["words"] / results[j]["wall"] for j in (1, 2))
        print(
            f"\nscaling 1 -> 2 workers: {two / one:.2f}x, efficiency {two / (2 * one):.0%} "
            f"({two / one / machine:.0%} of the {machine:.2f}x this machine gives)"
        )

    mean, median, n = words_per_work()
    per_core = results[args.jobs[0]]["words"] / results[args.jobs[0]]["wall"] / args.jobs[0]
    total = AO3_WORKS * mean
    core_seconds = total / per_core
    print(
        f"\nAO3 estimate: {AO3_WORKS:,} works x {mean:,.0f} words (mean of AO3's own counts of the {n} "
        f"works-dev works; median {median:,.0f}) = {total / 1e9:,.0f} billion words"
    )
    print(
        f"  at {per_core:,.0f} words/s per core: {core_seconds / 3600:,.0f} core-hours; "
        f"on {BIG_MACHINE} cores {_hours(core_seconds / BIG_MACHINE)} (perfect scaling)"
    )
    if 1 in results and 2 in results:
        efficiency = two / (2 * one)
        wall = _hours(core_seconds / BIG_MACHINE / efficiency)
        print(f"  at the measured 2-worker efficiency ({efficiency:.0%}): {wall}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
