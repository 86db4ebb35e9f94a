"""The command line: a thin shell over the library.

Exit codes: 0 done; 1 a ``--fail-on`` label was found; 2 usage error or an unreadable input
(the other inputs are still scanned and reported).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from forewarn import __version__, cli_batch, cli_library, cli_web
from forewarn.aggregate import COMBINATIONS, DEFAULT_COMBINATION
from forewarn.cli_shell import EXIT_FOUND, EXIT_OK, EXIT_USAGE, closed_pipe, set_up_logging
from forewarn.defaults import DEFAULT_MAX_BYTES
from forewarn.errors import BUGS, ForewarnError, UnreadableInputError
from forewarn.labels import LABELS
from forewarn.places import profile_path
from forewarn.profile import Judgement, Profile, describe, load_profile

# The scanning code (detectors, numpy, readers) loads when a command needs it, not for --help.
if TYPE_CHECKING:
    from forewarn.model import Report


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="forewarn",
        description="Tells a reader which content warnings a story deserves, and where each is earned.",
    )
    parser.add_argument("--version", action="version", version=f"forewarn {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what forewarn is doing")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", help="what to do")

    s = commands.add_parser(
        "scan",
        help="scan stories and report their content warnings",
        description="Scan stories and report their content warnings.",
    )
    s.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="story files (text, HTML, EPUB), Calibre library folders, or - for standard input",
    )
    s.add_argument(
        "--format",
        choices=("table", "json", "jsonl"),
        default="table",
        help="table (default, for people), json (one object per call), jsonl (one line per work)",
    )
    s.add_argument(
        "--show-passages",
        action="store_true",
        help="show the passages that earn each warning and who is involved (spoilers)",
    )
    s.add_argument(
        "--show-mentions",
        action="store_true",
        help="list what is only mentioned in passing in full (folded into one line by default)",
    )
    s.add_argument(
        "--fail-on",
        type=cli_library.label_list,
        default=[],
        metavar="LABEL[,LABEL...]",
        help="exit 1 when any of these labels is found",
    )
    s.add_argument("--exit-zero", action="store_true", help="exit 0 even when --fail-on labels are found")
    s.add_argument(
        "--no-who",
        action="store_true",
        help="skip characters, relationships and fandom (faster; no Major Character Death)",
    )
    s.add_argument(
        "--write-calibre",
        action="store_true",
        help="for a Calibre library, store detected labels in forewarn's own #cw_detected column "
        "(created by forewarn; a column you made is never written); needs calibre installed",
    )
    s.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / 2**20,
        metavar="MB",
        help="refuse files larger than this (default %(default)g MB)",
    )
    s.add_argument(
        "--profile",
        metavar="FILE",
        help="your reader profile (TOML: what to hide, fold or show); default: "
        f"{profile_path()} when it exists",
    )
    s.add_argument("--no-profile", action="store_true", help="ignore the reader profile")
    s.add_argument(
        "--unfold",
        action="store_true",
        help="show hidden works and folded warnings in full (the profile's reasons are still shown)",
    )

    ev = commands.add_parser(
        "eval",
        help="measure forewarn on labelled passages (JSON lines)",
        description="Measure forewarn on labelled passages: balanced accuracy, P/R/F1, balanced resamples.",
    )
    ev.add_argument("data", metavar="DATA.jsonl", help="labelled passages, one JSON object a line")
    ev.add_argument(
        "--gold",
        choices=("majority", "minority"),
        default="majority",
        help="positive when at least 2 of 3 votes say yes (majority, default) or at least 1 (minority)",
    )
    ev.add_argument(
        "--cv",
        type=int,
        default=0,
        metavar="K",
        help="K-fold cross-validation grouped by work_id, retraining the classifier in each fold",
    )
    ev.add_argument(
        "--detectors",
        choices=("all", "lexicon", "classifier"),
        default="all",
        help="measure the default combination (all) or one detector alone",
    )
    ev.add_argument(
        "--combination",
        choices=COMBINATIONS,
        default=DEFAULT_COMBINATION,
        help="how the classifier's score meets the lexicon's for its 8 labels (default %(default)s)",
    )
    ev.add_argument("--limit", type=int, default=None, metavar="N", help="use only the first N rows")
    ev.add_argument("--format", choices=("table", "json"), default="table", help="output format")

    tr = commands.add_parser(
        "train",
        help="train the passage classifier from labelled passages (needs scikit-learn)",
        description="Train the passage classifier (passage-clf.v2) from labelled passages.",
    )
    tr.add_argument("data", metavar="DATA.jsonl", help="labelled passages, one JSON object a line")
    tr.add_argument(
        "--out",
        default=".",
        metavar="DIR",
        help="folder to write passage-clf.v2.npz into (default: the current folder)",
    )

    ew = commands.add_parser(
        "eval-works",
        help="measure forewarn on whole works labelled under WARNINGS.md",
        description="Measure forewarn's warning lists on works labelled under WARNINGS.md: warn-tier "
        "precision/recall/F1 per label, Archive Warnings, who dies, warnings per work by length.",
    )
    ew.add_argument(
        "data",
        metavar="PATH",
        help="a JSON-lines file of WARNINGS.md records, or a folder holding one",
    )
    ew.add_argument(
        "--cv",
        type=int,
        default=0,
        metavar="K",
        help="K folds of works, the work-level model refitted without each fold (needs scikit-learn)",
    )
    ew.add_argument("--format", choices=("table", "json"), default="table", help="output format")

    tw = commands.add_parser(
        "train-works",
        help="fit the work-level model on works labelled under WARNINGS.md (needs scikit-learn)",
        description="Fit the work-level model (warn or not, per label of a work) on labelled works.",
    )
    tw.add_argument("data", metavar="PATH", help="a JSON-lines file of WARNINGS.md records, or a folder")
    tw.add_argument(
        "--out",
        default=".",
        metavar="DIR",
        help="folder to write work-level.v1.json into (default: the current folder)",
    )

    lab = commands.add_parser(
        "labels",
        help="list the warning labels forewarn knows",
        description="List the warning labels forewarn knows.",
    )
    lab.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    cli_library.add_parser(commands)
    cli_web.add_parser(commands)
    cli_batch.add_parser(commands)
    return parser


def _cmd_labels(args: argparse.Namespace, out: Console) -> int:
    if args.format == "json":
        rows = [
            {
                "label": x.name,
                "name": x.title,
                "description": x.description,
                "group": x.group,
                "archive_warning": x.archive_warning,
            }
            for x in LABELS
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    table = Table(show_edge=False)
    for column in ("Label", "Name", "Group", "AO3 Archive Warning", "Description"):
        table.add_column(column)
    for x in LABELS:
        table.add_row(x.name, x.title, x.group, x.archive_warning or "", x.description)
    out.print(table)
    return EXIT_OK


def _cmd_scan(args: argparse.Namespace, out: Console) -> int:
    from forewarn.api import read_stream, scan, scan_calibre_library, write_calibre_column
    from forewarn.model import SCHEMA_VERSION, Report
    from forewarn.readers.calibre import is_calibre_library

    try:
        _profile_of(args)  # a bad profile is an error before any scanning
    except ForewarnError as error:
        print(f"forewarn: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    reports: list[Report] = []
    errors: list[ForewarnError] = []
    max_bytes = int(args.max_mb * 2**20)
    who = not args.no_who
    for path in args.paths:
        results: list[Report | ForewarnError]
        try:
            if path == "-":
                results = [scan(read_stream(sys.stdin.buffer, name="-", max_bytes=max_bytes), who=who)]
            elif is_calibre_library(path):
                results = [*scan_calibre_library(path, max_bytes=max_bytes, who=who)]
            else:
                # Always a Path: a command-line argument names a file, never story text.
                results = [scan(Path(path), max_bytes=max_bytes, who=who)]
        except ForewarnError as error:
            results = [error]
        except BUGS as error:  # a bug on one input must not stop the batch: say so, go on
            problem = f"internal error, please report it: {type(error).__name__}: {error}"
            results = [UnreadableInputError(path, problem)]
        for result in results:
            if isinstance(result, ForewarnError):
                print(f"forewarn: error: {result}", file=sys.stderr, flush=True)
                errors.append(result)
                continue
            reports.append(result)
            if args.format == "jsonl":
                print(json.dumps(_judged(args, result)[0], ensure_ascii=False), flush=True)
        if args.write_calibre and is_calibre_library(path):
            try:
                written = write_calibre_column(path, [r for r in results if isinstance(r, Report)])
                print(f"forewarn: wrote #cw_detected for {written} book(s) of {path}", file=sys.stderr)
            except ForewarnError as error:
                print(f"forewarn: error: {error}", file=sys.stderr, flush=True)
                errors.append(error)

    if args.format == "json":
        dicts = [_judged(args, r)[0] for r in reports]
        problems = [
            {"path": getattr(e, "path", None), "problem": getattr(e, "problem", str(e))} for e in errors
        ]
        print(
            json.dumps(
                {"schema": SCHEMA_VERSION, "works": dicts, "errors": problems}, indent=2, ensure_ascii=False
            )
        )
    elif args.format == "table":
        profiled = not _profile_of(args).empty
        for i, report in enumerate(reports):
            if i:
                out.print()
            _print_judged(report, _judged(args, report)[1] if profiled else None, args, out)

    if errors:
        return EXIT_USAGE
    found = {v.label for r in reports for v in r.warnings} & set(args.fail_on)
    if found and not args.exit_zero:
        print(f"forewarn: found {', '.join(sorted(found))}", file=sys.stderr)
        return EXIT_FOUND
    return EXIT_OK


def _profile_of(args: argparse.Namespace) -> Profile:
    if args.no_profile:
        return Profile()
    if not hasattr(args, "loaded_profile"):
        args.loaded_profile = load_profile(args.profile)  # None: the default file, if any
    profile: Profile = args.loaded_profile
    return profile


def _judged(args: argparse.Namespace, report: Report) -> tuple[dict[str, Any], Judgement | None]:
    from forewarn.render_json import report_to_dict

    """The report's JSON object, with the reader profile's judgement in it, and the judgement
    (None without a profile). The profile reads the same object that is printed."""
    data = report_to_dict(report, show_passages=args.show_passages)
    profile = _profile_of(args)
    if profile.empty:
        return data, None
    judgement = profile.judge(data)
    data["profile"] = judgement.to_dict()
    return data, judgement


def _print_judged(
    report: Report, judgement: Judgement | None, args: argparse.Namespace, out: Console
) -> None:
    """One report as a table, as the reader's profile wants it: hidden, folded, or whole."""
    from forewarn.render_table import print_reports

    reason = describe(judgement) if judgement is not None else ""
    if judgement is not None and judgement.hidden and not args.unfold:
        title = report.work.title or report.work.source.path or "<text>"
        out.print(f"[bold]{escape(title)}[/bold]: {escape(reason)} (--unfold shows it)", soft_wrap=True)
        return
    shown = report
    if judgement is not None and judgement.folded and not args.unfold:
        folded = judgement.folded
        shown = replace(
            report,
            verdicts=tuple(v for v in report.verdicts if v.label not in folded),
            archive_warnings=tuple(a for a in report.archive_warnings if a.name not in folded),
        )
    print_reports([shown], out, show_passages=args.show_passages, show_mentions=args.show_mentions)
    if reason:
        out.print(escape(reason) + ("" if args.unfold else " (--unfold shows them)"), soft_wrap=True)


