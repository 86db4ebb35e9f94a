"""Stored works -> rich renderables for a person: the library list and one work's report.

The library keeps report dicts, not Report objects (no text, no passages), so ``show`` reads the
dict; it follows ``render_table.render_report`` line for line, minus what was never stored.
Spoiler-safe throughout: no passages, no names of who dies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from forewarn.labels import BY_NAME
from forewarn.library.store import ErrorRow, WorkRow
from forewarn.profile import Judgement, describe

_STANCE = {
    "no-warnings-apply": "No Archive Warnings Apply (a claim forewarn checks)",
    "chose-not-to-warn": "Creator Chose Not To Use Archive Warnings (unknown)",
}
_STATUS_TITLES = (
    ("detected-only", "Detected, not declared", "bold red"),
    ("both", "Declared and detected", "bold"),
    ("declared-only", "Declared, not detected", "dim"),
)


def _title(label: str) -> str:
    return BY_NAME[label].title if label in BY_NAME else label


def warnings_cell(row: WorkRow, judgement: Judgement | None = None) -> Text:
    """ "violence (graphic), blood (depicted)", with what the profile folds or hides said after."""
    folded = judgement.folded if judgement else frozenset()
    shown = [f"{w['label']} ({w['severity']})" for w in row.warnings if w["label"] not in folded]
    cell = Text(", ".join(shown))
    said = describe(judgement) if judgement else ""
    if said:
        cell.append(("\n" if shown else "") + said, style="red" if judgement and judgement.hidden else "dim")
    return cell


def works_table(rows: Sequence[tuple[WorkRow, Judgement | None]]) -> Table:
    """The library list: id, title, author, fandom, words, warnings."""
    table = Table(show_edge=False, pad_edge=False, expand=True)
    table.add_column("ID", no_wrap=True, style="dim")
    # Room goes to the warnings, what the list is for; long names wrap within their cap.
    table.add_column("Title", ratio=3, max_width=32)
    table.add_column("Author", ratio=2, max_width=16)
    table.add_column("Fandom", ratio=2, max_width=20)
    table.add_column("Words", justify="right", no_wrap=True)
    table.add_column("Warnings", ratio=6)
    for row, judgement in rows:
        table.add_row(
            row.id,
            row.title,
            row.author,
            row.fandom,
            f"{row.words:,}",
            warnings_cell(row, judgement),
            style="dim" if judgement and judgement.hidden else None,
        )
    return table


def errors_table(errors: Sequence[ErrorRow]) -> Table:
    table = Table(show_edge=False, pad_edge=False)
    for column in ("Path", "Problem", "Seen"):
        table.add_column(column)
    for error in errors:
        table.add_row(error.path, error.problem, error.seen_at)
    return table


def _declared_lines(report: Mapping[str, Any]) -> list[RenderableType]:
    """Declared beside detected, what the reader was not told first (as ``forewarn scan``)."""
    declared = report.get("declared") or {}
    stance = declared.get("stance", "none")
    labels = [_title(x) for x in declared.get("labels", [])]
    if stance == "none" and not labels:
        return []
    parts = (
        _STANCE.get(stance, ""),
        ", ".join(declared.get("archive_warnings", [])) if stance == "warned" else "",
        f"labels from tags and notes: {', '.join(labels)}" if labels else "",
    )
    lines: list[RenderableType] = [
        Text.assemble(("Declared: ", "bold"), "; ".join(x for x in parts if x) or "none")
    ]
    by_status: dict[str, list[str]] = {}
    for entry in report.get("declared_vs_detected", []):
        by_status.setdefault(entry["status"], []).append(_title(entry["label"]))
    for entry in report.get("archive_declared_vs_detected", []):
        by_status.setdefault(entry["status"], []).append(entry["name"])
    for status, title, style in _STATUS_TITLES:
        if by_status.get(status):
            lines.append(Text.assemble((f"{title}: ", style), ", ".join(by_status[status])))
    return lines


def _where(verdict: Mapping[str, Any], chapters: int) -> str:
    first = verdict.get("first_chapter")
    if not first:
        return ""
    place = f"ch. {first['index']}" if chapters > 1 else ""
    percent = verdict.get("first_percent")
    return ", ".join(x for x in (place, f"{percent:.0f}% in" if percent is not None else "") if x)


def _warning_table(report: Mapping[str, Any], chapters: int) -> Table:
    shown = report.get("warnings", [])
    has_declarations = (report.get("declared") or {}).get("stance", "none") != "none" or bool(
        (report.get("declared") or {}).get("labels")
    )
    table = Table(show_edge=False, pad_edge=False)
    columns = ["Warning", "Confidence", "Severity", "Passages", "First seen"]
    for column in [*columns, "Declared"] if has_declarations else columns:
        table.add_column(column, justify="right" if column in ("Confidence", "Passages") else "left")
    for v in shown:
        row: list[str | Text] = [
            _title(v["label"]),
            f"{v['confidence']:.2f}",
            v["severity"],
            str(v["passages"]),
            _where(v, chapters),
        ]
        if has_declarations:
            row.append("yes" if v.get("declared") else Text("not declared", style="bold red"))
        table.add_row(*row)
    return table


def _chapter_strip(report: Mapping[str, Any]) -> str:
    """The chapters that hold a warning, when the stored dict says so (newer reports do)."""
    chapters = report.get("chapters") or []
    if len(chapters) < 2:
        return ""
    held = []
    for chapter in chapters:
        warned = chapter.get("warnings") if isinstance(chapter, Mapping) else None
        if warned:
            names = ", ".join(
                _title(w["label"]).lower()
                + ("" if w.get("severity") == "depicted" else f" ({w['severity']})")
                for w in warned
            )
            held.append(f"ch {chapter.get('index', '?')}: {names}")
    return " · ".join(held)


def _who_lines(report: Mapping[str, Any]) -> list[RenderableType]:
    lines: list[RenderableType] = []
    fandom = report.get("fandom")
    if fandom:
        lines.append(Text.assemble(("Fandom: ", "bold"), f"{fandom['name']} ({fandom['confidence']:.2f})"))
    characters = report.get("characters") or []
    if characters:
        names = [c["name"] for c in characters[:8]]
        more = len(characters) - len(names)
        lines.append(
            Text.assemble(("Characters: ", "bold"), ", ".join(names) + (f" (+{more})" if more else ""))
        )
    relationships = report.get("relationships") or []
    if relationships:
        text = ", ".join(f"{r['name']} ({r['kind']}, {r['confidence']:.2f})" for r in relationships[:5])
        lines.append(Text.assemble(("Relationships: ", "bold"), text))
    return lines


def stored_report(row: WorkRow, report: Mapping[str, Any], *, show_passages: bool = False) -> RenderableType:
    """One stored work as ``forewarn scan`` shows a work, with where and when it was indexed."""
    chapters = row.chapters
    heading = Text(row.title, style="bold")
    heading.append(
        f"  ({row.format}, {row.words:,} words, {chapters} chapter{'s' if chapters != 1 else ''})",
        style="dim",
    )
    parts: list[RenderableType] = [heading]
    parts.append(
        Text.assemble(
            ("id ", "dim"), row.id, (f"  scanned {row.scanned_at} by ", "dim"), " ".join(row.versions)
        )
    )
    for path in row.paths:
        parts.append(Text(path, style="dim"))
    notes = (report.get("source") or {}).get("notes") or []
    if notes:
        parts.append(Text("note: " + "; ".join(notes), style="yellow"))
    parts.extend(_declared_lines(report))
    archive = ", ".join(f"{a['name']} ({a['confidence']:.2f})" for a in report.get("archive_warnings", []))
    parts.append(Text.assemble(("AO3 Archive Warnings detected: ", "bold"), archive or "none"))
    if report.get("warnings"):
        parts.append(_warning_table(report, chapters))
    else:
        parts.append(Text("No content warnings detected."))
    mentions = report.get("mentions") or []
    if mentions:
        folded = ", ".join(_title(v["label"]).lower() for v in mentions)
        parts.append(Text.assemble(("Also mentioned: ", "dim bold"), (folded, "dim")))
    strip = _chapter_strip(report)
    if strip:
        parts.append(Text.assemble(("Chapters: ", "bold"), strip))
    parts.extend(_who_lines(report))
    where = row.paths[0] if row.paths else "PATH"
    if show_passages:
        parts.append(
            Text(
                "The library keeps no passages (they are spoilers, and text is not stored): re-scan to "
                f"see them: forewarn scan --show-passages '{where}'",
                style="yellow",
            )
        )
    elif report.get("warnings") or mentions:
        parts.append(
            Text("Passages and who is involved are hidden (spoilers): add --show-passages.", style="dim")
        )
    return Group(*parts)
