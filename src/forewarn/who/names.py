"""Characters of a story: capitalised words and phrases turned into people, aliases merged.

Rules, not a trained model: a capitalised word is a name when the text uses it like one (capitalised
mid-sentence, rarely lower-case, not after "the"/"in", not a place or title) or when the fandom
knowledge base knows it. Mentions, dialogue and the spread through the text rank the characters.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from forewarn.model import Work
from forewarn.who import kb as kb_module
from forewarn.who.fandom import guess_fandom
from forewarn.who.lexicon import (
    ABBREVIATIONS,
    COMMON_GIVEN,
    DETERMINERS,
    GEO_HEADS,
    GEO_HEADS_SURNAME,
    GEO_LEADS,
    HONORIFICS,
    LOCATIVE_PREPS,
    NAME_TITLES,
    PLACE_CUES,
    PLACE_HEADS,
    SPEECH_VERBS,
    STOP,
)
from forewarn.who.text import WORD_RE, Span, fold, paragraphs, sentences, story_ranges
from forewarn.who.types import Character, FandomGuess

_HONORIFIC_RE = re.compile(r"(?:-(?:" + "|".join(sorted(HONORIFICS, key=len, reverse=True)) + r"))+$", re.I)
_STUTTER_RE = re.compile(r"^([^\W\d_])-(?=\1)", re.I)
_PARTICLES = frozenset(
    """
    de di da du del der van von la le al bin yae tol zos goe nar
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_VERBS = "|".join(SPEECH_VERBS)
_NAME = r"[A-Z][\w'’\-]*(?:[ ][A-Z][\w'’\-]*)?"
_AFTER_RE = re.compile(rf"[ \t]*(?P<who>{_NAME}|he|she)[ \t]+(?:\w+ly[ \t]+)?(?:{_VERBS})\b")
_AFTER_INV_RE = re.compile(rf"[ \t]*(?:{_VERBS})[ \t]+(?P<who>{_NAME})\b")
_BEFORE_RE = re.compile(
    rf"(?:^|[.!?…]\s+|,\s+|\s)(?P<who>{_NAME}|[Hh]e|[Ss]he)\b[^\"“”.!?]{{0,80}}?\b(?:{_VERBS})\b"
    rf"[^\"“”.!?]{{0,40}}[,:]\s*$"
)
_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
                   "herself": "f"}  # fmt: skip
_QUOTE_RE = re.compile('["“”]')
_PRONOUN_RE = re.compile(r"\b(he|him|his|himself|she|her|hers|herself)\b", re.I)


@dataclass(slots=True)
class _Tok:
    start: int  # character offset into Work.text of the name itself (no honorific, no "'s")
    end: int
    word: str  # the name itself
    key: str  # fold(word)
    surface_end: int  # end including an honorific suffix
    initial: bool  # first word of a sentence
    prev: str  # fold() of the previous word when only spaces separate them, else ""
    det: bool  # a determiner comes right before, or before one lower-case word ("an untrained Gift")
    allcaps: bool
    possessive: bool
    then_lower: bool  # followed by a space and a lower-case word ("Jun listened")
    loc: bool  # a preposition of place comes right before, or before "the" ("at the Grey Cove")


@dataclass(slots=True)
class _Entity:
    key: str
    name: str = ""
    known: bool = False
    gender: str = ""
    mentions: list[tuple[int, int]] = field(default_factory=list)
    forms: Counter[str] = field(default_factory=Counter)
    full_forms: Counter[str] = field(default_factory=Counter)
    dialogue: int = 0


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


def _is_initial(text: str, start: int, floor: int, prev_raw: str) -> bool:
    i = start - 1
    if i < floor:
        return True
    if text[i] in "\"“‘'([*_":  # an opening quote or bracket starts a sentence of its own
        return True
    while i >= floor and text[i] in " \t":
        i -= 1
    if i < floor or text[i] in "\n\r":
        return True
    c = text[i]
    if c in "\"”’')]*_":
        while i >= floor and text[i] in "\"”’')]*_":
            i -= 1
        return i < floor or text[i] in ".!?…\n"
    if c in ".!?…:":
        return not (c == "." and fold(prev_raw) in ABBREVIATIONS)
    return False


_CAP_RE = re.compile(r"(?<![\w'’\-])(?=[A-ZÀ-ÖØ-Þ])" + WORD_RE.pattern)


