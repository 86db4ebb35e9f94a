"""``NameTokens.tokenise_range`` adds a range's lower-case counts into a given dict exactly as
``Counter.update`` adds the counts it gives back (who/tokens.py passes its Counter)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from forewarn.who import tokens

WORDS = ["the", "The", "Anna", "anna's", "cat’s", "ÉLAN", "élan", "x", "Mr", "s", "9", "-", "\u2019"]
text_st = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)


def _call(native: object, text: str, lower: dict[str, int] | None) -> object:
    return native.tokenise_range(text, 0, False, False, False, False, lower)  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(
    texts=st.lists(text_st, min_size=1, max_size=4),
    start=st.dictionaries(st.sampled_from(WORDS), st.integers(1, 5)),
)
def test_counts_added_in_place_as_counter_update_adds_them(texts: list[str], start: dict[str, int]) -> None:
    native = tokens._native_tokens()
    expected: Counter[str] = Counter(start)
    got: Counter[str] = Counter(start)
    for text in texts:
        alone = _call(native, text, None)
        into = _call(native, text, got)
        assert alone is not None and into is not None
        expected.update(alone[1])  # type: ignore[index]
        assert into[1] is got  # type: ignore[index]
        assert into[0] == alone[0] and into[2] == alone[2]  # type: ignore[index]
    assert list(got.items()) == list(expected.items())
