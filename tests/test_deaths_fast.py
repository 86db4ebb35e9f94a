"""deaths.py's pre-check (a name with no statement word in reach is not tried) changes nothing.

``_statements(ctx)`` skips the names that no death word of _AFTER, _COORD or _BEFORE is near;
``_statements(ctx, native=False)`` is the reference that tries every name. They are compared on
generated text (with made-up contexts too, so that names sit anywhere, also outside a sentence), on
every real work, and the whole ``analyse_who`` with and without the pre-check.
"""

from __future__ import annotations

import re
import string
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn.model import Work
from forewarn.who import analyse_who, deaths
from forewarn.who.context import Context, Mention
from forewarn.who.names import build_context
from forewarn.who.text import Span
from tests.conftest import REPO
from tests.who_helpers import story

NAMES = ["Mara", "Oren", "Elias", "Anna"]
# Names and pronouns, every statement word and near misses of them (inside words, other cases,
# look-alike letters), the words that block a statement (negations, modals, conditions, roles) and
# the ones that open fuller names.
WORDS = (
    NAMES
    + """
    Brand Captain Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa he she his her their it they
    was is had been lay lies laid lying already now still got and then soon promptly a an the another
    dead Dead DEAD undead deadly lifeless killed kill Killed skilled xkilled murdered slain slew executed
    assassinated buried died dies diet perished passed away bled out succumbed burned burnt froze
    starved to death stopped breathing breathed breath drew last never woke up opened eyes eye eye's
    eyes' dulled glazed empty unseeing loss of life cold limp body form corpse grave gravel funeral
    heart heartbeat pulse ceased chest rising moving heaving relatives family
    not no almost would could might will if If unless whether imagine dreamed feared wondered
    ıf ſlain KİLLED \u212aILLED dıed 's ’s Mara's Oren’s
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
AFTER = [
    " was dead", " is lifeless", " lay still dead", " had died", " dies", " perished", " passed away",
    " bled out", " succumbed", " was assassinated", " starved to death", " drew her last breath",
    " never opened his eyes again", "'s cold corpse", "’s limp form", "'s pulse ceased", "'s grave",
    "'s funeral", ", her eyes glazed", ", eye's unseeing", " eyes empty", " Brand was dead",
]  # fmt: skip
# whole phrases of the patterns, so that statements are common
WORDS += [
    "was dead", "had died", "died", "was killed", "was already dead", "bled out", "burned to death",
    "stopped breathing", "breathed her last", "never woke up", "'s lifeless body", "’s corpse",
    "'s heart stopped", "'s chest ceased rising", ", eyes dulled", "and died", "and then died",
    "had a stroke and died", "he and died", "killed", "the body of", "buried", "would have killed",
    "the relatives of",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", " ", "  ", "\u00a0", ", ", ",", ". ", "! ", "? ", '?" ', "; ", "\n", "\n\n"]
SEPARATORS += ['"', "“", "”", "-", "'"]


@st.composite
def texts(draw: st.DrawFn) -> str:
    # a name with a phrase of _AFTER right after it, often
    stated = st.builds(str.__add__, st.sampled_from(NAMES), st.sampled_from(AFTER))
    words = draw(st.lists(st.one_of(st.sampled_from(WORDS), stated), max_size=60))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(w + s for w, s in zip(words, seps, strict=True))


# the characters named, so that build_context finds them in generated text
PRELUDE = "Mara said hello. Oren said hello. Elias said hi. Anna smiled. Mara laughed. Oren nodded. "


@settings(max_examples=400, deadline=None)
@given(text=texts())
def test_statements_match_the_reference_on_generated_text(text: str) -> None:
    ctx = build_context(story(PRELUDE + text))
    assert deaths._statements(ctx) == deaths._statements(ctx, native=False)


def _made_up_context(text: str, cuts: list[int], gap: int) -> Context:
    """Every name of NAMES a mention; sentences cut at ``cuts``, each ending ``gap`` characters
    early (so that some names and words lie outside every sentence)."""
    bounds = sorted({0, len(text), *(c % (len(text) + 1) for c in cuts)})
    sents = [Span(a, max(a, b - gap)) for a, b in pairwise(bounds)]
    mentions = [Mention(m.start(), m.end(), m.group()) for m in re.finditer("|".join(NAMES), text)]
    genders = dict.fromkeys(NAMES, "f")
    aliases = {n.lower(): n for n in NAMES}
    return Context.make(text, [Span(0, len(text))], sents, mentions, genders, aliases, (), None, text.lower())


@settings(max_examples=400, deadline=None)
@given(text=texts(), cuts=st.lists(st.integers(0, 1000), max_size=6), gap=st.integers(0, 12))
def test_statements_match_the_reference_in_made_up_contexts(text: str, cuts: list[int], gap: int) -> None:
    ctx = _made_up_context(text, cuts, gap)
    assert deaths._statements(ctx) == deaths._statements(ctx, native=False)


def test_a_window_that_opens_inside_a_word() -> None:
    # "killed" opens the 120 characters before "Mara" inside the word "xkilled": _BEFORE sees a word
    # there (two capitalised words, a fuller name, are stripped), the native word starts do not
    a = (deaths._BEFORE_REACH - len("killed ")) // 2
    lead = "A" + "a" * (a - 2) + " B" + "b" * (deaths._BEFORE_REACH - len("killed ") - a - 2) + " "
    text = "Oren saw that xkilled " + lead + "Mara."
    assert text.index("killed") == text.index("Mara") - deaths._BEFORE_REACH
    ctx = _made_up_context(text, [], 0)
    assert deaths._statements(ctx, native=False)  # the case is one where the reference finds a statement
    assert deaths._statements(ctx) == deaths._statements(ctx, native=False)


def test_a_name_after_the_end_of_its_sentence() -> None:
    # the last sentence starting before "Mara" ends before "killed": _BEFORE still looks there
    text = "Oren walked. killed Mara"
    mentions = [Mention(0, 4, "Oren"), Mention(20, 24, "Mara")]
    ctx = Context.make(text, [Span(0, 24)], [Span(0, 12)], mentions, {}, {}, (), None, text.lower())
    assert deaths._statements(ctx, native=False)
    assert deaths._statements(ctx) == deaths._statements(ctx, native=False)


def test_lower_cased_text_finds_the_statement_words_that_re_i_finds() -> None:
    # The pre-check reads the lower-cased text for patterns matched with re.I: no character other
    # than "ı" and "ſ" (no pre-check then) matches an ASCII letter under re.I and lowers to another,
    # but for those that lower to two (then the lengths differ: no pre-check either).
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        if c in "ıſ" or len(c.lower()) != 1 or not re.fullmatch("[a-z]", c, re.I):
            continue
        for letter in string.ascii_lowercase:
            assert bool(re.fullmatch(letter, c, re.I)) == (c.lower() == letter), c


def _holds_a_word(seq: object, run: str = "") -> bool:
    """Does every match of the parsed pattern ``seq`` hold a statement word in a run of literals?
    ``run``: the literals right before ``seq`` (the parser moves an alternation's common prefix out
    of it: "slew|slain" is "sl" and "ew|ain")."""
    from re import _constants as c

    words = deaths._STATEMENT_WORD_LIST
    for op, av in seq:  # type: ignore[attr-defined]
        if op is c.LITERAL:
            run += chr(av)
            continue
        if any(w in run.lower() for w in words):
            return True
        if op is c.SUBPATTERN and _holds_a_word(av[-1], run):
            return True
        if op is c.BRANCH and all(_holds_a_word(b, run) for b in av[1]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1 and _holds_a_word(av[2]):
            return True
        run = ""
    return any(w in run.lower() for w in words)


def test_every_statement_pattern_match_holds_a_statement_word() -> None:
    from re import _parser

    for rx in (deaths._AFTER, deaths._COORD, deaths._BEFORE):
        assert _holds_a_word(_parser.parse(rx.pattern, rx.flags)), rx.pattern
    # and the check sees a pattern without one
    assert not _holds_a_word(_parser.parse(r"\s+(?:was|is)\s+(?:dead|gone)\b"))


def _without_precheck(work: Work, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as m:
        m.setattr(deaths, "_statement_places", lambda ctx: None)
        return analyse_who(work)


def test_statements_match_the_reference_on_real_works(real_works: tuple[Work, ...]) -> None:
    for work in real_works:
        ctx = build_context(work)
        assert deaths._statements(ctx) == deaths._statements(ctx, native=False)


def test_analyse_who_is_the_same_with_and_without_the_precheck_on_real_works(
    real_works: tuple[Work, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    for work in real_works:
        assert analyse_who(work) == _without_precheck(work, monkeypatch)


def test_analyse_who_is_the_same_with_and_without_the_precheck_on_a_million_words(
    real_works: tuple[Work, ...], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # the speed benchmark's text (benchmarks/bench_speed.py): the real works repeated to 1 M words
    from forewarn.readers.txt import work_from_text

    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    from bench_speed import repeated, stories_text

    work = work_from_text(repeated(stories_text(tmp_path), 1_000_000))
    assert analyse_who(work) == _without_precheck(work, monkeypatch)
