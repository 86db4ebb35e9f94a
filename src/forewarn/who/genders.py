"""Genders of the characters the knowledge base does not know, from the pronouns after their names."""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from forewarn.who.context import Mention
from forewarn.who.merge import Entity
from forewarn.who.text import Span

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
                  "herself": "f"}  # fmt: skip
_PRONOUN_RE = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.I)
# Letters that re.I takes for a pronoun's letters but lower() does not map to them ("ſhe", "hİs").
IGNORECASE_TWINS = str.maketrans("İıſ", "iis")


def infer_genders(text: str, sents: list[Span], mentions: list[Mention], ents: dict[str, Entity]) -> None:
    """Unknown characters get a gender from the pronouns after their name in one-name sentences."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    starts = [m.start for m in mentions]
    for s in sents:
        lo = bisect.bisect_left(starts, s.start)
        hi = bisect.bisect_left(starts, s.end, lo)
        if lo == hi:
            continue
        names = {m.name for m in mentions[lo:hi]}
        if len(names) != 1:
            continue
        for k in range(lo, hi):  # the first pronoun after each mention, before the next one
            stop = mentions[k + 1].start if k + 1 < hi else s.end
            p = _PRONOUN_RE.search(text, mentions[k].end, stop)
            if p:
                votes[mentions[k].name][PRONOUN_GENDER[p.group().translate(IGNORECASE_TWINS).lower()]] += 1
    for e in ents.values():
        if e.gender:
            continue
        v = votes.get(e.name)
        if v:
            g, n = v.most_common(1)[0]
            if n >= 2 and n >= 0.75 * sum(v.values()):
                e.gender = g
