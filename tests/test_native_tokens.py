"""The name tokeniser's native path gives exactly what its Python reference gives (who/tokens.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn.model import Work
from forewarn.who import tokens
from forewarn.who.lexicon import HONORIFICS
from forewarn.who.text import WORD_RE, fold, story_ranges
from forewarn.who.tokens import Tokenised, _tokenise_python, tokenise


def _same(a: Tokenised, b: Tokenised) -> None:
    assert a.tokens == b.tokens
    assert list(a.lower.items()) == list(b.lower.items())  # the same counts, in the same order
    assert [tuple(w) for w in a.words] == [tuple(w) for w in b.words]


def _table() -> str:
    return "".join(c for lo, hi in tokens._TABLE_BLOCKS for c in map(chr, range(lo, hi)))


def _python_says(c: str) -> tuple[list[str], str, str, str] | None:
    """What the native table should hold of ``c``, asked of Python one character at a time."""
    if len(c.lower()) != 1:
        return None  # 'İ': lower() is two characters; _STUTTER_RE compares a simple lower case
    checks = {
        "run": tokens._RUN_CHAR_RE.match(c) is not None,
        "letter": re.match(r"[^\W\d_]", c) is not None,
        "end": re.match(r"[^\W_]", c) is not None,
        "upper": c.isupper(),
        "lower": c.islower(),
        "space": c.isspace(),
        "breaks_upper": not ("A" + c).isupper(),
        "breaks_lower": not ("a" + c).islower(),
    }
    if (checks["upper"] and checks["breaks_upper"]) or (checks["lower"] and checks["breaks_lower"]):
        return None  # a word's isupper()/islower() would not follow from its characters'
    hon = [a for a in set("-" + "".join(HONORIFICS).lower()) if re.fullmatch(re.escape(a), c, re.I)]
    assert len(hon) <= 1, c
    return [k for k, v in checks.items() if v], fold(c), c.lower(), "".join(hon)


def test_table_entries_are_what_python_says() -> None:
    native = tokens._native_tokens()
    table = _table()
    excluded = []
    for c in table:
        info = native.char_info(c)
        assert info == _python_says(c), (c, hex(ord(c)))
        if info is None:
            excluded.append(c)
    assert excluded == ["\u0130"]  # İ alone
    # in the table: ASCII, accented Latin, Greek, Cyrillic, Vietnamese, punctuation, emoji, marks
    assert all(native.char_info(c) for c in "aZ9_ éÉßẞſKǅǈﬁŉΣσςΆЖжễ’“—…\u00a0\u0301\U0001f602☕⇓")
    # outside it: CJK, Hebrew, Arabic, Devanagari, rarer symbols, private use; the core says None
    outside = "日本語한\u05d0\u0627\u0915\u2c00\u3000\ue000\U0001f000\U00010000"
    assert all(c not in table and native.char_info(c) is None for c in outside)
    assert WORD_RE.pattern == r"[^\W\d_](?:[\w'’\-]*[^\W_])?"  # the classes above are its parts


def test_stutter_backreference_compares_lower_cases() -> None:
    """``_STUTTER_RE`` ignoring case sees "X-y" as a stutter exactly when X and y have the same
    ``lower()``: the key the native table holds. Every letter against every character of the table."""
    native = tokens._native_tokens()
    table = "".join(c for c in _table() if native.char_info(c) is not None)
    unanchored = re.compile(tokens._STUTTER_RE.pattern.removeprefix("^"), tokens._STUTTER_RE.flags)
    by_lower: dict[str, set[int]] = {}
    for i, d in enumerate(table):
        by_lower.setdefault(d.lower(), set()).add(i)
    for c in table:
        if tokens._STUTTER_RE.match(c + "-" + c) is None:
            assert re.match(r"[^\W\d_]", c) is None, c  # not a letter: never a stutter
            continue
        assert "letter" in (native.char_info(c) or [()])[0], c
        # "c-d1c-d2c-d3...": a match can start only at each c, three characters apart
        found = {m.start() // 3 for m in unanchored.finditer(c + "-" + (c + "-").join(table))}
        assert found == by_lower[c.lower()], c


TRICKY = "İıßẞſKǅǈǋﬁﬂŉΣσςµÅÆæŒœĲĳǄǆ\u0301\u0308\u0345\U0001f600\u2160\u2170\u00aa\u00ba日"


@settings(max_examples=400, deadline=None)
@given(word=st.text(alphabet=st.sampled_from(_table() + TRICKY * 20), max_size=12))
def test_word_rules_compose_from_characters(word: str) -> None:
    """fold(), isupper() and islower() of a word follow from its characters' table entries."""
    native = tokens._native_tokens()
    infos = [native.char_info(c) for c in word]
    if any(i is None for i in infos):
        return
    classes = set().union(*(set(i[0]) for i in infos if i))
    assert fold(word) == "".join(i[1] for i in infos if i)
    assert word.isupper() == ("upper" in classes and "breaks_upper" not in classes)
    assert word.islower() == ("lower" in classes and "breaks_lower" not in classes)
    assert (not word.strip()) == all("space" in i[0] for i in infos if i)


