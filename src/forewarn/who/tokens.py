"""The name tokeniser: every capitalised word of the story with what surrounds it.

One pure function, :func:`tokenise` (its two caches only memoise pure helpers): the text and the
story ranges in; the capitalised words as :class:`Token`, the lower-case word counts and every
word of each range out. Everything that decides what a name is comes later (``usage.py``,
``phrases.py``, ``merge.py``); this module only reads the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from forewarn._native import NameTokens
from forewarn.who.lexicon import ABBREVIATIONS, DETERMINERS, HONORIFICS, LOCATIVE_PREPS
from forewarn.who.text import WORD_RE, fold

# Japanese honorifics after a name ("Sasuke-kun"): not part of the name.
HONORIFIC_RE = re.compile(r"(?:-(?:" + "|".join(sorted(HONORIFICS, key=len, reverse=True)) + r"))+$", re.I)
_STUTTER_RE = re.compile(r"^([^\W\d_])-(?=\1)", re.I)


@dataclass(slots=True)
class Token:
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


class Tokenised(NamedTuple):
    tokens: list[Token]  # the capitalised words, in text order
    lower: Counter[str]  # fold(word) -> its lower-case uses ("'s" dropped), over all ranges
    words: list[Sequence[str]]  # every word of each range, in order (for the fandom's canon terms)


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
_LETTER_RE = re.compile(r"[^\W\d_]")  # what they start with
_END_RE = re.compile(r"[^\W_]")  # what they end on
_CAP_FIRST = frozenset(map(chr, [*range(0x41, 0x5B), *range(0xC0, 0xD7), *range(0xD8, 0xDF)]))  # [A-ZÀ-ÖØ-Þ]
_GAP_CACHE: dict[tuple[str, bool], tuple[bool, bool, bool | None]] = {}


def _gap_info(gap: str, first: bool) -> tuple[bool, bool, bool | None]:
    """For the text between the previous word and a capitalised word: (is it a capitalised word
    by the pattern of :func:`tokenise`, is the gap blank, ``_is_initial``; None there means it
    depends on an abbreviation before a ".").

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
    h = HONORIFIC_RE.search(word)
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


def tokenise(text: str, ranges: Sequence[tuple[int, int]]) -> Tokenised:
    """The capitalised words of ``text[lo:hi]`` for each (lo, hi) in ``ranges``, with their context.

    A capitalised word is a match of ``(?<![\\w'’\\-])(?=[A-ZÀ-ÖØ-Þ])`` + ``WORD_RE``. A range is
    tokenised by the native core, whose character table (:func:`_char_table`: Latin, Greek,
    Cyrillic, punctuation, symbols, emoji) learns any other character from :func:`_char_entries`
    the first time it meets it; a range holding a character the table leaves out ('İ', a lone
    surrogate) goes to :func:`_tokenise_range`, the Python reference. Both give the same answer
    (tests/test_native_tokens.py).
    """
    toks: list[Token] = []
    lower: Counter[str] = Counter()
    words_out: list[Sequence[str]] = []
    native = _native_tokens()
    for lo, hi in ranges:
        out = native.tokenise_range(
            text[lo:hi],
            lo,
            lo > 0 and _RUN_CHAR_RE.match(text[lo - 1]) is not None,
            text.startswith(" ", hi),
            text[hi : hi + 1].islower(),
            text[hi + 1 : hi + 2].islower(),
            lower,  # counts added there in C: Counter.update loops in Python
        )
        if out is None:
            _tokenise_range(text, lo, hi, toks, lower, words_out)
        else:
            words, _, range_toks = out
            words_out.append(words)
            toks += range_toks
    return Tokenised(toks, lower, words_out)


_NATIVE: list[NameTokens] = []


def _native_tokens() -> NameTokens:
    if not _NATIVE:
        chars, folds, lowers, classes, honorific = _char_table()
        _NATIVE.append(
            NameTokens(
                Token,
                _CAP_FIRST,
                list(HONORIFICS),
                ABBREVIATIONS,
                DETERMINERS,
                LOCATIVE_PREPS,
                chars,
                folds,
                lowers,
                classes,
                honorific,
                _char_entries,  # any other character, when a range first holds it
            )
        )
    return _NATIVE[0]


# The blocks whose characters the native core takes: ASCII to Cyrillic (Latin-1, Latin Extended-A
# and -B, IPA, combining diacritics, Greek), Latin Extended Additional (Vietnamese) and Greek
# Extended, General Punctuation, currency, letterlike symbols, number forms, arrows, miscellaneous
# symbols and dingbats, the Latin ligatures, variation selectors and the common emoji.
_TABLE_BLOCKS = (
    (0x0000, 0x0530),
    (0x1E00, 0x2070),
    (0x20A0, 0x20D0),
    (0x2100, 0x2200),
    (0x2600, 0x27C0),
    (0xFB00, 0xFB07),
    (0xFE00, 0xFE10),
    (0x1F300, 0x1F650),
    (0x1F680, 0x1F700),
    (0x1F900, 0x1FA00),
)
_SEP = "\ue000"  # a private-use character: no decomposition, no case, not combining


