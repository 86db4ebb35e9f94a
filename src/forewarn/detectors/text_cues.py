"""Context helpers shared by detectors: sentences, clauses, negation, irrealis, quotation, names.

Everything here works on plain strings with character offsets (end exclusive) and never needs
capital letters, because some corpora are lower-cased; only :func:`names_near` reads case. The
word lists are English grammar, not content vocabulary: they say *how* a cue is used (denied,
wished for, reported in dialogue, told as backstory), never *what* the cue is.

>>> text = "She did not die. He died."
>>> [text[s:e] for s, e in sentence_spans(text)]
['She did not die.', 'He died.']
>>> is_negated(text, text.index("die"), 0)
True
"""

from __future__ import annotations

import bisect
import collections
import functools
import json
import re
from collections.abc import Iterator
from importlib import resources
from typing import Any

from forewarn import _native

# --- case: the patterns below ignore case, which makes Python's regex engine several times slower.
# On lower-case text (what the lexicon passes) the same patterns without IGNORECASE match exactly
# the same, since every letter in them is lower-case ASCII: only "ı" and "ſ" are lower-case and
# match a lower-case ASCII letter when case is ignored ("i", "s"), so text holding them keeps
# the slow way.


def _either_case(pattern: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``pattern`` compiled ignoring case, and for lower-case text (see :func:`_is_lower`) not."""
    return re.compile(pattern, re.IGNORECASE), re.compile(pattern)


_last_lower: tuple[str, bool] = ("", True)  # the last text asked about: helpers ask in turn


def _is_lower(text: str) -> bool:
    """True when the patterns without IGNORECASE match ``text`` as the ones with it do."""
    global _last_lower
    last = _last_lower
    if last[0] is text:
        return last[1]
    lower = text.islower() and "ı" not in text and "ſ" not in text
    _last_lower = (text, lower)
    return lower


# --- sentences and clauses -----------------------------------------------------------------

# forewarn's sentence splitters (this one for the detectors, who/text.py's for the who-analysis,
# segment.py's for cutting long paragraphs into passages) share what ends a sentence and what
# may close it after the mark, as the insides of a regex character class. They differ in what
# must follow an end, each for its reader: see each one.
SENTENCE_MARKS = ".!?…"
SENTENCE_CLOSERS = "\"'”’)\\]"  # quotes and brackets

# For the detectors, a sentence ends at ., !, ?, … (with closing quotes/brackets, * or _)
# followed by space, or at a line break; no capital is needed after it, as some corpora are
# lower-cased: ``[.!?…]+[\"'”’)\]*_]*(?=\s|$)|\n\s*``, written to open with one character class
# so that the regex engine skips fast to candidates. Common abbreviations ("Mr.", "Dr.") are
# rejected afterwards in Python. A run of . ! ? … is taken whole and matches even where no
# sentence ends (then no group is set): a failed match would be retried from each character of
# the run, which is quadratic in its length ("!!!!…", a row of dots).
_SENTENCE_END = re.compile(
    rf"[{SENTENCE_MARKS}\n](?:(?<=[{SENTENCE_MARKS}])[{SENTENCE_MARKS}]*+"
    rf"(?:[{SENTENCE_CLOSERS}*_]*+(?=\s|$)())?|(?<=\n)\s*+())"
)
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs"})


def _ends(text: str, start: int, end: int | None = None) -> Iterator[re.Match[str]]:
    """Sentence-end matches in ``text[start:end]``, abbreviations ("Mr.", "Dr.") excluded."""
    for m in _SENTENCE_END.finditer(text, start, len(text) if end is None else end):
        if m.lastindex is None:  # a run of . ! ? … that ends no sentence
            continue
        at = m.start()
        if text[at] == "." and at and text[at - 1].isalpha():
            word_start = at - 1
            while word_start > 0 and text[word_start - 1].isalpha() and at - word_start < 4:
                word_start -= 1
            if text[word_start:at].lower() in _ABBREVIATIONS and not (
                word_start and text[word_start - 1].isalpha()
            ):
                continue
        yield m


# Where a clause starts: punctuation, dashes, and the words that open a new clause.
_CLAUSE_BREAK, _CLAUSE_BREAK_LOWER = _either_case(
    r"[,;:()\[\]\"“”]|\s[-–—]+\s|[–—]|\b(?:but|and|or|so|because|although|though|while|when|whenever"
    r"|until|till|before|after|since|who|whom|which|that|where|then|as|once|yet)\b"
)
_WORD, _WORD_LOWER = _either_case(r"[a-z0-9]+(?:['’][a-z]+)*")

# The native core scans a passage for the sentence ends, clause breaks and words above, exactly as
# these patterns do (and _ends' abbreviation test); it stands in only while they are the ones it
# was written for (tests/test_native_text_cues.py compares the two on generated and real text).
_NATIVE_SCANS = (
    _SENTENCE_END.pattern,
    _CLAUSE_BREAK_LOWER.pattern,
    _WORD_LOWER.pattern,
    " ".join(sorted(_ABBREVIATIONS)),
) == _native.TEXT_CUES_PATTERNS
_last_native: tuple[str, _native.CueText | None] = ("", None)  # the last text asked about


def _native_text(text: str) -> _native.CueText | None:
    """``text`` for the native scans, or None where Python must do them (a lone surrogate)."""
    global _last_native
    last = _last_native
    if last[0] is text:
        return last[1]
    native = _native.cue_text(text) if _NATIVE_SCANS else None
    _last_native = (text, native)
    return native


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as (start, end) offsets into ``text``, whitespace trimmed.

    >>> sentence_spans('"Run!" she said. Mr. Kay ran.')
    [(0, 6), (7, 16), (17, 29)]
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _ends(text, start, end):
        stop = m.end() if text[m.start()] not in " \t\r\n" else m.start()
        _append_trimmed(text, cursor, stop, spans)
        cursor = m.end()
    _append_trimmed(text, cursor, end, spans)
    return spans


# A letter or digit is never part of a sentence-end match, so a scan for sentence ends that starts
# on one finds exactly the ends that a scan from the start of the text finds after it.
_ALNUM = re.compile(r"[^\W_]")


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The span of :func:`sentence_spans` ``(text)`` that holds ``pos``, found without cutting it all.

    ``text[pos]`` must be a letter or digit (a word in the sentence). The scan looks back from
    ``pos`` in growing steps until it finds a sentence end, so it costs about one sentence.

    >>> text = "He ran. She died here. Then rain."
    >>> text[slice(*sentence_at(text, text.index("died")))]
    'She died here.'
    """
    back = 160
    while True:
        lo = pos - back
        if lo <= 0:
            lo = 0
        else:
            sync = _ALNUM.search(text, lo, pos + 1)
            lo = sync.start() if sync is not None else pos
        cursor = -1
        stop = len(text)
        for m in _ends(text, lo):
            if m.start() >= pos:
                stop = m.end() if text[m.start()] not in " \t\r\n" else m.start()
                break
            cursor = m.end()
        if cursor != -1 or lo == 0:
            break
        back *= 4
    return trim(text, max(cursor, 0), stop)


class Sentences:
    """:func:`sentence_at` for many positions of one text: after a few, the text is cut into
    sentences once and the rest are looked up (a scan back per position would read each short
    sentence many times where every sentence holds a cue)."""

    _ASKED_ALONE = 2  # positions answered by sentence_at before the text is cut

    def __init__(self, text: str) -> None:
        self.text = text
        self._asked = 0
        self._spans: list[tuple[int, int]] = []
        self._starts: list[int] = []

    def at(self, pos: int) -> tuple[int, int]:
        """The sentence holding ``pos``; ``text[pos]`` must be a letter or digit, as for sentence_at."""
        if not self._starts:
            native = _native_text(self.text)
            if native is not None:  # the native cut costs less than one sentence_at
                starts, ends = native.sentences()
                self._starts, self._spans = starts, list(zip(starts, ends, strict=True))
            else:
                self._asked += 1
                if self._asked <= self._ASKED_ALONE:
                    return sentence_at(self.text, pos)
                self._spans = sentence_spans(self.text)
                self._starts = [start for start, _ in self._spans]
        return self._spans[bisect.bisect_right(self._starts, pos) - 1]


def sentence_around(text: str, pos: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The sentence of ``text[lo:hi]`` holding ``pos``, as :func:`sentence_spans` would cut it.

    Looks back at most 400 characters for the sentence start, so it costs little per call.

    >>> text = "He ran. She died here."
    >>> text[slice(*sentence_around(text, text.index("died")))]
    'She died here.'
    """
    hi = len(text) if hi is None else hi
    start = max(lo, pos - 400)
    for m in _ends(text, start):
        if m.end() > pos:
            break
        start = m.end()
    stop = hi
    for m in _ends(text, pos, hi):
        stop = m.end() if text[m.start()] not in " \t\r\n" else m.start()
        break
    return trim(text, start, stop)


def _append_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    start, end = trim(text, start, end)
    if start < end:
        spans.append((start, end))


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without the whitespace at either end of ``text[start:end]`` (unchanged
    when ``start >= end``): the one trimming of every sentence splitter.

    >>> trim(" a b \\n", 0, 6)
    (1, 4)
    """
    if start >= end:
        return start, end
    seg = text[start:end]
    left = seg.lstrip()  # str.strip() and str.isspace() agree on what whitespace is
    start += len(seg) - len(left)
    return start, start + len(left.rstrip())


# --- searches over long texts: one pass, however many cues ask ----------------------------------

# Up to this many characters between where a search starts and the cue, the search runs directly;
# beyond it (a run-on sentence), a kept scan of the text answers instead, so a sentence with
# thousands of cues is read once, not once per cue. Both give the same answer.
_DIRECT = 400
_WORD_CHAR = re.compile(r"\w")


class Scan:
    """``pattern.finditer(text, lo, hi)``, run lazily and kept, answering searches from later points.

    A search from ``x`` needs no new pass: where the scan found no match start, an attempt fails
    (the scan tried there), so only positions inside one of its matches are tried afresh. The
    pattern must never match empty text.
    """

    def __init__(self, pattern: re.Pattern[str], text: str, lo: int = 0, hi: int | None = None) -> None:
        self.pattern = pattern
        self.text = text
        self.lo = lo
        self.hi = len(text) if hi is None else hi
        self._pending: Iterator[re.Match[str]] | None = pattern.finditer(text, lo, self.hi)
        self.matches: list[re.Match[str]] = []
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._joins: dict[int, tuple[list[re.Match[str]], int]] = {}  # see _follow

    def _known(self, x: int) -> None:
        """Scan on until a match starts after ``x`` (or the text ends)."""
        while self._pending is not None and (not self._starts or self._starts[-1] <= x):
            m = next(self._pending, None)
            if m is None:
                self._pending = None
            else:
                self.matches.append(m)
                self._starts.append(m.start())
                self._ends.append(m.end())

    def _next(self, x: int, limit: int) -> tuple[re.Match[str] | None, int]:
        """``pattern.search(text, x, hi)`` when it starts at or before ``limit`` (else None), with
        its index in ``matches`` (-1 for a match the scan skipped over)."""
        while x <= limit:
            self._known(x)
            k = bisect.bisect_right(self._starts, x) - 1
            if k >= 0 and self._starts[k] == x:
                return self.matches[k], k
            if k >= 0 and x < self._ends[k]:  # inside a match: the scan never tried here
                m = self.pattern.match(self.text, x, self.hi)
                if m is not None:
                    return m, -1
                x += 1
            elif k + 1 < len(self._starts):
                x = self._starts[k + 1]  # the scan tried every position up to its next match
            else:
                break
        return None, -1

    def search(self, x: int, limit: int) -> re.Match[str] | None:
        """``pattern.search(text, x, hi)`` (``x >= lo``) when it starts at or before ``limit``, else None."""
        return self._next(x, limit)[0]

    def _follow(self, x: int) -> tuple[list[re.Match[str]], int]:
        """The matches of ``pattern.finditer(text, x, hi)``: its own ones until it meets a match of
        the scan, then ``matches[k:]``; returns those own ones and ``k``."""
        joined = self._joins.get(x)
        if joined is None:
            own: list[re.Match[str]] = []
            m, k = self._next(x, self.hi)
            while m is not None and k < 0:
                own.append(m)
                m, k = self._next(m.end(), self.hi)
            joined = self._joins[x] = (own, len(self.matches) if m is None else k)
        return joined

    def cut_is_clean(self, hi: int) -> bool:
        """True when ending the text at ``hi`` (``hi <= self.hi``) changes no attempt of the pattern
        except by cutting a match that runs past ``hi``: no match can end at ``hi`` on a word-boundary
        test that the cut would decide otherwise (see :func:`_end_words`)."""
        if hi >= self.hi:
            return True
        words = _end_words(self.pattern)
        if words is _UNREAD:
            return False  # a look-ahead or an end anchor may read past any cut
        if not _WORD_CHAR.match(self.text, hi):
            return True  # a word boundary at hi reads the same either way
        if words is None:
            return False
        if not words or not _WORD_CHAR.match(self.text, hi - 1):
            return True
        tail = self.text[max(0, hi - _END_WORD_CHARS) : hi]
        if self.pattern.flags & re.IGNORECASE:
            if not tail.isascii():
                return False  # lower() may change lengths there: unsure
            tail = tail.lower()
        return not tail.endswith(words)

    def parts(self, lo: int, hi: int) -> tuple[list[re.Match[str]], int, int, list[re.Match[str]]]:
        """``pattern.finditer(text, lo, hi)`` (``self.lo <= lo``, ``hi <= self.hi``) as
        ``head + matches[k:j] + tail``; returns ``(head, k, j, tail)``. Besides the kept matches
        it costs about one match's length at each end."""
        if not self.cut_is_clean(hi):
            return list(self.pattern.finditer(self.text, lo, hi)), 0, 0, []
        head, k = self._follow(lo)
        self._known(hi)
        ends = [m.end() for m in head] if head else []
        i = bisect.bisect_right(ends, hi)
        if i < len(head):  # the scan from ``lo`` runs past ``hi`` before it meets the kept matches
            return head[:i], k, k, self._cut(head[i], hi)
        j = bisect.bisect_right(self._ends, hi, k)
        return head, k, j, self._cut(self.matches[j], hi) if j < len(self.matches) else []

    def _cut(self, after: re.Match[str], hi: int) -> list[re.Match[str]]:
        """The matches up to ``hi`` from where ``after``, the first match that ends past it, starts:
        cut at ``hi``, the text may hold a shorter one."""
        return list(self.pattern.finditer(self.text, after.start(), hi)) if after.start() < hi else []

    def within(self, lo: int, hi: int) -> list[re.Match[str]]:
        """The list of ``pattern.finditer(text, lo, hi)`` (see :meth:`parts`)."""
        head, k, j, tail = self.parts(lo, hi)
        return [*head, *self.matches[k:j], *tail]

    def last(self, lo: int, hi: int) -> re.Match[str] | None:
        """The last match of ``pattern.finditer(text, lo, hi)`` (see :meth:`parts`)."""
        head, k, j, tail = self.parts(lo, hi)
        return tail[-1] if tail else self.matches[j - 1] if j > k else head[-1] if head else None


# What a cut of the text can change. An attempt of the pattern reads the text past ``hi`` only by
# consuming it (then its match, if any, runs past ``hi``), or by a zero-width test at its position:
# a look-ahead anywhere, or ``\b``/``\B``/``$`` at ``hi`` itself. Patterns with a look-ahead or an end
# anchor are never cut cleanly; for ``\b`` and ``\B``, only a test at the very end of a match can
# stand at ``hi``, so the strings the match ends with just before it tell where it can. Reading
# that needs the regex's structure (Python's private parser): the build step reads it
# (``lexicon.analysis.scan_cuts``) into ``data/scan_cuts.json``, which is looked up here.
_END_WORD_CHARS = 64  # characters of text before a cut compared with the ends of matches
SCAN_CUTS = "scan_cuts.json"  # in forewarn/detectors/data, made by the lexicon's build step
_UNREAD = ("",)  # a pattern the build step did not read: every cut is taken as unclean


@functools.cache
def _scan_cuts() -> dict[tuple[str, int], tuple[str, ...] | None]:
    """(pattern, flags) -> its end words (see ``lexicon.analysis.end_words``) for every pattern the
    build step read that has no look-ahead and no end anchor; None when unsure."""
    path = resources.files("forewarn.detectors").joinpath("data", SCAN_CUTS)
    records = json.loads(path.read_text(encoding="utf-8"))["patterns"]
    return {(r["pattern"], r["flags"]): None if r["ends"] is None else tuple(r["ends"]) for r in records}


def _end_words(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings (lower-case when the pattern ignores case) one of which every match of ``pattern``
    that ends on a word-boundary test ends with, right before it: () when no match ends on one;
    None when unsure; ``_UNREAD`` when the pattern has a look-ahead or an end anchor, or the build
    step did not read it."""
    return _scan_cuts().get((pattern.pattern, pattern.flags), _UNREAD)


_scans: dict[re.Pattern[str], Scan] = {}  # the last scan of each pattern


def _scan(pattern: re.Pattern[str], text: str) -> Scan:
    scan = _scans.get(pattern)
    if scan is None or scan.text is not text:
        scan = _scans[pattern] = Scan(pattern, text)
    return scan


def last_match(pattern: re.Pattern[str], text: str, floor: int, pos: int) -> re.Match[str] | None:
    """The last match of ``pattern.finditer(text, floor, pos)``, in time that does not grow with
    ``pos - floor`` over many calls on one text (the pattern must never match empty text)."""
    if pos - floor <= _DIRECT:
        return _last_of(pattern.finditer(text, floor, pos))
    return _scan(pattern, text).last(floor, pos)


def _last_of(matches: Iterator[re.Match[str]]) -> re.Match[str] | None:
    kept = collections.deque(matches, maxlen=1)
    return kept[0] if kept else None


def found_before(pattern: re.Pattern[str], text: str, start: int, pos: int) -> bool:
    """``pattern.search(text, start, pos) is not None``, as :func:`last_match` is fast."""
    scan = _scan(pattern, text) if pos - start > _DIRECT else None
    if scan is None or not scan.cut_is_clean(pos):
        return pattern.search(text, start, pos) is not None
    m = scan.search(start, pos - 1)
    if m is None:
        return False
    return m.end() <= pos or pattern.search(text, m.start(), pos) is not None


_last_clause: tuple[str, int, int, int] = ("", -1, -1, -1)  # text, pos, floor -> clause start


def clause_start(text: str, pos: int, floor: int) -> int:
    """Offset where the clause holding ``pos`` begins (never before ``floor``)."""
    global _last_clause
    last_text, last_pos, last_floor, last = _last_clause
    if last_text is text and last_pos == pos and last_floor == floor:
        return last  # negation and irrealis ask about the same cue in turn
    lower = _is_lower(text)
    breaks = _CLAUSE_BREAK_LOWER if lower else _CLAUSE_BREAK
    last = floor
    if pos - floor <= _DIRECT and lower and floor >= 0 and (native := _native_text(text)) is not None:
        last = native.clause_start(pos, floor)
    elif pos - floor <= _DIRECT:  # the common case, inlined: clause_start runs for every cue
        for m in breaks.finditer(text, floor, pos):
            last = m.end()
    elif (found := _scan(breaks, text).last(floor, pos)) is not None:
        last = found.end()
    _last_clause = (text, pos, floor, last)
    return last


def words_before(text: str, pos: int, floor: int, n: int) -> list[str]:
    """The last ``n`` words of ``text[floor:pos]``, lower-cased, nearest last."""
    if _is_lower(text) and floor >= 0 and pos >= 0 and (native := _native_text(text)) is not None:
        return native.words_before(pos, floor, n)
    window = text[max(floor, pos - 12 * n - 12) : pos]
    if _is_lower(text):
        return [w.replace("’", "'") for w in _WORD_LOWER.findall(window)[-n:]]
    return [w.lower().replace("’", "'") for w in _WORD.findall(window)[-n:]]


# --- negation --------------------------------------------------------------------------------


def wordset(words: str) -> frozenset[str]:
    """The space-separated words of ``words`` as a set (word lists read best as prose)."""
    return frozenset(words.split())


NEGATORS = wordset("not no never without nobody none nothing neither nor cannot nowhere no-one")
# Words a negation reaches across to its cue ("didn't see ANY blood", "was NOT really dead");
# any other word ends its scope ("couldn't STOP the bleeding" does not deny the bleeding).
_NEG_TRANSMIT = wordset(
    """a an the any much more his her their my your its our single one even yet ever really truly
    actually quite entirely completely at all be been being was were is are am get got getting
    see saw seen find found notice noticed feel felt smell smelt hear spot spotted spill spilled
    spilt spilling shed shedding draw drew drawn drawing leave left cause caused
    sign signs trace traces hint drop drops of to want wanted wants wish wished mean meant intend
    intended let going gonna"""
)
# "not hard enough to draw blood": the negation reaches through "<adjective> enough to <verb>".
_NOT_ENOUGH, _NOT_ENOUGH_LOWER = _either_case(
    r"(?:\bnot|n't|\bnever)\s+(?:\w+\s+){0,2}enough\s+to\s+(?:\w+\s+){0,2}$"
)
_NEG_REACH = 4  # words


def is_negated(text: str, pos: int, floor: int) -> bool:
    """True when a negator governs the word at ``pos``: reached through at most four grammatical words.

    "no longer", "not only" and "not just" do not deny. Pass ``floor`` = the sentence start.

    >>> s = "There was no blood."
    >>> is_negated(s, s.index("blood"), 0)
    True
    >>> s = "Nobody in the room could watch her die."
    >>> is_negated(s, s.index("die"), 0)
    False
    >>> s = "He couldn't stop the bleeding."
    >>> is_negated(s, s.index("bleeding"), 0)
    False
    """
    start = clause_start(text, pos, floor)
    not_enough = _NOT_ENOUGH_LOWER if _is_lower(text) else _NOT_ENOUGH
    if not_enough.search(text, max(start, pos - 60), pos):
        return True
    words = words_before(text, pos, start, _NEG_REACH + 1)
    after = ""
    for w in reversed(words):
        if w in NEGATORS or w.endswith("n't"):
            return not (after in ("longer", "only", "just") or (w == "no" and after == "doubt"))
        if w not in _NEG_TRANSMIT and not w.endswith("ly"):
            return False
        after = w
    return False


# --- irrealis: hypotheticals, wishes, fears, threats, near misses -------------------------------

_IRREALIS_WORDS = wordset(
    """if unless whether would could might may should shall will gonna wanna
    wish wished wishes wishing hope hoped hoping afraid fear feared fears fearing worried worry
    worrying imagine imagined imagining dream dreamed dreamt dreaming pretend pretended
    threaten threatened threatening threat threats rather maybe perhaps possibly
    fantasize fantasized fantasizes fantasizing fantasise fantasised fantasises fantasising
    daydream daydreamed daydreamt daydreaming daydreams"""
)
# After "could" these verbs report what really happened ("she could see blood everywhere").
_PERCEPTION = wordset("see feel hear smell taste sense tell only just still barely hardly make almost")
# Multi-word irrealis openers, searched in the clause before a cue.
_IRREALIS_PHRASE, _IRREALIS_PHRASE_LOWER = _either_case(
    r"\b(?:going to|about to|want(?:s|ed)? to|try(?:ing)? to|tried to|plan(?:s|ned|ning)? to|in case|"
    r"what if|as if|as though|supposed to|ready to|willing to|for fear|so that|in order to|"
    r"(?:risk|risks|risked|risking|chances?|danger|likely|odds) (?:of|to)|at risk|in danger of|"
    r"in (?:a )?position to|(?:had|have|has|get|got) the chance to|"
    r"won't|wouldn't|shouldn't|might've|could've|would've)\b"
)
# Words that make the rest of their sentence imagined, across clause breaks: "he fantasized about
# snatching the guns, taking the leader hostage"; "as if she'd been through a torture".
_IRREALIS_SENTENCE, _IRREALIS_SENTENCE_LOWER = _either_case(
    r"\b(?:fantasi[sz](?:e|ed|es|ing)|daydream(?:s|ed|t|ing)?|as if|as though)\b"
)
_IRREALIS_SENTENCE_REACH = 120  # characters before the cue
# A condition right after the cue, in the same clause: "she'd get executed if she crossed them",
# "everyone dies unless we move". Not a concession or a manner ("even if", "as if"), and not a
# hedge on the telling ("if you must know", "if I remember right", "if anything").
_CONDITION_AFTER, _CONDITION_AFTER_LOWER = _either_case(
    r"[^.!?;:,\n—–\"“”()]{0,60}?(?<!\beven )(?<!\bas )\b(?:if|unless)\b"
    r"(?! (?:you (?:must|ask|want)|i (?:recall|remember|may|must|am honest)|i'm (?:honest|being honest)|"
    r"anything|only|ever|any|so|at all|need be|necessary|possible)\b)"
)
_CONDITION_REACH = 80  # characters after the cue
NEAR_MISS = wordset("almost nearly")
_PARTICIPLE = re.compile(r"(?:ed|en|wn|been|ne|ot|ut|ost|ung|ught|led|ld|lt)$")


def irrealis(text: str, pos: int, floor: int) -> str | None:
    """Why the cue at ``pos`` is not a plain fact, or None: "near-miss" or "hypothetical".

    Looks at the clause before the cue and, for a conditional, at the sentence start
    ("If he died, ..."). Pass ``floor`` = the sentence start.

    >>> s = "She was afraid he might die."
    >>> irrealis(s, s.index("die"), 0)
    'hypothetical'
    >>> s = "He almost died."
    >>> irrealis(s, s.index("died"), 0)
    'near-miss'
    >>> irrealis("He died.", 3, 0) is None
    True
    >>> s = "She could see blood everywhere."
    >>> irrealis(s, s.index("blood"), 0) is None
    True
    """
    lower = _is_lower(text)
    start = clause_start(text, pos, floor)
    words = words_before(text, pos, start, 8)
    cue = (_WORD_LOWER if lower else _WORD).match(text, pos)
    cue_word = cue.group().lower() if cue else ""
    if any(w in NEAR_MISS for w in words[-3:]):
        return "near-miss"
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else cue_word
        if w in _IRREALIS_WORDS:
            if w == "could" and nxt in _PERCEPTION:
                continue
            return "hypothetical"
        if w.endswith("'ll"):
            return "hypothetical"
        # "she'd die" is irrealis, "she'd died" / "she'd been" is past perfect.
        if w.endswith("'d") and not _PARTICIPLE.search(nxt):
            return "hypothetical"
    if found_before(_IRREALIS_PHRASE_LOWER if lower else _IRREALIS_PHRASE, text, start, pos):
        return "hypothetical"
    if _condition_after(text, pos, lower):
        return "hypothetical"
    reach = max(floor, pos - _IRREALIS_SENTENCE_REACH)
    if lower:  # cheap substring tests first: these words are rare
        if (
            text.find("as if", reach, pos) == -1
            and text.find("as though", reach, pos) == -1
            and text.find("fantas", reach, pos) == -1
            and text.find("daydream", reach, pos) == -1
        ):
            return None
        if _IRREALIS_SENTENCE_LOWER.search(text, reach, pos):
            return "hypothetical"
    elif _IRREALIS_SENTENCE.search(text, reach, pos):
        return "hypothetical"
    if pos - floor < 200:
        head = text[floor:pos].lstrip(" \"'“‘").lower()
        if head.startswith(("if ", "unless ", "what if ", "even if ")):
            return "hypothetical"
    return None


def _condition_after(text: str, pos: int, lower: bool) -> bool:
    """True when a condition follows the cue at ``pos`` in its clause ("... executed if she ...")."""
    hi = min(len(text), pos + _CONDITION_REACH)
    if lower and text.find("if", pos, hi) == -1 and text.find("unless", pos, hi) == -1:
        return False
    return (_CONDITION_AFTER_LOWER if lower else _CONDITION_AFTER).match(text, pos, hi) is not None


# --- backstory: reported, remembered, long ago -------------------------------------------------

_BACKSTORY, _BACKSTORY_LOWER = _either_case(
    r"\b(?:had (?:been |already |just )?[a-z]+(?:ed|en|ied|ne|lt|wn|ught|ain|ew|ung|ut|ot)\b|"
    r"used to|years? ago|months ago|weeks ago|long ago|ago\b|as a (?:child|kid|boy|girl|teenager)|"
    r"been dead|for (?:many |several |so many |\w+ )?(?:years|decades|months)|"
    r"when (?:she|he|i|they|we|you) (?:was|were) (?:young|little|small|a (?:child|kid|boy|girl|baby|teen)|"
    r"\w+ years old|\d+|five|six|seven|eight|nine|ten|eleven|twelve)|"
    r"rememb(?:er|ered|ering)|memor(?:y|ies)|recall(?:ed)?|the day (?:she|he|they|i|we) (?:died|was)|"
    r"(?:last|that) (?:year|summer|winter|spring|autumn|fall)|back then|in the past|"
    r"(?:news|rumou?rs?|reports?|stories|story|told (?:him|her|me|them|us)|read about|"
    r"newspaper|headline|article))\b"
)


def is_backstory(text: str, start: int, end: int) -> bool:
    """True when the sentence ``text[start:end]`` tells the event as past, remembered or reported."""
    backstory = _BACKSTORY_LOWER if _is_lower(text) else _BACKSTORY
    return backstory.search(text, start, end) is not None


# --- verse, headings and games: words that are not the story's events -------------------------

_VERSE_LINE = 64  # characters: a line of a poem or a song, not a line of hard-wrapped prose
_CHAT_HANDLE = re.compile(r"[^\s:]{1,25}:\s")  # "diona: fuck" is a chat log, not verse
_LINE_END = tuple(".!?…\"”’'")


def _verse_line(text: str, start: int, end: int) -> bool:
    line = text[start:end].strip()
    return (
        0 < len(line) <= _VERSE_LINE
        and '"' not in line
        and "“" not in line
        and "”" not in line
        and _CHAT_HANDLE.match(line) is None
    )


def in_verse(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` lies in a block of verse: a poem or song lyrics quoted in the story.

    A block is two or more short lines broken by single line breaks (paragraphs are broken by
    blank lines), none of them dialogue or a chat log, and at least one of them not ending like
    a sentence (a verse line ends with a comma or nothing; prose lines end with a full stop).

    >>> poem = "Kidnappings and arrests, disappearances and tortures\\nAnd they tell us to be grateful!"
    >>> in_verse(poem, 0, 10)
    True
    >>> in_verse("He ran.\\n\\nShe died.", 9, 18)
    False
    """
    if end - start > _VERSE_LINE:
        return False
    # The line holding the sentence is short, so its breaks are near: look no further.
    lo, hi = start - _VERSE_LINE - 1, end + _VERSE_LINE + 1
    line_start = text.rfind("\n", max(0, lo), start) + 1
    line_end = text.find("\n", end, hi)
    if (line_start == 0 and lo > 0) or (line_end == -1 and hi < len(text)):
        return False  # a long line: prose
    if line_end == -1:
        line_end = len(text)
    if line_start == 0 and line_end == len(text):
        return False  # one line alone
    if not _verse_line(text, line_start, line_end):
        return False
    block = [(line_start, line_end)]
    lo = line_start
    while lo >= 2 and text[lo - 2] != "\n":  # the line above, after a single line break
        above = text.rfind("\n", 0, lo - 1) + 1
        if not _verse_line(text, above, lo - 1):
            break
        block.append((above, lo - 1))
        lo = above
    hi = line_end
    while hi + 1 < len(text) and text[hi + 1] != "\n":  # the line below
        below = text.find("\n", hi + 1)
        below = len(text) if below == -1 else below
        if not _verse_line(text, hi + 1, below):
            break
        block.append((hi + 1, below))
        hi = below
    if len(block) < 2:
        return False
    return any(not text[a:b].rstrip().endswith(_LINE_END) for a, b in block)


_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_TITLE_MINOR = wordset("a an the and or nor but of in on at to for by with from as vs via is are")


def is_heading(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is written In Title Case: a title, a heading, a sign or a
    slogan ("Gay Men, Molest Here?", "Chapter 3: The Death of Kings"), not a sentence of the story.

    Reads capitals, so lower-cased text is never a heading.

    >>> is_heading("Gay Men, Molest Here?", 0, 21), is_heading("Mira died here.", 0, 15)
    (True, False)
    """
    if end - start > 160:
        return False
    words = []
    for m in _TITLE_WORD.finditer(text, start, end):
        word = m.group()
        if not word[0].isupper() and word.lower() not in _TITLE_MINOR:
            return False  # most sentences stop at their second word
        words.append(word)
    if not 2 <= len(words) <= 12:
        return False
    content = [w for w in words if w.lower() not in _TITLE_MINOR]
    if len(content) < 2:
        return False
    if sum(1 for w in content if any(c.islower() for c in w)) < 2:
        return False  # all capitals is shouting, not a title
    # "Mira Died." is two names or a sentence; a heading of two words has no full stop.
    return len(content) >= 3 or not text[start:end].rstrip().endswith(".")


# Video games and tabletop games: killing a boss or slaying a dragon there is play. Strong words
# mark a game alone; weak ones ("guild", "loot", "quest") need a second game word.
_GAME_STRONG = wordset(
    """mmorpg mmorpgs mmo mmos rpg rpgs jrpg jrpgs npc npcs respawn respawns respawned respawning pvp pve
    hitpoints healthbar videogame videogames gamepad joystick xbox playstation nintendo minecraft fortnite
    warcraft overwatch skyrim speedrun speedruns speedrunning speedrunner speedrunners gamer gamers
    multiplayer d20 tabletop"""
) | frozenset(
    (
        "hit points",
        "health bar",
        "health bars",
        "mana bar",
        "hp bar",
        "level up",
        "levels up",
        "leveled up",
        "levelled up",
        "leveling up",
        "levelling up",
        "game over",
        "video game",
        "video games",
        "computer game",
        "computer games",
        "league of legends",
        "raid boss",
        "final boss",
        "boss fight",
        "boss fights",
        "boss battle",
        "boss level",
        "boss room",
        "save point",
        "save points",
        "nat 20",
        "natural 20",
        "dungeon master",
        "roll for initiative",
        "rolled for initiative",
    )
)
# Only words that belong to games: a fantasy story has its guild and quest, a war story its loot
# and checkpoint, a crime story its boss and mobs; "console" is a verb, "the Avatar" and "HP" are
# fandoms, "demon spawn" an insult.
_GAME_WEAK = wordset("""noob noobs n00b n00bs xp lag lagged lagging gaming gameplay mmo""") | frozenset(
    (
        "party member",
        "party members",
        "side quest",
        "side quests",
        "quest log",
        "loot drop",
        "loot drops",
        "loot box",
        "loot boxes",
        "guild raid",
        "guild chat",
        "game server",
        "inventory slot",
        "inventory slots",
        "the controller",
    )
)


def _word_trie(words: frozenset[str]) -> str:
    """One regex for any of ``words`` as whole words, as a trie: one character test per branch."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            branches.append(r"(?!\w)")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(root)


_GAME, _GAME_LOWER = _either_case(r"(?<!\w)" + _word_trie(_GAME_STRONG | _GAME_WEAK))


@functools.lru_cache(maxsize=16)  # asked once per hit, so often for the same passage; bounded
def in_game(text: str) -> bool:
    """True when the passage ``text`` is about a video game or a tabletop game.

    >>> in_game("He killed the boss and respawned at the checkpoint.")
    True
    >>> in_game("He killed the guard.")
    False
    """
    weak: set[str] = set()
    for m in (_GAME_LOWER if _is_lower(text) else _GAME).finditer(text):
        word = m.group().lower()
        if word in _GAME_STRONG:
            return True
        weak.add(word)
        if len(weak) >= 2:
            return True
    return False


# --- practice: sparring, training and combat sport -------------------------------------------

# Blows traded in sparring, training or a bout are not violence against a person. Words that set a
# passage in such practice; a multi-word entry is matched as written.
_PRACTICE_WORDS = wordset(
    """spar spars sparred sparring sparrer sparrers dojo dojos dojang kata katas judo karate
    kickboxing"""
) | frozenset(
    (
        "training session",
        "training sessions",
        "training room",
        "training floor",
        "training ground",
        "training grounds",
        "training mat",
        "training mats",
        "training match",
        "training fight",
        "training bout",
        "combat training",
        "hand-to-hand training",
        "practice match",
        "practice fight",
        "practice bout",
        "practice round",
        "mock fight",
        "mock battle",
        "boxing ring",
        "boxing gym",
        "boxing match",
        "boxing class",
        "boxing lesson",
        "boxing lessons",
        "boxing practice",
        "wrestling practice",
        "wrestling match",
        "punching bag",
        "heavy bag",
        "self-defense class",
        "self-defence class",
        "self-defense lesson",
        "self-defence lesson",
        "self-defense lessons",
        "self-defence lessons",
        # weapon sports where hitting the other player is the game (target sports are rule-level)
        "fencing bout",
        "fencing bouts",
        "fencing match",
        "fencing practice",
        "fencing class",
        "fencing lesson",
        "fencing lessons",
        "fencing club",
        "paintball",
        "paintballs",
        "paintballing",
        "laser tag",
    )
)
# Every entry holds one of these strings: a cheap test before the regex (most passages hold none).
_PRACTICE_HINTS = (
    "spar", "doj", "kata", "judo", "karate", "training", "practice", "mock ", "boxing", "wrestling",
    "bag", "self-defen", "fencing", "paintball", "laser tag",
)  # fmt: skip
_PRACTICE_LOWER = re.compile(r"(?<!\w)" + _word_trie(_PRACTICE_WORDS))


def in_practice(low: str) -> bool:
    """True when the lower-cased passage ``low`` is set in sparring, training or a combat sport.

    >>> in_practice("they sparred on the mats until steve landed a punch.")
    True
    >>> in_practice("he punched the guard.")
    False
    """
    # A few substring tests rule out most passages before the regex runs.
    return any(hint in low for hint in _PRACTICE_HINTS) and _PRACTICE_LOWER.search(low) is not None


# --- children's pretend play: a game of war, soldiers or pirates, a pillow fight -----------------

# Children playing at war or fighting in fun: "a game of Island War", "played soldiers with
# sticks", "cops and robbers", "a pillow fight". The war, captures and deaths there are play.
_PLAY = re.compile(
    r"(?<!\w)(?:(?:a |the |this |another |our |their )?(?:game|round)s? of (?:\w+ )?war(?!\w)"
    r"|(?:play|plays|played|playing) (?:at )?(?:war|wars|soldiers|army|armies|pirates|ninjas|knights"
    r"|cowboys|cops and robbers|cowboys and indians)(?!\w)"
    r"|(?:island|beach|backyard|playground|snowball|water|pillow|food) (?:war|wars|fights?)(?!\w)"
    r"|cops and robbers|cowboys and indians|capture the flag"
    r"|water (?:guns?|balloons?|pistols?)|squirt guns?|nerf (?:guns?|darts?|blasters?|wars?))"
)
_PLAY_HINTS = (
    "war", "soldiers", "army", "armies", "pirates", "ninjas", "knights", "cowboys", "robbers", "fight",
    "flag", "water", "squirt", "nerf",
)  # fmt: skip


def in_play(low: str) -> bool:
    """True when the lower-cased passage ``low`` is set in children's pretend play or a mock fight.

    >>> in_play("the kids played war on the beach with sticks for guns.")
    True
    >>> in_play("the war broke out in the spring.")
    False
    """
    return any(hint in low for hint in _PLAY_HINTS) and _PLAY.search(low) is not None


# --- quotation ------------------------------------------------------------------------------


def in_dialogue(text: str, pos: int, floor: int = 0) -> bool:
    """True when ``pos`` lies inside double quotes opened after ``floor`` (straight or curly).

    Single quotes are left alone: they are apostrophes too often to count.

    >>> s = 'He said, "I killed him." Then he left.'
    >>> in_dialogue(s, s.index("killed")), in_dialogue(s, s.index("left"))
    (True, False)
    """
    if pos - floor > _DIRECT_QUOTES:
        return _in_dialogue_indexed(text, pos, floor)
    before = text[floor:pos]
    if before.count('"') % 2 == 1:
        return True
    opened = before.rfind("“")
    return opened != -1 and opened > before.rfind("”")


_DIRECT_QUOTES = 2000  # characters: further back, the quote marks are looked up, not counted
_QUOTE_MARK = re.compile('["“”]')
_quote_marks: tuple[str, dict[str, list[int]]] = ("", {})  # the last text asked about


def _in_dialogue_indexed(text: str, pos: int, floor: int) -> bool:
    """:func:`in_dialogue` from the offsets of the text's quote marks, found once per text."""
    global _quote_marks
    last_text, marks = _quote_marks  # read once: the pair is replaced whole
    if last_text is not text:
        marks = {'"': [], "“": [], "”": []}
        for m in _QUOTE_MARK.finditer(text):
            marks[m.group()].append(m.start())
        _quote_marks = (text, marks)
    straight = marks['"']
    if (bisect.bisect_left(straight, pos) - bisect.bisect_left(straight, floor)) % 2 == 1:
        return True
    opened, closed = (_last_at(marks[q], floor, pos) for q in "“”")
    return opened != -1 and opened > closed


def _last_at(offsets: list[int], lo: int, hi: int) -> int:
    """The last of the sorted ``offsets`` in ``[lo, hi)``, or -1."""
    i = bisect.bisect_left(offsets, hi) - 1
    return offsets[i] if i >= 0 and offsets[i] >= lo else -1


# --- names ----------------------------------------------------------------------------------

_NAME = re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:['’]s)?\b")
# Capitalised words that are never the person a cue is about: function words that open sentences,
# pronouns, interjections, titles, days, months, sacred and place-like words.
NOT_NAMES = wordset(
    """I Me My Mine Myself We Us Our Ours You Your Yours He Him His She Her Hers They Them Their Theirs
    It Its Himself Herself Themselves Yourself Ourselves This That These Those There Here Then Now When
    Where What Why Who Whom Whose Which How While Until After Before Behind Beside Beneath Below Above
    Across Against Along Among Around At By For From In Into Of Off On Onto Out Over Through Throughout
    To Toward Towards Under Upon With Within Without And But Or Nor So Yet Because Although Though If
    Unless As Since Once Even Still Just Only Also Too Very Really Maybe Perhaps Finally Suddenly Slowly
    Quickly Again Soon Later Sometimes Somehow Someone Somebody Something Everyone Everybody Everything
    Nobody Nothing None No Not Never Always Yes Yeah Yep Nope Oh Ah Ahh Uh Um Hmm Hm Huh Hey Hi Hello
    Well Okay Ok Please Thanks Thank Sorry Damn Dammit Shit Fuck Hell Heaven God Gods Lord Jesus Christ
    Mr Mrs Ms Miss Dr Sir Madam Lady King Queen Prince Princess Captain Doctor Mother Father Mom Mum Dad
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December Christmas Easter Halloween English The A An All Any
    Both Each Every Few Many Most Much Some Such Another Other Others One Two Three First Last Next Then
    Dead Death Blood Breathe Stop Let Do Does Did Don Didn Was Were Is Are Am Be Been Had Has Have Can
    Could Would Should Will Shall Must Might Dear Poor Little Good Great Long Old New Young Afterwards
    Meanwhile Instead Already Almost Nearly Together Alone Inside Outside Downstairs Upstairs Tonight
    Today Tomorrow Yesterday Ten"""
)


# Between a name and the cue after it, these words mean the name is someone else: a witness
# ("Mira watched as the guard died"), a speaker, or the start of another clause.
_NAME_BLOCKERS = re.compile(
    r"\b(?:as|while|when|whenever|watch\w*|saw|see|seen|seeing|heard|hear\w*|that|because|after|before|"
    r"until|told|tell\w*|said|say\w*|knew|know\w*|thought|think\w*|felt|feel\w*|and|or|but|if|"
    r"whether|let|made|make|making|helped|help\w*|ordered|order\w*)\b",
    re.IGNORECASE,
)
# Between a cue and the name after it only these may stand ("killed the young Tomas").
_NAME_LEAD = wordset(
    """the poor little young old brave his her their my your our dear sweet lord lady sir king queen
    prince princess captain master commander general doctor dr mr mrs ms miss both"""
)
_TOKEN = re.compile(r"[\w'’-]+")


def names_near(text: str, start: int, end: int, *, lo: int, hi: int, side: str) -> tuple[str, ...]:
    """Capitalised name-like words next to a cue at ``text[start:end]``, within ``text[lo:hi]``.

    ``side`` is "before" (the subject: the nearest name at most six words before the cue, with no
    witness or clause break between, e.g. the one who died), "after" (the object: a name right
    after the cue, e.g. the one killed) or "near" (both). Sentence openers, pronouns, titles and
    other common words are never names; a possessive 's is dropped.

    >>> s = "Behind her lay Sasuke, eyes dulled with the loss of life."
    >>> names_near(s, s.index("loss"), s.index("loss") + 4, lo=0, hi=len(s), side="before")
    ('Sasuke',)
    >>> s = "Mira watched as the guard died."
    >>> names_near(s, s.index("died"), s.index("died") + 4, lo=0, hi=len(s), side="before")
    ()
    """
    found: list[str] = []
    if side in ("before", "near"):
        window_lo = max(lo, start - 90)
        candidates = [
            m for m in _NAME.finditer(text, window_lo, start) if _is_name(text, m.start(), m.group())
        ]
        if candidates:
            last = candidates[-1]
            between = text[last.end() : start]
            if len(_TOKEN.findall(between)) <= 6 and not _NAME_BLOCKERS.search(between):
                found.append(_strip_possessive(last.group()))
    if side in ("after", "near"):
        for m in _NAME.finditer(text, end, min(hi, end + 40)):
            lead = [w.lower() for w in _TOKEN.findall(text[end : m.start()])]
            if len(lead) > 2 or any(w not in _NAME_LEAD for w in lead):
                break
            if _is_name(text, m.start(), m.group()):
                found.append(_strip_possessive(m.group()))
                break
    return tuple(dict.fromkeys(found))


def _strip_possessive(word: str) -> str:
    return word[:-2] if word.endswith(("'s", "’s")) else word


def _is_name(text: str, pos: int, word: str) -> bool:
    base = _strip_possessive(word)
    if base in NOT_NAMES or len(base) < 2:
        return False
    # A word right after a hyphen is part of a compound ("Sasuke-Kun"), not a new name.
    if pos > 0 and text[pos - 1] in "-–":
        return False
    # A sentence opener ending like a verb or adverb ("Blinking", "Slowly") is not a name.
    before = text[max(0, pos - 3) : pos].strip(" \"'“‘")
    opener = pos == 0 or before == "" or before.endswith((".", "!", "?", "…"))
    return not (opener and base.lower().endswith(("ing", "ly", "ed")))
