"""Linear-time text helpers: words, sentences and paragraphs of the story sections.

All offsets are character offsets into ``Work.text``, end exclusive.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from forewarn import _native
from forewarn.detectors.text_cues import SENTENCE_CLOSERS, SENTENCE_MARKS, trim
from forewarn.model import Work

# A word: letters first, then letters/digits/apostrophes/hyphens, ending on a letter or digit.
# Keeps "Sasuke-kun", "K'Vala", "Sakura's" and "S-Sasuke" whole.
WORD_RE = re.compile(r"[^\W\d_](?:[\w'’\-]*[^\W_])?")
_PARA_RE = re.compile(r"\n\s*\n|\n(?=[ \t]*\S)")


class _GroupMatches:
    """A compiled pattern whose ``finditer`` gives only the matches that set one of its groups."""

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        return (m for m in self.pattern.finditer(text, pos, endpos) if m.lastindex is not None)


# A sentence ends at . ! ? or … (with closing quotes) before whitespace and a capital, a quote or the end.
# Unlike the detectors' sentences (text_cues), an end needs a capital, a digit or an opening quote
# after it (the story text here keeps its case), and a closing quote before a line break is one.
# Written to open on one character class (the look-behinds pick the branch), which lets the regex
# engine skip ahead to those characters: same ends as
# r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9]|\s*$)|[\"”](?=\s*\n)", several times faster.
# A run of . ! ? … is taken whole and matches even where no sentence ends (then no group is set,
# and ``finditer`` skips it): a failed match would be retried from each character of the run,
# quadratic in its length.
_SENT_END_RE = _GroupMatches(
    rf"[{SENTENCE_MARKS}\"”](?:(?<=[{SENTENCE_MARKS}])[{SENTENCE_MARKS}]*+(?:[{SENTENCE_CLOSERS}]*+"
    r"(?=\s+[\"'“‘(\[]?[A-Z0-9]|\s*$)())?|(?<=[\"”])(?=\s*\n)())"
)

QUOTES = "\"“”'‘’"
OPEN_QUOTES = "\"“‘'"


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Case- and accent-insensitive key: ``fold("Padmé") == "padme"``."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("’", "'")


@dataclass(frozen=True, slots=True)
class Span:
    start: int  # character offset into Work.text
    end: int  # character offset into Work.text, exclusive


def story_ranges(work: Work) -> list[tuple[int, int]]:
    """The (start, end) ranges of the story sections; the whole text when none is marked story."""
    ranges = [(s.start, s.end) for s in work.story_sections()]
    if not ranges and not work.sections:
        ranges = [(0, len(work.text))]
    return sorted(ranges)


def paragraphs(text: str, start: int, end: int) -> list[Span]:
    """Paragraphs of ``text[start:end]``: runs separated by newlines, blank ones dropped."""
    out: list[Span] = []
    pos = start
    for m in _PARA_RE.finditer(text, start, end):
        if text[pos : m.start()].strip():
            out.append(Span(*trim(text, pos, m.start())))
        pos = m.end()
    if text[pos:end].strip():
        out.append(Span(*trim(text, pos, end)))
    return out


def sentences(text: str, para: Span) -> list[Span]:
    """Sentences of one paragraph (rule-based; good enough for co-occurrence and cue scoping)."""
    out: list[Span] = []
    pos = para.start
    for m in _SENT_END_RE.finditer(text, para.start, para.end):
        end = m.end()
        if end > pos:
            start, stop = trim(text, pos, end)
            if start < stop:
                out.append(Span(start, stop))
                pos = end
    if pos < para.end:
        start, stop = trim(text, pos, para.end)
        if start < stop:
            out.append(Span(start, stop))
    return out


# The native scanner implements these two patterns exactly; any other (a changed SENTENCE_MARKS)
# takes the Python path instead of drifting from it.
_NATIVE_LAYOUT = (_PARA_RE.pattern, _SENT_END_RE.pattern.pattern) == _native.WHO_TEXT_PATTERNS


def layout(text: str, lo: int, hi: int) -> tuple[list[Span], list[Span]]:
    """The paragraphs of ``text[lo:hi]`` and the sentences of each, in order.

    Scanned by the native core (``forewarn._native.who_layout``); :func:`paragraphs` and
    :func:`sentences` are its reference, and the path for text it does not take (a lone surrogate).
    """
    if _NATIVE_LAYOUT:
        out = _native.who_layout(text[lo:hi], lo, Span)
        if out is not None:
            return out
    return _layout_python(text, lo, hi)


def _layout_python(text: str, lo: int, hi: int) -> tuple[list[Span], list[Span]]:
    paras = paragraphs(text, lo, hi)
    return paras, [s for p in paras for s in sentences(text, p)]
