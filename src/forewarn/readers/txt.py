"""Plain-text stories: a file or a string to a Work, with the story kept apart from the rest.

Detectors scan only ``story`` sections, so everything here errs towards story: a piece of text is
called something else only on positive evidence. The rules, and why each exists:

- Text is cut into *units*: paragraphs separated by blank lines, or single lines in files that
  put one paragraph per line with no blank lines (long unwrapped lines, few blank lines). A
  chapter heading or a marker line is always a unit of its own.
- Chapter headings are short lines such as "Chapter 1", "Chapter One: The Bridge", "CHAPTER IV",
  "Ch. 3 - Title", "Part 2", "Prologue", "Epilogue": plain-text fics mark chapters this way,
  and a line that merely starts with "Chapter two of her life ..." is a sentence, not a heading.
- Front matter: at the start of the text and of each chapter, authors put labelled lines
  ("Summary:", "Disclaimer:", "A/N:", "Forwards:", "Rating: T", "Pairing: X/Y", "Title: …"),
  bare disclaimers ("I don't own Naruto", "Naruto belongs to …") and bylines. These units are
  taken while they keep coming; an unlabelled line inside a labelled block continues it, and a
  short "hope you enjoy" line after a note continues the note. The first unit without evidence
  ends the front matter, so a story whose first word is "Summer" is not a summary.
- Text before a first "Chapter 1"/"Prologue"/"Part One" heading is not story (title, notes,
  dedication), as long as it is short; before a "Chapter 2" it is the unheaded first chapter.
- Trailing notes: at the end of each chapter, units with an explicit marker ("A/N", "Author's
  note", "Note:") or an author's stock phrase ("Thanks for reading", "Please review", "R&R")
  are notes. An unmarked last paragraph is a note only with two signals at once: it sits after a
  bigger gap than the story uses between paragraphs (authors set their note apart) and it speaks
  in the author's voice about the writing ("I" + story, fic, chapter, review, music, "while
  writing" …). A last line of dialogue, or a short narrative ending, has neither.
- Mid-text notes: a paragraph opening with "A/N"/"AN:" anywhere, and an inline "(A/N: …)" inside a
  paragraph, are author notes.
- Offsets: ``Work.text`` is the decoded text itself (only newlines normalised), and sections
  start and end on non-whitespace, so ``work.text[s.start:s.end]`` is exactly what the user has.
"""

from __future__ import annotations

import logging
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from forewarn.defaults import DEFAULT_MAX_BYTES
from forewarn.errors import UnreadableInputError
from forewarn.model import Chapter, Section, SectionKind, Source, Work
from forewarn.readers.decode import decode_bytes

log = logging.getLogger(__name__)

_MIB = 1024 * 1024

# --- patterns ---------------------------------------------------------------------------------

_QUOTES = "\"“”„«»‘'"
# One line, trimmed, as group 1. The whitespace before it is taken whole and never given back,
# and a run with no line after it (trailing blank lines) still matches, with group 1 unset: a
# failed match would be retried from every character of the run, quadratic in its length.
_LINE = re.compile(r"\s*+(\S(?:[^\n]*\S)?)?")
_SEPARATOR = re.compile(r"[\W_]*|(?:[\W_]*[oOxX0]){2,}[\W_]*")  # "* * *", "-----", "oOoOo", "xXx"

_ROMAN = r"(?=[ivxlc])l?x{0,3}(?:ix|iv|v?i{0,3})"
_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|thirty|forty|fifty|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
)
_HEADING = re.compile(
    rf"[\W_]*(?:(?:chapter|chap\.?|ch\.|part|book|volume|vol\.)\s*(?P<num>\d{{1,4}}|{_ROMAN}|{_WORDS})"
    r"|(?P<named>prologue|epilogue|interlude))\b(?P<rest>.*)",
    re.IGNORECASE,
)
_HEADING_SEPARATOR = re.compile(r"\s*[:.\-–—|~)\]]")
_FIRST_NUMBERS = frozenset({"1", "01", "001", "one", "i", "first"})
_DECORATION = " \t*_~=#•·|<>[]{}-–—+"

