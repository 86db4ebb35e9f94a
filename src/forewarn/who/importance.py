"""How much a story is about each character: one score for the whole and the windowed analysis."""

from __future__ import annotations

import bisect
import itertools
import math


def importance_score(starts: list[int], dialogue: int, ranges: list[tuple[int, int]]) -> float:
    """How much the story is about a character: mentions (``starts``, sorted), lines of dialogue,
    and how many tenths of the story text they appear in. Importance is this over the top score."""
    total = max(1, sum(hi - lo for lo, hi in ranges))
    return math.log1p(len(starts)) + 0.5 * math.log1p(dialogue) + 0.3 * len(_tenths(starts, ranges, total))


def _tenths(starts: list[int], ranges: list[tuple[int, int]], total: int) -> set[int]:
    """The tenths of the story text that ``starts`` (sorted) fall in; bisecting, as the tenth only grows."""
    ends = [hi for _, hi in ranges]
    before = list(
        itertools.accumulate((hi - lo for lo, hi in ranges), initial=0)
    )  # story text before each range

    def story_offset(offset: int) -> int:
        """``offset`` counted in story text only: the first range ending after it holds it."""
        k = bisect.bisect_right(ends, offset)
        if k == len(ranges):
            return before[-1]
        return before[k] + max(0, offset - ranges[k][0])

    def tenth(offset: int) -> int:
        return min(9, int(10 * story_offset(offset) / total))

    out: set[int] = set()
    i = 0
    while i < len(starts):
        t = tenth(starts[i])
        out.add(t)
        i = bisect.bisect_right(starts, t, i + 1, key=tenth)
    return out
