"""How much a story is about each character: one score for the whole and the windowed analysis."""

from __future__ import annotations

import bisect
import math


def importance_score(starts: list[int], dialogue: int, ranges: list[tuple[int, int]]) -> float:
    """How much the story is about a character: mentions (``starts``, sorted), lines of dialogue,
    and how many tenths of the story text they appear in. Importance is this over the top score."""
    total = max(1, sum(hi - lo for lo, hi in ranges))
    return math.log1p(len(starts)) + 0.5 * math.log1p(dialogue) + 0.3 * len(_tenths(starts, ranges, total))


def _tenths(starts: list[int], ranges: list[tuple[int, int]], total: int) -> set[int]:
    """The tenths of the story text that ``starts`` (sorted) fall in; bisecting, as the tenth only grows."""

    def tenth(offset: int) -> int:
        return min(9, int(10 * _story_offset(offset, ranges) / total))

    out: set[int] = set()
    i = 0
    while i < len(starts):
        t = tenth(starts[i])
        out.add(t)
        i = bisect.bisect_right(starts, t, i + 1, key=tenth)
    return out


def _story_offset(offset: int, ranges: list[tuple[int, int]]) -> int:
    if len(ranges) == 1:
        lo, hi = ranges[0]
        return max(0, offset - lo) if offset < hi else hi - lo
    done = 0
    for lo, hi in ranges:
        if offset < hi:
            return done + max(0, offset - lo)
        done += hi - lo
    return done
