"""Report dicts -> what the templates show: plain values only, so that every piece of story text
reaches the page through Jinja2's autoescaping and nothing else.

Spoilers: a stored report has no passages and no names of who dies; a fresh scan
(``show_passages``) has them, and the templates keep each one closed until the reader opens it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from forewarn.labels import ARCHIVE_WARNINGS, BY_NAME
from forewarn.library import WorkRow
from forewarn.profile import SEVERITY_ORDER, Judgement, describe

_RANK = {s: i for i, s in enumerate(SEVERITY_ORDER)}
STANCES = {
    "warned": "The author chose Archive Warnings",
    "no-warnings-apply": "No Archive Warnings Apply (a claim forewarn checks)",
    "chose-not-to-warn": "Creator Chose Not To Use Archive Warnings (unknown)",
    "none": "No Archive Warnings given",
}
STATUS = {
    "detected-only": "detected, not declared",
    "both": "declared and detected",
    "declared-only": "declared, not detected",
}


def title_of(label: str) -> str:
    return BY_NAME[label].title if label in BY_NAME else label


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _strings(value: Any) -> list[str]:
    return [x for x in value if isinstance(x, str)] if isinstance(value, list) else []


def _items(value: Any) -> list[Mapping[str, Any]]:
    return [x for x in value if isinstance(x, Mapping)] if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class Badge:
    """A warning as a small label: the label, its severity, and whether the author declared it."""

    label: str
    title: str
    severity: str
    undeclared: bool

    @property
    def css(self) -> str:
        return f"sev-{self.severity}" if self.severity in _RANK else "sev-unknown"


def badges(row: WorkRow, judgement: Judgement | None) -> tuple[list[Badge], list[Badge]]:
    """The row's warnings as badges: (shown, folded by the profile)."""
    folded = judgement.folded if judgement else frozenset()
    shown: list[Badge] = []
    kept: list[Badge] = []
    undeclared = set(row.detected_only)
    for w in row.warnings:
        label = str(w.get("label", ""))
        badge = Badge(label, title_of(label), str(w.get("severity", "")), label in undeclared)
        (kept if label in folded else shown).append(badge)
    return shown, kept


def archive_badges(row: WorkRow, judgement: Judgement | None) -> tuple[list[Badge], list[Badge]]:
    folded = judgement.folded if judgement else frozenset()
    shown: list[Badge] = []
    kept: list[Badge] = []
    for name in row.archive_warnings:
        badge = Badge(name, name, "archive", name in row.detected_only)
        (kept if name in folded else shown).append(badge)
    return shown, kept


def reasons(judgement: Judgement | None) -> str:
    return describe(judgement) if judgement is not None else ""


@dataclass(slots=True)
class Verdict:
    label: str
    title: str
    severity: str
    confidence: float
    passages: int
    where: str
    declared: bool
    tier: str
    evidence: list[Mapping[str, Any]] = field(default_factory=list)  # only from a fresh scan
    who: list[str] = field(default_factory=list)  # who dies (death, dying): only from a fresh scan

    @property
    def css(self) -> str:
        return f"sev-{self.severity}" if self.severity in _RANK else "sev-unknown"


def _where(verdict: Mapping[str, Any], chapters: int) -> str:
    first = verdict.get("first_chapter")
    if not isinstance(first, Mapping):
        return ""
    place = f"ch. {first.get('index')}" if chapters > 1 else ""
    percent = verdict.get("first_percent")
    at = f"{percent:.0f}% in" if isinstance(percent, int | float) else ""
    return ", ".join(x for x in (place, at) if x)


def _verdicts(report: Mapping[str, Any], key: str, chapters: int) -> list[Verdict]:
    result = []
    for v in _items(report.get(key)):
        label = _text(v.get("label"))
        result.append(
            Verdict(
                label=label,
                title=title_of(label),
                severity=_text(v.get("severity")),
                confidence=float(v.get("confidence") or 0.0),
                passages=int(v.get("passages") or 0),
                where=_where(v, chapters),
                declared=v.get("declared") is True,
                tier=_text(v.get("tier")),
                evidence=list(_items(v.get("evidence"))),
                who=_strings(v.get("characters")),
            )
        )
    return result


@dataclass(slots=True)
class ChapterCell:
    index: int
    title: str
    severity: str  # the worst warning in it, "mention" for mentions only, "" for nothing
    warnings: list[str]  # "Violence (graphic)"
    mentions: list[str]

    @property
    def css(self) -> str:
        return f"sev-{self.severity}" if self.severity else "sev-none"

    @property
    def tip(self) -> str:
        held = ", ".join(self.warnings) or ("mentions only" if self.mentions else "nothing found")
        return f"Chapter {self.index}{': ' + self.title if self.title else ''} — {held}"


def chapter_strip(report: Mapping[str, Any]) -> list[ChapterCell]:
    cells: list[ChapterCell] = []
    for chapter in _items(report.get("chapters")):
        warnings = _items(chapter.get("warnings"))
        mentions = _items(chapter.get("mentions"))
        worst = max(warnings, key=lambda w: _RANK.get(_text(w.get("severity")), 0), default=None)
        severity = _text(worst.get("severity")) if worst else ("mention" if mentions else "")
        index = int(chapter.get("index") or len(cells) + 1)
        title = _text(chapter.get("title"))
        cells.append(
            ChapterCell(
                index=index,
                title="" if " ".join(title.split()).casefold() == f"chapter {index}" else title,
                severity=severity,
                warnings=[
                    f"{title_of(_text(w.get('label')))} ({_text(w.get('severity'))})" for w in warnings
                ],
                mentions=[title_of(_text(m.get("label"))) for m in mentions],
            )
        )
    return cells


