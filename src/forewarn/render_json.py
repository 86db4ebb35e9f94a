"""Report -> plain dict for JSON (the contract other tools rely on; see README "JSON output")."""

from __future__ import annotations

from typing import Any

from forewarn.labels import BY_NAME
from forewarn.model import Report, Verdict, Work, word_count
from forewarn.who import who_to_dict


def _chapters(report: Report) -> list[dict[str, Any]]:
    """Every chapter with what it holds of the work's warnings and mentions (spoiler-free: labels,
    severities and confidences only; the passages themselves name their chapter in ``evidence``)."""
    verdicts = {c.index: c for c in report.chapters}
    result = []
    for index, c in enumerate(report.work.chapters):
        held = verdicts.get(index)
        result.append(
            {
                "index": index + 1,
                "title": c.title,
                "start": c.start,
                "end": c.end,
                "warnings": [
                    {"label": v.label, "severity": v.severity, "confidence": v.confidence}
                    for v in (held.warnings if held else ())
                ],
                "mentions": [
                    {"label": v.label, "confidence": v.confidence} for v in (held.mentions if held else ())
                ],
            }
        )
    return result


def _position(work: Work, chapter: int | None) -> dict[str, Any] | None:
    if chapter is None:
        return None
    return {"index": chapter + 1, "title": work.chapters[chapter].title if work.chapters else ""}


def _verdict(work: Work, v: Verdict, show_passages: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "label": v.label,
        "name": BY_NAME[v.label].title,
        "group": BY_NAME[v.label].group,
        "tier": v.tier,
        "confidence": v.confidence,
        "presence": v.presence,
        "severity": v.severity,
        "passages": v.passages,
        "first_chapter": _position(work, v.first_chapter),
        "first_percent": v.first_percent,
        "declared": v.declared,
    }
    if v.label in ("death", "dying"):
        # Who dies is a spoiler: the names come only with the passages.
        entry["characters"] = list(v.characters) if show_passages else []
    if show_passages:
        entry["evidence"] = [
            {
                "start": e.start,
                "end": e.end,
                "text": e.text,
                "chapter": e.chapter + 1,
                "score": e.score,
                "severity": e.severity,
            }
            for e in v.evidence
        ]
    return entry


def _who(report: Report, show_passages: bool) -> dict[str, Any]:
    if report.who is None:
        return {"characters": None, "relationships": None, "fandom": None}
    who: dict[str, Any] = who_to_dict(report.who)
    who.pop("deaths")
    # Who dies is a spoiler: like the passages, it is shown only when asked for.
    who["who_dies"] = who["who_dies"] if show_passages else []
    if not show_passages:
        for relationship in who["relationships"]:
            relationship.pop("evidence")
    return who


def report_to_dict(report: Report, *, show_passages: bool = False) -> dict[str, Any]:
    """The JSON object for one work. Chapters are numbered from 1 here, as readers count them."""
    work = report.work
    d = work.declared
    source: dict[str, Any] = {
        "path": work.source.path,
        "format": work.source.format,
        "notes": list(work.source.notes),
    }
    if work.source.calibre_id is not None:
        source["calibre_id"] = work.source.calibre_id
    return {
        "schema": report.schema,
        "source": source,
        # Passages and who dies are spoilers: without --show-passages their lists are left empty.
        "spoilers_hidden": not show_passages,
        "title": work.title,
        "author": work.author,
        "words": word_count(work.text),
        "detectors": list(report.detectors),
        "warnings": [_verdict(work, v, show_passages) for v in report.warnings],
        # Folded apart: what the text only mentions in passing (WARNINGS.md "mention").
        "mentions": [_verdict(work, v, show_passages) for v in report.mentions],
        "archive_warnings": [
            {
                "name": a.name,
                "confidence": a.confidence,
                "because": list(a.because),
                "characters": list(a.characters) if show_passages else [],
                "declared": a.declared,
            }
            for a in report.archive_warnings
        ],
        "declared": {
            "rating": d.rating,
            "archive_warnings": list(d.archive_warnings),
            "categories": list(d.categories),
            "fandoms": list(d.fandoms),
            "relationships": list(d.relationships),
            "characters": list(d.characters),
            "additional_tags": list(d.additional_tags),
            "summary": d.summary,
            "extra": dict(d.extra),
            "labels": list(report.declared_labels),
            "stance": report.warning_stance,
        },
        "declared_vs_detected": [{"label": label, "status": status} for label, status in report.comparison],
        "archive_declared_vs_detected": [
            {"name": name, "status": status} for name, status in report.archive_comparison
        ],
        **_who(report, show_passages),
        "chapters": _chapters(report),
    }
