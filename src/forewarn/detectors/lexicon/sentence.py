"""One sentence of a passage, the facts the rules ask about it (each worked out once), and the
evidence a match in it shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from forewarn.detectors import text_cues

MAX_EVIDENCE = 400  # characters; a longer "sentence" is cut down to the clause around the cue


def lower(text: str) -> str:
    """``text.lower()`` with the same length, so offsets stay valid ("İ" lowers to two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Sentence:
    """The sentence ``low[s:e]`` of a passage (``text`` in its own case), and what the rules ask
    about it, each worked out once: a fact about the whole sentence (backstory, verse, graphic
    detail, a boost), or about one cue or match in it, which several rules can share. A run-on
    sentence can hold thousands of matches."""

    __slots__ = ("_facts", "_irrealis", "e", "low", "s", "text")

    def __init__(self, text: str, low: str, s: int, e: int) -> None:
        self.text, self.low, self.s, self.e = text, low, s, e
        self._facts: dict[object, bool] = {}
        self._irrealis: dict[int, str | None] = {}

    def fact(self, key: object, test: Callable[[], bool]) -> bool:
        """``test()``, kept under ``key``."""
        found = self._facts.get(key)
        if found is None:
            found = self._facts[key] = test()
        return found

    def holds(self, pattern: re.Pattern[str]) -> bool:
        """``pattern`` matches in the sentence."""
        found = self._facts.get(pattern)
        if found is None:
            found = self._facts[pattern] = pattern.search(self.low, self.s, self.e) is not None
        return found

    def irrealis(self, cue: int) -> str | None:
        """:func:`text_cues.irrealis` of the cue at ``cue``."""
        if cue not in self._irrealis:
            self._irrealis[cue] = text_cues.irrealis(self.low, cue, self.s)
        return self._irrealis[cue]


def evidence_bounds(low: str, s: int, e: int, ms: int, me: int) -> tuple[int, int]:
    """The sentence ``low[s:e]``, or for a run-on sentence the clause-ish window around the match
    ``low[ms:me]``."""
    if e - s <= MAX_EVIDENCE:
        return s, e
    half = (MAX_EVIDENCE - (me - ms)) // 2
    lo = max(s, ms - max(half, 0))
    hi = min(e, me + max(half, 0))
    # Prefer to start and end at a clause mark inside the window.
    cut = max(low.rfind(",", lo, ms), low.rfind(";", lo, ms))
    if cut != -1:
        lo = cut + 1
    stop = [i for i in (low.find(",", me, hi), low.find(";", me, hi)) if i != -1]
    if stop:
        hi = min(stop)
    while lo < hi and low[lo].isspace():
        lo += 1
    while hi > lo and low[hi - 1].isspace():
        hi -= 1
    return lo, hi
