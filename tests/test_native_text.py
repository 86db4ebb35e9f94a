"""The paragraphs and sentences of the native core are exactly those of who/text.py's reference."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn import _native
from forewarn.model import Work
from forewarn.who import text as who_text
from forewarn.who.text import Span, _layout_python, layout, story_ranges

SPACES = "".join(c for c in map(chr, range(0x110000)) if c.isspace())


def test_native_whitespace_is_python_whitespace() -> None:
    """`\\s`, `\\S` and `str.strip()` all mean `str.isspace()`: the one Unicode rule of the scanner."""
    assert _native.who_text_spaces() == SPACES
    assert all(re.fullmatch(r"\s", c) for c in SPACES)
    assert all(c.strip() == "" for c in SPACES)


def test_the_native_scanner_knows_the_patterns_of_who_text() -> None:
    assert who_text._NATIVE_LAYOUT
    assert (who_text._PARA_RE.pattern, who_text._SENT_END_RE.pattern.pattern) == _native.WHO_TEXT_PATTERNS


# Pieces that stress the rules: runs of marks, quotes and brackets on both sides, capitals and
# digits (and letters that are not A-Z), every kind of line break and blank line, every Python
# whitespace, non-ASCII letters, combining marks and astral characters.
PIECES = [
    *".!?…",
    "...",
    "?!",
    "…!",
    *"\"“”'‘’()[]",
    "”\n",
    '" \n',
    *"ABZ09az",
    "É",
    "ß",
    "İ",
    "日",
    "\u0301",
    "\U0001f600",
    *(o + c for o in "\"“‘'([" for c in "A9a"),
    ". A",
    "! “B",
    "?’ (C",
    "…” ‘D",
    ".) [1",
    "Hi",
    "he said",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\n \n",
    "\n\t\n",
    "\r\n",
    "\t",
    *SPACES,
    ",",
    "-",
    "*",
    "_",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)


def _same(text: str, lo: int, hi: int) -> None:
    native = _native.who_layout(text[lo:hi], lo, Span)
    assert native is not None
    assert tuple(native) == _layout_python(text, lo, hi)


@st.composite
def text_and_range(draw: st.DrawFn, text: st.SearchStrategy[str]) -> tuple[str, int, int]:
    s = draw(text)
    lo = draw(st.integers(0, len(s)))
    return s, lo, draw(st.integers(lo, len(s)))


@settings(max_examples=3000, deadline=None)
@given(case=text_and_range(TEXT))
def test_native_matches_python_on_generated_text(case: tuple[str, int, int]) -> None:
    _same(*case)


@settings(max_examples=500, deadline=None)
@given(text=st.text(max_size=60))
def test_native_matches_python_on_any_text(text: str) -> None:
    if any("\ud800" <= c <= "\udfff" for c in text):
        assert _native.who_layout(text, 0, Span) is None
    else:
        _same(text, 0, len(text))


def test_long_runs() -> None:
    """Long runs of marks, closers and whitespace, where the regex engine must not backtrack."""
    for run in (".", "!?", "…", '"', "”", " ", "\n", "\n ", " \u3000"):
        for tail in ("", " A", " a", "\n", '"A', " (1"):
            text = f"He went{run * 200}{tail} Then{run * 3}"
            _same(text, 0, len(text))
            _same(text, 3, len(text) - 1)


def test_a_lone_surrogate_takes_the_python_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []
    reference = who_text._layout_python

    def spy(text: str, lo: int, hi: int) -> tuple[list[Span], list[Span]]:
        calls.append((lo, hi))
        return reference(text, lo, hi)

    monkeypatch.setattr(who_text, "_layout_python", spy)
    text = "Hi. She left.\n\nThe \ud800 Jedi left. Again."
    assert layout(text, 0, 13) == _layout_python(text, 0, 13)
    assert calls == []  # no surrogate there: native
    out = layout(text, 15, len(text))
    assert calls == [(15, len(text))]
    assert [text[s.start : s.end] for s in out[1]] == ["The \ud800 Jedi left.", "Again."]


def test_other_patterns_take_the_python_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pattern the scanner does not implement (a changed SENTENCE_MARKS) is never scanned natively."""
    monkeypatch.setattr(who_text, "_NATIVE_LAYOUT", False)
    monkeypatch.setattr(_native, "who_layout", None)  # would raise if called
    text = "One. Two!\n\nThree"
    assert layout(text, 0, len(text)) == _layout_python(text, 0, len(text))


def test_native_matches_python_on_real_works(real_works: tuple[Work, ...]) -> None:
    texts = [(work.text, story_ranges(work)) for work in real_works]
    assert texts and any(not text.isascii() for text, _ in texts)
    for text, ranges in texts:
        for lo, hi in ranges:
            _same(text, lo, hi)
            _same(text, lo + 3, max(lo + 3, hi - 2))  # cut a little inside, mid-word
        _same(text, 0, len(text))  # notes and all
