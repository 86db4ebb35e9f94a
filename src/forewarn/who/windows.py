"""The who-analysis of a very long story, one window at a time, so its memory stays bounded.

The analysis indexes every token, name candidate and sentence of the text it reads: about 150
bytes per word. For the stories people read (even 500,000 words) that is fine; a 40 MB file
(7.7 million words, the largest ``--max-mb`` accepts by default) would need over a gigabyte. So
a story longer than ``WINDOW_CHARS`` is cut into windows at paragraph breaks, each window is
analysed as a work of its own, and the results are merged:

- characters by canonical name: aliases joined, mentions joined (offsets into the whole work),
  dialogue summed, importance recomputed by the same formula over the whole story;
- relationships by name: the highest confidence, the evidence joined;
- the fandom most windows guess (the most confident on a tie);
- deaths: the first death of each character, in text order.

Works shorter than one window are analysed whole, exactly as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from forewarn.model import Chapter, Finding, Work
from forewarn.who.importance import importance_score
from forewarn.who.text import story_ranges
from forewarn.who.types import Character, Death, FandomGuess, Relationship, Who

WINDOW_CHARS = 4_000_000  # about 700,000 words: ~100 MB of analysis at a time


def window_bounds(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` windows of at most about ``size`` characters, cut at paragraph breaks.

    >>> window_bounds("aaaa\\n\\nbbbb\\n\\ncccc", size=8)
    [(0, 6), (6, 12), (12, 16)]
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n\n", start + size // 2, start + size)
        if cut < 0:
            cut = text.rfind("\n", start + size // 2, start + size)
        end = cut + 2 if cut >= 0 and text.startswith("\n\n", cut) else cut + 1 if cut >= 0 else start + size
        bounds.append((start, end))
        start = end
    bounds.append((start, len(text)))
    return bounds


def window_work(work: Work, start: int, end: int) -> Work:
    """The part of ``work`` between ``start`` and ``end`` as a work of its own (offsets from 0).

    Chapters keep their indices (those outside the window become empty) so sections still point
    at the right one; metadata (declared fandom and tags) is the whole work's.
    """

    def clip(offset: int) -> int:
        return min(max(offset, start), end) - start

    sections = tuple(
        replace(s, start=clip(s.start), end=clip(s.end))
        for s in work.sections
        if s.end > start and s.start < end
    )
    chapters = tuple(Chapter(c.title, clip(c.start), clip(c.end)) for c in work.chapters)
    return replace(work, text=work.text[start:end], sections=sections, chapters=chapters)


def analyse_in_windows(
    work: Work,
    findings: Sequence[Finding],
    analyse: Callable[[Work, Sequence[Finding]], Who],
    size: int = WINDOW_CHARS,
) -> Who:
    """``analyse(work, findings)``, or for a work longer than ``size`` the merge of it over windows
    (each window given the findings inside it, with its offsets)."""
    if len(work.text) <= size:
        return analyse(work, findings)
    parts = []
    for start, end in window_bounds(work.text, size):
        inside = [
            replace(f, start=f.start - start, end=f.end - start) for f in findings if start <= f.start < end
        ]
        parts.append((start, analyse(window_work(work, start, end), inside)))
    return merge(work, parts)


def merge(work: Work, parts: Sequence[tuple[int, Who]]) -> Who:
    """One ``Who`` for ``work`` from the ``Who`` of each window (with the window's start offset)."""
    return Who(
        characters=_characters(work, parts),
        relationships=_relationships(parts),
        fandom=_fandom(parts),
        deaths=_deaths(parts),
    )


def _characters(work: Work, parts: Sequence[tuple[int, Who]]) -> tuple[Character, ...]:
    merged: dict[str, Character] = {}
    for offset, who in parts:
        for c in who.characters:
            shifted = tuple((s + offset, e + offset) for s, e in c.mentions)
            seen = merged.get(c.name)
            if seen is None:
                merged[c.name] = replace(c, mentions=shifted)
                continue
            merged[c.name] = replace(
                seen,
                aliases=tuple(sorted(set(seen.aliases) | set(c.aliases))),
                mentions=seen.mentions + shifted,
                dialogue=seen.dialogue + c.dialogue,
                gender=seen.gender or c.gender,
                known=seen.known or c.known,
            )
    # The same score as names.build_context (importance.py), over the whole story (mentions stay
    # sorted: the windows come in text order).
    ranges = story_ranges(work)
    scores = {
        name: importance_score([s for s, _ in c.mentions], c.dialogue, ranges) for name, c in merged.items()
    }
    top = max(scores.values(), default=1.0) or 1.0
    characters = (replace(c, importance=round(scores[name] / top, 4)) for name, c in merged.items())
    return tuple(sorted(characters, key=lambda c: (-c.importance, c.name)))


def _relationships(parts: Sequence[tuple[int, Who]]) -> tuple[Relationship, ...]:
    merged: dict[str, Relationship] = {}
    for offset, who in parts:
        for r in who.relationships:
            shifted = tuple((s + offset, e + offset) for s, e in r.evidence)
            seen = merged.get(r.name)
            if seen is None:
                merged[r.name] = replace(r, evidence=shifted)
            else:
                merged[r.name] = replace(
                    seen, confidence=max(seen.confidence, r.confidence), evidence=seen.evidence + shifted
                )
    return tuple(sorted(merged.values(), key=lambda r: (-r.confidence, r.name)))


def _fandom(parts: Sequence[tuple[int, Who]]) -> FandomGuess | None:
    guesses = [who.fandom for _, who in parts if who.fandom is not None]
    if not guesses:
        return None
    votes: dict[str, list[float]] = {}
    for g in guesses:
        votes.setdefault(g.name, []).append(g.confidence)
    name = max(votes, key=lambda n: (len(votes[n]), max(votes[n]), n))
    return FandomGuess(name, max(votes[name]))


def _deaths(parts: Sequence[tuple[int, Who]]) -> tuple[Death, ...]:
    first: dict[str, Death] = {}
    for offset, who in parts:
        for d in who.deaths:
            if d.name not in first:
                first[d.name] = replace(d, start=d.start + offset, end=d.end + offset)
    return tuple(sorted(first.values(), key=lambda d: d.start))
