"""``forewarn batch``: a thin shell over ``forewarn.batch`` (many works, every core, resumable).

Exit codes as the main CLI: 0 done (works that could not be read are error rows in the output,
counted in the summary line); 2 usage error or an output problem; 130 interrupted (every row
written stays, and the same command carries on). The progress bar goes to standard error, only
at a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import ProgressColumn, Task
from rich.text import Text

from forewarn.cli_shell import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, progress_bar, standalone
from forewarn.defaults import DEFAULT_MAX_BYTES, PART_ROWS, default_jobs
from forewarn.errors import ForewarnError

# The runner (and with it the scanner) loads when `forewarn batch` runs, not for --help.
if TYPE_CHECKING:
    from forewarn.batch import Summary


def _positive(value: str) -> int:
    """A positive whole number (for --jobs and --part-rows)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``batch`` command to an argparse subparsers object."""
    p = subparsers.add_parser(
        "batch",
        help="scan many works on every core into one JSON-lines or Parquet file (resumable)",
        description="Scan story files, folders, globs, Calibre libraries and JSON-lines files of "
        '{"id", "text" | "html" | "path"} records into one row per work (the schema is '
        "forewarn/batch/row.schema.json). A work that cannot be read becomes an error row; running "
        "the same command again skips the ids already in --out, so an interrupted run carries on.",
    )
    p.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="story files, folders (searched recursively), globs, Calibre library folders, or "
        'records files (.jsonl, .ndjson, .jsonl.gz; - for standard input) of {"id", "text" | '
        '"html" | "path"} lines (a relative path is taken from the records file\'s folder)',
    )
    p.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE",
        help="where the rows go: JSON lines, or Parquet when it ends in .parquet (a folder of parts; "
        "needs pyarrow: pip install 'forewarn[parquet]')",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help=f"worker processes (default: every core this process may use, here {default_jobs()})",
    )
    p.add_argument(
        "--calibre",
        action="append",
        default=[],
        metavar="LIBRARY",
        help="a Calibre library folder (read-only; each book in its best format); may be repeated",
    )
    p.add_argument(
        "--no-who",
        action="store_true",
        help="skip characters, relationships and fandom (faster; no Major Character Death)",
    )
    p.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / 2**20,
        metavar="MB",
        help="refuse works larger than this (default %(default)g MB)",
    )
    p.add_argument(
        "--part-rows",
        type=_positive,
        default=PART_ROWS,
        metavar="N",
        help="Parquet: rows per part file (default %(default)s; a part is also written every minute, "
        "and a kill loses at most the rows not yet in a part, which the next run scans again)",
    )
    p.add_argument("--summary-json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")


class _Rate(ProgressColumn):
    """Works and words per second over the whole run (rich's own speed columns speak bytes)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        if elapsed <= 0 or not task.completed:
            return Text("")
        works, words = task.completed / elapsed, task.fields["words"] / elapsed
        return Text(f"{works:.1f} works/s {words:,.0f} words/s", style="progress.data.speed")


class _Bar:
    """The run's progress callback drawn as a rich progress bar on standard error."""

    def __init__(self, console: Console) -> None:
        self.progress = progress_bar(console, "scanning", _Rate(), "errors")
        self.task = self.progress.add_task("scanning", total=None, words=0, errors="")
        self.works = self.words = self.errors = 0
        self.shown = 0.0  # when the bar was last told

    def start(self, total: int | None) -> None:
        self.progress.update(self.task, total=total)
        self.progress.start()

    def advance(self, row: dict[str, Any]) -> None:
        self.works += 1
        self.words += row["words"] or 0
        self.errors += row["error"] is not None
        # Told at most 20 times a second: on many cores the bar would cost the main process more
        # than reading and writing the rows does.
        if time.monotonic() - self.shown >= 0.05:
            self._show()

    def _show(self) -> None:
        self.shown = time.monotonic()
        errors = f"{self.errors} error{'s' if self.errors != 1 else ''}" if self.errors else ""
        self.progress.update(self.task, completed=self.works, words=self.words, errors=errors)

    def stop(self) -> None:
        self._show()
        self.progress.stop()


class _Quiet:
    def start(self, total: int | None) -> None:
        pass

    def advance(self, row: dict[str, Any]) -> None:
        pass

    def stop(self) -> None:
        pass


def _summary_line(summary: Summary, out: Path) -> str:
    seconds = summary.seconds or 1e-9
    parts = [
        f"{summary.written:,} rows written to {out} ({summary.errors:,} errors)",
        f"{summary.skipped:,} already there",
    ]
    if summary.duplicates:
        parts.append(f"{summary.duplicates:,} duplicate ids left out")
    rate = f"{summary.written / seconds:,.1f} works/s, {summary.words / seconds:,.0f} words/s"
    return (
        ", ".join(parts)
        + f"; {summary.seconds:,.1f} s on {summary.jobs} worker{'s' if summary.jobs != 1 else ''}: {rate}; "
        + f"peak worker memory {summary.peak_worker_mb:,.0f} MB"
    )


def run(args: argparse.Namespace, out: Console) -> int:
    """Run a parsed ``forewarn batch`` command; problems with the output become one line and exit 2."""
    from forewarn.batch import Inputs, open_writer, run_batch
    from forewarn.library.scanner import ScanOptions

    if not args.inputs and not args.calibre:
        print("forewarn: error: nothing to scan: give inputs or --calibre LIBRARY", file=sys.stderr)
        return EXIT_USAGE
    options = ScanOptions(who=not args.no_who, max_bytes=int(args.max_mb * 2**20))
    err = Console(stderr=True)
    progress: _Bar | _Quiet = _Bar(err) if err.is_terminal and not args.quiet else _Quiet()
    try:
        inputs = Inputs.of(args.inputs, args.calibre)
        writer = open_writer(args.out, part_rows=args.part_rows)
    except (ForewarnError, OSError) as error:
        print(f"forewarn: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    try:
        total = inputs.count() if isinstance(progress, _Bar) else None
        summary = run_batch(inputs, writer, jobs=args.jobs, options=options, progress=progress, total=total)
    except KeyboardInterrupt:
        progress.stop()
        writer.close()
        print("forewarn: interrupted; run the same command again to finish", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (ForewarnError, OSError) as error:
        progress.stop()
        writer.close()
        print(f"forewarn: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    progress.stop()
    writer.close()
    if args.summary_json:
        out.print_json(json.dumps({**summary.to_dict(), "out": str(args.out)}))
    elif not args.quiet:
        out.print(_summary_line(summary, args.out), highlight=False, soft_wrap=True)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """``forewarn batch …`` alone (for tests and ``python -m forewarn.cli_batch batch …``)."""
    return standalone("forewarn's batch runner.", add_parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
