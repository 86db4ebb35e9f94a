"""The shared index of one story: its paragraphs and sentences, and which character is named where.

Built by :func:`forewarn.who.names.build_context`; relationships and deaths only read it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from forewarn._native import WordStarts
from forewarn.who.text import Span
from forewarn.who.types import Character, FandomGuess


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # character offset into Work.text
    end: int  # character offset into Work.text, exclusive
    name: str  # canonical character name


@dataclass(frozen=True, slots=True)
class Context:
    """What the other who-modules share: the story's layout and who is named where."""

    text: str
    paragraphs: tuple[Span, ...]
    sentences: tuple[Span, ...]
    mentions: tuple[Mention, ...]  # sorted by start
    genders: dict[str, str]  # canonical name -> "m" | "f" | ""
    aliases: dict[str, str]  # fold(surface form) -> canonical name, for names found in the text
    characters: tuple[Character, ...]
    fandom: FandomGuess | None
    starts: tuple[int, ...] = ()  # Mention.start of every mention, for bisecting
    sentence_starts: tuple[int, ...] = ()  # Span.start of every sentence, for bisecting
    paragraph_starts: tuple[int, ...] = ()  # Span.start of every paragraph, for bisecting
    lower: str = ""  # text.lower(), made once for the stages that search the lower-cased text
    # The mentions by gender for only_one, made the first time a range holds many mentions (empty
    # until then; then the index, or None when mentions overlap).
    pronoun_index: list[_PronounIndex | None] = field(default_factory=list, repr=False, compare=False)

    def lowered(self) -> str:
        """``text.lower()``, shared between the stages."""
        return self.lower if self.lower or not self.text else self.text.lower()

    @staticmethod
    def make(
        text: str,
        paras: list[Span],
        sents: list[Span],
        mentions: list[Mention],
        genders: dict[str, str],
        aliases: dict[str, str],
        characters: tuple[Character, ...],
        fandom: FandomGuess | None,
        lower: str = "",
    ) -> Context:
        ordered = tuple(sorted(mentions, key=lambda m: m.start))
        return Context(
            text, tuple(paras), tuple(sents), ordered, genders, aliases, characters, fandom,
            tuple(m.start for m in ordered), tuple(s.start for s in sents), tuple(p.start for p in paras),
            lower,
        )  # fmt: skip

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [m for m in self.mentions[lo:hi] if m.end <= end]

    def paragraph_at(self, offset: int) -> int:
        """The last paragraph starting at or before ``offset`` (0 when none does)."""
        return max(bisect.bisect_right(self.paragraph_starts, offset) - 1, 0)

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """(start, end) of the last sentence starting at or before ``offset``; (offset, offset) when none."""
        i = bisect.bisect_right(self.sentence_starts, offset)
        if i == 0:
            return offset, offset
        s = self.sentences[i - 1]
        return s.start, s.end

    def resolve_pronoun(self, offset: int, gender: str, *, paragraphs_back: int = 1) -> str | None:
        """The one character ``he``/``she`` at ``offset`` can mean, or None when that is not clear.

        Clear means: among the characters named from the start of the previous paragraph up to
        ``offset``, exactly one has that gender and none has an unknown gender.
        """
        if not self.paragraphs or gender not in ("m", "f"):
            return None
        i = self.paragraph_at(offset)
        return self.only_one(self.paragraphs[max(0, i - paragraphs_back)].start, offset, gender)

    def only_one(self, start: int, end: int, gender: str) -> str | None:
        """The one character of ``gender`` among those named in ``text[start:end]``, when every one
        of them has a gender; None otherwise."""
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        if hi - lo > _FEW_MENTIONS:  # a paragraph of thousands of mentions, asked about again and again
            if not self.pronoun_index:
                self.pronoun_index.append(_PronounIndex.of(self.mentions, self.genders))
            index = self.pronoun_index[0]
            if index is not None:
                if self.mentions[hi - 1].end > end:
                    hi -= 1  # as mentions_in: not a mention that runs past ``end``
                return index.resolve(self.mentions, lo, hi, gender)
        names = {m.name for m in self.mentions_in(start, end)}
        if any(not self.genders.get(n) for n in names):
            return None
        matching = [n for n in names if self.genders.get(n) == gender]
        return matching[0] if len(matching) == 1 else None


