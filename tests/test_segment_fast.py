"""``segment`` (one split a section) cuts exactly the passages of ``_segment_python``, its reference
(one ``_PARAGRAPH`` match a line)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn.model import Work
from forewarn.readers.txt import work_from_text
from forewarn.segment import _segment_python, segment

# paragraph breaks of every kind, Python whitespace, sentence marks and closers, quotes, non-ASCII
PIECES = [
    "word",
    "Anna",
    "élan",
    "日本",
    "😂",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "\u2003",
    "\x1c",
    "\x0b",
    "\x0c",
    "\r",
    "\n",
    "\n\n",
    "\r\n",
    "\n \n",
    "\u2028",
    "\u2029",
    "\x85",
    ".",
    "!",
    "?",
    "…",
    "...",
    '"',
    "'",
    "”",
    "’",
    ")",
    "]",
    "*",
    "_",
    ". ",
    "! ",
    '." ',
    "?” ",
    "…\n",
    "Chapter 2\n",
]
texts = st.lists(st.sampled_from(PIECES), max_size=300).map("".join)
long_paragraphs = st.lists(
    st.tuples(st.integers(1, 400), st.sampled_from([" ", ". ", "! ", '." ', "?\u201d\n", "\n\n", "\n \t\n"])),
    max_size=12,
).map(lambda parts: "".join(("w " * n) + end for n, end in parts))


def _same(work: Work) -> None:
    assert segment(work) == _segment_python(work)


@settings(max_examples=600, deadline=None)
@given(text=texts)
def test_generated_text(text: str) -> None:
    _same(work_from_text(text))


@settings(max_examples=300, deadline=None)
@given(text=long_paragraphs, extra=texts)
def test_long_paragraphs(text: str, extra: str) -> None:
    _same(work_from_text(text + extra))


def test_real_works(real_works: tuple[Work, ...]) -> None:
    assert real_works
    for work in real_works:
        _same(work)
