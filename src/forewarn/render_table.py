"""Report -> a readable table for a person at a terminal (rich)."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from forewarn.labels import BY_NAME
from forewarn.model import Report, Verdict


def _where(report: Report, v: Verdict) -> str:
    if v.first_chapter is None:
        return ""
    chapters = report.work.chapters
    place = f"ch. {v.first_chapter + 1}" if len(chapters) > 1 else ""
    percent = f"{v.first_percent:.0f}% in" if v.first_percent is not None else ""
    return ", ".join(x for x in (place, percent) if x)


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


def render_report(report: Report, *, show_passages: bool = False) -> RenderableType:
    work = report.work
    heading = Text(work.title or work.source.path or "<text>", style="bold")
    words = len(work.text.split())
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
    if not warnings:
        parts.append(Text("No content warnings detected."))
    else:
        table = Table(show_edge=False, pad_edge=False)
        has_declarations = report.warning_stance != "none" or bool(report.declared_labels)
        columns = ["Warning", "Confidence", "Severity", "Passages", "First seen"]
        for column in [*columns, "Declared"] if has_declarations else columns:
            table.add_column(column, justify="right" if column in ("Confidence", "Passages") else "left")
        for v in warnings:
            row: list[str | Text] = [
                BY_NAME[v.label].title,
                f"{v.confidence:.2f}",
                v.severity,
                str(v.passages),
                _where(report, v),
            ]
            if has_declarations:
                row.append("yes" if v.declared else Text("not declared", style="bold red"))
            table.add_row(*row)
        parts.append(table)
    parts.extend(_who_lines(report))

    if show_passages:
        for a in report.archive_warnings:
            if a.characters:
                parts.append(Text(f"{a.name}: {', '.join(a.characters)}", style="bold red"))
        for v in warnings:
            for e in v.evidence:
                where = f"ch. {e.chapter + 1}, " if chapters > 1 else ""
                parts.append(
                    Text.assemble(
                        (f"[{BY_NAME[v.label].title}] ", "bold"),
                        (f"({where}chars {e.start}-{e.end}) ", "dim"),
                        " ".join(e.text.split()),
                    )
                )
    elif warnings:
        parts.append(
            Text("Passages and who is involved are hidden (spoilers): add --show-passages.", style="dim")
        )
    return Group(*parts)


def print_reports(reports: list[Report], console: Console, *, show_passages: bool = False) -> None:
    for i, report in enumerate(reports):
        if i:
            console.print()
        console.print(render_report(report, show_passages=show_passages))
