"""The who-analysis's word places from the native core (native/src/who_starts.rs) change nothing.

``WordStarts`` finds where a word opens with one of a list of prefixes; deaths.py and
relationships.py try their regexes only there. Every stage is compared with its Python reference
(finditer over the whole text, the window search before every name) on generated text and on every
real work, and so is the whole ``analyse_who``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn._native import WordStarts
from forewarn.model import Work
from forewarn.who import analyse_who, context, deaths, relationships
from forewarn.who.names import build_context
from tests.who_helpers import story

# Words around the patterns' first words: cases, prefixes inside words, look-alike letters (ı, ſ, İ,
# the Kelvin sign; not "ſhe", on which genders.py fails), whitespace that is not a space, and names.
WORDS = """
    I i love you Love LOVED kissed Kiss akiss lips met her his He he She she SHE him hand hands held holding
    in fell for a the dance one friends best Friendship team mate partner brother sister if If unless as
    though imagine dreamed feared supposing wondered died dead was killed stopped breathing breath no pulse
    heart went limp still closed eyes chest last time leave me screamed Mara Oren Elias Brand Anna said
    walked ıf aſ ſuppoſing İf \u212aiss é éhe _he x1 ’s 's Mara's Oren’s
""".split()  # noqa: SIM905 (a word list reads better as text)
SEPARATORS = [" ", " ", " ", "  ", "\u00a0", "\u2003", ", ", ". ", "! ", "? ", "; ", "\n", "\n\n", '"']
SEPARATORS += ["“", "”", "-"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), max_size=80))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True))


def _places_python(prefixes: list[tuple[str, bool]], text: str, lo: int, hi: int) -> list[int]:
    """The places WordStarts promises, spelt out: the prefix (and a whitespace character) by ``hi``,
    and no ASCII word character before it."""
    out = []
    hi = min(hi, len(text))
    for p in range(lo, hi):
        if p and re.fullmatch(r"[A-Za-z0-9_]", text[p - 1]):
            continue
        for w, space in prefixes:
            end = p + len(w)
            if text.startswith(w, p) and end + space <= hi and (not space or text[end].isspace()):
                out.append(p)
                break
    return out


PREFIXES = [("he", True), ("his", True), ("kiss", False), ("i", True), ("best friend", False), ("f", False)]


@settings(max_examples=400, deadline=None)
@given(text=texts(), cut=st.tuples(st.integers(0, 400), st.integers(0, 400)))
def test_word_starts_finds_the_places_it_promises(text: str, cut: tuple[int, int]) -> None:
    low = text.lower()
    spans = [(0, len(low)), (min(cut), max(cut)), (max(cut), min(cut))]
    found = WordStarts(PREFIXES).find(low, spans)
    assert found == [_places_python(PREFIXES, low, lo, hi) for lo, hi in spans]


def test_word_starts_without_utf8_leaves_it_to_python() -> None:
    assert WordStarts(PREFIXES).find("he \ud800 he ", [(0, 7)]) is None
    with pytest.raises(ValueError):
        WordStarts([("é", False)])


def _stages(ctx: context.Context) -> Iterator[tuple[object, object]]:
    """(native, reference) of every stage that uses the native places."""
    spans = relationships._story_spans(ctx)
    yield relationships._cues(ctx, spans), relationships._cues_python(ctx, spans)
    yield relationships._friend_starts(ctx, spans), relationships._friend_starts_python(ctx, spans)
    yield deaths._statements(ctx), deaths._statements(ctx, native=False)
    yield deaths._scenes(ctx), deaths._scenes(ctx, native=False)
    text, places = ctx.text, deaths._unreal_places(ctx)
    for floor in (0, max(0, len(text) - 150)):
        native = [deaths._unreal(text, at, floor, places) for at in range(len(text) + 1)]
        yield native, [deaths._unreal(text, at, floor) for at in range(len(text) + 1)]
    low = ctx.lowered()
    for rx, words in (
        (relationships._CUES_LOWER, relationships._CUE_WORDS),
        (relationships._PLATONIC_LOWER, relationships._FRIEND_WORDS),
        (deaths._PRONOUN_DEATH_LOWER, deaths._PRONOUN_DEATH_WORDS),
        (deaths._TERMINAL_LOWER, deaths._TERMINAL_WORDS),
    ):
        native_spans = [[m.span() for m in ms] for ms in context.word_matches(words, rx, low, spans)]
        yield native_spans, [[m.span() for m in ms] for ms in context._word_matches_python(rx, low, spans)]


def _reference_who(work: Work, monkeypatch: pytest.MonkeyPatch) -> object:
    """analyse_who with every stage on its Python reference."""

    def reference(_: WordStarts, rx: re.Pattern[str], text: str, spans: list[tuple[int, int]]) -> object:
        return context._word_matches_python(rx, text, spans)

    with monkeypatch.context() as m:
        m.setattr(relationships, "word_matches", reference)
        m.setattr(deaths, "word_matches", reference)
        m.setattr(deaths, "_unreal_places", lambda ctx: None)
        return analyse_who(work)


@settings(max_examples=300, deadline=None)
@given(text=texts())
def test_stages_match_their_reference_on_generated_text(text: str) -> None:
    ctx = build_context(story(text))
    for native, reference in _stages(ctx):
        assert native == reference


def test_the_reference_of_the_cue_starts_is_the_regex_it_replaced() -> None:
    # _CUE_STARTS is built from _CUE_FIRST_WORDS; the pattern it was written as finds the same places
    written = re.compile(
        r"(?=[a-z])\b(?=i\s|lov|kiss|made love|lip|in love|fell for|crush on|confess|boyfriend|girlfriend"
        r"|husband|wife|fianc|marr|wedding|dating|beloved|darling|sweetheart|held|holding hands|hand|finger"
        r"|embrac|cuddl|nuzzl|caress|hug|blush|flushed|dance with me|danced with|(?:for|one|a|the) dance|palm"
        r"|cup|heart )"
    )
    firsts = " ".join(w + "x" for w, _ in relationships._CUE_FIRST_WORDS)
    text = " ".join(WORDS).lower() + " i\u00a0x " + firsts
    assert [m.start() for m in relationships._CUE_STARTS.finditer(text)] == [
        m.start() for m in written.finditer(text)
    ]


def test_native_matches_python_on_real_works(
    real_works: tuple[Work, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    for work in real_works:
        ctx = build_context(work)
        for native, reference in _stages(ctx) if len(work.text) < 200_000 else ():
            assert native == reference
        assert analyse_who(work) == _reference_who(work, monkeypatch)