def _char_table() -> tuple[str, list[str], list[str], dict[str, str], dict[str, str]]:
    """What the native core needs of each character of :data:`_TABLE_BLOCKS` (:func:`_char_entries`)."""
    return _char_entries("".join(map(chr, [c for lo, hi in _TABLE_BLOCKS for c in range(lo, hi)])))


def _char_entries(chars: str) -> tuple[str, list[str], list[str], dict[str, str], dict[str, str]]:
    """What the native core needs of each of ``chars``, as the interpreter says it: (the
    characters, ``fold`` of each, ``lower()`` of each, the members of each class, the characters
    each character of the honorifics matches under ``re.I``). The table of :data:`_TABLE_BLOCKS`
    at start-up, then any other character the core meets, asked once (``NameTokens(learn=...)``).

    Each rule the tokeniser applies to a word is one of its characters taken one by one: ``fold``
    (NFKD only reorders the combining marks it drops, casefold() maps each character alone),
    ``isupper``/``islower`` (no lower or title case and some upper case, and the reverse),
    ``strip()``, the classes of WORD_RE, HONORIFIC_RE's letters ignoring case and _STUTTER_RE's
    backreference (which compares lower cases). The core leaves out a character whose
    ``lower()`` is two ('İ') or whose case flags would not compose over a word. About 3 ms for
    the blocks, once: every step runs in C over the whole set.
    """
    # fold() of each character at once: the separator keeps NFKD from reordering across them
    # (one not among the characters, or the split would cut one of them)
    sep = _SEP if _SEP not in chars else next(c for c in map(chr, range(0xE001, 0xF900)) if c not in chars)
    decomposed = unicodedata.normalize("NFKD", sep.join(chars))
    marks = "".join(filter(unicodedata.combining, set(decomposed)))
    kept = re.sub(f"[{marks}]", "", decomposed) if marks else decomposed
    folds = kept.casefold().replace("’", "'").split(sep)
    # title case ('ǅ') is among istitle(): only these can keep a word from isupper()/islower()
    cased = "".join(filter(str.istitle, chars)) + "".join(filter(str.islower, chars))
    classes = {
        "run": "".join(_RUN_CHAR_RE.findall(chars)),
        "letter": "".join(_LETTER_RE.findall(chars)),
        "end": "".join(_END_RE.findall(chars)),
        "upper": "".join(filter(str.isupper, chars)),
        "lower": "".join(filter(str.islower, chars)),
        "space": "".join(filter(str.isspace, chars)),
        "breaks_upper": "".join([c for c in cased if not ("A" + c).isupper()]),
        "breaks_lower": "".join([c for c in cased if not ("a" + c).islower()]),
    }
    honorific = {
        a: "".join(re.findall(re.escape(a), chars, re.I)) for a in set("-" + "".join(HONORIFICS).lower())
    }
    return chars, folds, list(map(str.lower, chars)), classes, honorific


def _tokenise_python(text: str, ranges: Sequence[tuple[int, int]]) -> Tokenised:
    """:func:`tokenise` in Python alone: the reference of the native core.

    One C-level split per range gives every word and the text between words, so the previous words
    of a name are read from lists instead of re-tokenising a window around each name (the same
    words that pattern and ``_previous_words`` find).
    """
    toks: list[Token] = []
    lower: Counter[str] = Counter()
    words_out: list[Sequence[str]] = []
    for lo, hi in ranges:
        _tokenise_range(text, lo, hi, toks, lower, words_out)
    return Tokenised(toks, lower, words_out)


def _tokenise_range(
    text: str, lo: int, hi: int, toks: list[Token], lower: Counter[str], words_out: list[Sequence[str]]
) -> None:
    """One range of :func:`_tokenise_python`: its tokens, lower-case counts and words added to the lists."""
    abbreviations = ABBREVIATIONS
    determiners = DETERMINERS
    locative = LOCATIVE_PREPS
    gap_cache = _GAP_CACHE
    word_parts = _WORD_PARTS
    # a tuple of strings drops out of the garbage collector's tracking, so the full collections
    # that the many small objects below set off do not walk these millions of words each time
    parts = tuple(_SPLIT_RE.split(text[lo:hi]))
    words = parts[1::2]
    gaps = parts[0::2]  # gaps[k]: the text before words[k]
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
            takes = False  # the pattern looks behind the range's start
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
                # a word cut by the 60-character window: read afresh, as _previous_words does
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
            Token(
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
