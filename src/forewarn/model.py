"""The data model: frozen dataclasses only, no behaviour beyond small derived views.

Every ``start``/``end`` pair in this module is a *character* offset into ``Work.text``,
end exclusive, so ``work.text[x.start:x.end]`` is always the thing being described.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # only for annotations: forewarn.who imports this module
    from forewarn.who.types import Who

SCHEMA_VERSION = "1.2"

SectionKind = Literal[
    "story",  # text the reader reads as the story itself: the only text detectors scan
    "chapter-title",
    "summary",
    "foreword",
    "disclaimer",
    "author-note",
]
NON_STORY_KINDS: frozenset[str] = frozenset(
    {"chapter-title", "summary", "foreword", "disclaimer", "author-note"}
)

Severity = Literal["mentioned", "depicted", "graphic"]
SEVERITIES: tuple[Severity, ...] = ("mentioned", "depicted", "graphic")
# A work-level verdict's severity (WARNINGS.md): a warning is graphic, depicted, or central (off the
# page but what the story is about); a mention is "mentioned".
WorkSeverity = Literal["mentioned", "central", "depicted", "graphic"]
# Weakest first: a chapter's severity for a label never ranks above the work's.
WORK_SEVERITIES: tuple[WorkSeverity, ...] = ("mentioned", "central", "depicted", "graphic")
# What a work deserves for a label (WARNINGS.md): a warning, a passing mention, or nothing.
Tier = Literal["warn", "mention", "absent"]


def word_count(text: str, chunk: int = 1 << 20) -> int:
    """``len(text.split())`` without building the list (a 40 MB story would need ~450 MB for it).

    >>> word_count("one two  three\\nfour"), word_count("ab cd ef", chunk=4)
    (4, 3)
    """
    count = 0
    for start in range(0, len(text), chunk):
        piece = text[start : start + chunk]
        count += len(piece.split())
        # A word cut by the chunk boundary was counted on both sides.
        if start and piece[:1] and not piece[0].isspace() and not text[start - 1].isspace():
            count -= 1
    return count


@dataclass(frozen=True, slots=True)
class Section:
    """A labelled range of ``Work.text``."""

    kind: SectionKind
    start: int  # character offset into Work.text
    end: int  # character offset into Work.text, exclusive
    chapter: int = 0  # index into Work.chapters


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter: its title (may be empty) and the range of Work.text it spans."""

    title: str
    start: int  # character offset into Work.text
    end: int  # character offset into Work.text, exclusive


@dataclass(frozen=True, slots=True)
class Source:
    """Where a work came from and which reader understood it."""

    path: str | None  # None when the text was handed in directly
    format: str  # "text", "ao3-html", "ao3-epub", ...
    notes: tuple[str, ...] = ()  # best-effort warnings from the reader, e.g. "fixed mojibake"
    calibre_id: int | None = None  # the book's id when it came from a Calibre library


@dataclass(frozen=True, slots=True)
class Declared:
    """What the author (or archive) says about the work: never what forewarn detected."""

    rating: str | None = None
    archive_warnings: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    fandoms: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    additional_tags: tuple[str, ...] = ()
    summary: str | None = None
    # What the source says that has no field above, as (key, value) pairs in source order:
    # "language", "series", "published", "updated", "words", "chapters", "status", "url" …
    extra: tuple[tuple[str, str], ...] = ()

    def get(self, key: str) -> str | None:
        """The first ``extra`` value for ``key``, or None."""
        for k, v in self.extra:
            if k == key:
                return v
        return None


@dataclass(frozen=True, slots=True)
class Work:
    """One story as a single string plus labelled ranges of it."""

    text: str
    sections: tuple[Section, ...]
    chapters: tuple[Chapter, ...]
    source: Source
    title: str | None = None
    author: str | None = None
    declared: Declared = field(default_factory=Declared)

    def story_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == "story")

    def chapter_at(self, offset: int) -> int:
        """Index of the chapter holding ``offset`` (the last one that starts at or before it)."""
        index = 0
        for i, chapter in enumerate(self.chapters):
            if chapter.start <= offset:
                index = i
            else:
                break
        return index


@dataclass(frozen=True, slots=True)
class Passage:
    """A unit that detectors score: a slice of story text with its place in the work.

    It carries its own ``text`` so that detectors need nothing else (and pickle cheaply
    to worker processes); ``text == work.text[start:end]``.
    """

    index: int  # position in the work's passage list
    start: int  # character offset into Work.text
    end: int  # character offset into Work.text, exclusive
    chapter: int  # index into Work.chapters
    text: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One detector's claim that a passage shows a label, with the span that earns it."""

    label: str  # a name from labels.LABELS
    score: float  # in [0, 1]: the detector's belief that the passage warrants the label
    severity: Severity
    passage: int  # Passage.index
    start: int  # character offset into Work.text of the evidence
    end: int  # character offset into Work.text, exclusive
    evidence: str  # == Work.text[start:end]
    detector: str  # versioned detector name, e.g. "lexicon.v1"
    cue: str = ""  # the rule or keyword that fired, for explaining and debugging
    characters: tuple[str, ...] = ()  # named characters involved (e.g. who dies)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A passage shown as evidence for a verdict."""

    start: int  # character offset into Work.text
    end: int  # character offset into Work.text, exclusive
    text: str
    chapter: int  # index into Work.chapters
    score: float
    severity: Severity


