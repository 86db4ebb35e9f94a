"""Many records through a pool of worker processes into one output, resumably.

- Streaming: records are read as the pool asks for them; at most ``in_flight`` chunks are out at a
  time, so memory stays bounded whatever the number of works (``ProcessPoolExecutor.map`` and
  ``Pool.imap`` would read the whole input ahead).
- Resumable: ids already in the output are skipped, and so are ids seen twice in the input: the
  output ends with exactly one row per id.
- Never fatal for one work: a bad work is an error row; a work that kills its worker process
  (out of memory, a crash in a C library) is found by running the chunks that were out one work
  at a time in a fresh pool, and becomes an error row too.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol

from forewarn.batch import worker
from forewarn.batch.inputs import Record
from forewarn.batch.rows import error_row
from forewarn.batch.writers import RowWriter
from forewarn.defaults import default_jobs
from forewarn.library.scanner import ScanOptions, current_versions

log = logging.getLogger(__name__)

ChunkResult = tuple[list[dict[str, Any]], int, float]  # rows, worker pid, its peak memory (MB)
ChunkFn = Callable[[list[Record]], ChunkResult]
CRASHED = "the worker process died while scanning this work (out of memory, or a crash)"


class Progress(Protocol):
    """Told about a run as it goes (the CLI draws a progress bar from it)."""

    def start(self, total: int | None) -> None:
        """``total``: the works left to scan, when known."""
        ...

    def advance(self, row: dict[str, Any]) -> None: ...


@dataclass(slots=True)
class Summary:
    """What one run did."""

    records: int = 0  # records read from the inputs
    written: int = 0  # rows written by this run ...
    errors: int = 0  # ... of which error rows
    skipped: int = 0  # already in the output (an earlier run wrote them)
    duplicates: int = 0  # an id seen again in the inputs (the first one was kept)
    words: int = 0  # words of the works scanned by this run
    seconds: float = 0.0
    jobs: int = 0
    worker_peak_mb: dict[int, float] = field(default_factory=dict)  # per worker pid

    @property
    def peak_worker_mb(self) -> float:
        """The largest peak resident memory of any worker process."""
        return max(self.worker_peak_mb.values(), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "written": self.written,
            "errors": self.errors,
            "skipped": self.skipped,
            "duplicates": self.duplicates,
            "words": self.words,
            "seconds": round(self.seconds, 3),
            "jobs": self.jobs,
            "works_per_second": round(self.written / self.seconds, 2) if self.seconds else None,
            "words_per_second": round(self.words / self.seconds) if self.seconds else None,
            "peak_worker_mb": round(self.peak_worker_mb, 1),
        }


class _Null:
    def start(self, total: int | None) -> None:
        pass

    def advance(self, row: dict[str, Any]) -> None:
        pass


def _context() -> multiprocessing.context.BaseContext:
    # Not fork: the parent runs threads (the executor's, the progress bar's), and forking a
    # threaded process can deadlock a child. forkserver starts clean children cheaply.
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["forewarn.batch.worker"])  # imported once, in the server
    return context


def run_batch(
    records: Iterable[Record],
    writer: RowWriter,
    *,
    jobs: int | None = None,
    options: ScanOptions | None = None,
    progress: Progress | None = None,
    total: int | None = None,
    chunk: int = 4,
    chunk_fn: ChunkFn = worker.scan_chunk,
) -> Summary:
    """Scan every record not yet in ``writer``'s output and write its row; returns the summary.

    ``total``: how many records the inputs hold, when known (for the progress bar's ETA).
    ``chunk``: records sent to a worker at a time. ``chunk_fn`` is the workers' task (tests
    swap it). A ``KeyboardInterrupt`` stops the pool and propagates; every row written stays.
    """
    run = _Run(writer, jobs or default_jobs(), options or ScanOptions(), progress or _Null(), chunk, chunk_fn)
    todo = None if total is None else max(0, total - len(writer.ids()))
    run.progress.start(todo)
    try:
        run.feed(records)
    finally:
        run.close()
    return run.summary


class _Run:
    """The state of one run: the pool, the chunks out, the ids done."""

    def __init__(
        self, writer: RowWriter, jobs: int, options: ScanOptions, progress: Progress, chunk: int, fn: ChunkFn
    ) -> None:
        self.writer, self.options, self.progress, self.chunk, self.fn = writer, options, progress, chunk, fn
        self.jobs = jobs
        self.in_flight = 2 * jobs + 2  # chunks out at once: every worker busy, one more queued each
        self.taken: set[str] = set()  # ids this run took (a duplicate later is skipped)
        self.summary = Summary(jobs=jobs)
        self.started = time.monotonic()
        self.pool = self._new_pool()
        self.pending: dict[Future[ChunkResult], list[Record]] = {}

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=_context(),
            initializer=worker.init,
            initargs=(self.options, os.getpid()),
        )

    def feed(self, records: Iterable[Record]) -> None:
        for batch in self._chunks(records):
            while len(self.pending) >= self.in_flight:
                self._collect(FIRST_COMPLETED)
            self.pending[self.pool.submit(self.fn, batch)] = batch
        while self.pending:
            self._collect(FIRST_COMPLETED)

    def _chunks(self, records: Iterable[Record]) -> Iterator[list[Record]]:
        batch: list[Record] = []
        for record in records:
            self.summary.records += 1
            if record.id in self.writer.ids():
                self.summary.skipped += 1
                continue
            if record.id in self.taken:
                self.summary.duplicates += 1
                log.warning("%s: the same id again in the inputs; only the first is scanned", record.id)
                continue
            self.taken.add(record.id)
            batch.append(record)
            if len(batch) >= self.chunk:
                yield batch
                batch = []
        if batch:
            yield batch

    def _collect(self, when: str) -> None:
        finished, _ = wait(self.pending, return_when=when)
        broken = False
        for future in finished:
            try:
                result = future.result()
            except BrokenProcessPool:
                broken = True
                continue
            self._write(result)
            del self.pending[future]
        if broken:
            self._recover()

    def _write(self, result: ChunkResult) -> None:
        rows, pid, peak = result
        self.summary.worker_peak_mb[pid] = max(peak, self.summary.worker_peak_mb.get(pid, 0.0))
        self._write_rows(rows)

    def _write_rows(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.writer.write(row)
            self.summary.written += 1
            self.summary.errors += row["error"] is not None
            self.summary.words += row["words"] or 0
            self.progress.advance(row)

    def _recover(self) -> None:
        """A worker died: which work killed it is unknown, so every work that was out is run
        again alone in a fresh pool; one that kills its worker again gets an error row."""
        suspects = [r for batch in self.pending.values() for r in batch]
        self.pending.clear()
        log.warning("a worker process died; running the %d works that were out one at a time", len(suspects))
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()
        for record in suspects:
            try:
                self._write(self.pool.submit(self.fn, [record]).result())
            except BrokenProcessPool:
                versions = current_versions(self.options.who)
                row = error_row(
                    id=record.id, kind=record.kind, path=record.path, problem=CRASHED, detectors=versions
                )
                self._write_rows([row])
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()

    def close(self) -> None:
        self.summary.seconds = time.monotonic() - self.started
        self.pool.shutdown(wait=True, cancel_futures=True)
