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

    archive = ", ".join(f"{a.name} ({a.confidence:.2f})" for a in report.archive_warnings) or "none"
    parts.append(Text.assemble(("AO3 Archive Warnings: ", "bold"), archive))

    warnings = report.warnings
    if not warnings:
        parts.append(Text("No content warnings detected."))
    else:
        table = Table(show_edge=False, pad_edge=False)
        for column in ("Warning", "Confidence", "Severity", "Passages", "First seen"):
            table.add_column(column, justify="right" if column in ("Confidence", "Passages") else "left")
        for v in warnings:
            table.add_row(
                BY_NAME[v.label].title, f"{v.confidence:.2f}", v.severity, str(v.passages), _where(report, v)
            )
        parts.append(table)

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