def _cmd_eval(args: argparse.Namespace, out: Console) -> int:
    from forewarn.evaluate import evaluate
    from forewarn.train import load_rows

    rows = load_rows(args.data, args.limit)
    result = evaluate(rows, detectors=args.detectors, gold=args.gold, cv=args.cv, rule=args.combination)
    if args.format == "json":
        print(json.dumps(result, indent=2))
        return EXIT_OK
    settings = result["settings"]
    how = f"{args.cv}-fold grouped CV" if args.cv and args.detectors != "lexicon" else "no retraining"
    table = Table(
        title=f"{args.data}: detectors={settings['detectors']}"
        + (f" ({settings['combination']})" if settings["combination"] else "")
        + f", gold={args.gold}, {how}, decision: score >= {settings['threshold']}",
        show_edge=False,
    )
    for column in ("warning", "n", "pos", "BA", "P", "R", "F1", "bal acc", "bal F1"):
        table.add_column(column, justify="left" if column == "warning" else "right")
    named = [*result["warnings"].items(), ("pooled", result["pooled"])]
    for name, f in named:
        table.add_row(
            name,
            str(f["n"]),
            str(f["positives"]),
            *(
                f"{f[key]:.3f}"
                for key in (
                    "balanced_accuracy",
                    "precision",
                    "recall",
                    "f1",
                    "balanced_accuracy_resampled",
                    "balanced_f1",
                )
            ),
        )
    out.print(table)
    return EXIT_OK


