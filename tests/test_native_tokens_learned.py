"""Characters outside the start-up table (CJK, kana, other scripts, symbols, private use,
unassigned code points) are learned from Python the first time a range holds one, and the native
path then gives exactly what the Python reference gives (who/tokens.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn.model import Work
from forewarn.who import tokens
from forewarn.who.lexicon import HONORIFICS
from forewarn.who.text import fold, story_ranges
from forewarn.who.tokens import _tokenise_python, tokenise
from tests.conftest import shared_texts
from tests.test_native_tokens import PIECES, _check, _python_says, _spy, _table, text_and_ranges

# blocks outside the start-up table, a few characters of each
OTHER_BLOCKS = [
    (0x0530, 0x0590),  # Armenian (և: its upper case is two characters)
    (0x0590, 0x0600),  # Hebrew
    (0x0600, 0x0700),  # Arabic
    (0x0900, 0x0980),  # Devanagari
    (0x0E00, 0x0E80),  # Thai
    (0x10A0, 0x1100),  # Georgian
    (0x13A0, 0x1400),  # Cherokee (lower case in AB70)
    (0x1AB0, 0x1B00),  # combining diacritical marks extended
    (0x1C80, 0x1CC0),  # Cyrillic extended-C, Georgian Mtavruli
    (0x1DC0, 0x1E00),  # combining diacritical marks supplement
    (0x20D0, 0x2100),  # combining marks for symbols
    (0x2200, 0x2300),  # mathematical operators (∨)
    (0x2460, 0x2500),  # enclosed alphanumerics (Ⓐ: a symbol with a case)
    (0x2500, 0x2600),  # box drawing (━), geometric shapes (◉)
    (0x2C00, 0x2D30),  # Glagolitic, Latin extended-C, Coptic, Georgian supplement
    (0x3000, 0x3100),  # CJK punctuation, hiragana, katakana (ツ)
    (0x4E00, 0x4E80),  # CJK ideographs
    (0xA640, 0xA6A0),  # Cyrillic extended-B
    (0xA720, 0xA800),  # Latin extended-D
    (0xAB70, 0xABC0),  # Cherokee supplement
    (0xAC00, 0xAC40),  # Hangul syllables (NFKD: jamo)
    (0xE000, 0xE010),  # private use, the start-up table's separator among them
    (0xFB13, 0xFB50),  # Armenian ligatures, Hebrew presentation forms
    (0xFE20, 0xFE30),  # combining half marks
    (0xFE30, 0xFF00),  # CJK compatibility, small forms
    (0xFF00, 0xFFF0),  # halfwidth and fullwidth forms (ﾟ ヮ, Ａ)
    (0x10400, 0x10450),  # Deseret: a case outside the BMP
    (0x1D400, 0x1D440),  # mathematical alphanumerics (NFKD: Latin)
    (0x1E900, 0x1E960),  # Adlam
    (0x1F000, 0x1F030),  # mahjong tiles
    (0x1F1E6, 0x1F200),  # regional indicators (🇺 🇸)
    (0x30000, 0x30010),  # CJK extension G
    (0xE0000, 0xE0080),  # tags
    (0xF0000, 0xF0008),  # supplementary private use
]
OTHERS = "".join(chr(c) for lo, hi in OTHER_BLOCKS for c in range(lo, hi))
UNASSIGNED = "\u2fef\u0530\u05ff\u2fff\U0002fffe\U000e0fff\U0010fffd"
LEARNED = OTHERS + UNASSIGNED


def _learning() -> tokens.NameTokens:
    """A core of its own, so that what it learns is what these tests ask it."""
    chars, folds, lowers, classes, honorific = tokens._char_table()
    return tokens.NameTokens(
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
        tokens._char_entries,
    )


def test_learned_entries_are_what_python_says() -> None:
    native = _learning()
    assert all(native.char_info(c) is None for c in LEARNED)  # not in the start-up table
    excluded = [c for c in LEARNED if native.char_info(c, learn=True) is None]
    for c in LEARNED:
        assert native.char_info(c, learn=True) == _python_says(c), (c, hex(ord(c)))
    assert excluded == [c for c in LEARNED if _python_says(c) is None]
    # the start-up table is what it was; learned or not, its entries stay
    assert all(native.char_info(c, learn=True) == native.char_info(c) for c in _table())


def test_stutter_backreference_on_learned_characters() -> None:
    """``_STUTTER_RE`` sees "X-y" as a stutter exactly when X is a letter and X and y have the
    same ``lower()``, among the learned characters and the table's."""
    native = _learning()
    learned = [c for c in LEARNED if native.char_info(c, learn=True) is not None]
    letters = [c for c in learned if re.match(r"[^\W\d_]", c)]
    every = learned + [c for c in _table() if native.char_info(c) is not None]
    by_lower: dict[str, list[str]] = {}
    for d in every:
        by_lower.setdefault(d.lower(), []).append(d)
    for c in learned:
        if c not in letters:
            assert tokens._STUTTER_RE.match(c + "-" + c) is None, c
    for c in letters:
        for d in by_lower[c.lower()] + ["a", "A", "\u4e00", "\uff21"]:
            expected = c.lower() == d.lower()
            assert (tokens._STUTTER_RE.match(c + "-" + d) is not None) == expected, (c, d)


