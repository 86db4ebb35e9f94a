"""Which fandom a story belongs to, from the characters it names and the canon words it uses."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from forewarn._native import CanonTerms
from forewarn.who.kb import KnowledgeBase
from forewarn.who.lexicon import COMMON_GIVEN
from forewarn.who.text import WORD_RE, fold
from forewarn.who.types import FandomGuess

MIN_SCORE = 2.5  # below this the evidence is too weak (original fiction, an unknown fandom)
MIN_ITEMS = 2  # distinct characters or canon terms needed


def canon_terms(
    text: str, ranges: list[tuple[int, int]], kb: KnowledgeBase, words: list[Sequence[str]] | None = None
) -> Counter[str]:
    """How often each knowledge-base term occurs in the story text (one pass, n-gram lookup).

    ``words``: each range's ``WORD_RE`` words when the caller has them already.
    """
    index = _term_index(kb)
    found: Counter[str] = Counter()
    per_range = words if words is not None else [WORD_RE.findall(text, lo, hi) for lo, hi in ranges]
    for raw_words in per_range:
        native = index.native.count(raw_words)
        if native is None:
            _count_terms(raw_words, index, kb, found)
        else:
            for term, n in native:
                found[term] += n
    return found


def _canon_terms_python(
    text: str, ranges: list[tuple[int, int]], kb: KnowledgeBase, words: list[Sequence[str]] | None = None
) -> Counter[str]:
    """:func:`canon_terms` in Python alone: the reference of the native core."""
    index = _term_index(kb)
    found: Counter[str] = Counter()
    for raw_words in words if words is not None else [WORD_RE.findall(text, lo, hi) for lo, hi in ranges]:
        _count_terms(raw_words, index, kb, found)
    return found


def _count_terms(raw_words: Sequence[str], index: _TermIndex, kb: KnowledgeBase, found: Counter[str]) -> None:
    """The Python reference of ``CanonTerms.count``: the terms of one range's words into ``found``."""
    # fold each distinct word once; only words that can start a term are looked at in place
    folded: dict[str, str] = {}
    for w in set(raw_words):
        f = fold(w)
        folded[w] = f[:-2] if f.endswith("'s") else f
    starters = {w for w, f in folded.items() if f in index.firsts}
    if not starters:
        return
    for i in [i for i, w in enumerate(raw_words) if w in starters]:
        w = raw_words[i]
        # the longest term starting here: grow the n-gram while it is a prefix of some term
        gram = folded[w]
        grams = [gram]
        for x in raw_words[i + 1 : i + kb.max_term_words]:
            gram = f"{gram} {folded[x]}"
            if gram not in index.prefixes:
                break
            grams.append(gram)
        for gram in reversed(grams):
            if gram in kb.terms:
                found[gram] += 1
                break


@dataclass(frozen=True, slots=True)
class _TermIndex:
    kb: KnowledgeBase  # held, so that the ids of its parts are not reused while cached
    key: tuple[int, int, int]
    firsts: frozenset[str]  # the first words of the terms
    prefixes: frozenset[str]  # every leading run of words of a term
    native: CanonTerms


# The last knowledge base's term index: built once, not per story.
_TERM_INDEX: list[_TermIndex] = []


def _term_index(kb: KnowledgeBase) -> _TermIndex:
    key = (id(kb.terms), len(kb.terms), kb.max_term_words)
    if _TERM_INDEX and _TERM_INDEX[0].kb is kb and _TERM_INDEX[0].key == key:
        return _TERM_INDEX[0]
    terms = kb.terms
    firsts = frozenset(t.split(" ", 1)[0] for t in terms)
    prefixes = frozenset(" ".join(t.split(" ")[:n]) for t in terms for n in range(1, t.count(" ") + 2))
    index = _TermIndex(
        kb, key, firsts, prefixes, CanonTerms(set(terms), firsts, prefixes, kb.max_term_words, fold)
    )
    _TERM_INDEX[:] = [index]
    return index


def guess_fandom(
    text: str,
    ranges: list[tuple[int, int]],
    candidate_words: Counter[str],
    full_names: Counter[str],
    kb: KnowledgeBase,
    words: list[Sequence[str]] | None = None,
) -> FandomGuess | None:
    """The most likely fandom, or None when the evidence is weak.

    ``candidate_words``: folded capitalised words the text may use as names, with counts;
    ``full_names``: folded multi-word capitalised phrases ("uchiha sasuke");
    ``words``: each range's words, when the caller has split the text already.
    """
    chars: dict[str, dict[str, float]] = defaultdict(dict)  # fandom -> character -> weight
    for key, count in candidate_words.items():
        hits = kb.by_word.get(key, ())
        fandoms = {c.fandom for c in hits}
        for c in hits:
            weight = 1.0 / len(fandoms) * (0.3 if key in COMMON_GIVEN else 1.0)
            weight *= 1.0 + 0.1 * min(math.log1p(count), 3.0)
            chars[c.fandom][c.name] = max(chars[c.fandom].get(c.name, 0.0), weight)
    for full in full_names:
        for c in kb.by_full.get(full, ()):
            chars[c.fandom][c.name] = max(chars[c.fandom].get(c.name, 0.0), 2.0)
    terms: dict[str, float] = defaultdict(float)
    items: Counter[str] = Counter()
    for term, count in canon_terms(text, ranges, kb, words).items():
        owners = kb.terms[term]
        for f in owners:
            terms[f] += (1.0 + 0.1 * min(math.log1p(count), 3.0)) / len(owners)
            items[f] += 1
    scores: dict[str, float] = {}
    for f in set(chars) | set(terms):
        scores[f] = sum(chars[f].values()) + min(terms[f], 6.0)
        items[f] += len(chars[f])
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    best, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if score < MIN_SCORE or items[best] < MIN_ITEMS:
        return None
    confidence = (1.0 - math.exp(-score / 3.0)) * score / (score + second)
    return FandomGuess(best, round(confidence, 3))
