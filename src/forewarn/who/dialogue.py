"""Dialogue tags: who says a quoted line ('"…," Sakura whispered').

A capitalised word in a tag is strong evidence of a name (:func:`speaker_keys`), and each
character's lines of dialogue count towards their importance (:func:`count_dialogue`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from forewarn.who.context import Context
from forewarn.who.genders import PRONOUN_GENDER
from forewarn.who.lexicon import SPEECH_VERBS
from forewarn.who.merge import Entity
from forewarn.who.text import fold
from forewarn.who.tokens import HONORIFIC_RE

_VERBS = "|".join(SPEECH_VERBS)
_NAME = r"[A-Z][\w'’\-]*(?:[ ][A-Z][\w'’\-]*)?"
_AFTER_RE = re.compile(rf"[ \t]*(?P<who>{_NAME}|he|she)[ \t]+(?:\w+ly[ \t]+)?(?:{_VERBS})\b")
_AFTER_INV_RE = re.compile(rf"[ \t]*(?:{_VERBS})[ \t]+(?P<who>{_NAME})\b")
_BEFORE_RE = re.compile(
    rf"(?:^|[.!?…]\s+|,\s+|\s)(?P<who>{_NAME}|[Hh]e|[Ss]he)\b[^\"“”.!?]{{0,80}}?\b(?:{_VERBS})\b"
    rf"[^\"“”.!?]{{0,40}}[,:]\s*$"
)
_QUOTE_RE = re.compile('["“”]')


def speaker_keys(text: str, ranges: list[tuple[int, int]]) -> Counter[str]:
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
                    h = HONORIFIC_RE.search(word)
                    out[fold(word[: h.start()] if h else word)] += 1
                    break
    return out


def count_dialogue(ctx: Context, ents: dict[str, Entity]) -> None:
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
                name = ctx.resolve_pronoun(pos, PRONOUN_GENDER[word.lower()])
            else:
                found = ctx.mentions_in(pos, pos + len(word) + 1)
                name = found[0].name if found else None
            if name and name in by_name:
                by_name[name].dialogue += 1
