"""Characters of a story: capitalised words and phrases turned into people, aliases merged.

Rules, not a trained model: a capitalised word is a name when the text uses it like one (capitalised
mid-sentence, rarely lower-case, not after "the"/"in", not a place or title) or when the fandom
knowledge base knows it. Mentions, dialogue and the spread through the text rank the characters.
This module runs the steps in order; each step's rules are in its own module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from forewarn.model import Work
from forewarn.who import kb as kb_module
from forewarn.who.context import Context, Mention
from forewarn.who.dialogue import count_dialogue, speaker_keys
from forewarn.who.fandom import guess_fandom
from forewarn.who.genders import infer_genders
from forewarn.who.importance import importance_score
from forewarn.who.lexicon import COMMON_GIVEN
from forewarn.who.merge import Entity, entities, kept, resolve
from forewarn.who.phrases import Phrase, candidate_phrases
from forewarn.who.text import Span, fold, layout, story_ranges
from forewarn.who.tokens import HONORIFIC_RE, tokenise
from forewarn.who.types import Character, FandomGuess
from forewarn.who.usage import Usage, namelike_test, usage


def build_context(work: Work) -> Context:
    """Find the characters of ``work`` and index their mentions (story sections only)."""
    kb = kb_module.load()
    text = work.text
    ranges = story_ranges(work)
    toks, lower, words = tokenise(text, ranges)
    st = usage(toks, lower, speaker_keys(text, ranges))
    namelike = namelike_test(st, kb.terms)
    phrases = candidate_phrases(text, toks, st, kb, namelike)
    fandom = _guess_fandom(text, ranges, phrases, st, kb, words)
    in_fandom = fandom.name if fandom else None
    final = resolve(text, phrases, st, kb, in_fandom, namelike)
    keep = kept(entities(text, final, kb, in_fandom), st)

    paras, sents = _layout(text, ranges)
    mentions = sorted(
        (Mention(s, e_, keep[k].name) for s, e_, _, k in final if k in keep), key=lambda m: m.start
    )
    infer_genders(text, sents, mentions, keep)
    genders = {e.name: e.gender for e in keep.values()}
    # the dialogue is attributed through the mentions and pronouns: a context without characters yet
    count_dialogue(Context.make(text, paras, sents, mentions, genders, {}, (), fandom), keep)
    chars = _characters(keep, ranges)
    return Context.make(text, paras, sents, mentions, genders, _aliases(chars), chars, fandom, text.lower())


def _guess_fandom(
    text: str,
    ranges: list[tuple[int, int]],
    phrases: list[Phrase],
    st: Usage,
    kb: kb_module.KnowledgeBase,
    words: list[Sequence[str]],
) -> FandomGuess | None:
    """The fandom, from the words of the phrases that could be names plus canon terms."""
    candidate_words = Counter(
        t.key
        for part, _ in phrases
        for t in part
        if not t.allcaps and (not t.initial or (st.lower[t.key] == 0 and t.key not in COMMON_GIVEN))
    )
    full_names = Counter(" ".join(t.key for t in part) for part, _ in phrases if len(part) > 1)
    return guess_fandom(text, ranges, candidate_words, full_names, kb, words)


def _layout(text: str, ranges: list[tuple[int, int]]) -> tuple[list[Span], list[Span]]:
    """The paragraphs and sentences of the story ranges."""
    paras: list[Span] = []
    sents: list[Span] = []
    for lo, hi in ranges:
        range_paras, range_sents = layout(text, lo, hi)
        paras += range_paras
        sents += range_sents
    return paras, sents


def _characters(keep: dict[str, Entity], ranges: list[tuple[int, int]]) -> tuple[Character, ...]:
    """The characters, most important first (importance relative to the top score)."""
    scores = {k: importance_score([s for s, _ in e.mentions], e.dialogue, ranges) for k, e in keep.items()}
    top = max(scores.values(), default=1.0) or 1.0
    return tuple(
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


def _aliases(chars: tuple[Character, ...]) -> dict[str, str]:
    """fold(form) -> canonical name for every form and word of a character's names (first wins)."""
    aliases: dict[str, str] = {}
    for c in chars:
        for a in (c.name, *c.aliases):
            aliases.setdefault(fold(a), c.name)
            for w in a.split():
                aliases.setdefault(fold(HONORIFIC_RE.sub("", w)), c.name)
    return aliases
