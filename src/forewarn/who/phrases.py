"""Candidate names: runs of capitalised words cleaned into phrases that may name a person.

A run of capitalised words separated by single spaces (or a name particle) is a group; groups that
name places ("Skerry Point", "the Iron Throne") or canon terms are dropped, a leading title
("Captain") is kept apart, and stop words ("and", "The") cut a group into phrases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from operator import attrgetter

from forewarn._native import who_group_starts
from forewarn.who.kb import KnowledgeBase, KnownCharacter
from forewarn.who.lexicon import GEO_HEADS, GEO_HEADS_SURNAME, GEO_LEADS, NAME_TITLES, PLACE_HEADS, STOP
from forewarn.who.tokens import Token
from forewarn.who.usage import Usage

PARTICLES = frozenset(
    """
    de di da du del der van von la le al bin yae tol zos goe nar
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
Phrase = tuple[list[Token], str]  # the name's tokens, and the title before them ("Captain") or ""


def candidate_phrases(
    text: str, toks: list[Token], st: Usage, kb: KnowledgeBase, namelike: Callable[[str], bool]
) -> list[Phrase]:
    """The phrases of ``toks`` that may name a person, in text order; places, titles and common
    words dropped (``namelike``: :func:`forewarn.who.usage.namelike_test` of this story)."""
    opens = _group_opens(text, toks)
    bounds = list(zip(opens, [*opens[1:], len(toks)][: len(opens)], strict=True))
    # only the groups of several words are lists here: every list made costs garbage collection
    groups = [toks[a:b] for a, b in bounds if b - a > 1]
    places = _geo_places(groups, st, kb.by_full)
    multi = iter(groups)
    phrases: list[Phrase] = []
    append = phrases.append
    for a, b in bounds:
        if b - a == 1:
            # most groups are one word: a phrase of its own unless a title or a stop word
            t = toks[a]
            if t.key not in _TITLE_OR_STOP:
                append(([t], ""))
            continue
        g = next(multi)
        keys = [t.key for t in g]
        if any(k in PLACE_HEADS for k in keys) or " ".join(keys) in kb.terms:
            continue  # "Sound Village", "Harvest Festival", "Hidden Leaf"
        if tuple(keys) in places:
            continue  # "Skerry Point", "Mount Vire", "the Ash Falls"
        if g[0].det and not g[0].initial and g[0].prev != "that":
            continue  # "the Iron Throne" (but "told them that Mara Lind was …": "that" joins a clause)
        title = ""
        part: list[Token] = []
        if (
            g[0].initial
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
                    append((part, title))
                part, title = [], ""
                continue
            part.append(t)
        if part:
            append((part, title))
    return phrases


_TITLE_OR_STOP = NAME_TITLES | STOP
# the native core compares the words between the spaces lower-cased as ASCII
_NATIVE_PARTICLES = sorted(PARTICLES) if all(p.isascii() and p.islower() for p in PARTICLES) else None


def _groups(text: str, toks: list[Token]) -> list[list[Token]]:
    """Runs of capitalised words separated by single spaces (or a name particle: "Aymeric de Borel")."""
    opens = _group_opens(text, toks)
    return [toks[a:b] for a, b in zip(opens, [*opens[1:], len(toks)][: len(opens)], strict=True)]


def _group_opens(text: str, toks: list[Token]) -> list[int]:
    """The indices of the tokens that open a group of :func:`_groups`.

    The native core reads the gaps between the tokens (:func:`_groups_python`, the reference, where
    it cannot say).
    """
    if not toks or _NATIVE_PARTICLES is None:
        return _opens_of(_groups_python(text, toks))
    out = who_group_starts(
        text,
        list(map(_START, toks)),
        list(map(_SURFACE_END, toks)),
        list(map(_POSSESSIVE, toks)),
        _NATIVE_PARTICLES,
    )
    if out is None:
        return _opens_of(_groups_python(text, toks))
    opens, undecided = out
    # a gap with non-ASCII characters between two spaces: lower() is Python's to apply
    joined = {i for i in undecided if _particle_gap(text[toks[i - 1].surface_end : toks[i].start])}
    if joined:
        opens = [i for i in opens if i not in joined]
    return opens


def _opens_of(groups: list[list[Token]]) -> list[int]:
    opens, n = [], 0
    for g in groups:
        opens.append(n)
        n += len(g)
    return opens


def _particle_gap(gap: str) -> bool:
    return gap.strip().lower() in PARTICLES and gap.count(" ") == 2


_START = attrgetter("start")
_SURFACE_END = attrgetter("surface_end")
_POSSESSIVE = attrgetter("possessive")


def _candidate_phrases_python(
    text: str, toks: list[Token], st: Usage, kb: KnowledgeBase, namelike: Callable[[str], bool]
) -> list[Phrase]:
    """:func:`candidate_phrases` as it was first written: the reference its tests compare with."""
    groups = _groups_python(text, toks)
    places = _geo_places(groups, st, kb.by_full)
    phrases: list[Phrase] = []
    for g in groups:
        keys = [t.key for t in g]
        if len(g) > 1 and (any(k in PLACE_HEADS for k in keys) or " ".join(keys) in kb.terms):
            continue  # "Sound Village", "Harvest Festival", "Hidden Leaf"
        if len(g) > 1 and tuple(keys) in places:
            continue  # "Skerry Point", "Mount Vire", "the Ash Falls"
        if len(g) > 1 and g[0].det and not g[0].initial and g[0].prev != "that":
            continue  # "the Iron Throne" (but "told them that Mara Lind was …": "that" joins a clause)
        title = ""
        part: list[Token] = []
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
    return phrases


def _groups_python(text: str, toks: list[Token]) -> list[list[Token]]:
    """:func:`_groups` in Python alone: the reference of the native core."""
    groups: list[list[Token]] = []
    cur: list[Token] = []
    for t in toks:
        if cur:
            last = cur[-1]
            gap = text[last.surface_end : t.start]
            joined = not last.possessive and (
                gap == " " or (gap.strip().lower() in PARTICLES and gap.count(" ") == 2)
            )
            if not joined:
                groups.append(cur)
                cur = []
        cur.append(t)
    if cur:
        groups.append(cur)
    return groups


def _geo_places(
    groups: list[list[Token]], st: Usage, kb_full: dict[str, tuple[KnownCharacter, ...]]
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
