"""Hostile input in linear time (issue 11, class 5): every regular expression that runs on user
text, and every look around a cue, costs time linear in the text.

Each test times one part of forewarn on a hostile shape of n and of 2n characters and asserts
that doubling the input at most about doubles the time: the quadratic code these tests guard
against quadruples it. The sizes are ones where the old code took from a few tenths of a second
to seconds, so its quadratic term shows; the times are the best of a few runs after a warm-up,
so that a busy machine does not make them flake. Each test then checks that the result is still
sensible.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TypeVar

import pytest

import forewarn
from forewarn.declared import note_warnings
from forewarn.detectors import text_cues
from forewarn.detectors.lexicon import LexiconDetector
from forewarn.model import Passage, Work
from forewarn.readers.txt import work_from_text
from forewarn.segment import segment
from forewarn.who import analyse_who, deaths
from forewarn.who.text import Span, sentences
from tests.conftest import story_work

SLACK = 0.01  # seconds: timer noise on runs that take a millisecond
T = TypeVar("T")


def _best_time(run: Callable[[T], object], given: T, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run(given)
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(run: Callable[[T], object], make: Callable[[int], T], n: int, repeats: int = 3) -> None:
    """``run(make(2 * n))`` takes less than three times ``run(make(n))`` (quadratic: four)."""
    run(make(max(1, n // 8)))  # warm-up: imports, caches, lazily compiled patterns, the models
    small = _best_time(run, make(n), repeats)
    large = _best_time(run, make(2 * n), repeats)
    assert large < 3 * small + SLACK, f"{large:.3f} s for 2n characters against {small:.3f} s for n"


def _covers(text: str, spans: list[tuple[int, int]]) -> bool:
    """The spans are in order, do not overlap, and hold every non-blank character of ``text``."""
    at = 0
    for start, end in spans:
        if start < at or end < start or text[at:start].strip():
            return False
        at = end
    return not text[at:].strip()


# --- the plain-text reader: runs of whitespace -------------------------------------------------


@pytest.mark.parametrize("blank", [" ", "\u2028", "\x0c", " \t"])
def test_the_text_reader_reads_a_long_run_of_blank_text_in_linear_time(blank: str) -> None:
    def make(n: int) -> str:
        return "Once upon a time.\n" + blank * (n // len(blank))

    assert_linear(work_from_text, make, 8000)
    work = work_from_text(make(20_000))
    assert [(s.kind, work.text[s.start : s.end]) for s in work.sections] == [("story", "Once upon a time.")]


def test_the_text_reader_reads_a_long_line_of_spaces_between_paragraphs_in_linear_time() -> None:
    def make(n: int) -> str:
        return "She ran.\n" + " " * n + "\nThe end came.   " + " " * n + "\n\nA/N: thanks for reading!"

    assert_linear(work_from_text, make, 8000)
    work = work_from_text(make(20_000))
    kinds = [(s.kind, work.text[s.start : s.end]) for s in work.sections]
    assert [kind for kind, _ in kinds] == ["story", "author-note"]
    assert kinds[0][1].startswith("She ran.\n") and kinds[0][1].endswith("\nThe end came.")


# --- the segmenter: runs of sentence marks and of spaces in long paragraphs ----------------------


@pytest.mark.parametrize("mark", [".", "!", "?", "…"])
def test_the_segmenter_cuts_a_long_paragraph_with_a_run_of_marks_in_linear_time(mark: str) -> None:
    def make(n: int) -> str:  # over 150 words, so cut at sentence ends; the run ends no sentence
        return "She ran. " * 100 + "a" + mark * n + "b and on " + "and on " * 100

    assert_linear(lambda text: segment(story_work(text)), make, 8000)
    text = make(20_000)
    passages = segment(story_work(text))
    assert _covers(text, [(p.start, p.end) for p in passages])
    assert any(mark * 20_000 in p.text for p in passages)  # the run is never cut


def test_the_segmenter_reads_a_line_of_spaces_inside_a_section_in_linear_time() -> None:
    def make(n: int) -> str:
        return "He ran.\n" + " " * n + "\nShe hid.\n" + "\t " * n + "\nThey waited."

    assert_linear(lambda text: segment(story_work(text)), make, 8000)
    text = make(20_000)
    assert _covers(text, [(p.start, p.end) for p in segment(story_work(text))])


# --- sentence cutters: runs of sentence marks --------------------------------------------------


@pytest.mark.parametrize("run", [".", "!", "?!", "…"])
def test_sentences_are_cut_around_a_long_run_of_marks_in_linear_time(run: str) -> None:
    def make(n: int) -> str:
        return "He ran. A" + run * (n // len(run)) + "b. She died. " + run * (n // len(run))

    def cut(text: str) -> None:
        text_cues.sentence_spans(text)
        sentences(text, Span(0, len(text)))

    assert_linear(cut, make, 8000)
    text = make(20_000)
    for spans in (
        text_cues.sentence_spans(text),
        [(s.start, s.end) for s in sentences(text, Span(0, len(text)))],
    ):
        assert _covers(text, spans) and len(spans) >= 2
        assert text[spans[0][0] : spans[0][1]] == "He ran."


# --- the lexicon and the cues around a hit: one long unpunctuated sentence -----------------------

RUN_ON = {
    "trigger words": "kill blood dead knife ",
    "in dialogue": "kill blood dead knife ",
    "with clause breaks": "kill, blood, dead, knife, and ",
    "wished for": "as if kill if blood ",
    "a rule with context before its cue": "x went dead ",
    "a possessive that must agree": "she dug her nails into her wrist and ",
}


@pytest.fixture(scope="module")
def lexicon() -> LexiconDetector:
    return LexiconDetector()


def _one_passage(text: str) -> list[Passage]:
    return [Passage(0, 0, len(text), 0, text)]


@pytest.mark.parametrize("shape", list(RUN_ON))
def test_the_lexicon_reads_one_long_sentence_of_cue_words_in_linear_time(
    lexicon: LexiconDetector, shape: str
) -> None:
    unit = RUN_ON[shape]
    opening = '"' if shape == "in dialogue" else ""

    def make(n: int) -> str:
        return opening + unit * (n // len(unit))

    assert_linear(lambda text: lexicon.detect(_one_passage(text)), make, 8000)
    findings = lexicon.detect(_one_passage(make(20_000)))
    assert all(f.end - f.start <= 400 for f in findings)  # a run-on "sentence" is cut to the cue
    if shape == "trigger words":
        assert {"violence", "death", "blood"} <= {f.label for f in findings}
    if shape in ("in dialogue", "wished for"):
        assert findings and all(f.severity == "mentioned" for f in findings)


def test_negation_and_irrealis_over_a_run_on_sentence_answer_as_a_direct_scan_does() -> None:
    # Each cue asks about its clause (from the last clause break) and its sentence (from 0 here).
    def make(n: int) -> str:
        return "she did not think that " + "he did not kill and she might bleed and they kill and " * (
            n // 54
        )

    def ask(text: str) -> list[tuple[bool, str | None]]:
        cues = [m.start() for m in re.finditer(r"\b(?:kill|bleed)\b", text)]
        return [(text_cues.is_negated(text, at, 0), text_cues.irrealis(text, at, 0)) for at in cues]

    assert_linear(ask, make, 16_000)
    text = make(16_000)
    direct = text_cues._DIRECT
    try:
        text_cues._DIRECT = len(text)  # every search from the clause or sentence start, directly
        expected = ask(text)
    finally:
        text_cues._DIRECT = direct
    assert ask(text) == expected
    assert set(expected) == {(True, None), (False, "hypothetical"), (False, None)}


# --- who: pronouns, death scenes, relationship cues and names in bulk -----------------------------


def test_pronouns_in_a_paragraph_of_thousands_of_mentions_resolve_in_linear_time() -> None:
    def make(n: int) -> Work:
        return work_from_text("Sasuke ran. He died. " * (n // 21))

    assert_linear(lambda work: analyse_who(work, ()), make, 40_000)
    who = analyse_who(make(10_000), ())
    assert [c.name for c in who.characters] == ["Sasuke"]


def test_relationship_cues_in_one_long_sentence_are_weighed_in_linear_time() -> None:
    def make(n: int) -> Work:
        return work_from_text("Sasuke kissed Sakura kiss kiss kiss kiss " * (n // 41))

    assert_linear(lambda work: analyse_who(work, ()), make, 25_000)
    kinds = {(r.kind, frozenset(r.characters)) for r in analyse_who(make(5_000), ()).relationships}
    assert ("romantic", frozenset({"Haruno Sakura", "Uchiha Sasuke"})) in kinds


def test_a_run_of_thousands_of_capitalised_words_is_read_in_linear_time() -> None:
    def make(n: int) -> Work:
        return work_from_text("Naruto Belongs " * (n // 15))

    assert_linear(lambda work: analyse_who(work, ()), make, 40_000)


class _Counted:
    """A compiled pattern that counts the characters its scans are started over."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.wrapped = pattern
        self.pattern = pattern.pattern
        self.flags = pattern.flags
        self.scanned = 0

    def finditer(self, text: str, pos: int = 0, endpos: int = 2**62) -> object:
        self.scanned += min(endpos, len(text)) - pos
        return self.wrapped.finditer(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = 2**62) -> re.Match[str] | None:
        return self.wrapped.match(text, pos, endpos)


