"""One record in, one row out, in whatever process does the work: a pool worker of ``forewarn
batch`` or a Python worker of a Spark executor. Both call :func:`row_for`, so their rows are equal.

The detectors load once per process (they are cached by ``default_detectors``; :func:`prepare`
loads them and warms every lazy table up front, so the first work is not slower than the rest).
"""

from __future__ import annotations

import codecs
import io
import logging
import os
import resource
import signal
import sys
import threading
import time
from typing import Any

from forewarn.api import read_stream, scan_text
from forewarn.batch.inputs import Record
from forewarn.batch.rows import error_row, row_from_report
from forewarn.errors import BUGS, ForewarnError, UnreadableInputError
from forewarn.library.scanner import ScanOptions, Target, current_versions, scan_target
from forewarn.model import Report
from forewarn.pipeline import analyse

log = logging.getLogger(__name__)

_versions: dict[bool, tuple[str, ...]] = {}  # per value of ``who``: Report.detectors, once per process
_options = ScanOptions()  # what a pool worker scans with (set by ``init``)
_WARM_UP = "Chapter 1\n\nMira laughed. He stabbed the guard and blood pooled on the stones; the guard died."


def prepare(options: ScanOptions) -> tuple[str, ...]:
    """Load the detectors and models into this process (once) and return their versioned names."""
    if options.who not in _versions:
        _versions[options.who] = current_versions(options.who)
        scan_text(_WARM_UP, who=options.who)  # loads the lazy tables (who-analysis, lexicon caches)
    return _versions[options.who]


def init(options: ScanOptions, parent: int | None = None) -> None:
    """Initializer of a ``forewarn batch`` pool worker: scan with ``options``, leave Ctrl-C to the
    parent (which stops the pool and keeps what is written), end when the ``parent`` process is
    gone, load the detectors."""
    global _options
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _options = options
    if parent is not None:
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="forewarn-parent").start()
    prepare(options)


def _watch(parent: int) -> None:
    # A parent killed with -9 cannot stop its pool, and an idle worker would wait on the task
    # queue for ever (it holds both ends of the pipe, so it never reads an end of file).
    while True:
        time.sleep(1.0)
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # the pid is another user's process now: ours is gone
            os._exit(1)


def scan_chunk(records: list[Record]) -> tuple[list[dict[str, Any]], int, float]:
    """A pool worker's task: the rows of ``records``, this process's id and its peak memory (MB)."""
    rows = [row_for(r, _options) for r in records]
    return rows, os.getpid(), peak_mb()


def peak_mb() -> float:
    """This process's peak resident memory in MB (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def row_for(record: Record, options: ScanOptions) -> dict[str, Any]:
    """The row of one record; never raises for a bad work (its row carries the ``error``)."""
    versions = prepare(options)
    problem = record.problem
    if problem is None:
        try:
            report = _scan(record, options)
            return row_from_report(report, id=record.id, kind=record.kind, path=record.path)
        except ForewarnError as error:
            problem = error.problem if isinstance(error, UnreadableInputError) else str(error)
        except BUGS as error:  # a bug on one work must not end a run of millions
            log.exception("internal error on %s", record.id)
            problem = f"internal error: {type(error).__name__}: {error}"
    return error_row(id=record.id, kind=record.kind, path=record.path, problem=problem, detectors=versions)


def _scan(record: Record, options: ScanOptions) -> Report:
    if record.kind in ("file", "path"):
        return scan_target(record.target or Target(record.id), options)
    data = record.data
    if record.kind == "text" and isinstance(data, str):
        if len(data) > options.max_bytes and len(data.encode("utf-8", "replace")) > options.max_bytes:
            raise UnreadableInputError(record.id, f"text is over the {options.max_bytes:,}-byte limit")
        return scan_text(_valid(data), who=options.who)
    if isinstance(data, str):
        # Decoded already: a BOM makes the reader take the bytes as UTF-8 whatever the page's
        # <meta charset> says.
        data = codecs.BOM_UTF8 + data.encode("utf-8", "replace")
    if not isinstance(data, bytes):
        raise UnreadableInputError(record.id, f"no {record.kind} given")
    work = read_stream(io.BytesIO(data), name=record.id, max_bytes=options.max_bytes)
    return analyse(work, who=options.who)


def _valid(text: str) -> str:
    """``text`` without lone surrogates (JSON may carry them; no writer can store them)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