def _previous_words(text: str, lo: int, start: int) -> tuple[str, str, str, bool]:
    """(previous word, fold() of it if only spaces separate it, fold() of the one before if so, lower?)."""
    back = list(WORD_RE.finditer(text, max(lo, start - 60), start))
    if not back:
        return "", "", "", False
    last = back[-1]
    prev_raw = last.group()
    if text[last.end() : start].strip():
        return prev_raw, "", "", False
    prev = fold(prev_raw)
    prev2 = ""
    if len(back) > 1 and not text[back[-2].end() : last.start()].strip():
        prev2 = fold(back[-2].group())
    return prev_raw, prev, prev2, prev_raw.islower()


_SPLIT_RE = re.compile("(" + WORD_RE.pattern + ")")
_RUN_CHAR_RE = re.compile(r"[\w'’\-]")  # what WORD_RE words are made of
_CAP_FIRST = frozenset(map(chr, [*range(0x41, 0x5B), *range(0xC0, 0xD7), *range(0xD8, 0xDF)]))  # [A-ZÀ-ÖØ-Þ]
_GAP_CACHE: dict[tuple[str, bool], tuple[bool, bool, bool | None]] = {}


def _gap_info(gap: str, first: bool) -> tuple[bool, bool, bool | None]:
    """For the text between the previous word and a capitalised word: (does ``_CAP_RE`` take the word,
    is the gap blank, ``_is_initial``; None there means it depends on an abbreviation before a ".").

    ``first``: no word precedes in the range (the gap starts at the range's start).
    """
    key = (gap, first)
    hit = _GAP_CACHE.get(key)
    if hit is not None:
        return hit
    # A word ends on a letter or digit, so the checks of _is_initial end inside the gap.
    initial: bool | None
    if not gap:
        initial = first
    elif gap[-1] in "\"“‘'([*_":
        initial = True
    else:
        i = len(gap) - 1
        while i >= 0 and gap[i] in " \t":
            i -= 1
        if i < 0:
            initial = first
        elif gap[i] in "\n\r":
            initial = True
        else:
            c = gap[i]
            if c in "\"”’')]*_":
                while i >= 0 and gap[i] in "\"”’')]*_":
                    i -= 1
                initial = first if i < 0 else gap[i] in ".!?…\n"
            elif c == ".":
                initial = None
            else:
                initial = c in "!?…:"
    # an empty gap only happens at the range's start; the caller checks the character before it
    takes = not gap or _RUN_CHAR_RE.match(gap[-1]) is None
    out = (takes, not gap.strip(), initial)
    if len(_GAP_CACHE) < 1 << 16:
        _GAP_CACHE[key] = out
    return out


_WORD_PARTS: dict[str, tuple[str, str, bool, int, int, bool] | None] = {}
_MISSING: tuple[str, str, bool, int, int, bool] = ("", "", False, 0, 0, False)  # not in _WORD_PARTS yet


def _word_parts(raw: str) -> tuple[str, str, bool, int, int, bool] | None:
    """(name, fold(name), possessive, surface length, stutter offset, all caps) of a capitalised word;
    None when nothing is left of it."""
    if raw in _WORD_PARTS:
        return _WORD_PARTS[raw]
    word = raw
    possessive = word.endswith(("'s", "’s"))
    if possessive:
        word = word[:-2]
    h = _HONORIFIC_RE.search(word)
    surface = len(word)
    if h:
        word = word[: h.start()]
    offset = 0
    while (s := _STUTTER_RE.match(word)) is not None:
        word = word[s.end() :]
        offset += s.end()
    word = word.strip("'’-")
    out = (word, fold(word), possessive, surface, offset, len(word) > 1 and word.isupper()) if word else None
    if len(_WORD_PARTS) < 1 << 16:
        _WORD_PARTS[raw] = out
    return out