# A note opener that is unmistakable anywhere in a text.
_AN = r"a/n\b|a\.n\.|author(?:[’']?s|s[’']?)?\s*notes?\b|(?-i:AN)\s*[:\-–—)\]]"
_AUTHOR_NOTE = re.compile(rf"[\s*_~=#>\[(\-–—•]*(?:{_AN})", re.IGNORECASE)
# Labels authors put on the lines around a story (front matter, and "Note:" at the end).
_MARKER = re.compile(
    rf"""[\s*_~=#>\[(\-–—•]*(?:
        (?P<note>{_AN}|(?:end\s*)?notes?\s*[:\-–—]|afterword\b|p\.?\s?s\.?\s*[:\-–—])
      | (?P<summary>summary|blurb|synopsis)\s*[:\-–—]
      | (?P<disclaimer>disclaimers?)\b
      | (?P<foreword>fore?wo?a?rds?|preface|introduction|intro)\s*[:\-–—]
      | (?P<field>title|author|written\s+by|rat(?:ing|ed)|pairings?|ships?|relationships?|characters?
          |fandoms?|genres?|categor(?:y|ies)|(?:content\s+|trigger\s+)?warnings?|tw|cw|word\s*count
          |words|length|status|spoilers?|timeline|setting|beta(?:'?d|\s*read(?:er)?)?(?:\s+by)?
          |dedicat(?:ion|ed\s+to)|series|chapters?|language|prompt|challenge|feedback|tags?
          |published|updated)\s*[:\-–—]
      | (?P<rated>rated\s+(?:k\+|[gkmtre]\b|nc-?17|pg(?:-?13)?|ma\b|mature|teen|explicit|general))
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_TITLE_FIELD = re.compile(r"[\W_]*title\s*[:\-–—]\s*(?P<title>.+)", re.IGNORECASE)
_BYLINE = re.compile(r"by\s+\S+(?:\s+\S+){0,3}", re.IGNORECASE)  # "by Someone", a whole line
# Bare disclaimers: "I don't own Naruto", "I own nothing", "Naruto belongs to Masashi Kishimoto".
_DISCLAIMER = re.compile(
    r"""\b(?:i|we)\s+(?:sadly\s+|unfortunately\s+|still\s+)?(?:do\s*n[o']?t|don[’']?t|did\s*n[o']?t
          |didn[’']?t|will\s+never|never\s+will|never)\s+(?:and\s+never\s+will\s+)?own\s+
          (?:(?-i:[A-Z])|the\s+(?:characters?|rights|series|show|anime|manga|books?|franchise|original)
          |any(?:thing|one)\s*(?:[.!,;)~]|$|except|but|related|here|in\s+this))
      | \bi\s+own\s+nothing\b | \bno\s+copyright\s+infringement | \bnot\s+for\s+profit\b
      | \bbelongs?\s+to\b.*\b(?:not\s+me|and\s+not\s+me|i\s+own|copyright)""",
    re.IGNORECASE | re.VERBOSE,
)
_BELONGS = re.compile(  # "X belongs to Y Z", the whole line; only where a disclaimer can stand
    r"(?!(?:it|this|that|he|she|they|his|her|my|your|our|their|a|an)\b|the\s+(?-i:[a-z]))"  # not "The sword"
    r"(?-i:[A-Z])[\w .&'’:-]{0,60}?\s+"
    r"(?:rightfully\s+)?(?:belongs?\s+to|(?:is|are)\s+(?:owned\s+by|the\s+property\s+of))\s+"
    r"(?:the\s+(?:great|amazing|wonderful|brilliant)\s+)?(?-i:[A-Z])[\w.'’-]*(?:\s+(?-i:[A-Z])[\w.'’-]*)+[.!]?",
    re.IGNORECASE,
)
# What authors say to readers around a story.
_CUE = re.compile(
    r"""thanks?\s+(?:you\s+)?(?:so\s+much\s+|all\s+|guys\s+|everyone\s+)?for\s+(?:reading|reviewing
          |the\s+reviews?|all\s+the\s+reviews|your\s+reviews?)
      | please\s+(?:r\s*(?:&|and|n)\s*r|review|leave\s+a\s+(?:review|comment)|comment)
      | \br\s*(?:&|n)\s*r\b | \bread\s+(?:and|&|n)\s+review
      | \breviews?\s+(?:are|is|would\s+be)\s+(?:love|loved|appreciated|welcome)
      | \b(?:leave|drop)\s+(?:a|me\s+a)\s+(?:review|comment)
      | \bsee\s+(?:you|ya|y'?all)\s+(?:next|in\s+the\s+next|soon) | \buntil\s+next\s+time
      | \breview\s+please | \bhope\s+(?:you|u|y'?all)\s+(?:all\s+|guys\s+)?(?:enjoy|like)
      | \b(?:next|new)\s+chapter\s+(?:will|should|coming|soon|is\s+coming|up)
      | \bupdate\s+soon | \bkudos\b""",
    re.IGNORECASE | re.VERBOSE,
)
# After a note at the top only: "Enjoy!", "On with the story!" (a story may end "Enjoy the quiet.")
_ENJOY = re.compile(r"\W*(?:enjoy|on\s+with\s+the\s+(?:story|fic|show|chapter)|read\s+on)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i’m|i've|i’ve|i'd|i’d|i'll|i’ll|me|my|myself)\b", re.IGNORECASE)
# Words about the writing itself; first-person narration ("I never wrote to her again") lacks them.
_ABOUT_WRITING = re.compile(
    r"""\b(?:stor(?:y|ies)|fics?|fanfic(?:tion)?s?|one-?shots?|drabbles?|chapters?|reviews?|reviewers?
          |readers|music|songs?|lyrics|updates?|beta|prompts?|plot|ooc|canon|au|kudos|sequel
          |(?:while|when|before|after)\s+writing|writing\s+(?:this|it)|wrote\s+(?:this|it)
          |write\s+(?:this|it|more)|to\s+write|hope\s+you|you\s+guys)\b""",
    re.IGNORECASE | re.VERBOSE,
)
_INLINE_NOTE = re.compile(rf"[(\[]\s*(?:{_AN})[^()\[\]\n]*[)\]]", re.IGNORECASE)

_MARKER_KINDS: dict[str, SectionKind] = {
    "note": "author-note",
    "summary": "summary",
    "disclaimer": "disclaimer",
    "foreword": "foreword",
    "field": "author-note",
    "rated": "author-note",
}

_NOTE_CHARS = 600  # an author's sign-off is short; a longer paragraph is story
_VOICE_CHARS = 400
_TRAILING_UNITS = 8  # how far back from a chapter's end notes are looked for
_FRONT_MATTER_CHARS = 3000  # what may stand before a "Chapter 1" heading and still not be story


# --- reading files ----------------------------------------------------------------------------


def read_text_file(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Work:
    """Read a plain-text story. The file is only read, never changed.

    Raises ``UnreadableInputError`` (``str()`` is "PATH: problem") when the file is missing, a
    directory, unreadable, larger than ``max_bytes``, empty or binary.
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise UnreadableInputError(name, "no such file") from None
    except PermissionError:
        raise UnreadableInputError(name, "permission denied") from None
    except OSError as error:
        raise UnreadableInputError(name, error.strerror or str(error)) from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableInputError(name, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableInputError(name, "is not a regular file")
    if info.st_size > max_bytes:  # checked before reading: never load a huge file to refuse it
        raise UnreadableInputError(name, _too_large(info.st_size, max_bytes))
    try:
        with open(name, "rb") as file:
            data = file.read(max_bytes + 1)
    except PermissionError:
        raise UnreadableInputError(name, "permission denied") from None
    except OSError as error:
        raise UnreadableInputError(name, error.strerror or str(error)) from None
    if len(data) > max_bytes:  # it grew between stat and read
        raise UnreadableInputError(name, _too_large(len(data), max_bytes))
    text, notes = decode_bytes(data, name)
    if notes:
        log.info("%s: %s", name, "; ".join(notes))
    return work_from_text(text, path=name, notes=notes)


def _too_large(size: int, limit: int) -> str:
    def mb(n: int, digits: int) -> str:
        return f"{n / _MIB:.{digits}f}".rstrip("0").rstrip(".") + " MB"

    got, most = mb(size, 1), mb(limit, 2)
    if got == most or size < _MIB // 10:  # rounding would hide the difference: count bytes
        got, most = f"{size:,} bytes", f"{limit:,}-byte"
    return f"file is {got}, over the {most} limit"


# --- structure --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    """A paragraph (or a single line): the span of its trimmed lines."""

    first: int  # index of its first line
    last: int  # index after its last line
    start: int  # character offset into the text
    end: int  # character offset into the text, exclusive
    gap: int  # blank lines before it


def work_from_text(
    text: str, *, path: str | None = None, fmt: str = "text", notes: Iterable[str] = ()
) -> Work:
    """Find the structure of an already decoded story: chapters, and story apart from notes.

    >>> work = work_from_text("A/N: my first fic!\\n\\nThe river was calm.")
    >>> [(s.kind, work.text[s.start:s.end]) for s in work.sections]
    [('author-note', 'A/N: my first fic!'), ('story', 'The river was calm.')]
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    source = Source(path=None if path is None else str(path), format=fmt, notes=tuple(notes))
    lines = [m.span(1) for m in _LINE.finditer(text) if m.start(1) >= 0]
    if not lines:
        return Work(text=text, sections=(), chapters=(Chapter("", 0, len(text)),), source=source)
    return _Structure(text, lines).work(source)


class _Structure:
    """The classification of one text; used once, by ``work_from_text``."""

    def __init__(self, text: str, lines: list[tuple[int, int]]) -> None:
        self.text = text
        self.lines = lines  # trimmed (start, end) of every non-blank line
        self.gaps = [text.count("\n", 0, lines[0][0])]  # blank lines before each line
        self.gaps += [text.count("\n", lines[i - 1][1], lines[i][0]) - 1 for i in range(1, len(lines))]
        self.headings = {i: m for i, (s, e) in enumerate(lines) if (m := _heading(text[s:e]))}
        self.per_line, self.units = self._units()
        # The story's usual gap between paragraphs, from the paragraph breaks the author typed
        # (a heading or an A/N line split off inside a paragraph is gap 0); ties go smaller.
        gaps = Counter(u.gap for u in self.units[1:] if u.gap or self.per_line)
        self.typical_gap = max(gaps, key=lambda g: (gaps[g], -g)) if gaps else 1
        self.title: str | None = None
        self.pieces: list[tuple[int, int, SectionKind, int]] = []  # start, end, kind, chapter

    def line(self, i: int) -> str:
        start, end = self.lines[i]
        return self.text[start:end]

    def body(self, u: _Unit) -> str:
        return self.text[u.start : u.end]

    def _units(self) -> tuple[bool, list[_Unit]]:
        n = len(self.lines)
        long_lines = sum(1 for s, e in self.lines if e - s > 100)
        blank_breaks = sum(1 for g in self.gaps[1:] if g)
        # One paragraph per line and (almost) no blank lines: every line is a unit. Hard-wrapped
        # text (short lines, blank lines between paragraphs) keeps its blank-line paragraphs.
        per_line = n > 1 and blank_breaks < 0.25 * (n - 1) and long_lines >= 0.1 * n
        units: list[_Unit] = []
        first = 0
        for i in range(1, n + 1):
            if i < n and not (
                per_line
                or self.gaps[i]
                or i in self.headings
                or i - 1 in self.headings
                or _AUTHOR_NOTE.match(self.line(i))
            ):
                continue
            units.append(_Unit(first, i, self.lines[first][0], self.lines[i - 1][1], self.gaps[first]))
            first = i
        return per_line, units

    # the whole text ------------------------------------------------------------------------

    def work(self, source: Source) -> Work:
        units = self.units
        heads = [k for k, u in enumerate(units) if u.first in self.headings]
        chapters: list[Chapter] = []
        if not heads:
            chapters.append(Chapter("", 0, len(self.text)))
            self._chapter(0, len(units), 0)
        elif heads[0]:  # something stands before the first heading
            first = heads[0]
            before = units[first - 1].end - units[0].start
            everything = _starts_story(self.headings[units[first].first]) and before <= _FRONT_MATTER_CHARS
            story = self._front(0, first, 0, everything=everything)
            if story < first:  # an unheaded first chapter
                chapters.append(Chapter("", 0, units[first].start))
                self._rest(story, first, 0)
        for n, k in enumerate(heads):
            index = len(chapters)
            head = units[k]
            stop = heads[n + 1] if n + 1 < len(heads) else len(units)
            end = units[stop].start if stop < len(units) else len(self.text)
            chapters.append(Chapter(self.body(head).strip(_DECORATION), 0 if index == 0 else head.start, end))
            self.pieces.append((head.start, head.end, "chapter-title", index))
            self._chapter(k + 1, stop, index)
        return Work(
            text=self.text,
            sections=self._sections(),
            chapters=tuple(chapters),
            source=source,
            title=self.title,
        )

    def _sections(self) -> tuple[Section, ...]:
        if not any(kind == "story" for _, _, kind, _ in self.pieces):
            # Nothing but headers and notes means the rules misread a text (a passage that opens
            # "Warnings: …" and runs on): a text handed to forewarn is never judged to have no story.
            self.pieces = [(s, e, "story" if k != "chapter-title" else k, c) for s, e, k, c in self.pieces]
        sections: list[Section] = []
        for start, end, kind, chapter in sorted(self.pieces):
            parts = _carve_inline_notes(self.text, start, end) if kind == "story" else [(start, end, kind)]
            for s, e, k in parts:
                if sections and sections[-1].kind == k and sections[-1].chapter == chapter:
                    sections[-1] = Section(k, sections[-1].start, e, chapter)
                else:
                    sections.append(Section(k, s, e, chapter))
        return tuple(sections)

    # one chapter ---------------------------------------------------------------------------

    def _chapter(self, lo: int, hi: int, chapter: int) -> None:
        """Classify units[lo:hi], the text of one chapter after its heading."""
        self._rest(self._front(lo, hi, chapter), hi, chapter)

    def _rest(self, lo: int, hi: int, chapter: int) -> None:
        """Classify units[lo:hi], a chapter after its front matter: story, then end notes."""
        if lo >= hi:
            return
        cut = self._trailing_start(lo + 1, hi)  # the first unit after front matter stays story
        for u in self.units[lo:cut]:
            kind: SectionKind = "author-note" if _AUTHOR_NOTE.match(self.body(u)) else "story"
            self.pieces.append((u.start, u.end, kind, chapter))
        current: SectionKind = "author-note"
        for u in self.units[cut:hi]:
            current = _end_kind(self.body(u)) or current
            self.pieces.append((u.start, u.end, current, chapter))

    def _front(self, lo: int, hi: int, chapter: int, *, everything: bool = False) -> int:
        """Take the front matter from units[lo:hi]; return the index of the first story unit.

        With ``everything`` (the text before a "Chapter 1" heading) no unit there is story.
        """
        current: SectionKind | None = None
        i = lo
        while i < hi:
            u = self.units[i]
            # A bare "X belongs to Y Z" is a disclaimer only first, or among other front matter.
            kind = self._front_kind(self.line(u.first), bare=i == 0 or current is not None)
            if kind is None:
                body = self.body(u)
                if current is not None and (
                    _SEPARATOR.fullmatch(body)
                    or (len(body) <= _NOTE_CHARS and (_CUE.search(body) or _ENJOY.match(body)))
                ):
                    kind = current  # "* * *" under the notes, "Enjoy!" after an A/N
                elif everything:
                    kind = current or "author-note"
                else:
                    break
                self.pieces.append((u.start, u.end, kind, chapter))
            else:
                # Line by line: "Title: …\nRating: T\nSummary: …" can be one paragraph.
                current = kind
                start, end = self.lines[u.first]
                for j in range(u.first + 1, u.last):
                    following = self._front_kind(self.line(j), bare=True)
                    if following is not None and following != current:
                        self.pieces.append((start, end, current, chapter))
                        start, current = self.lines[j][0], following
                    end = self.lines[j][1]
                self.pieces.append((start, end, current, chapter))
            i += 1
        return i

    def _front_kind(self, line: str, *, bare: bool) -> SectionKind | None:
        match = _MARKER.match(line)
        if match is not None:
            if self.title is None and (title := _TITLE_FIELD.match(line)):
                self.title = title.group("title").strip(_DECORATION) or None
            return _MARKER_KINDS[match.lastgroup or "note"]
        if line[:1] in _QUOTES or len(line) > _NOTE_CHARS:
            return None
        if _DISCLAIMER.search(line) or (bare and _BELONGS.fullmatch(line)):
            return "disclaimer"
        if _BYLINE.fullmatch(line) and line[-1] not in ".!?":
            return "author-note"
        return None

    def _trailing_start(self, lo: int, hi: int) -> int:
        """Index of the first unit of the notes that end units[lo:hi] (hi when there are none)."""
        floor = max(lo, hi - _TRAILING_UNITS)
        j = hi
        while j > floor and self._note_like(self.units[j - 1]):
            j -= 1
        # The notes start at the first of these with evidence of its own: a marker, a stock
        # phrase, or the author's voice set apart by a bigger gap.
        cut = hi
        for k in range(j, hi):
            u = self.units[k]
            body = self.body(u)
            if _SEPARATOR.fullmatch(body):
                continue
            if _end_kind(body) or _CUE.search(body) or self._set_apart(u.gap):
                cut = k
                break
        # An end note that goes on in short lines without markers ("See you next time!"): an
        # "A/N" that talks about the writing or stands apart, followed only by short lines that
        # are not dialogue. (An "A/N: flashback ahead" near the end is followed by story.)
        for k in range(max(lo, hi - _TRAILING_UNITS), cut):
            u = self.units[k]
            note = self.body(u)
            if (
                _AUTHOR_NOTE.match(note)
                and (_CUE.search(note) or _ABOUT_WRITING.search(note) or self._set_apart(u.gap))
                and all(
                    len(b) <= _NOTE_CHARS and b[:1] not in _QUOTES
                    for b in map(self.body, self.units[k + 1 : hi])
                )
            ):
                cut = k
                break
        # a scene-break line just above the notes goes with them
        while lo < cut < hi and _SEPARATOR.fullmatch(self.body(self.units[cut - 1])):
            cut -= 1
        return cut

    def _note_like(self, u: _Unit) -> bool:
        body = self.body(u)
        if _end_kind(body) or _SEPARATOR.fullmatch(body):
            return True
        if body[:1] in _QUOTES or len(body) > _NOTE_CHARS:
            return False
        if _CUE.search(body):
            return True
        return (
            len(body) <= _VOICE_CHARS
            and not any(q in body for q in '"“”')  # dialogue is story
            and bool(_FIRST_PERSON.search(body))
            and bool(_ABOUT_WRITING.search(body))
        )

    def _set_apart(self, gap: int) -> bool:
        """A bigger gap than the story's usual one between paragraphs."""
        return gap > self.typical_gap and gap >= min(2, self.typical_gap + 1)


def _end_kind(body: str) -> SectionKind | None:
    """The kind a marker gives a unit at the end of a chapter: only notes and disclaimers.

    ("Rating: T" or "Summary:" there would more likely be story than a header.)
    """
    match = _MARKER.match(body)
    if match is not None and match.lastgroup in ("note", "disclaimer"):
        return _MARKER_KINDS[match.lastgroup]
    if body[:1] not in _QUOTES and len(body) <= _NOTE_CHARS and _DISCLAIMER.search(body):
        return "disclaimer"
    return None


def _heading(line: str) -> re.Match[str] | None:
    if len(line) > 100 or line[:1] in _QUOTES:
        return None
    match = _HEADING.fullmatch(line)
    if match is None:
        return None
    rest = match.group("rest").rstrip(_DECORATION)
    if not rest or _HEADING_SEPARATOR.match(rest):
        return match
    # "Chapter 3 The Bridge" is a heading; "Chapter two of her life began." is a sentence.
    if match.group("named") or not rest[0].isspace() or rest[-1] in ".,;!?" or len(rest.split()) > 6:
        return None
    return match


def _starts_story(match: re.Match[str]) -> bool:
    named = (match.group("named") or "").lower()
    return named == "prologue" or (match.group("num") or "").lower() in _FIRST_NUMBERS


def _carve_inline_notes(text: str, start: int, end: int) -> list[tuple[int, int, SectionKind]]:
    """Split a story range around inline "(A/N: …)" notes."""
    out: list[tuple[int, int, SectionKind]] = []
    at = start
    for match in _INLINE_NOTE.finditer(text, start, end):
        out += _trimmed(text, at, match.start(), "story")
        out.append((match.start(), match.end(), "author-note"))
        at = match.end()
    out += _trimmed(text, at, end, "story")
    return out


def _trimmed(text: str, start: int, end: int, kind: SectionKind) -> list[tuple[int, int, SectionKind]]:
    piece = text[start:end]
    stripped = piece.lstrip()
    if not stripped:
        return []
    start += len(piece) - len(stripped)
    return [(start, start + len(stripped.rstrip()), kind)]
