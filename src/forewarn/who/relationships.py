"""Relationships: pairs of characters tied by romantic cues, or by company and friendship.

A cue (a kiss, "I love you", holding hands, a dance, a blush…) counts for the characters its
sentence names; when the sentence names only one, a pronoun of the other gender is resolved only
when exactly one such character is in view, and a paragraph naming exactly two characters lends
them its cues. Negated cues ("she never kissed him") do not count.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from itertools import combinations

from forewarn._native import WordStarts
from forewarn.who import kb as kb_module
from forewarn.who.context import Context, word_matches
from forewarn.who.types import Relationship

_ROMANTIC: tuple[tuple[re.Pattern[str], float, str], ...] = tuple(
    (re.compile(p, re.I), w, cue)
    for p, w, cue in (
        (r"\bi\s+(?:l-)*love\s+you\b|\blove you\b", 1.0, "love-declaration"),
        (r"\bkiss(?:ed|es|ing)?\b|\bmade love\b", 1.0, "kiss"),
        (
            r"\blips?\b[^.!?]{0,30}\b(?:against|on|to|met|brushed)\b[^.!?]{0,20}\b(?:his|hers|her|their|"
            r"theirs|lips|mouth)\b",
            1.0,
            "lips",
        ),
        (r"\bin love\b|\bfell for\b|\bcrush on\b|\bconfess(?:ed|ion)\b", 1.0, "in-love"),
        (
            r"\blovers?\b|\bboyfriend\b|\bgirlfriend\b|\bhusband\b|\bwife\b|\bfianc[eé]e?\b|\bmarr(?:y|ied|"
            r"iage)\b|\bwedding\b|\bdating\b|\bbeloved\b|\bdarling\b|\bsweetheart\b",
            0.8,
            "partner",
        ),
        (r"\bloved?\b|\bloving\b", 0.5, "love"),
        (
            r"\bheld (?:his|her|their) hands?\b|\bholding hands\b|\bhand in hand\b|\bhands (?:were )?"
            r"(?:tangled|intertwined|entwined|laced)\b|\bfingers (?:laced|intertwined|entwined)\b",
            0.6,
            "hands",
        ),
        (r"\bembrac(?:e|ed|es|ing)\b|\bcuddl\w*|\bnuzzl\w*|\bcaress\w*", 0.5, "embrace"),
        (r"\bhug(?:ged|s|ging)?\b", 0.3, "hug"),
        (r"\bblush(?:ed|es|ing)?\b|\bflushed\b", 0.4, "blush"),
        (r"\bdance with me\b|\bdanced with\b|\b(?:for|one|a|the) dance\b", 0.5, "dance"),
        (
            r"\b(?:palm|hand|fingers?)\b[^.!?]{0,30}\b(?:his|her|their) (?:cheek|face|jaw)\b|\bcup(?:ped|s)? "
            r"(?:his|her|their) (?:cheek|face)\b",
            0.5,
            "touch-face",
        ),
        (r"\bheart (?:fluttered|raced|skipped)\b", 0.4, "heart"),
    )
)
# All cues in one alternation (earlier = stronger wins where cues overlap): one pass over the text.
_CUES_SOURCE = (
    "(?=[a-z])(?:" + "|".join(f"(?P<c{i}>{rx.pattern})" for i, (rx, _, _) in enumerate(_ROMANTIC)) + ")"
)
_CUES_LOWER = re.compile(_CUES_SOURCE)  # on a lower-cased copy of the text: much faster than re.I
_CUES_ANYCASE = re.compile(_CUES_SOURCE.replace("(?=[a-z])", "", 1), re.I)
# Where a cue can start: the start of one of the cues' first words (and whether whitespace must
# follow). Trying _CUES_LOWER only there is much faster than its finditer, with the same matches.
_CUE_FIRST_WORDS: tuple[tuple[str, bool], ...] = (
    ("i", True),
    *((w, False) for w in (
        "lov", "kiss", "made love", "lip", "in love", "fell for", "crush on", "confess", "boyfriend",
        "girlfriend", "husband", "wife", "fianc", "marr", "wedding", "dating", "beloved", "darling",
        "sweetheart", "held", "holding hands", "hand", "finger", "embrac", "cuddl", "nuzzl", "caress", "hug",
        "blush", "flushed", "dance with me", "danced with", "for dance", "one dance", "a dance", "the dance",
        "palm", "cup", "heart ",
    )),
)  # fmt: skip
_CUE_STARTS = re.compile(
    r"(?=[a-z])\b(?="
    + "|".join(re.escape(w) + (r"\s" if space else "") for w, space in _CUE_FIRST_WORDS)
    + ")"
)
_CUE_WORDS = WordStarts(_CUE_FIRST_WORDS)
_PLATONIC = re.compile(
    r"\b(?:best )?friends?(?:hip)?\b|\bteam ?mates?\b|\bcomrades?\b|\bpartners?\b|\bsiblings?\b|"
    r"\bbrother\b|\bsister\b|\bmentor\b|\bstudent\b|\bteacher\b|\bsensei\b",
    re.I,
)
# The same matches on the lower-cased text, like _CUES_LOWER. Every alternative opens on a letter (with
# the leading \b as a look-behind after it), so the regex engine skips ahead to those letters.
_PLATONIC_LOWER = re.compile(
    r"(?:b(?<!\wb)est friends?(?:hip)?|f(?<!\wf)riends?(?:hip)?|t(?<!\wt)eam ?mates?|c(?<!\wc)omrades?"
    r"|p(?<!\wp)artners?|s(?<!\ws)iblings?|b(?<!\wb)rother|s(?<!\ws)ister|m(?<!\wm)entor|s(?<!\ws)tudent"
    r"|t(?<!\wt)eacher|s(?<!\ws)ensei)\b"
)
# A negation in the two words before a cue ("never kissed him"). Not text_cues.is_negated: for a
# relationship "no longer" and "refused to" deny the cue ("no longer loved her"), where for the
# detectors "no longer" states the event ("no longer breathing").
# The words _PLATONIC_LOWER's alternatives open with, for the native core to find.
_FRIEND_WORDS = WordStarts([(w, False) for w in (
    "best friend", "friend", "team", "comrade", "partner", "sibling", "brother", "sister", "mentor",
    "student", "teacher", "sensei",
)])  # fmt: skip
_NEGATION = re.compile(r"\b(?:never|not|no longer|nor|without|refused to|\w+n't)\b(?:\W+\w+){0,2}\W*$", re.I)
_HE = re.compile(r"\b(?:he|him|his|himself)\b", re.I)
_SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)

ROMANTIC_MIN = 1.0  # summed cue weight a pair needs to be reported as romantic
PLATONIC_MIN_SENTENCES = 3  # sentences naming both, for a platonic pair without a friendship cue


def _negated(text: str, sent_start: int, cue_start: int) -> bool:
    return bool(_NEGATION.search(text[max(sent_start, cue_start - 40) : cue_start]))


def _partners(ctx: Context, start: int, end: int, para_names: set[str]) -> list[tuple[str, str]]:
    named = sorted({m.name for m in ctx.mentions_in(start, end)})
    if 2 <= len(named) <= 3:
        return list(combinations(named, 2))
    if len(named) > 3:
        return []
    if len(para_names) == 2:
        a, b = sorted(para_names)
        return [(a, b)]
    sentence = ctx.text[start:end]
    people = set(named)
    for rx, gender in ((_HE, "m"), (_SHE, "f")):
        if rx.search(sentence) and not any(ctx.genders.get(n) == gender for n in named):
            who = ctx.resolve_pronoun(start, gender, paragraphs_back=2)
            if who:
                people.add(who)
    if len(people) == 2:
        a, b = sorted(people)
        return [(a, b)]
    return []


def ordered(a: str, b: str, ctx: Context) -> tuple[str, str]:
    """The pair in AO3's order: a known ship's own order, else by family name, then full name."""
    kb = kb_module.load()
    ship = kb.ship_names.get(frozenset((a, b)))
    if ship:
        first, second = ship.split("/", 1)
        return first, second
    fandom = kb.fandom(ctx.fandom.name) if ctx.fandom else None
    known = {c.name for c in fandom.characters} if fandom else set()

    def key(name: str) -> tuple[str, str]:
        words = name.split()
        family = words[0] if fandom and fandom.family_first and name in known else words[-1]
        return family.casefold(), name.casefold()

    x, y = sorted((a, b), key=key)
    return x, y


def _story_spans(ctx: Context) -> list[tuple[int, int]]:
    """Paragraphs merged into runs where only whitespace separates them (cues are story text only)."""
    runs: list[tuple[int, int]] = []
    for p in ctx.paragraphs:
        if runs and not ctx.text[runs[-1][1] : p.start].strip():
            runs[-1] = (runs[-1][0], p.end)
        else:
            runs.append((p.start, p.end))
    return runs


def _cues(ctx: Context, spans: list[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """(start, end, weight) of every cue in the story spans: one pass, overlapping weaker cues
    dropped (the alternation's order). On the lower-cased text, tried only where a cue's first
    word opens (found by the native core)."""
    low = ctx.lowered()
    if len(low) != len(ctx.text):
        return _cues_python(ctx, spans)
    return [
        (hit.start(), hit.end(), _ROMANTIC[int(str(hit.lastgroup)[1:])][1])
        for found in word_matches(_CUE_WORDS, _CUES_LOWER, low, spans)
        for hit in found
    ]


def _cues_python(ctx: Context, spans: list[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """The reference of :func:`_cues`."""
    text = ctx.text
    low = ctx.lowered()
    same = len(low) == len(text)  # lower() may change lengths outside ASCII; then search any case
    haystack, cue_rx = (low, _CUES_LOWER) if same else (text, _CUES_ANYCASE)
    cues: list[tuple[int, int, float]] = []
    for lo_, hi_ in spans:
        if not same:
            for m in cue_rx.finditer(haystack, lo_, hi_):
                cues.append((m.start(), m.end(), _ROMANTIC[int(str(m.lastgroup)[1:])][1]))
            continue
        pos = lo_  # what finditer does, tried only where a cue can start
        for place in _CUE_STARTS.finditer(haystack, lo_, hi_):
            at = place.start()
            if at < pos:
                continue
            hit = cue_rx.match(haystack, at, hi_)
            if hit:
                cues.append((at, hit.end(), _ROMANTIC[int(str(hit.lastgroup)[1:])][1]))
                pos = hit.end()
    return cues


def _friend_starts(ctx: Context, spans: list[tuple[int, int]]) -> list[int]:
    """Where a friendship cue starts in the story spans (the lower-cased text, tried only where
    one of its words opens)."""
    text, low = ctx.text, ctx.lowered()
    # "ı" and "ſ" are the only letters that re.I matches with ASCII letters and lower() keeps apart
    if len(low) != len(text) or "ı" in text or "ſ" in text:
        return _friend_starts_python(ctx, spans)
    return [m.start() for found in word_matches(_FRIEND_WORDS, _PLATONIC_LOWER, low, spans) for m in found]


def _friend_starts_python(ctx: Context, spans: list[tuple[int, int]]) -> list[int]:
    """The reference of :func:`_friend_starts`."""
    text, low = ctx.text, ctx.lowered()
    if len(low) == len(text) and "ı" not in text and "ſ" not in text:
        friend_rx, friend_hay = _PLATONIC_LOWER, low
    else:
        friend_rx, friend_hay = _PLATONIC, text
    return [m.start() for lo_, hi_ in spans for m in friend_rx.finditer(friend_hay, lo_, hi_)]


def find_relationships(ctx: Context) -> tuple[Relationship, ...]:
    text = ctx.text
    romantic: dict[tuple[str, str], float] = defaultdict(float)
    rom_spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    together: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    friendly: dict[tuple[str, str], float] = defaultdict(float)
    spans = _story_spans(ctx)
    cues = _cues(ctx, spans)
    cue_starts = [c[0] for c in cues]
    friend_starts = _friend_starts(ctx, spans)
    # Only sentences holding a cue or two mentions can earn anything: find those by bisecting.
    sent_starts = ctx.sentence_starts
    sents = ctx.sentences
    wanted: set[int] = set()
    for offsets, need in ((ctx.starts, 2), (cue_starts, 1)):
        hits: dict[int, int] = defaultdict(int)
        for offset in offsets:
            i = bisect.bisect_right(sent_starts, offset) - 1
            if i >= 0 and offset < sents[i].end:
                hits[i] += 1
        wanted.update(i for i, n in hits.items() if n >= need)
    para_names_at: dict[int, set[str]] = {}
    for i in sorted(wanted):
        s = sents[i]
        names = {m.name for m in ctx.mentions_in(s.start, s.end)}
        if 2 <= len(names) <= 3:
            for pair in combinations(sorted(names), 2):
                together[pair].append((s.start, s.end))
                k = bisect.bisect_left(friend_starts, s.start)
                if k < len(friend_starts) and friend_starts[k] < s.end:
                    friendly[pair] += 0.5
        weight = 0.0
        taken: list[tuple[int, int]] = []  # sorted; they do not overlap, so their ends are sorted too
        lo = bisect.bisect_left(cue_starts, s.start)
        hi = bisect.bisect_left(cue_starts, s.end)
        # strongest first, so that "I love you" is not also counted as a bare "love"
        for c_start, c_end, w in sorted(cues[lo:hi], key=lambda c: (-c[2], c[0])):
            # of the cues taken, only the last one starting before this one ends can overlap it
            k = bisect.bisect_left(taken, (c_end,))
            if c_end > s.end or (k and taken[k - 1][1] > c_start):
                continue
            taken.insert(k, (c_start, c_end))
            if not _negated(text, s.start, c_start):
                weight += w
        if weight:
            para_i = ctx.paragraph_at(s.start)
            para_names = para_names_at.get(para_i)
            if para_names is None:
                p = ctx.paragraphs[para_i]
                para_names = para_names_at[para_i] = {m.name for m in ctx.mentions_in(p.start, p.end)}
            for pair in _partners(ctx, s.start, s.end, para_names):
                romantic[pair] += weight
                rom_spans[pair].append((s.start, s.end))

    out: list[Relationship] = []
    for pair in sorted(set(romantic) | set(together)):
        a, b = pair
        score = romantic.get(pair, 0.0)
        spans = rom_spans.get(pair, [])
        if score >= ROMANTIC_MIN and (len(spans) >= 2 or score >= 1.5):
            conf = round(min(0.97, 1.0 - math.exp(-score / 1.5)), 3)
            x, y = ordered(a, b, ctx)
            out.append(Relationship(f"{x}/{y}", "romantic", pair, conf, tuple(spans)))
            continue
        n = len(together.get(pair, []))
        if n >= PLATONIC_MIN_SENTENCES or (n >= 2 and friendly.get(pair, 0.0) > 0):
            conf = round(min(0.9, 1.0 - math.exp(-(n + 2 * friendly.get(pair, 0.0)) / 5.0)), 3)
            x, y = ordered(a, b, ctx)
            out.append(Relationship(f"{x} & {y}", "platonic", pair, conf, tuple(together[pair])))
    return tuple(sorted(out, key=lambda r: (-r.confidence, r.name)))
