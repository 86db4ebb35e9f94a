"""Canon-term counting in the native core gives exactly what its Python reference gives (who/fandom.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn.model import Work
from forewarn.who import fandom
from forewarn.who import kb as kb_module
from forewarn.who.fandom import _canon_terms_python, canon_terms
from forewarn.who.kb import KnowledgeBase
from forewarn.who.text import story_ranges
from forewarn.who.tokens import tokenise

TERMS = {
    "hidden leaf": ("Naruto",),
    "hidden leaf village": ("Naruto",),
    "leaf": ("Naruto",),
    "sharingan": ("Naruto",),
    "éowyn": ("LotR",),
    "straße": ("X",),
    "o'neil": ("X",),
    "a b c d": ("X",),
    "a b": ("Y",),
    "b c": ("Y",),
    "i̇stanbul": ("Z",),
}
# Words that fold onto the terms' words and around them: cases, possessives, ’, accents, ß and İ.
WORDS = [
    "Hidden",
    "HIDDEN",
    "hidden",
    "Leaf",
    "leaf's",
    "Leaf’s",
    "LEAF'S",
    "Village",
    "village’s",
    "Sharingan",
    "Éowyn",
    "Eowyn",
    "E\u0301owyn",
    "Straße",
    "STRASSE",
    "O'Neil",
    "O’Neil",
    "O’Neil’s",
    "A",
    "a",
    "B",
    "b's",
    "C",
    "D",
    "İstanbul",
    "istanbul",
    "the",
    "s",
    "Kakashi",
]


def _kb(max_words: int) -> KnowledgeBase:
    return KnowledgeBase((), {}, {}, dict(TERMS), max_words, {})


def _same(words: list[list[str]], kb: KnowledgeBase) -> None:
    native = canon_terms("", [], kb, words)
    assert list(native.items()) == list(_canon_terms_python("", [], kb, words).items())  # order too


@settings(max_examples=1500, deadline=None)
@given(
    words=st.lists(st.lists(st.sampled_from(WORDS), max_size=40), max_size=4),
    max_words=st.integers(0, 5),
)
def test_native_matches_python_on_generated_words(words: list[list[str]], max_words: int) -> None:
    _same(words, _kb(max_words))


def test_the_real_knowledge_base_and_words_from_text() -> None:
    kb = kb_module.load()
    text = "The Hidden Leaf Village's Sharingan. Hogwarts and the Sharingan; Padmé's lightsaber at Hogwarts."
    ranges = [(0, len(text)), (4, 40)]
    assert canon_terms(text, ranges, kb) == _canon_terms_python(text, ranges, kb)
    assert list(canon_terms(text, ranges, kb).items()) == list(_canon_terms_python(text, ranges, kb).items())


def test_a_word_python_cannot_give_as_utf8_takes_the_python_path(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    reference = fandom._count_terms

    def spy(raw_words: list[str], *rest: object) -> None:
        calls.append(raw_words)
        reference(raw_words, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(fandom, "_count_terms", spy)
    words = [["Hidden", "Leaf"], ["Hidden", "\ud800", "Leaf", "Sharingan"]]
    found = canon_terms("", [], _kb(3), words)
    assert calls == [words[1]]
    assert found == {"hidden leaf": 1, "leaf": 2, "sharingan": 1}  # "Leaf" starts a term of its own too


def test_native_matches_python_on_real_works(real_works: tuple[Work, ...]) -> None:
    kb = kb_module.load()
    for work in real_works:
        ranges = story_ranges(work)
        words = tokenise(work.text, ranges).words
        assert list(canon_terms(work.text, ranges, kb, words).items()) == list(
            _canon_terms_python(work.text, ranges, kb, words).items()
        )
        assert canon_terms(work.text, ranges, kb) == _canon_terms_python(work.text, ranges, kb)
