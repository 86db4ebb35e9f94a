"""The tenths a character appears in: bisecting over the story ranges gives the plain count's answer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from forewarn.who.importance import _tenths


def story_offset(offset: int, ranges: list[tuple[int, int]]) -> int:
    """``offset`` counted in story text only, range by range (the reference)."""
    done = 0
    for lo, hi in ranges:
        if offset < hi:
            return done + max(0, offset - lo)
        done += hi - lo
    return done


@st.composite
def ranges_and_starts(draw: st.DrawFn) -> tuple[list[tuple[int, int]], list[int]]:
    cuts = sorted(draw(st.sets(st.integers(0, 5000), min_size=2, max_size=40)))
    ranges = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False)]
    starts = sorted(draw(st.lists(st.integers(0, 5200), max_size=80)))
    return ranges, starts


@given(ranges_and_starts())
def test_tenths_match_the_range_by_range_count(case: tuple[list[tuple[int, int]], list[int]]) -> None:
    ranges, starts = case
    total = max(1, sum(hi - lo for lo, hi in ranges))
    expected = {min(9, int(10 * story_offset(s, ranges) / total)) for s in starts}
    assert _tenths(starts, ranges, total) == expected