def test_a_text_of_death_scene_cues_is_searched_for_support_once_not_once_per_cue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Each terminal cue looks for support in a window of 3700 characters around it; a text made of
    # cues must not be searched once per cue (the old way: seconds per 100 KB, all of it windows).
    counted = _Counted(deaths._SUPPORT)
    monkeypatch.setattr(deaths, "_SUPPORT", counted)
    work = work_from_text("Sakura: no pulse, she was dying. " * 600)
    analyse_who(work, ())
    assert counted.scanned < 3 * len(work.text)
    assert_linear(
        lambda text: analyse_who(work_from_text(text), ()),
        lambda n: "Sakura: no pulse, she was dying. " * (n // 33),
        40_000,
    )


# --- declared warnings: a long run of spaces in a note ------------------------------------------


def test_a_warning_list_with_a_long_run_of_spaces_is_split_in_linear_time() -> None:
    def make(n: int) -> str:
        return "TW: blood" + " " * n + "gore, death\n"

    assert_linear(note_warnings, make, 4000)
    assert note_warnings(make(20_000)) == ("blood" + " " * 20_000 + "gore", "death")


# --- end to end: the three shapes of the report --------------------------------------------------

ISSUE_SHAPES: dict[str, Callable[[int], str]] = {
    "trailing blank lines": lambda n: "Once upon a time she died.\n" + "\u2028" * n,  # a line separator
    "a run of dots": lambda n: "She ran. " + "word " * 200 + "." * n + "x ",
    "one sentence of trigger words": lambda n: "kill blood dead knife " * (n // 22),
}


@pytest.mark.parametrize("shape", list(ISSUE_SHAPES))
def test_the_reported_shapes_are_analysed_end_to_end_in_linear_time(shape: str) -> None:
    make = ISSUE_SHAPES[shape]
    assert_linear(lambda text: forewarn.analyse(work_from_text(text)), make, 8000, repeats=2)
    text = make(20_000)
    work = work_from_text(text)
    report = forewarn.analyse(work)
    story = [(s.start, s.end) for s in work.sections if s.kind == "story"]
    passages = [(p.start, p.end) for p in segment(work)]
    assert all(any(a <= s and e <= b for a, b in story) for s, e in passages)
    if shape == "one sentence of trigger words":
        assert {"violence", "death", "blood"} <= {v.label for v in report.warnings}
