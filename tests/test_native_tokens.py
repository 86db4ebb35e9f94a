"""The name tokeniser's native path gives exactly what its Python reference gives (who/tokens.py)."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn._native import NAME_TOKENS_SAFE_NON_ASCII
from forewarn.who import tokens
from forewarn.who.text import WORD_RE, fold, story_ranges
from forewarn.who.tokens import Tokenised, _tokenise_python, tokenise

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _same(a: Tokenised, b: Tokenised) -> None:
    assert a.tokens == b.tokens
    assert list(a.lower.items()) == list(b.lower.items())  # the same counts, in the same order
    assert [tuple(w) for w in a.words] == [tuple(w) for w in b.words]


def test_safe_characters_follow_the_ascii_rules_in_python() -> None:
    """What the native path assumes of each non-ASCII character it accepts, checked against Python."""
    assert NAME_TOKENS_SAFE_NON_ASCII == "\u2019\u2018\u201c\u201d\u2026\u2014\u2013\u00a0"
    for c in NAME_TOKENS_SAFE_NON_ASCII:
        assert unicodedata.category(c) in {"Pd", "Pi", "Pf", "Po", "Zs"}, c
        assert c.isspace() == (c == "\u00a0"), c
        assert re.match(r"\w", c) is None and re.match(r"[^\W\d_]", c) is None, c
        assert not c.isupper() and not c.islower() and c.lower() == c and c.upper() == c, c
        assert re.match(r"[^\W_]", c, re.I) is None, c
        # only ’ is ever inside a word (fold() sees no other); fold() makes it '
        assert (re.match(r"[\w'’\-]", c) is not None) == (c == "\u2019"), c
    assert fold("O\u2019Neil\u2019S") == "o'neil's"
    # ASCII: \w is [A-Za-z0-9_], the cased letters are A-Z and a-z, whitespace is str.isspace()
    for c in map(chr, range(128)):
        assert (re.match(r"\w", c) is not None) == (c.isalnum() or c == "_"), c
        assert c.isupper() == ("A" <= c <= "Z") and c.islower() == ("a" <= c <= "z"), c
    assert WORD_RE.pattern == r"[^\W\d_](?:[\w'’\-]*[^\W_])?"


# Pieces that stress the tokeniser's rules; the unsafe ones (é, ß, İ, CJK, ...) send a range to Python.
PIECES = [
    *"abcsSXYZJRkTJ019_'’-\"“”‘…—–.,!?:;()[]*",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r\n",
    "\u00a0",
    "\x0b",
    "\x1c",
    "Sasuke",
    "Sakura's",
    "Naruto’s",
    "Kakashi-sensei",
    "Sasuke-kun",
    "Hinata-chan",
    "Itachi-nii-san",
    "Bob-SAN",
    "Bob--kun",
    "Sama-san",
    "-kun",
    "-san's",
    "S-Sasuke",
    "S-s-Sasuke",
    "A-a",
    "J. R. R. Tolkien",
    "Mr.",
    "Mrs. Hudson",
    "Dr. Who",
    "St.",
    "mr.",
    "The",
    "the",
    "a",
    "an",
    "that",
    "his",
    "at",
    "in",
    "untrained",
    "Grey Cove",
    "NASA",
    "OK",
    "I",
    "K'Vala",
    "O’Neil",
    "it's",
    "isn’t",
    "don't",
    "X" * 70,
    "y" * 65,
    "Z" * 61 + "-kun",
    "eBay",
    "iPhone",
    "Ab9",
    "9Ab",
    "_Ab",
    "Ab_",
    "'Tis",
    "é",
    "Padmé",
    "ß",
    "İ",
    "Éowyn",
    "日本",
    "\u0301",
    "\U0001f600",
    "\u212a",
    "\u017f",
    "\x85",
    "\u2003",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
SAFE_TEXT = st.lists(
    st.sampled_from([p for p in PIECES if all(c.isascii() or c in NAME_TOKENS_SAFE_NON_ASCII for c in p)]),
    max_size=80,
).map("".join)


@st.composite
def text_and_ranges(draw: st.DrawFn, text: st.SearchStrategy[str]) -> tuple[str, list[tuple[int, int]]]:
    s = draw(text)
    cuts = sorted(draw(st.lists(st.integers(0, len(s)), min_size=0, max_size=8)))
    ranges = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    if draw(st.booleans()):
        ranges.append((0, len(s)))
    return s, ranges


def _check(case: tuple[str, Sequence[tuple[int, int]]]) -> None:
    text, ranges = case
    _same(tokenise(text, ranges), _tokenise_python(text, ranges))


@settings(max_examples=1500, deadline=None)
@given(case=text_and_ranges(TEXT))
def test_native_matches_python_on_generated_text(case: tuple[str, list[tuple[int, int]]]) -> None:
    _check(case)


@settings(max_examples=1500, deadline=None)
@given(case=text_and_ranges(SAFE_TEXT))
def test_native_matches_python_on_safe_text(case: tuple[str, list[tuple[int, int]]]) -> None:
    _check(case)


def test_long_words_and_windows() -> None:
    """Names whose previous words are cut by the 60-character window of ``_previous_words``."""
    filler = ["x" * n for n in (1, 20, 40, 55, 58, 59, 60, 61, 62, 80)]
    gaps = [" ", ". ", "  \u2014 ", " \u201c", "\u2019 ", "9 ", ",\n", " " * 30, "." * 59 + " "]
    text = "".join(
        f"{f}{g}{h}Name{i % 3 * ' s'} "
        for i, (f, g, h) in enumerate(
            (f, g, h) for f in filler for g in gaps for h in ("", "Mr. ", "the ", "at the ")
        )
    )
    n = len(text)
    _check((text, [(0, n), (1, n - 1), (7, n // 2), (n // 2, n)]))


def test_a_range_with_an_unsafe_character_takes_the_python_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []
    reference = tokens._tokenise_range

    def spy(text: str, lo: int, hi: int, *rest: object) -> None:
        calls.append((lo, hi))
        reference(text, lo, hi, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(tokens, "_tokenise_range", spy)
    text = "Sasuke met Sakura’s “friend” — Naruto.\n\nPadmé saw Anakin.\n\nThe \ud800 Jedi left."
    first, second, _ = text.split("\n\n")
    a = len(first) + 2
    b = a + len(second) + 2
    ranges = [(0, len(first)), (a, a + len(second)), (b, len(text))]
    out = tokenise(text, ranges)
    assert calls == [ranges[1], ranges[2]]  # é and a lone surrogate; the first range is native
    _same(out, _tokenise_python(text, ranges))
    assert [t.word for t in out.tokens] == ["Sasuke", "Sakura", "Naruto", "Padmé", "Anakin", "The", "Jedi"]


def _real_texts(tmp: Path) -> list[tuple[str, list[tuple[int, int]]]]:
    from forewarn import read

    out = []
    with open(SHARED / "pan23-sample-works.jsonl", encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            page = tmp / f"pan-{n}.html"
            page.write_text(json.loads(line)["text"], encoding="utf-8")
            out.append(read(page))
    out += [read(path) for path in sorted((SHARED / "works-dev" / "files").iterdir())]
    return [(work.text, story_ranges(work)) for work in out]


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs the shared data in /work/shared")
def test_native_matches_python_on_real_works(tmp_path: Path) -> None:
    texts = _real_texts(tmp_path)
    assert texts
    for text, ranges in texts:
        _check((text, ranges))
        # every range alone, and each cut a little inside, mid-word
        _check((text, [(lo + 3, max(lo + 3, hi - 2)) for lo, hi in ranges]))