# learned characters mixed with the pieces that stress the tokeniser's rules
LEARNED_TEXT = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        st.sampled_from(LEARNED),
        st.sampled_from(LEARNED).map(lambda c: c + "-" + c),
        st.sampled_from(LEARNED).map(lambda c: "Ann" + c + "-kun"),
        st.characters(exclude_categories=("Cs",)),
    ),
    max_size=80,
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(case=text_and_ranges(LEARNED_TEXT))
def test_native_matches_python_on_learned_text(case: tuple[str, list[tuple[int, int]]]) -> None:
    _check(case)


@settings(max_examples=300, deadline=None)
@given(word=st.text(alphabet=st.sampled_from(LEARNED + _table()[:600]), max_size=12))
def test_word_rules_compose_from_learned_characters(word: str) -> None:
    native = tokens._native_tokens()
    infos = [native.char_info(c, learn=True) for c in word]
    if any(i is None for i in infos):
        return
    classes = set().union(*(set(i[0]) for i in infos if i))
    assert fold(word) == "".join(i[1] for i in infos if i)
    assert word.isupper() == ("upper" in classes and "breaks_upper" not in classes)
    assert word.islower() == ("lower" in classes and "breaks_lower" not in classes)
    assert (not word.strip()) == all("space" in i[0] for i in infos if i)


def test_a_range_with_a_new_character_stays_native(monkeypatch: pytest.MonkeyPatch) -> None:
    native = _learning()
    monkeypatch.setattr(tokens, "_NATIVE", [native])
    text = "Kenji wrote 日本 (ツ) ━━ to Mr. Tanaka-san ∨ Hana 🇺🇸. Then Ｋｅｎｊｉ left.\ue000 İ"
    ranges = [(0, len(text) - 2), (0, len(text))]
    calls = _spy(monkeypatch)
    out = tokenise(text, ranges)
    assert calls == ranges[1:]  # İ: lower() is two characters
    monkeypatch.undo()
    _check((text, ranges))
    assert out == tokenise(text, ranges) and out.tokens == _tokenise_python(text, ranges).tokens


def test_no_range_of_real_text_falls_back(
    real_works: tuple[Work, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    passages = "\n\n".join(shared_texts("passages-train.jsonl"))  # as benchmarks/bench_speed.py joins them
    texts = [(passages, [(0, len(passages))])] + [(w.text, story_ranges(w)) for w in real_works]
    calls = _spy(monkeypatch)
    for text, ranges in texts:
        tokenise(text, ranges)
    assert calls == []
    monkeypatch.undo()
    _check((passages, [(0, len(passages))]))
