"""How the story uses each capitalised word, and whether that use is a name's.

Counts over the tokens (mid-sentence or sentence-initial, after a determiner or a place cue, as a
speaker), then :func:`namelike`: a word is used like a name when it is capitalised mid-sentence,
rarely lower-case, not after "the" or "in", not a title, a place head or a plural.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from forewarn.who.lexicon import DETERMINERS, NAME_TITLES, PLACE_CUES, PLACE_HEADS, STOP
from forewarn.who.tokens import Token


@dataclass(slots=True)
class Usage:
    """Per folded word: how often the story uses it in each way."""

    lower: Counter[str]
    cap_mid: Counter[str]  # capitalised, not sentence-initial
    cap_initial: Counter[str]
    after_det: Counter[str]
    after_place: Counter[str]
    speaker: Counter[str]
    initial_subject: Counter[str]  # sentence-initial and followed by a lower-case word


def usage(toks: list[Token], lower: Counter[str], speakers: Counter[str]) -> Usage:
    """The counts over ``toks``, with ``lower`` (the tokeniser's) and ``speakers`` (dialogue tags)."""
    # each count over a list of keys: Counter counts a list in C, in the same order as one loop would
    ts = [t for t in toks if not t.allcaps]
    # after a determiner, but not "that", which joins a clause ("knew that Mara left")
    after_det = [t.key for t in ts if t.prev in DETERMINERS and t.prev != "that" and not t.initial]
    return Usage(
        lower,
        Counter([t.key for t in ts if not t.initial]),
        Counter([t.key for t in ts if t.initial]),
        Counter(after_det),
        Counter([t.key for t in ts if t.prev in PLACE_CUES and not t.possessive]),
        speakers,
        Counter([t.key for t in ts if t.initial and t.then_lower]),
    )


def namelike(key: str, st: Usage, terms: dict[str, tuple[str, ...]]) -> bool:
    """Does the text use this capitalised word like a name?"""
    if len(key) < 2 or key in STOP or key in NAME_TITLES or key in PLACE_HEADS or key in terms:
        return False
    mid, ini, low = st.cap_mid[key], st.cap_initial[key], st.lower[key]
    said = st.speaker[key]
    if not said and key.endswith("s") and (st.lower[key[:-1]] or key.endswith(("ers", "ans", "ists"))):
        return False  # plurals of common nouns and groups: "Festivals", "Outlanders"
    total = mid + ini
    if mid == 0 and not said and not (low == 0 and ini >= 3 and st.initial_subject[key] >= 2):
        return False  # seen only at sentence starts, unless often the subject of one ("Lio left")
    if mid == 0 and key.endswith("ly"):
        return False
    if low > 0.25 * total:
        return False
    if st.after_det[key] > 0.3 * max(mid, 1):
        return False
    return not (st.after_place[key] and st.after_place[key] >= 0.5 * mid and not said) and (
        total >= 2 or said > 0
    )


def namelike_test(st: Usage, terms: dict[str, tuple[str, ...]]) -> Callable[[str], bool]:
    """:func:`namelike` for one story, which depends only on the word once the counts are in:
    each distinct word is decided once."""
    memo: dict[str, bool] = {}

    def test(key: str) -> bool:
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = namelike(key, st, terms)
        return hit

    return test