def _cmd_train(args: argparse.Namespace, out: Console) -> int:
    try:
        from forewarn.train import train_file

        path = train_file(args.data, args.out)
    except ImportError as error:
        raise ForewarnError(f"training needs scikit-learn: pip install 'forewarn[train]' ({error})") from None
    out.print(f"wrote {path}")
    return EXIT_OK


def _cmd_eval_works(args: argparse.Namespace, out: Console) -> int:
    from forewarn.evaluate_works import evaluate_works
    from forewarn.render_table import print_works_evaluation

    try:
        result = evaluate_works(args.data, cv=args.cv)
    except ImportError as error:
        raise ForewarnError(f"--cv needs scikit-learn: pip install 'forewarn[train]' ({error})") from None
    if args.format == "json":
        print(json.dumps(result, indent=2))
        return EXIT_OK
    print_works_evaluation(result, out)
    return EXIT_OK


def _cmd_train_works(args: argparse.Namespace, out: Console) -> int:
    try:
        from forewarn.evaluate_works import scan_records
        from forewarn.train_works import examples, fit, write_model

        scanned, errors = scan_records(args.data)
        pairs = [e for s in scanned for e in examples(s.record, s.gathered)]
        model = fit(pairs)
    except ImportError as error:
        raise ForewarnError(f"training needs scikit-learn: pip install 'forewarn[train]' ({error})") from None
    for unreadable in errors:
        print(f"forewarn: error: {unreadable}", file=sys.stderr)
    from forewarn.labelled_works import records_file

    path = write_model(model, records_file(args.data), len(pairs), args.out)
    out.print(f"wrote {path} ({len(scanned)} works, {len(pairs)} examples)")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        return closed_pipe()


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)  # exits 2 on usage errors, as argparse does
    set_up_logging(args.verbose)
    out = Console()
    if args.command == "labels":
        return _cmd_labels(args, out)
    if args.command == "library":
        return cli_library.run(args, out)
    if args.command == "serve":
        return cli_web.run(args, out)
    if args.command == "batch":
        return cli_batch.run(args, out)
    commands = {
        "eval": _cmd_eval,
        "train": _cmd_train,
        "eval-works": _cmd_eval_works,
        "train-works": _cmd_train_works,
    }
    if args.command in commands:
        try:
            return commands[args.command](args, out)
        except (ForewarnError, OSError) as error:
            print(f"forewarn: error: {error}", file=sys.stderr)
            return EXIT_USAGE
    return _cmd_scan(args, out)


if __name__ == "__main__":
    sys.exit(main())
