"""Which rules are worth trying where: the one regex of every cue word (built with the lexicon)
and what the native cue matcher needs to find the same words (Python's word characters), and the
cheap tests of a rule's gate at a cue and of the strings a passage must hold.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from forewarn._native import LiteralSets
from forewarn.detectors.lexicon.rules import Gate

_FIND_EACH = 4  # strings looked for one by one; more are looked for by one regex, in one pass


Literals = tuple[tuple[str, ...], ...]  # see holds


def opens(
    gate: Gate,
    low: str,
    at: int,
    word_end: int,
    passage_ok: dict[int, bool],
    key: int,
    held: Held | None = None,
) -> bool:
    """False when ``gate`` shows that the rule cannot match with its cue at ``low[at:word_end]``.

    ``passage_ok`` keeps, by ``key``, whether the passage holds the gate's literals; ``held``, when
    given, answers that for ``low`` (as :func:`holds` does)."""
    if gate.suffixes:
        end = at
        if gate.space_before:
            while end > 0 and low[end - 1].isspace():
                end -= 1
            if end == at:
                return False
        if not low.endswith(gate.suffixes, 0, end):
            return False
    if gate.prefixes:
        start = word_end
        if gate.space_after:
            stop = len(low)
            while start < stop and low[start].isspace():
                start += 1
            if start == word_end:
                return False
        if not low.startswith(gate.prefixes, start):
            return False
    if gate.tail is not None and gate.tail.match(low, at) is None:
        return False
    if gate.literals:
        ok = passage_ok.get(key)
        if ok is None:
            ok = passage_ok[key] = holds(gate.literals, low) if held is None else held(gate.literals)
        return ok
    return True


def holds(literals: Literals, low: str, start: int = 0, end: int | None = None) -> bool:
    """True when ``low[start:end]`` holds one string of each tuple of ``literals``."""
    if end is None:
        end = len(low)
    for alternatives in literals:
        if len(alternatives) > _FIND_EACH:
            if _any_of(alternatives).search(low, start, end) is None:
                return False
            continue
        for literal in alternatives:
            if low.find(literal, start, end) != -1:
                break
        else:
            return False
    return True


class Required:
    """:func:`holds` for many sets of literals at once: one native pass over a text finds every
    string of every set (native/src/lexicon_literals.rs), and each set is answered by lookups.

    A set is known by its index here (:meth:`ids`); a set not given at construction, or a text the
    native core cannot read (a lone surrogate), is answered by :func:`holds` itself."""

    def __init__(self, sets: Iterable[Literals]) -> None:
        self._ids: dict[Literals, int] = {}
        for literals in sets:
            self._ids.setdefault(literals, len(self._ids))
        self._native: LiteralSets | None
        try:
            self._native = LiteralSets([[list(strings) for strings in literals] for literals in self._ids])
        except (ValueError, UnicodeEncodeError):  # a string that is not UTF-8: holds() answers
            self._native = None

    def ids(self, sets: Iterable[Literals]) -> list[int] | None:
        """The index of each of ``sets``, or None when one is unknown."""
        ids = [self._ids.get(literals) for literals in sets]
        return None if self._native is None or None in ids else ids  # type: ignore[return-value]

    def holding(self, sets: Sequence[Literals], ids: list[int] | None, text: str) -> list[int]:
        """The positions in ``sets`` (whose :meth:`ids` are ``ids``) of the sets ``text`` holds."""
        found = None if ids is None or self._native is None else self._native.holding(text, ids)
        if found is None:
            return [k for k, literals in enumerate(sets) if holds(literals, text)]
        return found

    def held(self, text: str) -> Held:
        """Whether ``text`` holds a set, asked set by set (see :class:`Held`)."""
        return Held(self, text)

    def _which(self, text: str) -> frozenset[int] | None:
        """The indices of every set ``text`` holds, or None when the native core cannot tell."""
        if self._native is None:
            return None
        found = self._native.holding(text)
        return None if found is None else frozenset(found)


class Held:
    """Whether one text holds each set of a :class:`Required`: the first question finds them all."""

    __slots__ = ("_asked", "_held", "_required", "_text")

    def __init__(self, required: Required, text: str) -> None:
        self._required, self._text = required, text
        self._asked = False
        self._held: frozenset[int] | None = None

    def __call__(self, literals: Literals) -> bool:
        if not self._asked:
            self._asked = True
            self._held = self._required._which(self._text)
        index = self._required._ids.get(literals)
        if index is None or self._held is None:
            return holds(literals, self._text)
        return index in self._held


@functools.lru_cache(maxsize=1024)
def _any_of(strings: tuple[str, ...]) -> re.Pattern[str]:
    """A regex that matches where any of ``strings`` occurs (it finds one wherever one is)."""
    return re.compile("|".join(re.escape(x) for x in sorted(strings, key=len, reverse=True)))


def cue_regex(full: dict[str, Any], prefix: dict[str, Any]) -> str:
    """One regex matching any cue word from its start to the end of its word, so that a match is
    the word the cue starts (full words end at a word boundary, prefixes need not).

    A trie keeps Python's backtracking matcher to one character test per branch.

    >>> cue_regex({"die": 0, "died": 0}, {"kill": 0})
    '\\\\b(?:(?:die(?:d(?!\\\\w)|(?!\\\\w))|kill))\\\\w*'
    """
    root: dict[str, Any] = {}
    for word in full:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node.setdefault("", "full")
    for word in prefix:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = "prefix"  # a prefix end makes everything below it redundant

    def build(node: dict[str, Any]) -> str:
        if node.get("") == "prefix":
            return ""
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if "" in node:
            branches.append(r"(?!\w)")
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return r"\b(?:" + build(root) + r")\w*"


def word_record() -> dict[str, Any]:
    """What ``\\w`` matches on this interpreter, for the compiled lexicon: code-point ranges
    (inclusive), with the Python and Unicode versions that decide them."""
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    ranges = [[m.start(), m.end() - 1] for m in re.finditer(r"\w+", everything)]
    return {"python": _python(), "unicode": unicodedata.unidata_version, "ranges": ranges}


def word_ranges(recorded: dict[str, Any]) -> list[tuple[int, int]]:
    """The ranges of ``recorded`` (a :func:`word_record`), or, when they were recorded on another
    Python or Unicode version, this interpreter's own (about 0.1 s)."""
    if recorded["python"] != _python() or recorded["unicode"] != unicodedata.unidata_version:
        recorded = word_record()
    return [(lo, hi) for lo, hi in recorded["ranges"]]


def _python() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"