def _tokens(
    text: str,
    ranges: list[tuple[int, int]],
    lower: Counter[str],
    words_out: list[Sequence[str]] | None = None,
) -> list[_Tok]:
    """Capitalised words with their context; lower-case word counts go into ``lower``.

    One C-level split per range gives every word and the text between words, so the previous
    words of a name are read from lists instead of re-tokenising a window around each name (the
    same words ``_CAP_RE`` and ``_previous_words`` find; ``words_out`` receives them per range).
    """
    toks: list[_Tok] = []
    abbreviations = ABBREVIATIONS
    determiners = DETERMINERS
    locative = LOCATIVE_PREPS
    gap_cache = _GAP_CACHE
    word_parts = _WORD_PARTS
    for lo, hi in ranges:
        # a tuple of strings drops out of the garbage collector's tracking, so the full collections
        # that the many small objects below set off do not walk these millions of words each time
        parts = tuple(_SPLIT_RE.split(text[lo:hi]))
        words = parts[1::2]
        gaps = parts[0::2]  # gaps[k]: the text before words[k]
        if words_out is not None:
            words_out.append(words)
        counts = Counter(words)  # counting in C, then per type
        for raw, n in counts.items():
            if not raw[0].isupper():
                lower[fold(raw[:-2] if raw.endswith(("'s", "’s")) else raw)] += n
        capitalised = {w for w in counts if w[0] in _CAP_FIRST}
        pos = lo  # text offset of parts[done]
        done = 0
        for k in [k for k, raw in enumerate(words) if raw in capitalised]:
            raw = words[k]
            gap = gaps[k]
            info = gap_cache.get((gap, k == 0))
            takes, blank, ini = info if info is not None else _gap_info(gap, k == 0)
            if not gap and lo > 0 and _RUN_CHAR_RE.match(text[lo - 1]):
                takes = False  # _CAP_RE looks behind the range's start
            if not takes:
                continue
            pos += sum(map(len, parts[done : 2 * k + 1]))
            done = 2 * k + 1
            start = pos
            parts_ = word_parts.get(raw, _MISSING)
            if parts_ is _MISSING:
                parts_ = _word_parts(raw)
            if parts_ is None:
                continue
            word, key, possessive, surface_len, offset, allcaps = parts_
            surface_end = start + surface_len
            if k == 0:
                prev, prev2, prev_lower = "", "", False
                initial = ini is not False  # None: "." after no word, not an abbreviation
            else:
                prev_raw = words[k - 1]
                back = len(prev_raw) + len(gap)  # start - (start of the previous word)
                if back > 60 or (blank and k > 1 and back + len(words[k - 2]) + len(gaps[k - 1]) > 60):
                    # a word cut by the 60-character window of _previous_words: the exact old way
                    prev_raw, prev, prev2, prev_lower = _previous_words(text, lo, start)
                    initial = _is_initial(text, start, lo, prev_raw)
                else:
                    if blank:
                        prev = fold(prev_raw)
                        prev2 = fold(words[k - 2]) if k > 1 and not gaps[k - 1].strip() else ""
                        prev_lower = prev_raw.islower()
                    else:
                        prev, prev2, prev_lower = "", "", False
                    initial = (fold(prev_raw) not in abbreviations) if ini is None else ini
            toks.append(
                _Tok(
                    start + offset,
                    start + offset + len(word),
                    word,
                    key,
                    surface_end,
                    initial,
                    prev,
                    # "the Gift", "an untrained Gift"; not "that it's Gift": "that" joins a clause
                    prev in determiners or (prev2 in determiners and prev2 != "that" and prev_lower),
                    allcaps,
                    possessive,
                    text.startswith(" ", surface_end) and text[surface_end + 1 : surface_end + 2].islower(),
                    prev in locative or (prev == "the" and prev2 in locative),
                )
            )
    return toks


def _groups(text: str, toks: list[_Tok]) -> list[list[_Tok]]:
    """Runs of capitalised words separated by single spaces (or a name particle: "Aymeric de Borel")."""
    groups: list[list[_Tok]] = []
    cur: list[_Tok] = []
    for t in toks:
        if cur:
            last = cur[-1]
            gap = text[last.surface_end : t.start]
            joined = not last.possessive and (
                gap == " " or (gap.strip().lower() in _PARTICLES and gap.count(" ") == 2)
            )
            if not joined:
                groups.append(cur)
                cur = []
        cur.append(t)
    if cur:
        groups.append(cur)
    return groups


@dataclass(slots=True)
class _Stats:
    lower: Counter[str]
    cap_mid: Counter[str]  # capitalised, not sentence-initial
    cap_initial: Counter[str]
    after_det: Counter[str]
    after_place: Counter[str]
    speaker: Counter[str]
    initial_subject: Counter[str]  # sentence-initial and followed by a lower-case word


