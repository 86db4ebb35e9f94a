"""Work -> passages: the units that detectors score.

The unit is a run of whole paragraphs of about 40-150 words, never crossing a section (so
never a chapter or an author's note). Why this unit:
- the labelled passages that forewarn's models learn from are ~90-word excerpts, so passages of
  that size look like what the models were trained on;
- a paragraph is where fiction puts one beat of a scene, so a passage is a place a reader can
  be pointed to ("chapter 3, 40% in") without cutting a sentence in half;
- short lines of dialogue are merged so that one "No." has its context, and long paragraphs are
  split at sentence ends so that evidence stays short enough to show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from forewarn.detectors.text_cues import SENTENCE_CLOSERS, SENTENCE_MARKS, trim
from forewarn.model import Passage, Work

MIN_WORDS = 40  # merge paragraphs until a passage has at least this many words
MAX_WORDS = 150  # never merge past this; split longer paragraphs at sentence ends

# Both patterns take each run whole and never give it back, and match even where the run turns out
# not to be what is wanted (group 1 is then unset): a failed match would be retried from every
# character of the run, which is quadratic in its length (a line of spaces, a row of dots).
_PARAGRAPH = re.compile(r"[^\S\n]*+(\S[^\n]*+)?")  # one non-blank line (group 1 set)
# A sentence end (group 1 set): marks and closers before whitespace, nothing more. Simpler than the
# detectors' (text_cues: abbreviations, line breaks, the end of the text): it only picks where a
# long paragraph may be cut, and any change to it moves passage boundaries.
_SENTENCE_END = re.compile(rf"[{SENTENCE_MARKS}]++(?:[{SENTENCE_CLOSERS}]*+(\s++))?")


def _words(text: str) -> int:
    # Counting spaces and line breaks is a close, fast stand-in for counting words on prose.
    return text.count(" ") + text.count("\n") + 1


def _spans_of_paragraph(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield (start, end) pieces of one paragraph, each at most about MAX_WORDS words."""
    if _words(text[start:end]) <= MAX_WORDS:
        yield start, end
        return
    piece_start = start
    words = 0
    last_cut = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.start(1) < 0:  # no whitespace after the run: not a sentence end
            continue
        sentence_words = _words(text[last_cut : match.end()].strip())
        if words and words + sentence_words > MAX_WORDS:
            yield piece_start, last_cut
            piece_start, words = last_cut, 0
        words += sentence_words
        last_cut = match.end()
    yield piece_start, end


def segment(work: Work) -> list[Passage]:
    """Cut the story sections of ``work`` into passages; offsets index ``work.text``.

    >>> from forewarn.readers.txt import work_from_text
    >>> [p.text for p in segment(work_from_text("One line.\\n\\nAnother."))]
    ['One line.\\n\\nAnother.']
    """
    text = work.text
    passages: list[Passage] = []

    def emit(start: int, end: int, chapter: int) -> None:
        start, end = trim(text, start, end)
        if start < end:
            passages.append(Passage(len(passages), start, end, chapter, text[start:end]))

    for section in work.story_sections():
        run_start: int | None = None
        run_end = section.start
        run_words = 0
        # _PARAGRAPH's matches are the lines between "\n"s, cut to the section, that hold a
        # non-space character (its \s is str.isspace()): one split in C instead of a match a line
        pos = section.start
        for line in text[section.start : section.end].split("\n"):
            line_start = pos
            pos += len(line) + 1
            if not line or line.isspace():
                continue
            line_end = pos - 1
            words = line.count(" ") + 1  # _words(line): it holds no "\n"
            if words <= MAX_WORDS:
                pieces: Iterable[tuple[int, int]] = ((line_start, line_end),)
            else:
                pieces = _spans_of_paragraph(text, line_start, line_end)
            for piece_start, piece_end in pieces:
                piece_words = words if words <= MAX_WORDS else _words(text[piece_start:piece_end])
                if run_start is not None and run_words + piece_words > MAX_WORDS:
                    emit(run_start, run_end, section.chapter)
                    run_start = None
                if run_start is None:
                    run_start, run_words = piece_start, 0
                run_end = piece_end
                run_words += piece_words
                if run_words >= MIN_WORDS:
                    emit(run_start, run_end, section.chapter)
                    run_start = None
        if run_start is not None:
            emit(run_start, run_end, section.chapter)
    return passages


def _segment_python(work: Work) -> list[Passage]:
    """:func:`segment` as first written, a regex match a line: the reference (tests/test_segment_fast.py)."""
    text = work.text
    passages: list[Passage] = []

    def emit(start: int, end: int, chapter: int) -> None:
        start, end = trim(text, start, end)
        if start < end:
            passages.append(Passage(len(passages), start, end, chapter, text[start:end]))

    for section in work.story_sections():
        run_start: int | None = None
        run_end = section.start
        run_words = 0
        for para in _PARAGRAPH.finditer(text, section.start, section.end):
            if para.start(1) < 0:  # a blank line
                continue
            for piece_start, piece_end in _spans_of_paragraph(text, para.start(), para.end()):
                piece_words = _words(text[piece_start:piece_end])
                if run_start is not None and run_words + piece_words > MAX_WORDS:
                    emit(run_start, run_end, section.chapter)
                    run_start = None
                if run_start is None:
                    run_start, run_words = piece_start, 0
                run_end = piece_end
                run_words += piece_words
                if run_words >= MIN_WORDS:
                    emit(run_start, run_end, section.chapter)
                    run_start = None
        if run_start is not None:
            emit(run_start, run_end, section.chapter)
    return passages