_FEW_MENTIONS = 64  # mentions in a range that only_one reads one by one


@dataclass(frozen=True, slots=True)
class _PronounIndex:
    """Mentions by the gender of their character, so that :meth:`Context.only_one` bisects instead
    of collecting the names of two paragraphs for each pronoun (quadratic in a paragraph of
    thousands of mentions). Made only for mentions that do not overlap, so that of the mentions
    starting in a range only the last can run past its end."""

    unknown: tuple[int, ...]  # indices of the mentions whose character has no gender
    by_gender: dict[str, tuple[int, ...]]  # gender -> indices of its mentions
    # per gender, for its k-th mention: the first k' > k whose character differs (len when none)
    other_after: dict[str, tuple[int, ...]]

    @staticmethod
    def of(mentions: tuple[Mention, ...], genders: dict[str, str]) -> _PronounIndex | None:
        if any(a.end > b.start for a, b in pairwise(mentions)):
            return None
        unknown: list[int] = []
        by_gender: dict[str, list[int]] = {}
        for k, m in enumerate(mentions):
            gender = genders.get(m.name)
            if not gender:
                unknown.append(k)
            else:
                by_gender.setdefault(gender, []).append(k)
        other_after: dict[str, tuple[int, ...]] = {}
        for gender, ks in by_gender.items():
            after = [len(ks)] * len(ks)
            for j in range(len(ks) - 2, -1, -1):
                same = mentions[ks[j]].name == mentions[ks[j + 1]].name
                after[j] = after[j + 1] if same else j + 1
            other_after[gender] = tuple(after)
        return _PronounIndex(tuple(unknown), {g: tuple(ks) for g, ks in by_gender.items()}, other_after)

    def resolve(self, mentions: tuple[Mention, ...], lo: int, hi: int, gender: str) -> str | None:
        """The one character of ``gender`` among ``mentions[lo:hi]``, None when there is not exactly
        one or when one of them has no gender (as :meth:`Context.only_one` decides)."""
        k = bisect.bisect_left(self.unknown, lo)
        if k < len(self.unknown) and self.unknown[k] < hi:
            return None
        ks = self.by_gender.get(gender, ())
        a, b = bisect.bisect_left(ks, lo), bisect.bisect_left(ks, hi)
        if a == b or self.other_after[gender][a] < b:
            return None
        return mentions[ks[a]].name


def word_matches(
    native: WordStarts, rx: re.Pattern[str], text: str, spans: Sequence[tuple[int, int]]
) -> list[list[re.Match[str]]]:
    """For each ``(lo, hi)`` of ``spans``, the matches of ``rx.finditer(text, lo, hi)``, for a
    pattern that never matches empty and matches only where a word opens with one of ``native``'s
    prefixes: ``rx`` is tried only at the places ``native`` finds (a superset of those), as
    finditer would try them. Much faster than finditer for a pattern of many words.
    """
    found = native.find(text, list(spans))
    if found is None:  # no UTF-8: finditer
        return _word_matches_python(rx, text, spans)
    out: list[list[re.Match[str]]] = []
    for places, (_, hi) in zip(found, spans, strict=True):
        got: list[re.Match[str]] = []
        pos = 0
        for at in places:
            if at < pos:
                continue  # inside the last match, where finditer does not look
            m = rx.match(text, at, hi)
            if m:
                got.append(m)
                pos = m.end()
        out.append(got)
    return out


def _word_matches_python(
    rx: re.Pattern[str], text: str, spans: Sequence[tuple[int, int]]
) -> list[list[re.Match[str]]]:
    """The reference of :func:`word_matches`."""
    return [list(rx.finditer(text, lo, hi)) for lo, hi in spans]