def _stats(toks: list[_Tok], lower: Counter[str], speakers: Counter[str]) -> _Stats:
    # each count over a list of keys: Counter counts a list in C, in the same order as one loop would
    ts = [t for t in toks if not t.allcaps]
    # after a determiner, but not "that", which joins a clause ("knew that Mara left")
    after_det = [t.key for t in ts if t.prev in DETERMINERS and t.prev != "that" and not t.initial]
    return _Stats(
        lower,
        Counter([t.key for t in ts if not t.initial]),
        Counter([t.key for t in ts if t.initial]),
        Counter(after_det),
        Counter([t.key for t in ts if t.prev in PLACE_CUES and not t.possessive]),
        speakers,
        Counter([t.key for t in ts if t.initial and t.then_lower]),
    )


def _namelike(key: str, st: _Stats, terms: dict[str, tuple[str, ...]]) -> bool:
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


def _geo_places(
    groups: list[list[_Tok]], st: _Stats, kb_full: dict[str, tuple[kb_module.KnownCharacter, ...]]
) -> set[tuple[str, ...]]:
    """Folded word tuples of the capitalised phrases that name places by their shape.

    A phrase of two or more words is a place when it ends in a geographic head ("Skerry Point") or
    opens with one ("Mount Vire"). A head that is also a family name ("Hill", "Wood") needs more: every
    occurrence after a preposition of place or a determiner, and its other words never used on their
    own. Names the knowledge base knows as characters are never places.
    """
    seen: Counter[tuple[str, ...]] = Counter()
    placed: Counter[tuple[str, ...]] = Counter()  # after "at", "to the", "the" …
    for g in groups:
        if len(g) > 1:
            keys = tuple(t.key for t in g)
            seen[keys] += 1
            placed[keys] += g[0].loc or (g[0].det and g[0].prev != "that")
    out: set[tuple[str, ...]] = set()
    for keys, n in seen.items():
        if " ".join(keys) in kb_full:
            continue
        by_shape = keys[-1] in GEO_HEADS or keys[0] in GEO_LEADS
        if by_shape or (
            keys[-1] in GEO_HEADS_SURNAME
            and placed[keys] == n
            and all(not st.speaker[k] and st.cap_mid[k] + st.cap_initial[k] <= n for k in keys[:-1])
        ):
            out.add(keys)
    return out


def _speaker_keys(text: str, ranges: list[tuple[int, int]]) -> Counter[str]:
    """Capitalised words in a dialogue tag ('"…," Sakura whispered'): strong evidence of a name."""
    out: Counter[str] = Counter()
    for lo, hi in ranges:
        for m in re.finditer(r"[,.!?…—-][\"”]", text[lo:hi]):
            pos = lo + m.end()
            for rx in (_AFTER_RE, _AFTER_INV_RE):
                a = rx.match(text, pos, hi)
                if a and a.group("who")[0].isupper():
                    word = a.group("who").split()[-1]
                    word = re.sub(r"['’]s$", "", word)
                    h = _HONORIFIC_RE.search(word)
                    out[fold(word[: h.start()] if h else word)] += 1
                    break
    return out


