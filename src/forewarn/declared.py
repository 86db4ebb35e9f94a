"""What the author declared, as taxonomy labels, and how it compares with what was detected.

Tags (archive warnings, additional tags, FFN genres) map to labels through the data table
``data/tag_map.json``; warnings written into notes and summaries ("TW: self-harm",
"Warnings: character death, blood") count as declarations too. "Creator Chose Not To Use
Archive Warnings" declares nothing (unknown); "No Archive Warnings Apply" is a claim that the
comparison can contradict.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Literal

from forewarn.labels import CHOSE_NOT_TO_WARN, LABEL_NAMES, NO_WARNINGS_APPLY
from forewarn.model import Declared, Work

Agreement = Literal["detected-only", "both", "declared-only"]
WarningStance = Literal["warned", "no-warnings-apply", "chose-not-to-warn", "none"]

# A tag or a note's term that opens with a negator declares nothing ("No Smut", "none"). Only the
# opening word counts, unlike text_cues.is_negated, which looks for a negator governing a word
# inside a sentence ("she did not die"): a tag is a name, not a sentence.
_NEGATED = re.compile(r"^(?:no|not|none|without|nothing|non-graphic\s+no)\b(?!-)", re.IGNORECASE)
# "TW: a, b" / "CW // a" / "Trigger warnings - a" / "Warnings: a" / "TW for a"
_NOTE_WARNING = re.compile(
    r"(?<![A-Za-z])(?:tws?|cws?|trigger\s+warnings?|content\s+warnings?|warnings?)"
    r"(?:\s*(?::|//|/|-|–|—)\s*|\s+for\s+)(?P<body>[^\n]+)",
    re.IGNORECASE,
)
# Where a note's warning list ends ("TW: blood. Enjoy!"): not text_cues' sentence ends (no "…",
# no abbreviations, no closers), which would change the terms a note declares.
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# Space before a separator is taken only from the start of its run, whole: a match tried from
# every space of a long run with no separator after it is quadratic in the run's length.
_TERM_SPLIT = re.compile(r"(?:(?<!\s)\s++)?(?:,|;|\||\+|&|\band\b|\bor\b)\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, tuple[str, ...]], tuple[tuple[re.Pattern[str], tuple[str, ...]], ...]]:
    raw = json.loads(resources.files("forewarn").joinpath("data/tag_map.json").read_text(encoding="utf-8"))
    exact = {_normalise(k): tuple(v) for k, v in raw["exact"].items()}
    rules = []
    for keyword, labels in sorted(raw["contains"], key=lambda kv: -len(kv[0].rstrip("*"))):
        stem = keyword.rstrip("*")
        tail = r"[\w-]*" if keyword.endswith("*") else r"(?![\w])"
        pattern = re.compile(r"(?<![\w])" + re.escape(_normalise(stem)) + tail)
        rules.append((pattern, tuple(labels)))
    return exact, tuple(rules)


def _normalise(tag: str) -> str:
    tag = tag.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    return " ".join(tag.lower().split())


def tag_labels(tag: str) -> frozenset[str]:
    """The labels one free-text tag declares.

    >>> sorted(tag_labels("Stabbing"))
    ['blood', 'violence']
    >>> sorted(tag_labels("Implied/Referenced Suicide")), sorted(tag_labels("Underage Drinking"))
    (['suicide'], [])
    """
    exact, rules = _table()
    text = _normalise(tag)
    if text in exact:
        return frozenset(exact[text])
    if _NEGATED.match(text):
        return frozenset()
    found: set[str] = set()
    for pattern, labels in rules:
        if pattern.search(text):
            found.update(labels)
            text = pattern.sub(" ", text)  # consumed: shorter keywords cannot fire on it
    return frozenset(found)


def note_warnings(text: str) -> tuple[str, ...]:
    """The warning terms an author declares in free text (notes, summaries), in order.

    >>> note_warnings("Beta'd by K. TW: self-harm, character death (past). Enjoy!")
    ('self-harm', 'character death (past)')
    """
    terms: list[str] = []
    for match in _NOTE_WARNING.finditer(text):
        body = match.group("body")
        end = _SENTENCE_END.search(body)
        if end:
            body = body[: end.start()]
        for term in _TERM_SPLIT.split(body):
            term = term.strip(" \t\"'[]*-:")
            if term.count("(") != term.count(")"):
                term = term.strip("()").strip()
            if term and not _NEGATED.match(term) and term.lower() != "n/a":
                terms.append(term)
    return tuple(dict.fromkeys(terms))


def note_labels(text: str) -> frozenset[str]:
    """The labels declared by warnings written in free text."""
    labels: set[str] = set()
    for term in note_warnings(text):
        labels |= tag_labels(term)
    return frozenset(labels)


def declared_labels(declared: Declared, notes_text: str = "") -> frozenset[str]:
    """Every label the author declares: archive warnings, tags, and warnings in notes/summary.

    >>> sorted(declared_labels(Declared(archive_warnings=("Major Character Death",)), "TW: blood"))
    ['blood', 'death']
    """
    labels: set[str] = set()
    for tag in (*declared.archive_warnings, *declared.additional_tags):
        labels |= tag_labels(tag)
    labels |= note_labels(declared.summary or "")
    labels |= note_labels(notes_text)
    return frozenset(label for label in labels if label in LABEL_NAMES)


def work_notes_text(work: Work) -> str:
    """The text of a work's summary and author-note sections (where authors write warnings)."""
    return "\n\n".join(
        work.text[s.start : s.end] for s in work.sections if s.kind in ("summary", "author-note", "foreword")
    )


def work_declared_labels(work: Work) -> frozenset[str]:
    return declared_labels(work.declared, work_notes_text(work))


def warning_stance(declared: Declared) -> WarningStance:
    """What the AO3 archive warnings say as a whole.

    "chose-not-to-warn" means unknown (the author may still name some of the four);
    "no-warnings-apply" is a claim detection can contradict; "none" means no AO3 warnings.
    """
    warnings = set(declared.archive_warnings)
    if CHOSE_NOT_TO_WARN in warnings or "Choose Not To Use Archive Warnings" in warnings:
        return "chose-not-to-warn"
    if warnings - {NO_WARNINGS_APPLY}:  # the four, under any of their names ("Underage")
        return "warned"
    if NO_WARNINGS_APPLY in warnings:
        return "no-warnings-apply"
    return "none"


def compare(declared: Iterable[str], detected: Iterable[str]) -> tuple[tuple[str, Agreement], ...]:
    """Per label, whether it was detected only, declared and detected, or declared only.

    Detected-only first (what a reader was not told), then both, then declared-only; taxonomy
    order within each group.

    >>> compare({"blood", "death"}, ["violence", "blood"])
    (('violence', 'detected-only'), ('blood', 'both'), ('death', 'declared-only'))
    """
    declared_set = set(declared)
    detected_set = set(detected)
    order = {name: i for i, name in enumerate(LABEL_NAMES)}

    def key(label: str) -> tuple[int, str]:
        return order.get(label, len(order)), label

    rows: list[tuple[str, Agreement]] = []
    rows += [(label, "detected-only") for label in sorted(detected_set - declared_set, key=key)]
    rows += [(label, "both") for label in sorted(detected_set & declared_set, key=key)]
    rows += [(label, "declared-only") for label in sorted(declared_set - detected_set, key=key)]
    return tuple(rows)
