"""The native scans of text_cues (sentences, clause starts, words before a cue) are exactly the
Python ones, on generated text stressing their rules and on every real passage and PAN work."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn import _native
from forewarn.detectors import text_cues
from tests.conftest import shared_texts

SPACES = "".join(c for c in map(chr, range(0x110000)) if c.isspace())

PIECES = [
    *".!?…",
    "...",
    "?!",
    "…!",
    *"\"“”'‘’()[]*_",
    "Mr.",
    "mrs.",
    "Dr. ",
    "st.",
    "vS.",
    "jr.",
    " ms.",
    "xmr.",
    "éMr.",
    "日dr.",
    "\u0301st.",
    "²mr.",
    "ſt.",
    "K",  # Kelvin sign
    "İ",
    *"ABZ09az",
    "É",
    "ß",
    "ı",
    "日",
    "\u0301",
    "²",
    "\U0001f600",
    "he said",
    "it's",
    "don’t",
    "'s",
    "12",
    ",",
    ";",
    ":",
    " - ",
    " -- ",
    " — ",
    "—",
    "–",
    "-",
    *(f" {w} " for w in ("but", "and", "when", "whenever", "who", "whom", "as", "yet", "then", "so")),
    "andy",
    "_and",
    "and_",
    "éand",
    "whoé",
    "or²",
    "\n",
    "\n\n",
    "\n \n",
    "\r\n",
    " ",
    "  ",
    *SPACES,
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
_ALNUM = re.compile(r"[^\W_]")


def _reference_at(text: str) -> Iterator[tuple[int, tuple[int, int]]]:
    """(pos, sentence_at(text, pos)) for every letter or digit."""
    for m in _ALNUM.finditer(text):
        yield m.start(), text_cues.sentence_at(text, m.start())


def _python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_cues, "_native_text", lambda text: None)


def _check(text: str, samples: int | None = None) -> None:
    native = _native.cue_text(text)
    assert native is not None
    starts, ends = native.sentences()
    assert list(zip(starts, ends, strict=True)) == text_cues.sentence_spans(text)
    sentences = text_cues.Sentences(text)
    text_cues._last_native = ("", None)  # Sentences asks again: the native cut
    step = 1 if samples is None else 7  # sentence_at rescans: every 7th word character of long text
    for k, (pos, span) in enumerate(_reference_at(text)):
        if k % step == 0:
            assert sentences.at(pos) == span
    low = text.lower()
    if not text_cues._is_lower(low):
        return
    native = _native.cue_text(low)
    assert native is not None
    n = len(low)
    points = range(n + 1) if samples is None else range(0, n + 1, max(1, n // samples))
    for pos in points:
        for floor in {0, max(0, pos - 7), max(0, pos - 60), max(0, pos - 400), pos}:
            assert native.clause_start(pos, floor) == _clause_start(low, pos, floor)
            for k in (1, 5, 9):
                assert native.words_before(pos, floor, k) == _words_before(low, pos, floor, k)


def _clause_start(text: str, pos: int, floor: int) -> int:
    """clause_start's Python path (short range) on lower-case text."""
    last = floor
    for m in text_cues._CLAUSE_BREAK_LOWER.finditer(text, floor, pos):
        last = m.end()
    return last


def _words_before(text: str, pos: int, floor: int, n: int) -> list[str]:
    window = text[max(floor, pos - 12 * n - 12) : pos]
    return [w.replace("’", "'") for w in text_cues._WORD_LOWER.findall(window)[-n:]]


def test_the_native_scans_know_the_patterns_of_text_cues() -> None:
    assert text_cues._NATIVE_SCANS


@settings(max_examples=1500, deadline=None)
@given(text=TEXT)
def test_native_matches_python_on_generated_text(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_native_matches_python_on_any_text(text: str) -> None:
    if any("\ud800" <= c <= "\udfff" for c in text):
        assert _native.cue_text(text) is None
    else:
        _check(text)


@settings(max_examples=300, deadline=None)
@given(text=TEXT, data=st.data())
def test_helpers_agree_with_their_python_path(text: str, data: st.DataObject) -> None:
    """The public helpers give the same answers with the native scans and without."""
    low = text.lower()
    pos = data.draw(st.integers(0, len(low)))
    floor = data.draw(st.integers(0, pos))
    asked = [
        (f.__name__, f(low, pos, floor))
        for f in (text_cues.clause_start, text_cues.is_negated, text_cues.irrealis)
    ] + [("words", text_cues.words_before(low, pos, floor, 5))]
    with pytest.MonkeyPatch.context() as m:
        _python(m)
        text_cues._last_clause = ("", -1, -1, -1)
        reference = [
            (f.__name__, f(low, pos, floor))
            for f in (text_cues.clause_start, text_cues.is_negated, text_cues.irrealis)
        ] + [("words", text_cues.words_before(low, pos, floor, 5))]
    text_cues._last_clause = ("", -1, -1, -1)
    assert asked == reference


def test_a_lone_surrogate_takes_the_python_path() -> None:
    text = "mr. kay ran. she \ud800 left. again"
    assert text_cues._native_text(text) is None
    sentences = text_cues.Sentences(text)
    for pos, span in _reference_at(text):
        assert sentences.at(pos) == span
    assert text_cues.clause_start(text, len(text), 0) == _clause_start(text, len(text), 0)
    assert text_cues.words_before(text, len(text), 0, 3) == _words_before(text, len(text), 0, 3)


def test_long_runs() -> None:
    for run in (".", "!?", "…", '"', "”", " ", "\n", "\n ", " \u3000", "*_", " — ", ", and"):
        text = f"he went{run * 300} then{run * 3}mr."
        _check(text)


def _real_texts() -> list[str]:
    return [*shared_texts("passages-train.jsonl"), *shared_texts("pan23-sample-works.jsonl")]


def test_native_matches_python_on_real_text() -> None:
    for text in _real_texts():
        _check(text, samples=40)