# Pieces that stress the tokeniser's rules; those outside the table (İ, CJK, ...) send a range to Python.
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
    # accented Latin, Greek, Cyrillic, Vietnamese, and what their case and folding rules trip on
    "Zoë",
    "Chloé's",
    "Ségolène",
    "Björn",
    "Łukasz",
    "Nguyễn",
    "ÉOWYN",
    "Ðorđe",
    "Øyvind-kun",
    "Ægir",
    "Ångström",
    "Ἀθηνᾶ",
    "ΟΔΥΣΣΕΥΣ",
    "Σ-σίσυφος",
    "Наташа",
    "ЖЕНЯ",
    "Ж-жора",
    "É-éowyn",
    "É-Éowyn",
    "Ä-a",
    "K-\u212aate",
    "\u212a-kate",
    "Bob-\u212aun",
    "Bob-ſan",
    "Bob-\u017fama",
    "Yuki-chı",
    "Yuki-CHİ",
    "Ɫ",
    "ǅemal",
    "ǄEMAL",
    "Ǉ-ǉ",
    "ᾈδης",
    "ﬁ",
    "Eﬃe",
    "ŉ",
    "ẞ",
    "STRAẞE",
    "Ⅻ",
    "Ⅻ-ⅻ",
    "ª",
    "\u0345",
    "e\u0301",
    "Pokémon",
    "Poke\u0301mon",
    "E\u0301-e\u0301",
    "\u0308Ab",
    "\u200d",
    "\ufe0f",
    "\u2028",
    "\u3000",
    "\U0001f602",
    "\U0001f468\u200d\U0001f469",
    "☕",
    "⇓",
    "«",
    "»",
    "„",
    "¿",
    "¡",
    "\u202f",
    "\u00b5",
    "Ω",
    "\u2126",
]
TEXT = st.lists(st.sampled_from(PIECES), max_size=80).map("".join)
TABLE_TEXT = st.lists(
    st.sampled_from([p for p in PIECES if all(tokens._native_tokens().char_info(c) for c in p)]),
    max_size=80,
).map("".join)
# single characters of the table among the pieces: every letter, mark and symbol it holds
MIXED_TEXT = st.lists(
    st.one_of(st.sampled_from(PIECES), st.sampled_from(_table() + TRICKY)),
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
@given(case=text_and_ranges(TABLE_TEXT))
def test_native_matches_python_on_table_text(case: tuple[str, list[tuple[int, int]]]) -> None:
    _check(case)


@settings(max_examples=1500, deadline=None)
@given(case=text_and_ranges(MIXED_TEXT))
def test_native_matches_python_on_mixed_text(case: tuple[str, list[tuple[int, int]]]) -> None:
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


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The ranges :func:`tokenise` sends to the Python reference from now on."""
    calls: list[tuple[int, int]] = []
    reference = tokens._tokenise_range

    def spy(text: str, lo: int, hi: int, *rest: object) -> None:
        calls.append((lo, hi))
        reference(text, lo, hi, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(tokens, "_tokenise_range", spy)
    return calls


def test_a_range_outside_the_table_takes_the_python_path(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraphs = [
        "Sasuke met Sakura’s “friend” — Naruto.",
        "Padmé saw Anakin, Zoë and Łukasz Nguyễn. Ἀθηνᾶ and Наташа 😂 left.",
        "Then Kenji wrote 日本.",
        "İstanbul, said Mr. Pamuk.",
        "The \ud800 Jedi left.",
    ]
    text = "\n\n".join(paragraphs)
    ranges = []
    for p in paragraphs:
        lo = text.index(p)
        ranges.append((lo, lo + len(p)))
    calls = _spy(monkeypatch)
    out = tokenise(text, ranges)
    assert calls == ranges[3:]  # İ (lower() is two characters) and a lone surrogate; CJK is learned
    monkeypatch.undo()
    _same(out, _tokenise_python(text, ranges))
    # a core that may not learn sends CJK to Python as well
    calls = _spy(monkeypatch)
    chars, folds, lowers, classes, honorific = tokens._char_table()
    unlearned = tokens.NameTokens(
        tokens.Token,
        tokens._CAP_FIRST,
        list(HONORIFICS),
        tokens.ABBREVIATIONS,
        tokens.DETERMINERS,
        tokens.LOCATIVE_PREPS,
        chars,
        folds,
        lowers,
        classes,
        honorific,
    )
    monkeypatch.setattr(tokens, "_NATIVE", [unlearned])
    _same(tokenise(text, ranges), out)
    assert calls == ranges[2:]  # CJK, İ (lower() is two characters) and a lone surrogate
    monkeypatch.undo()
    # capitalised: [A-ZÀ-ÖØ-Þ] first (not Ł, Ἀ, Н)
    assert [t.word for t in out.tokens][:7] == [
        "Sasuke",
        "Sakura",
        "Naruto",
        "Padmé",
        "Anakin",
        "Zoë",
        "Nguyễn",
    ]


def test_native_matches_python_on_real_works(
    real_works: tuple[Work, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [(work.text, story_ranges(work)) for work in real_works]
    assert texts
    # all native now: before the table, 8 of these 36 ranges (17% of the words) went to Python
    calls = _spy(monkeypatch)
    for text, ranges in texts:
        tokenise(text, ranges)
    assert sum(len(r) for _, r in texts) == 36 and calls == []
    monkeypatch.undo()
    for text, ranges in texts:
        _check((text, ranges))
        # every range alone, and each cut a little inside, mid-word
        _check((text, [(lo + 3, max(lo + 3, hi - 2)) for lo, hi in ranges]))