@dataclass(frozen=True, slots=True)
class Verdict:
    """forewarn's conclusion about one label for the whole work."""

    label: str
    # In [0, 1]: the probability that a careful reader would put the label in the work's warning
    # list (forewarn.work_level); a warning when it reaches 0.5.
    confidence: float
    # In [0, 1]: how sure forewarn is that the label is in the text at all, on the page or only in
    # passing (aggregate.py: the noisy-OR of the strongest passages).
    presence: float
    tier: Tier  # "warn" (the warning list), "mention" (also mentioned, folded) or "absent"
    severity: WorkSeverity  # for a warning graphic / depicted / central; for a mention "mentioned"
    passages: int  # how many passages carry a finding for this label
    first_chapter: int | None  # index into Work.chapters of the first finding
    first_percent: float | None  # how far through the story text the first finding is, 0-100
    evidence: tuple[Evidence, ...] = ()  # the strongest passages, best first
    characters: tuple[str, ...] = ()  # named characters involved, e.g. who dies
    declared: bool = False  # the author declared this label (tag, archive warning, note)

    @property
    def present(self) -> bool:
        """The label is in the text: a warning or a mention."""
        return self.tier != "absent"


@dataclass(frozen=True, slots=True)
class ArchiveWarning:
    """One of AO3's four Archive Warnings, derived from the label verdicts."""

    name: str  # AO3's exact wording
    confidence: float
    because: tuple[str, ...]  # the labels it rests on
    characters: tuple[str, ...] = ()  # for Major Character Death: who dies
    declared: bool = False


@dataclass(frozen=True, slots=True)
class ChapterVerdict:
    """What one chapter holds of a label that the work holds: spoiler-free (no text, no names).

    Built from the same findings as the work's ``Verdict`` and never contradicting it
    (``aggregate.chapter_verdicts``): a chapter warns of a label only when the work does, at a
    severity no higher than the work's; a label the work only mentions is only mentioned here.
    """

    label: str
    tier: Tier  # "warn" or "mention" (absent labels are left out)
    severity: WorkSeverity  # for a warning graphic / depicted / central; for a mention "mentioned"
    # In [0, 1], never above the work's: for a mention the chapter's presence (``Verdict.presence``
    # on the chapter's passages); for a warning the work's confidence times the chapter's share of
    # the work's presence (a chapter that holds all of the work's evidence is as sure as the work).
    confidence: float


@dataclass(frozen=True, slots=True)
class ChapterReport:
    """One chapter's verdicts, so that a reader can skip that chapter."""

    index: int  # index into Work.chapters (from 0; the renderers show it from 1)
    title: str
    verdicts: tuple[ChapterVerdict, ...] = ()  # warnings and mentions, in taxonomy order

    @property
    def warnings(self) -> tuple[ChapterVerdict, ...]:
        return tuple(v for v in self.verdicts if v.tier == "warn")

    @property
    def mentions(self) -> tuple[ChapterVerdict, ...]:
        return tuple(v for v in self.verdicts if v.tier == "mention")


@dataclass(frozen=True, slots=True)
class Report:
    """Everything forewarn says about one work."""

    work: Work
    verdicts: tuple[Verdict, ...]  # one per label, in taxonomy order
    archive_warnings: tuple[ArchiveWarning, ...]  # only those forewarn reports
    detectors: tuple[str, ...]  # versioned names of what produced the findings
    who: Who | None = None  # characters, relationships, fandom, who dies
    declared_labels: tuple[str, ...] = ()  # labels the author declared (tags, archive warnings, notes)
    # Per label / per Archive Warning: "detected-only", "both" or "declared-only", detected-only first.
    comparison: tuple[tuple[str, str], ...] = ()
    archive_comparison: tuple[tuple[str, str], ...] = ()
    warning_stance: str = "none"  # what the declared AO3 warnings claim; see declared.warning_stance
    schema: str = SCHEMA_VERSION
    # One per chapter of the work, in order (empty for a work without chapters, or a Report built
    # without them): what each chapter holds of the work's warnings and mentions.
    chapters: tuple[ChapterReport, ...] = ()

    @property
    def warnings(self) -> tuple[Verdict, ...]:
        """The warning list (tier "warn"), most confident first."""
        warned = [v for v in self.verdicts if v.tier == "warn"]
        return tuple(sorted(warned, key=lambda v: -v.confidence))

    @property
    def mentions(self) -> tuple[Verdict, ...]:
        """What is only mentioned in passing (tier "mention"), surest first: folded by default."""
        mentioned = [v for v in self.verdicts if v.tier == "mention"]
        return tuple(sorted(mentioned, key=lambda v: -v.presence))

    def verdict(self, label: str) -> Verdict:
        for v in self.verdicts:
            if v.label == label:
                return v
        raise KeyError(label)

    def to_dict(self, *, show_passages: bool = False) -> dict[str, object]:
        # Imported when called: the renderer and forewarn.who import this module, which imports
        # nothing of forewarn at import time (tests/test_import_graph.py).
        from forewarn.render_json import report_to_dict

        return report_to_dict(self, show_passages=show_passages)