def build_context(work: Work, findings_names: tuple[str, ...] = ()) -> Context:
    """Find the characters of ``work`` and index their mentions (story sections only)."""
    kb = kb_module.load()
    text = work.text
    ranges = story_ranges(work)
    lower: Counter[str] = Counter()
    words: list[Sequence[str]] = []
    toks = _tokens(text, ranges, lower, words)
    st = _stats(toks, lower, _speaker_keys(text, ranges))
    groups = _groups(text, toks)
    places = _geo_places(groups, st, kb.by_full)
    # _namelike depends only on the word once the statistics are in: decide each distinct word once
    namelike_memo: dict[str, bool] = {}

    def namelike(key: str) -> bool:
        hit = namelike_memo.get(key)
        if hit is None:
            hit = namelike_memo[key] = _namelike(key, st, kb.terms)
        return hit

    # 1. Clean groups into candidate name phrases; drop places, titles and common words.
    phrases: list[tuple[list[_Tok], str]] = []  # (tokens, title)
    for g in groups:
        keys = [t.key for t in g]
        if len(g) > 1 and (any(k in PLACE_HEADS for k in keys) or " ".join(keys) in kb.terms):
            continue  # "Sound Village", "Harvest Festival", "Hidden Leaf"
        if len(g) > 1 and tuple(keys) in places:
            continue  # "Skerry Point", "Mount Vire", "the Ash Falls"
        if len(g) > 1 and g[0].det and not g[0].initial and g[0].prev != "that":
            continue  # "the Iron Throne" (but "told them that Mara Lind was …": "that" joins a clause)
        title = ""
        part: list[_Tok] = []
        if (
            len(g) > 1
            and g[0].initial
            and g[0].key not in NAME_TITLES
            and not kb.by_word.get(g[0].key)
            and not namelike(g[0].key)
        ):
            g = g[1:]  # "Instead Emmanellain", "Then Kaia"
        for t in g:
            if t.key in NAME_TITLES and not part:
                title = t.word
                continue
            if t.key in STOP:
                if part:
                    phrases.append((part, title))
                part, title = [], ""
                continue
            part.append(t)
        if part:
            phrases.append((part, title))

    # 2. Guess the fandom from the words that could be names plus canon terms.
    candidate_words = Counter(
        t.key
        for part, _ in phrases
        for t in part
        if not t.allcaps and (not t.initial or (st.lower[t.key] == 0 and t.key not in COMMON_GIVEN))
    )
    full_names = Counter(" ".join(t.key for t in part) for part, _ in phrases if len(part) > 1)
    fandom = guess_fandom(text, ranges, candidate_words, full_names, kb, words)
    in_fandom = fandom.name if fandom else None

    known_memo: dict[tuple[str, bool], tuple[kb_module.KnownCharacter, ...]] = {}

    def known(key: str, full: bool) -> tuple[kb_module.KnownCharacter, ...]:
        hit = known_memo.get((key, full))
        if hit is None:
            table = kb.by_full if full else kb.by_word
            hit = known_memo[key, full] = tuple(c for c in table.get(key, ()) if c.fandom == in_fandom)
        return hit

    # 3. Resolve each phrase to an entity key: "kb:<name>" or "txt:<folded full name or word>".
    entities: dict[str, _Entity] = {}
    pending: list[tuple[int, int, str, str, tuple[str, ...]]] = []  # start, end, surface, key, ambiguous

    def add(start: int, end: int, surface: str, key: str) -> None:
        pending.append((start, end, surface, key, ()))

    unknown_full: list[tuple[int, int, str, tuple[str, ...]]] = []
    full_seen: Counter[tuple[str, ...]] = Counter()  # unknown full name -> occurrences
    full_at_place: Counter[tuple[str, ...]] = Counter()  # … of them right after "at", "to (the)" …
    full_person: set[tuple[str, ...]] = set()  # … used like a person's: with a title or possessive
    for part, title in phrases:
        if all(t.allcaps for t in part):
            # Shouted names ("SAKURA!") count only for names the text establishes otherwise.
            pending.append((part[0].start, part[-1].end, part[0].word, "caps:" + part[0].key, ()))
            continue
        start, end = part[0].start, part[-1].end
        surface = text[start : part[-1].surface_end]
        if title:
            surface = f"{title} {surface}"
        keys = [t.key for t in part]
        if len(part) > 1:
            hit = known(" ".join(keys), True)
            if len(hit) == 1:
                add(start, end, surface, "kb:" + hit[0].name)
                continue
            singles = {c.name for k in keys for c in known(k, False) if len(known(k, False)) == 1}
            if len(singles) == 1:
                add(start, end, surface, "kb:" + singles.pop())
                continue
            core = [t for t in part if t.key not in _PARTICLES]
            if any(namelike(t.key) for t in core) and not any(
                t.key in kb.terms or st.lower[t.key] for t in core
            ):
                core_keys = tuple(t.key for t in core)
                unknown_full.append((start, end, surface, core_keys))
                full_seen[core_keys] += 1
                full_at_place[core_keys] += part[0].loc
                if title or part[-1].possessive:
                    full_person.add(core_keys)
                continue
        for t in part:
            surf = text[t.start : t.surface_end]
            if title and len(part) == 1:
                surf = f"{title} {surf}"
            common = t.key in STOP or t.key in COMMON_GIVEN or st.lower[t.key] > 0
            hit = known(t.key, False)
            if hit and not (t.initial and common and not title):
                if len(hit) == 1:
                    add(t.start, t.end, surf, "kb:" + hit[0].name)
                else:
                    pending.append((t.start, t.end, surf, "", tuple("kb:" + c.name for c in hit)))
            elif not hit and (title or namelike(t.key)) and t.key not in kb.by_full:
                if t.initial and st.lower[t.key] > 0:
                    continue
                add(t.start, t.end, surf, "txt:" + t.key)

    # Unknown phrases seen more than half the time after a preposition of place, never with a title
    # or a possessive, whose words the text never uses on their own nor as a speaker, are places
    # ("walked to Varden Moss … reached Varden Moss … near Varden Moss").
    located = {
        ck
        for ck, n in full_seen.items()
        if 2 * full_at_place[ck] > n
        and ck not in full_person
        and all(not st.speaker[k] and st.cap_mid[k] + st.cap_initial[k] <= n * ck.count(k) for k in ck)
    }
    unknown_full = [u for u in unknown_full if u[3] not in located]
    # Unknown full names ("Kaia Fletcher") absorb the single words they are made of, when unambiguous.
    owners: dict[str, set[str]] = defaultdict(set)
    for _, _, _, core_keys in unknown_full:
        full = " ".join(core_keys)  # once: a run of capitalised words can be thousands long
        for k in core_keys:
            owners[k].add(full)
    for start, end, surface, core_keys in unknown_full:
        pending.append((start, end, surface, "txt:" + " ".join(core_keys), ()))
    # A word of several full names ("Josie Packard", "Maid Josie") that the text mostly uses alone
    # names a character of its own: "Josie", then, rather than nobody.
    alone_uses = Counter(p[3][4:] for p in pending if p[3].startswith("txt:") and " " not in p[3])

    in_full: Counter[str] = Counter()  # word -> occurrences of the full names holding it
    for ck, n in full_seen.items():
        for k in set(ck):
            in_full[k] += n

    def alone_mostly(word: str) -> bool:
        return alone_uses[word] > 2 * in_full[word]

    resolved: list[tuple[int, int, str, str]] = []
    present = {p[3] for p in pending if p[3].startswith("kb:")}
    for start, end, surface, key, ambiguous in pending:
        if ambiguous:
            here = [a for a in ambiguous if a in present]
            if len(here) != 1:
                continue
            key = here[0]
        if key.startswith("txt:") and " " not in key:
            word = key[4:]
            if len(owners.get(word, ())) == 1:
                key = "txt:" + next(iter(owners[word]))
            elif len(owners.get(word, ())) > 1 and not alone_mostly(word):
                continue  # "Stone" of "Mara Stone" and "Tom Stone": which one is unclear
        resolved.append((start, end, surface, key))

    # Shouted names join the entity their title-case form belongs to.
    by_word_key: dict[str, str] = {}
    seen_forms: set[tuple[str, str, str]] = set()  # the same form again sets nothing new
    for start, _, surface, key in resolved:
        if not key.startswith("caps:"):
            surface_words = surface.split()
            first = text[start : start + len(surface_words[0])]
            if (first, surface, key) in seen_forms:
                continue
            seen_forms.add((first, surface, key))
            by_word_key.setdefault(fold(first), key)
            for w in surface_words:
                by_word_key.setdefault(fold(_HONORIFIC_RE.sub("", w)), key)
    final: list[tuple[int, int, str, str]] = []
    for start, end, surface, key in resolved:
        if key.startswith("caps:"):
            target = by_word_key.get(key[5:])
            if target is None:
                continue
            key = target
        final.append((start, end, surface, key))

    for start, end, surface, key in final:
        e = entities.get(key)
        if e is None:
            e = entities[key] = _Entity(key)
            if key.startswith("kb:"):
                e.name, e.known = key[3:], True
        e.mentions.append((start, end))
        if not surface.isupper():
            e.forms[surface] += 1
            e.full_forms[text[start:end]] += 1

    kb_gender = {c.name: c.gender for f in kb.fandoms if f.name == in_fandom for c in f.characters}
    for e in entities.values():
        if not e.known:
            e.name = max(e.full_forms.items(), key=lambda kv: (len(kv[0].split()), kv[1], kv[0]))[0]
        else:
            e.gender = kb_gender.get(e.name, "")
        e.mentions.sort()

    # Drop unknown one-off words the text never uses as a speaker.
    keep = {
        k: e
        for k, e in entities.items()
        if e.known or len(e.mentions) >= 2 or st.speaker[k[4:].split()[-1]] > 0
    }

    paras: list[Span] = []
    sents: list[Span] = []
    for lo, hi in ranges:
        for p in paragraphs(text, lo, hi):
            paras.append(p)
            sents.extend(sentences(text, p))
    mentions = sorted(
        (Mention(s, e_, keep[k].name) for s, e_, _, k in final if k in keep), key=lambda m: m.start
    )
    _infer_genders(text, sents, mentions, keep)
    genders = {e.name: e.gender for e in keep.values()}
    ctx = Context.make(text, paras, sents, mentions, genders, {}, (), fandom)
    _count_dialogue(ctx, ranges, keep)

    scores = {k: importance_score([s for s, _ in e.mentions], e.dialogue, ranges) for k, e in keep.items()}
    top = max(scores.values(), default=1.0) or 1.0
    chars = tuple(
        sorted(
            (
                Character(
                    name=e.name,
                    aliases=tuple(sorted(set(e.forms) | ({e.name} if not e.known else set()))),
                    mentions=tuple(e.mentions),
                    dialogue=e.dialogue,
                    importance=round(scores[k] / top, 4),
                    gender="m" if e.gender == "m" else "f" if e.gender == "f" else "",
                    known=e.known,
                )
                for k, e in keep.items()
            ),
            key=lambda c: (-c.importance, c.name),
        )
    )
    aliases: dict[str, str] = {}
    for c in chars:
        for a in (c.name, *c.aliases):
            aliases.setdefault(fold(a), c.name)
            for w in a.split():
                aliases.setdefault(fold(_HONORIFIC_RE.sub("", w)), c.name)
    return Context.make(text, paras, sents, mentions, genders, aliases, chars, fandom, text.lower())


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


