"""What every forewarn command shares: exit codes, quiet ends on a closed pipe, running one
sub-command on its own, and the layout of the progress bar."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a tool whose reader went away

Run = Callable[[argparse.Namespace, Console], int]


def closed_pipe() -> int:
    """Whoever read our output stopped (`forewarn scan … | head`): stop quietly, as Unix tools do,
    and keep Python from complaining again when it flushes stdout at exit."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


def set_up_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="forewarn: %(levelname)s: %(message)s"
    )


def standalone(
    description: str,
    add_parser: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None],
    run: Run,
    argv: Sequence[str] | None,
) -> int:
    """One sub-command as its own program (for tests and ``python -m forewarn.cli_<name> …``)."""
    parser = argparse.ArgumentParser(prog="forewarn", description=description)
    parser.add_argument("-v", "--verbose", action="store_true", help="log what forewarn is doing")
    add_parser(parser.add_subparsers(dest="command", required=True, metavar="COMMAND", help="what to do"))
    args = parser.parse_args(argv)  # exits 2 on usage errors, as argparse does
    set_up_logging(args.verbose)
    try:
        return run(args, Console())
    except BrokenPipeError:
        return closed_pipe()


def progress_bar(console: Console, verb: str, rate: ProgressColumn, extra: str) -> RichProgress:
    """The bar of a long run on standard error: what it does, the count, ``rate``, time taken and
    left, and the task's field ``extra`` (errors so far, say)."""
    return RichProgress(
        TextColumn(f"[bold]{verb}"),
        BarColumn(),
        MofNCompleteColumn(),
        rate,
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TextColumn(f"{{task.fields[{extra}]}}"),
        console=console,
    )
