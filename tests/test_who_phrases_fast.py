"""The who-analysis's fast phrase and key steps give exactly what their reference versions give
(``_candidate_phrases_python``, ``_groups_python``, ``_keys_python``, ``_join_shouted_python``)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn.model import Work
from forewarn.who import analyse_who, merge, names, phrases
from forewarn.who import kb as kb_module
from forewarn.who.dialogue import speaker_keys
from forewarn.who.text import story_ranges
from forewarn.who.tokens import tokenise
from forewarn.who.usage import namelike_test, usage

WORDS = [
    "Mara", "Lind", "Mara's", "Kaia", "Fletcher", "de", "De", "van", "VAN", "Borel", "Captain", "Lady",
    "The", "the", "and", "And", "Then", "Instead", "Point", "Skerry", "Mount", "Vire", "Hill", "Sound",
    "Village", "SAKURA", "Sakura", "Sasuke", "Sasuke-kun", "Uchiha", "Naruto", "Hinata", "Hyuuga",
    "Konoha", "at", "to", "that", "near", "walked", "said", "she", "he", "her", "lind", "Stone",
    "Josie", "Packard", "Maid", "B-B-Bella", "\u212a", "\u0130s", "\u2013", "\u2615", "ſhe",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "  ", ". ", ", ", "\n", " \u2013 ", "\n\n", ' "', '," ', "! ", " \u00a0"]


def _run(text: str) -> tuple[object, ...]:
    """The inputs of the phrase and key steps, as build_context makes them."""
    kb = kb_module.load()
    ranges = [(0, len(text))]
    toks, lower, _ = tokenise(text, ranges)
    stats = usage(toks, lower, speaker_keys(text, ranges))
    return kb, toks, stats, namelike_test(stats, kb.terms)


def _same_steps(text: str) -> None:
    kb, toks, stats, namelike = _run(text)
    assert phrases._groups(text, toks) == phrases._groups_python(text, toks)
    found = phrases.candidate_phrases(text, toks, stats, kb, namelike)
    assert found == phrases._candidate_phrases_python(text, toks, stats, kb, namelike)
    for in_fandom in (None, "Naruto", "Harry Potter"):
        pending, full = merge._keys(text, found, stats, kb, in_fandom, namelike)
        assert (pending, full) == merge._keys_python(text, found, stats, kb, in_fandom, namelike)
        resolved = merge._disambiguate(pending, merge._not_places(full, stats), full.seen)
        assert merge._join_shouted(text, resolved) == merge._join_shouted_python(text, resolved)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=60))
def test_fast_steps_match_reference_on_generated_texts(pairs: list[tuple[str, str]]) -> None:
    _same_steps("".join(w + s for w, s in pairs))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="Aa de\u2013\u212a\u0130 .'\n", max_size=40))
def test_groups_match_reference_on_odd_gaps(text: str) -> None:
    _same_steps(text)


def test_groups_join_on_particles_and_single_spaces() -> None:
    text = "Aymeric de Borel met Ann  Lee and Bo \u2013 Cy, Dee VAN Eck, Fay\u00a0de Gil, Mara's Dog"
    toks = _run(text)[1]
    got = [[t.word for t in g] for g in phrases._groups(text, toks)]
    assert got == [
        ["Aymeric", "Borel"],
        ["Ann"],
        ["Lee"],
        ["Bo"],
        ["Cy"],
        ["Dee", "VAN", "Eck"],
        ["Fay"],
        ["Gil"],
        ["Mara"],
        ["Dog"],
    ]
    assert got == [[t.word for t in g] for g in phrases._groups_python(text, toks)]


def _reference_who(work: Work, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        m.setattr(names, "candidate_phrases", phrases._candidate_phrases_python)
        m.setattr(merge, "_keys", merge._keys_python)
        m.setattr(merge, "_join_shouted", merge._join_shouted_python)
        return analyse_who(work)


def test_fast_steps_match_reference_on_real_works(
    real_works: tuple[Work, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    for work in real_works:
        text = work.text
        kb = kb_module.load()
        ranges = story_ranges(work)
        toks, lower, _ = tokenise(text, ranges)
        stats = usage(toks, lower, speaker_keys(text, ranges))
        namelike = namelike_test(stats, kb.terms)
        assert phrases._groups(text, toks) == phrases._groups_python(text, toks)
        found = phrases.candidate_phrases(text, toks, stats, kb, namelike)
        assert found == phrases._candidate_phrases_python(text, toks, stats, kb, namelike)
        for in_fandom in (None, "Naruto"):
            pending, full = merge._keys(text, found, stats, kb, in_fandom, namelike)
            assert (pending, full) == merge._keys_python(text, found, stats, kb, in_fandom, namelike)
            resolved = merge._disambiguate(pending, merge._not_places(full, stats), full.seen)
            assert merge._join_shouted(text, resolved) == merge._join_shouted_python(text, resolved)
        assert analyse_who(work) == _reference_who(work, monkeypatch)
