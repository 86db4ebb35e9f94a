"""Report -> a readable table for a person at a terminal (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from forewarn.labels import BY_NAME
from forewarn.model import Report, Verdict, word_count


def _where(report: Report, v: Verdict) -> str:
    if v.first_chapter is None:
        return ""
    chapters = report.work.chapters
    place = f"ch. {v.first_chapter + 1}" if len(chapters) > 1 else ""
    percent = f"{v.first_percent:.0f}% in" if v.first_percent is not None else ""
    return ", ".join(x for x in (place, percent) if x)


def chapter_strip(report: Report) -> str:
    """The chapters that hold a warning, for a reader who skips one: "ch 3: self-harm (graphic) ·
    ch 7: death" (chapters from 1; severity shown unless depicted; runs of chapters that hold the
    same warnings merged: "ch 4–6: violence"). Empty for a work of one chapter or none warned."""
    if len(report.work.chapters) < 2:
        return ""
    runs: list[tuple[int, int, str]] = []  # first chapter, last chapter (from 1), what they hold
    for chapter in report.chapters:
        held = ", ".join(
            BY_NAME[v.label].title.lower() + ("" if v.severity == "depicted" else f" ({v.severity})")
            for v in chapter.warnings
        )
        if not held:
            continue
        number = chapter.index + 1
        if runs and runs[-1][1] == number - 1 and runs[-1][2] == held:
            runs[-1] = (runs[-1][0], number, held)
        else:
            runs.append((number, number, held))
    return " · ".join(
        f"ch {first}: {held}" if first == last else f"ch {first}–{last}: {held}" for first, last, held in runs
    )


_STANCE = {
    "warned": "",
    "no-warnings-apply": "No Archive Warnings Apply (a claim forewarn checks)",
    "chose-not-to-warn": "Creator Chose Not To Use Archive Warnings (unknown)",
    "none": "",
}


def _declared_lines(report: Report) -> list[RenderableType]:
    """Declared beside detected, what the reader was not told first."""
    if report.warning_stance == "none" and not report.declared_labels:
        return []
    warnings = ", ".join(report.work.declared.archive_warnings) if report.warning_stance == "warned" else ""
    labels = ", ".join(BY_NAME[x].title for x in report.declared_labels if x in BY_NAME)
    parts = (
        _STANCE.get(report.warning_stance, ""),
        warnings,
        f"labels from tags and notes: {labels}" if labels else "",
    )
    said = "; ".join(x for x in parts if x) or "none"
    lines: list[RenderableType] = [Text.assemble(("Declared: ", "bold"), said)]
    by_status: dict[str, list[str]] = {}
    for label, status in report.comparison:
        by_status.setdefault(status, []).append(BY_NAME[label].title if label in BY_NAME else label)
    for name, status in report.archive_comparison:
        by_status.setdefault(status, []).append(name)
    for status, style in (("detected-only", "bold red"), ("both", ""), ("declared-only", "dim")):
        if by_status.get(status):
            title = {
                "detected-only": "Detected, not declared",
                "both": "Declared and detected",
                "declared-only": "Declared, not detected",
            }[status]
            lines.append(Text.assemble((f"{title}: ", style or "bold"), ", ".join(by_status[status])))
    return lines


def _who_lines(report: Report) -> list[RenderableType]:
    who = report.who
    if who is None:
        return []
    lines: list[RenderableType] = []
    if who.fandom:
        lines.append(Text.assemble(("Fandom: ", "bold"), f"{who.fandom.name} ({who.fandom.confidence:.2f})"))
    if who.characters:
        names = [c.name for c in who.characters[:8]]
        more = len(who.characters) - len(names)
        lines.append(
            Text.assemble(("Characters: ", "bold"), ", ".join(names) + (f" (+{more})" if more else ""))
        )
    if who.relationships:
        lines.append(
            Text.assemble(
                ("Relationships: ", "bold"),
                ", ".join(f"{r.name} ({r.kind}, {r.confidence:.2f})" for r in who.relationships[:5]),
            )
        )
    return lines


def render_report(
    report: Report, *, show_passages: bool = False, show_mentions: bool = False
) -> RenderableType:
    """One work: declared beside detected, the warning list, mentions folded into one line
    (``show_mentions``: listed in the table too), the chapters that hold a warning (``chapter_strip``),
    who is in it; passages only with ``show_passages``."""
    work = report.work
    heading = Text(work.title or work.source.path or "<text>", style="bold")
    words = word_count(work.text)
    chapters = len(work.chapters)
    heading.append(
        f"  ({work.source.format}, {words:,} words, {chapters} chapter{'s' if chapters != 1 else ''})",
        style="dim",
    )
    parts: list[RenderableType] = [heading]
    if work.source.notes:
        parts.append(Text("note: " + "; ".join(work.source.notes), style="yellow"))

    parts.extend(_declared_lines(report))
    archive = ", ".join(f"{a.name} ({a.confidence:.2f})" for a in report.archive_warnings) or "none"
    parts.append(Text.assemble(("AO3 Archive Warnings detected: ", "bold"), archive))

    warnings = report.warnings
    shown = [*warnings, *report.mentions] if show_mentions else list(warnings)
    if not warnings:
        parts.append(Text("No content warnings detected."))
    if shown:
        table = Table(show_edge=False, pad_edge=False)
        has_declarations = report.warning_stance != "none" or bool(report.declared_labels)
        columns = ["Warning", "Confidence", "Severity", "Passages", "First seen"]
        for column in [*columns, "Declared"] if has_declarations else columns:
            table.add_column(column, justify="right" if column in ("Confidence", "Passages") else "left")
        for v in shown:
            mention = v.tier == "mention"
            row: list[str | Text] = [
                Text(BY_NAME[v.label].title, style="dim" if mention else ""),
                f"{v.confidence:.2f}",
                "mentioned only" if mention else v.severity,
                str(v.passages),
                _where(report, v),
            ]
            if has_declarations:
                row.append(
                    "yes" if v.declared else Text("not declared", style="dim" if mention else "bold red")
                )
            table.add_row(*row)
        parts.append(table)
    if report.mentions and not show_mentions:
        folded = ", ".join(BY_NAME[v.label].title.lower() for v in report.mentions)
        parts.append(Text.assemble(("Also mentioned: ", "dim bold"), (folded, "dim")))
    strip = chapter_strip(report)
    if strip:
        parts.append(Text.assemble(("Chapters: ", "bold"), strip))
    parts.extend(_who_lines(report))

    if show_passages:
        for a in report.archive_warnings:
            if a.characters:
                parts.append(Text(f"{a.name}: {', '.join(a.characters)}", style="bold red"))
        for v in shown:
            for e in v.evidence:
                where = f"ch. {e.chapter + 1}, " if chapters > 1 else ""
                parts.append(
                    Text.assemble(
                        (f"[{BY_NAME[v.label].title}] ", "bold"),
                        (f"({where}chars {e.start}-{e.end}) ", "dim"),
                        " ".join(e.text.split()),
                    )
                )
    elif shown:
        parts.append(
            Text("Passages and who is involved are hidden (spoilers): add --show-passages.", style="dim")
        )
    return Group(*parts)


def print_reports(
    reports: list[Report], console: Console, *, show_passages: bool = False, show_mentions: bool = False
) -> None:
    for i, report in enumerate(reports):
        if i:
            console.print()
        console.print(render_report(report, show_passages=show_passages, show_mentions=show_mentions))


def print_works_evaluation(result: dict[str, Any], console: Console) -> None:
    """The figures of ``forewarn eval-works`` (``evaluate_works.evaluate_works``) as tables."""
    settings = result["settings"]
    how = f"{settings['cv']}-fold CV of the work-level model" if settings["cv"] else "shipped model"
    micro = result["micro"]
    console.print(
        Text.assemble(
            (f"{settings['records']}: {result['works']} works, {how}. ", "bold"),
            f"warn tier micro P {micro['precision']:.3f} R {micro['recall']:.3f} F1 {micro['f1']:.3f}"
            f" (tp {micro['tp']}, fp {micro['fp']}, fn {micro['fn']}); macro F1 {result['macro_f1']:.3f}",
        )
    )
    table = Table(title="per label (warn tier)", show_edge=False)
    for column in ("label", "tp", "fp", "fn", "P", "R", "F1"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, f in result["labels"].items():
        table.add_row(
            label,
            *(str(f[k]) for k in ("tp", "fp", "fn")),
            *(f"{f[k]:.2f}" for k in ("precision", "recall", "f1")),
        )
    console.print(table)
    table = Table(title="AO3 Archive Warnings", show_edge=False)
    for column in ("warning", "tp", "fp", "fn", "P", "R"):
        table.add_column(column, justify="left" if column == "warning" else "right")
    for name, f in result["archive_warnings"].items():
        table.add_row(
            name, *(str(f[k]) for k in ("tp", "fp", "fn")), f"{f['precision']:.2f}", f"{f['recall']:.2f}"
        )
    console.print(table)
    none = result["archive_where_gold_has_none"]
    console.print(
        f"Archive Warning on a work whose gold has none: {len(none)}"
        + (f" ({', '.join(none)})" if none else "")
    )
    who = result["who_dies"]
    console.print(
        f"who dies: P {who['precision']:.2f} R {who['recall']:.2f}"
        f" (tp {who['tp']}, fp {who['fp']}, fn {who['fn']})"
    )
    table = Table(title="warnings per work by length (words)", show_edge=False)
    for column in ("length", "works", "gold/work", "found/work", "ratio"):
        table.add_column(column, justify="left" if column == "length" else "right")
    for b in result["length"]:
        ratio = "" if b["ratio"] is None else f"{b['ratio']:.2f}"
        table.add_row(
            b["bucket"], str(b["works"]), f"{b['gold_per_work']:.2f}", f"{b['found_per_work']:.2f}", ratio
        )
    table.add_row(
        "all", str(result["works"]), f"{result['per_work_gold']:.2f}", f"{result['per_work_found']:.2f}", ""
    )
    console.print(table)
    console.print(f"r with log words: found {result['r_found_log_words']}, gold {result['r_gold_log_words']}")
    for problem in result["errors"]:
        console.print(Text(f"unreadable: {problem['path']}: {problem['problem']}", style="yellow"))