@dataclass(slots=True)
class ArchiveLine:
    name: str
    detected: bool
    confidence: float
    because: list[str]
    declared: bool
    status: str
    who: list[str]  # for Major Character Death, from a fresh scan only


def archive_lines(report: Mapping[str, Any]) -> list[ArchiveLine]:
    """The four Archive Warnings: detected (and why) beside declared."""
    detected = {_text(a.get("name")): a for a in _items(report.get("archive_warnings"))}
    declared_meta = report.get("declared") if isinstance(report.get("declared"), Mapping) else {}
    assert isinstance(declared_meta, Mapping)
    declared = {x.casefold() for x in _strings(declared_meta.get("archive_warnings"))}
    status = {
        _text(x.get("name")): _text(x.get("status"))
        for x in _items(report.get("archive_declared_vs_detected"))
    }
    lines = []
    for name in ARCHIVE_WARNINGS:
        found = detected.get(name)
        is_declared = name.casefold() in declared or bool(found and found.get("declared") is True)
        if found is None and not is_declared:
            continue
        lines.append(
            ArchiveLine(
                name=name,
                detected=found is not None,
                confidence=float(found.get("confidence") or 0.0) if found else 0.0,
                because=[title_of(x) for x in _strings(found.get("because"))] if found else [],
                declared=is_declared,
                status=STATUS.get(status.get(name, ""), ""),
                who=_strings(found.get("characters")) if found else [],
            )
        )
    return lines


@dataclass(slots=True)
class WorkView:
    """Everything the work page shows of one report."""

    title: str
    author: str
    fandom: str
    words: int
    chapters: int
    format: str
    rating: str
    stance: str
    summary: str
    tags: list[tuple[str, list[str]]]  # (kind, names)
    declared_labels: list[str]
    comparison: list[tuple[str, list[str]]]  # (status, label titles)
    warnings: list[Verdict]
    folded: list[Verdict]  # warnings the profile folds
    mentions: list[Verdict]
    archive: list[ArchiveLine]
    strip: list[ChapterCell]
    characters: list[Mapping[str, Any]]
    relationships: list[Mapping[str, Any]]
    who_dies: list[str]
    notes: list[str]
    spoilers: bool  # the report holds passages and who dies (a fresh scan)

    @property
    def has_evidence(self) -> bool:
        return any(v.evidence for v in (*self.warnings, *self.folded, *self.mentions))


def work_view(report: Mapping[str, Any], judgement: Judgement | None, row: WorkRow | None = None) -> WorkView:
    """The work page's view of a report dict (stored, or fresh with passages)."""
    meta = report.get("declared") if isinstance(report.get("declared"), Mapping) else {}
    assert isinstance(meta, Mapping)
    chapters = len(_items(report.get("chapters"))) or (row.chapters if row else 1)
    folded = judgement.folded if judgement else frozenset()
    warnings = _verdicts(report, "warnings", chapters)
    detected_fandom = report.get("fandom")
    fandom = ", ".join(_strings(meta.get("fandoms")))
    if not fandom and isinstance(detected_fandom, Mapping):
        fandom = f"{_text(detected_fandom.get('name'))} (recognised by forewarn)"
    by_status: dict[str, list[str]] = {}
    for entry in _items(report.get("declared_vs_detected")):
        by_status.setdefault(_text(entry.get("status")), []).append(title_of(_text(entry.get("label"))))
    for entry in _items(report.get("archive_declared_vs_detected")):
        by_status.setdefault(_text(entry.get("status")), []).append(_text(entry.get("name")))
    source = report.get("source") if isinstance(report.get("source"), Mapping) else {}
    assert isinstance(source, Mapping)
    tag_kinds = (
        ("Archive Warnings", "archive_warnings"),
        ("Categories", "categories"),
        ("Relationships", "relationships"),
        ("Characters", "characters"),
        ("Additional tags", "additional_tags"),
    )
    return WorkView(
        title=(row.title if row else _text(report.get("title"))) or "(untitled)",
        author=(row.author if row else _text(report.get("author"))),
        fandom=row.fandom if row and row.fandom else fandom,
        words=row.words if row else int(report.get("words") or 0),
        chapters=chapters,
        format=row.format if row else _text(source.get("format")),
        rating=_text(meta.get("rating")),
        stance=STANCES.get(_text(meta.get("stance")), ""),
        summary=_text(meta.get("summary")),
        tags=[(kind, _strings(meta.get(key))) for kind, key in tag_kinds if _strings(meta.get(key))],
        declared_labels=[title_of(x) for x in _strings(meta.get("labels"))],
        comparison=[(STATUS[s], by_status[s]) for s in STATUS if by_status.get(s)],
        warnings=[v for v in warnings if v.label not in folded],
        folded=[v for v in warnings if v.label in folded],
        mentions=_verdicts(report, "mentions", chapters),
        archive=archive_lines(report),
        strip=chapter_strip(report),
        characters=list(_items(report.get("characters")))[:20],
        relationships=list(_items(report.get("relationships")))[:12],
        who_dies=_strings(report.get("who_dies")),
        notes=_strings(source.get("notes")),
        spoilers=report.get("spoilers_hidden") is False,
    )


def passage_count(views: Sequence[Verdict]) -> int:
    return sum(len(v.evidence) for v in views)
