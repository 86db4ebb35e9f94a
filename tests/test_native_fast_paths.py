"""The shortcuts of the native who-scans give what the plain paths give: WordStarts' per-text word
index (shared between prefix lists, reused while the same string comes back) and who_layout's
UCS-4 read of non-ASCII text."""

from __future__ import annotations

from forewarn._native import WordStarts
from forewarn.who.text import _layout_python, layout


def _starts(words: list[tuple[str, bool]], text: str) -> list[int]:
    """The places WordStarts promises, spelt out."""

    def ascii_word(c: str) -> bool:
        return c.isascii() and (c.isalnum() or c == "_")

    def opens(p: int, w: str, space: bool) -> bool:
        after = p + len(w)
        return text.startswith(w, p) and (not space or (after < len(text) and text[after].isspace()))

    return [
        p
        for p in range(len(text))
        if (p == 0 or not ascii_word(text[p - 1])) and any(opens(p, w, sp) for w, sp in words)
    ]


def test_the_word_index_is_shared_and_rebuilt_for_another_text() -> None:
    a = "he said: kiss her\u00a0here, é_he x_he he\u2003 shed"
    b = "she held his hand, he kissed her"
    lists = [[("he", False)], [("kiss", False), ("her", True)], [("h", True), ("s", False)]]
    for text in (a, b, a, a[:-1]):  # the same string again, then others
        for words in lists:
            assert WordStarts(words).find(text, [(0, len(text))]) == [_starts(words, text)]


def test_a_prefix_opening_on_punctuation_takes_the_plain_scan() -> None:
    text = "it's Mara's 's x's"
    for words in ([("'s", False)], [("'s", False), ("it", False)]):
        assert WordStarts(words).find(text, [(0, len(text))]) == [_starts(words, text)]


def test_non_ascii_layout_matches_python() -> None:
    text = "Élan. “Oui,” dit-il.\u3000Non!\n\n\u00a0\n“Fin”\nA… B 😀. C"
    for lo, hi in ((0, len(text)), (3, len(text) - 2), (6, 6)):
        assert layout(text, lo, hi) == _layout_python(text, lo, hi)
