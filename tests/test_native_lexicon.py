"""The native required-strings test gives ``prefilter.holds``' answers for every set at once
(native/src/lexicon_literals.rs, detectors/lexicon/prefilter.py ``Required``), and the detector
finds the same with it as with ``holds`` alone."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forewarn.detectors.lexicon import LexiconDetector
from forewarn.detectors.lexicon.prefilter import Literals, Required, holds
from forewarn.detectors.lexicon.sentence import lower
from forewarn.model import Passage
from tests.conftest import shared_texts

DETECTOR = LexiconDetector()
KINDS = ("_idioms_required", "_gates_required", "_graphic_required")


def reference_detector() -> LexiconDetector:
    """The shipped lexicon with every required-strings test left to ``holds``."""
    detector = LexiconDetector()
    for kind in KINDS:
        getattr(detector, kind)._native = None
    return detector


REFERENCE = reference_detector()


def all_sets(required: Required) -> list[Literals]:
    return list(required._ids)


def assert_same(required: Required, text: str) -> None:
    sets = all_sets(required)
    expected = [k for k, literals in enumerate(sets) if holds(literals, text)]
    assert required.holding(sets, required.ids(sets), text) == expected, text
    held = required.held(text)
    assert [k for k, literals in enumerate(sets) if held(literals)] == expected, text
    # asked one by one and in another order
    for k in (0, len(sets) // 2, len(sets) - 1):
        if 0 <= k < len(sets):
            assert required.holding([sets[k]], required.ids([sets[k]]), text) == (
                [0] if k in expected else []
            )


# --- generated text and sets ------------------------------------------------------------------

ALPHABET = "abcdeé ß'’-‐–—\"“”.,!?\n\t\u00a0\u0301中ıİ😀"
STRING = st.text(ALPHABET, max_size=4)
SETS = st.lists(st.lists(st.lists(STRING, min_size=1, max_size=6), max_size=3), min_size=1, max_size=8)

SETTINGS = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(SETS, st.text(ALPHABET, max_size=60))
def test_generated_sets_hold_as_holds_says(raw: list[list[list[str]]], text: str) -> None:
    sets = [tuple(tuple(strings) for strings in literals) for literals in raw]
    required = Required(sets)
    assert required._native is not None
    known = list(dict.fromkeys(sets))
    expected = [k for k, literals in enumerate(known) if holds(literals, text)]
    assert required.holding(known, required.ids(known), text) == expected
    held = required.held(text)
    assert [held(literals) for literals in sets] == [holds(literals, text) for literals in sets]


WORDS = st.one_of(
    st.sampled_from(
        sorted({s for literals in all_sets(DETECTOR._idioms_required) for t in literals for s in t})
    ),
    st.sampled_from(
        sorted({s for literals in all_sets(DETECTOR._gates_required) for t in literals for s in t})
    ),
    st.sampled_from(DETECTOR._graphic_literals[0]),
    st.sampled_from(sorted(DETECTOR._full)),
    st.text(ALPHABET, max_size=3),
)


@SETTINGS
@given(st.lists(WORDS, max_size=40), st.sampled_from([" ", "", "-", "'", "é", "\u0301", ", "]))
def test_lexicon_sets_hold_as_holds_says(words: list[str], joint: str) -> None:
    text = joint.join(words)
    for kind in KINDS:
        assert_same(getattr(DETECTOR, kind), text)


@SETTINGS
@given(st.lists(WORDS, max_size=60), st.sampled_from([" ", ". ", ", ", "\n", " not ", " almost "]))
def test_generated_text_gives_the_reference_findings(words: list[str], joint: str) -> None:
    text = joint.join(words)
    passages = [Passage(0, 0, len(text), 0, text), Passage(1, len(text), 2 * len(text), 0, text.upper())]
    assert DETECTOR.detect(passages) == REFERENCE.detect(passages)


def test_unknown_sets_and_unreadable_text_fall_back_to_holds() -> None:
    required = Required([(("blood",), ("pool", "puddle"))])
    other: Literals = (("gore",),)
    assert required.ids([other]) is None
    assert required.holding([other], None, "gore") == [0]
    assert required.held("a pool of gore")(other)
    lone = "a pool of blood \ud800"
    assert required.holding(list(required._ids), required.ids(list(required._ids)), lone) == [0]
    assert required.held(lone)((("blood",), ("pool", "puddle")))
    assert Required([(("\ud800",),)])._native is None  # a string Rust cannot hold: holds answers
    assert Required([(("\ud800",),)]).held("x\ud800")((("\ud800",),))


# --- real text ----------------------------------------------------------------------------------


def test_every_training_passage_holds_as_holds_says() -> None:
    for text in shared_texts("passages-train.jsonl"):
        low = lower(text)
        for kind in KINDS:
            assert_same(getattr(DETECTOR, kind), low)


def test_every_pan_work_holds_as_holds_says() -> None:
    for text in shared_texts("pan23-sample-works.jsonl"):
        low = lower(text)
        for kind in KINDS:
            assert_same(getattr(DETECTOR, kind), low)
        for start in range(0, len(low), 997):  # windows as the idioms' and sentences' are
            assert_same(DETECTOR._idioms_required, low[start : start + 300])


def test_training_passages_give_the_reference_findings() -> None:
    texts = shared_texts("passages-train.jsonl")
    passages = [Passage(i, 0, len(t), 0, t) for i, t in enumerate(texts)]
    assert DETECTOR.detect(passages) == REFERENCE.detect(passages)