def _infer_genders(text: str, sents: list[Span], mentions: list[Mention], ents: dict[str, _Entity]) -> None:
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
                votes[mentions[k].name][_PRONOUN_GENDER[p.group().lower()]] += 1
    for e in ents.values():
        if e.gender:
            continue
        v = votes.get(e.name)
        if v:
            g, n = v.most_common(1)[0]
            if n >= 2 and n >= 0.75 * sum(v.values()):
                e.gender = g


def _count_dialogue(ctx: Context, ranges: list[tuple[int, int]], ents: dict[str, _Entity]) -> None:
    """Attribute quoted lines to speakers where a dialogue tag says who (pronouns only when clear)."""
    text = ctx.text
    by_name = {e.name: e for e in ents.values()}
    all_quotes = [m.start() for m in _QUOTE_RE.finditer(text)]
    for para in ctx.paragraphs:
        q_lo = bisect.bisect_left(all_quotes, para.start)
        q_hi = bisect.bisect_left(all_quotes, para.end, q_lo)
        if q_lo == q_hi:
            continue
        quotes = all_quotes[q_lo:q_hi]
        spans: list[tuple[int, int]] = []
        opening: int | None = None
        for q in quotes:
            if text[q] == "“" or (text[q] == '"' and opening is None):
                opening = q
            elif opening is not None:
                spans.append((opening, q + 1))
                opening = None
        prev_close = para.start
        for open_, close in spans:
            who = None
            a = _AFTER_RE.match(text, close, para.end) or _AFTER_INV_RE.match(text, close, para.end)
            if a:
                who = a.group("who"), a.start("who")
            else:
                # _BEFORE_RE ends on "," or ":" and spaces: a cheap test first spares most searches
                lead = text[prev_close:open_].rstrip()
                b = _BEFORE_RE.search(text, prev_close, open_) if lead and lead[-1] in ",:" else None
                if b:
                    who = b.group("who"), b.start("who")
            prev_close = close
            if who is None:
                continue
            word, pos = who
            name: str | None
            if word.lower() in ("he", "she"):
                name = ctx.resolve_pronoun(pos, _PRONOUN_GENDER[word.lower()])
            else:
                found = ctx.mentions_in(pos, pos + len(word) + 1)
                name = found[0].name if found else None
            if name and name in by_name:
                by_name[name].dialogue += 1
