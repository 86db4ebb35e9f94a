"""``forewarn library``: a thin shell over ``forewarn.library`` (add, list, show, remove, export).

Exit codes as the main CLI: 0 done; 2 usage error, an unreadable input (the others are still
indexed) or a library problem. The progress bar goes to standard error, only at a terminal.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import ProgressColumn, Task
from rich.text import Text

from forewarn.errors import ForewarnError
from forewarn.labels import LABEL_NAMES
from forewarn.places import library_path
from forewarn.profile import Judgement, Profile, load_profile

# The library (and with it the scanner) loads when a library command runs, not for --help.
if TYPE_CHECKING:
    from forewarn.library import AddSummary, Library, Step, StoredWork, WorkRow
from forewarn.cli_shell import EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, progress_bar, standalone
from forewarn.defaults import DEFAULT_MAX_BYTES


def label_list(value: str) -> list[str]:
    """An argparse type: comma-separated label names, each one of the taxonomy's."""
    labels = [x.strip() for x in value.split(",") if x.strip()]
    unknown = [x for x in labels if x not in LABEL_NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown label(s) {', '.join(unknown)}; see `forewarn labels`")
    return labels


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``library`` command and its subcommands to an argparse subparsers object."""
    library = subparsers.add_parser(
        "library",
        help="keep many works scanned in one library file: add, list, show, remove, export",
        description="A library index: works scanned once (again only when they or forewarn change), "
        "kept in one SQLite file, listed, searched and filtered by your profile.",
    )
    commands = library.add_subparsers(
        dest="library_command", required=True, metavar="SUBCOMMAND", help="what to do with the library"
    )
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"the library file (default: {library_path()})",
    )

    a = commands.add_parser(
        "add",
        parents=[db],
        help="scan stories into the library (new or changed ones only)",
        description="Scan story files, folders (recursively), globs and Calibre libraries into the "
        "library. A work already there with the same bytes is not scanned again unless forewarn's "
        "detectors changed; an unreadable file is recorded (list --errors) and the run goes on.",
    )
    a.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="story files, folders (searched recursively for .txt, .html, .epub ...), globs "
        "('fics/**/*.epub'), or Calibre library folders",
    )
    a.add_argument(
        "--calibre",
        action="append",
        default=[],
        metavar="LIBRARY",
        help="a Calibre library folder (read-only; each book in its best format); may be repeated",
    )
    a.add_argument(
        "--no-who",
        action="store_true",
        help="skip characters, relationships and fandom (faster; no Major Character Death)",
    )
    a.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / 2**20,
        metavar="MB",
        help="refuse files larger than this (default %(default)g MB)",
    )
    a.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")

    ls = commands.add_parser(
        "list",
        parents=[db],
        help="list the works (spoiler-safe), or the files that could not be indexed",
        description="List the works with their warnings as 'label (severity)'; no passages, no names "
        "of who dies. With --profile, works your profile hides are left out (and counted) and the "
        "labels it folds are collapsed; without it, nothing is hidden.",
    )
    ls.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    ls.add_argument("--errors", action="store_true", help="list the files that could not be indexed instead")
    ls.add_argument(
        "--search",
        metavar="QUERY",
        help="full-text search of title, author, fandom, tags and summary (SQLite FTS5: words, "
        '"a phrase", fandom:naruto, angst OR fluff)',
    )
    ls.add_argument(
        "--label",
        type=label_list,
        action="append",
        default=[],
        metavar="LABEL[,LABEL...]",
        help="only works warned for these labels (all of them); may be repeated",
    )
    ls.add_argument(
        "--profile",
        metavar="FILE",
        help="judge the works by this reader profile (TOML); 'default' for your default profile "
        "(profile.toml in forewarn's config folder)",
    )
    ls.add_argument(
        "--show-hidden",
        action="store_true",
        help="with --profile, list the works it hides too, with the reason",
    )

    sh = commands.add_parser(
        "show",
        parents=[db],
        help="one work's stored report, as `forewarn scan` shows it",
        description="Show one work's stored report. Passages are not stored: --show-passages tells "
        "how to re-scan the work to see them.",
    )
    sh.add_argument("id", metavar="ID", help="the work's id (the start of its hash, as `list` shows it)")
    sh.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    sh.add_argument(
        "--show-passages",
        action="store_true",
        help="passages are not kept in the library: say how to re-scan the work for them",
    )

    rm = commands.add_parser(
        "remove",
        parents=[db],
        help="forget works (the files are not touched)",
        description="Remove works from the library by id; the story files themselves are not touched. "
        "Every id is checked first: if one is unknown, nothing is removed.",
    )
    rm.add_argument("ids", nargs="+", metavar="ID", help="work ids (or unambiguous starts of them)")

    ex = commands.add_parser(
        "export",
        parents=[db],
        help="write every work as JSON lines or CSV",
        description="Export the library: jsonl (one stored report a line, with id, hash and paths) or "
        "csv (the listing columns). Spoiler-safe: no passages were stored.",
    )
    ex.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help="output format")
    ex.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of standard output")


# --- progress -------------------------------------------------------------------------------


class _Rate(ProgressColumn):
    """Works per second (rich's own speed columns speak bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} works/s", style="progress.data.speed")


class _Bar:
    """The library's progress callback drawn as a rich progress bar on standard error."""

    def __init__(self, console: Console) -> None:
        self.progress = progress_bar(console, "indexing", _Rate(), "counts")
        self.task = self.progress.add_task("indexing", total=None, counts="")
        self.counts = {"scanned": 0, "unchanged": 0, "error": 0}

    def start(self, total: int) -> None:
        self.progress.update(self.task, total=total)
        self.progress.start()

    def advance(self, step: Step) -> None:
        self.counts[step.outcome] += 1
        counts = ", ".join(
            f"{n} {k}{'s' if k == 'error' and n != 1 else ''}" for k, n in self.counts.items() if n
        )
        self.progress.update(self.task, advance=1, counts=counts)
        if step.fresh:
            self.progress.console.print(f"forewarn: error: {step.path}: {step.problem}", highlight=False)

    def stop(self) -> None:
        self.progress.stop()


class _Plain:
    """No bar (not a terminal, or --quiet): only the new errors, one line each."""

    def start(self, total: int) -> None:
        pass

    def advance(self, step: Step) -> None:
        if step.fresh:
            print(f"forewarn: error: {step.path}: {step.problem}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        pass


# --- commands -------------------------------------------------------------------------------


def _cmd_add(args: argparse.Namespace, library: Library, out: Console) -> int:
    if not args.paths and not args.calibre:
        raise ForewarnError("nothing to add: give story files, folders, globs or --calibre LIBRARY")
    err = Console(stderr=True)
    progress: _Bar | _Plain = _Bar(err) if err.is_terminal and not args.quiet else _Plain()
    try:
        summary = library.add(
            args.paths,
            calibre=args.calibre,
            who=not args.no_who,
            max_bytes=int(args.max_mb * 2**20),
            progress=progress,
        )
    finally:
        progress.stop()
    if not args.quiet:
        out.print(_summary_line(summary, library.path), highlight=False, soft_wrap=True)
    return EXIT_USAGE if summary.errors else EXIT_OK


def _summary_line(summary: AddSummary, where: Path) -> str:
    rate = summary.total / summary.seconds if summary.seconds > 0 else 0.0
    errors = len(summary.errors)
    line = (
        f"{summary.total:,} files in {summary.seconds:.1f} s ({rate:.1f}/s): {summary.scanned:,} scanned, "
        f"{summary.unchanged:,} unchanged, {errors:,} error{'s' if errors != 1 else ''}"
    )
    if errors:
        line += " (forewarn library list --errors)"
    return f"{line}; library: {where}"


def _load_profile(name: str | None) -> Profile | None:
    if name is None:
        return None
    return load_profile(None if name == "default" else name)


def _cmd_list(args: argparse.Namespace, library: Library, out: Console) -> int:
    from forewarn.library.view import errors_table, works_table

    if args.errors:
        errors = library.errors()
        if args.format == "json":
            print(json.dumps({"errors": [e.to_dict() for e in errors]}, indent=2, ensure_ascii=False))
        elif errors:
            out.print(errors_table(errors))
        else:
            out.print("No errors: every file named so far was indexed.")
        return EXIT_OK
    profile = _load_profile(args.profile)
    labels = [label for group in args.label for label in group]
    rows = library.works(search=args.search, labels=labels)
    judged: list[tuple[WorkRow, Judgement | None]] = []
    hidden = 0
    for row in rows:
        judgement = profile.judge(library.report(row)) if profile else None
        if judgement and judgement.hidden:
            hidden += 1
            if not args.show_hidden:
                continue
        judged.append((row, judgement))
    if args.format == "json":
        works = [{**row.to_dict(), **({"profile": j.to_dict()} if j else {})} for row, j in judged]
        print(json.dumps({"works": works, "hidden": hidden}, indent=2, ensure_ascii=False))
        return EXIT_OK
    if judged:
        out.print(works_table(judged))
    shown = len(judged)
    filtered = args.search is not None or bool(labels)
    if not rows:
        out.print("No works match." if filtered else "No works yet: forewarn library add PATH…")
    else:
        match = (" matches" if shown == 1 else " match") if filtered else ""
        out.print(f"{shown:,} work{'s' if shown != 1 else ''}{match}", style="dim")
    if hidden:
        some = f"{hidden:,} work{'s' if hidden != 1 else ''}"
        if args.show_hidden:
            out.print(f"{some} hidden by your profile, listed with the reason", style="dim")
        else:
            out.print(f"{some} hidden by your profile; --show-hidden lists them with the reason", style="dim")
    return EXIT_OK


def _stored_dict(stored: StoredWork) -> dict[str, Any]:
    row = stored.row
    return {
        "id": row.id,
        "hash": row.hash,
        "paths": list(row.paths),
        "scanned_at": row.scanned_at,
        "report": stored.report,
    }


def _cmd_show(args: argparse.Namespace, library: Library, out: Console) -> int:
    from forewarn.library.view import stored_report

    stored = library.get(args.id)
    if args.format == "json":
        print(json.dumps(_stored_dict(stored), indent=2, ensure_ascii=False))
    else:
        out.print(stored_report(stored.row, stored.report, show_passages=args.show_passages))
    return EXIT_OK


def _cmd_remove(args: argparse.Namespace, library: Library, out: Console) -> int:
    for row in library.remove(args.ids):
        out.print(f"removed {row.id}  {row.title}", highlight=False)
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, library: Library, out: Console) -> int:
    if args.output is None:
        library.export(args.format, sys.stdout)
        return EXIT_OK
    with open(args.output, "w", encoding="utf-8", newline="") as handle:
        count = library.export(args.format, handle)
    print(f"forewarn: wrote {count:,} works to {args.output}", file=sys.stderr)
    return EXIT_OK


_COMMANDS = {
    "add": _cmd_add,
    "list": _cmd_list,
    "show": _cmd_show,
    "remove": _cmd_remove,
    "export": _cmd_export,
}


def run(args: argparse.Namespace, out: Console) -> int:
    """Run a parsed ``forewarn library …`` command; library problems become one line and exit 2."""
    from forewarn.library import Library

    try:
        with Library(args.db, create=args.library_command == "add") as library:
            return _COMMANDS[args.library_command](args, library, out)
    except BrokenPipeError:
        raise  # the reader of our output went away: the caller ends quietly (cli.main)
    except (ForewarnError, OSError, sqlite3.Error) as error:
        print(f"forewarn: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        # Every finished work is committed: the same command carries on from here.
        print("forewarn: interrupted; run the same command again to finish", file=sys.stderr)
        return EXIT_INTERRUPTED


def main(argv: Sequence[str] | None = None) -> int:
    """``forewarn library …`` alone (for tests and ``python -m forewarn.cli_library library …``)."""
    return standalone("forewarn's library index.", add_parser, run, argv)


if __name__ == "__main__":
    sys.exit(main())
