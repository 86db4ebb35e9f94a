"""Reads the structure of the rules' regexes (Python's private ``re._parser``) for what every match
must hold: the gates of a rule and the required literals of a regex; and of the patterns that
``text_cues.Scan`` cuts, where a cut of the text cannot change their matches (``scan_cuts``). A
build step only: the detector loads what it found from the compiled lexicon, ``text_cues`` from
``data/scan_cuts.json``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from typing import Any

from forewarn.detectors.lexicon.rules import Gate
from forewarn.detectors.text_cues import _END_WORD_CHARS

# The regex parser is private: only the build step imports it (the compiled lexicon pins what it read).
_sre_parser: Any = importlib.import_module("re._parser")
_sre: Any = importlib.import_module("re._constants")
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None))
_MIN_LITERAL = 3  # characters: shorter strings ("a", "his") are in nearly every passage
_MAX_LITERAL_SETS = 2  # per regex: each one costs substring tests on the passage
# A rule's literals are tested on the passage before a cheap regex: a long list of alternatives
# costs more than it saves there. Slow regexes (graphic detail, idioms) take any list.
_RULE_ALTERNATIVES = 12
_MAX_EDGE = 256  # strings per gate: endswith/startswith try each


def matches_empty(source: str) -> bool:
    """The regex ``source`` can match empty text."""
    return bool(_sre_parser.parse(source).getwidth()[0] == 0)


def idiom_literals(source: str) -> tuple[tuple[str, ...], ...]:
    """:func:`literals` of an idiom, the sets with the fewest alternatives first."""
    return tuple(sorted(literals(source), key=len))


def literals(*sources: str | None, most: int | None = None) -> tuple[tuple[str, ...], ...]:
    """Sets of strings such that every match of each regex source holds one string of each set.

    Only a necessary condition, read from the parsed regex (literal runs, alternations of them,
    groups, repeats of at least one); anything it does not understand requires nothing. The two
    most selective sets of each source with at most ``most`` strings are kept.

    >>> literals(r"(?:took|taking)\\s+(?:his|her)\\s+own\\s+", None)
    (('taking', 'took'), ('own',))
    """
    out: list[tuple[str, ...]] = []
    for source in sources:
        parsed = _parse(source) if source else None
        if parsed is None:
            continue
        sets = [
            found
            for found in _sequence_literals(parsed)
            if min(map(len, found)) >= _MIN_LITERAL and (most is None or len(found) <= most)
        ]
        sets.sort(key=_selectivity, reverse=True)
        out.extend(tuple(sorted(found)) for found in sets[:_MAX_LITERAL_SETS])
    return tuple(dict.fromkeys(out))


def gate_of(
    before: str, after: str, near: str | None, cues: tuple[str, ...], tail: re.Pattern[str] | None = None
) -> Gate | None:
    """The necessary conditions of a rule with these regex sources (see ``Gate``), or None.

    >>> g = gate_of(r"(?:operating|autopsy)\\s+", "", None, ("table",))
    >>> g.suffixes, g.space_before
    (('autopsy', 'operating'), True)
    """
    suffixes: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    space_before = space_after = False
    items = _parse(before)
    if items:
        while items and _is_space_repeat(*items[-1]):
            space_before = True
            items.pop()
        found, _ = _edge(items, from_end=True)
        if found and not (space_before and any(x[-1].isspace() for x in found)):
            suffixes = tuple(sorted(found))
    items = _parse(after)
    if items:
        if _is_space_repeat(*items[0]) and items[0][1][0] >= 1:
            space_after = True  # whitespace, which no cue's word ends in: the cue ends with its word
            items = items[1:]
        elif any(cue.endswith("*") for cue in cues):
            items = []  # a prefix cue may end inside its word
        found, _ = _edge(items, from_end=False)
        if found and not (space_after and any(x[0].isspace() for x in found)):
            prefixes = tuple(sorted(found))
    required = literals(
        None if suffixes else before, None if prefixes else after, near, most=_RULE_ALTERNATIVES
    )
    parsed_tail = _parse(tail.pattern) if tail is not None and after else None
    open_tail = tail if parsed_tail is not None and _unbounded_ok(parsed_tail) else None
    if open_tail is not None:
        prefixes = ()  # the tail tests more, and as cheaply
    if not (suffixes or prefixes or required or open_tail):
        return None
    return Gate(suffixes, space_before, prefixes, space_after, open_tail, required)


def _parse(source: str | None) -> list[tuple[Any, Any]] | None:
    if not source:
        return None
    try:
        parsed = _sre_parser.parse(source)
    except Exception:  # an unparsable regex is rejected where it is compiled
        return None
    return None if parsed.state.flags & re.IGNORECASE else list(parsed)


def _unbounded_ok(items: list[tuple[Any, Any]]) -> bool:
    """True when a match of the parsed regex ``items`` in ``text[:end]`` is one in ``text`` too,
    given that ``text[end]`` is whitespace (a sentence ends there).

    Extra text can only break a match through an end anchor, a lookahead that reads past the
    end, or an atomic group; a one-character negative lookahead that never matches whitespace
    (``(?!\\w)``) reads the same either way.
    """
    for op, arg in items:
        if op is _sre.AT:
            if arg not in (
                _sre.AT_BOUNDARY,
                _sre.AT_NON_BOUNDARY,
                _sre.AT_BEGINNING,
                _sre.AT_BEGINNING_STRING,
            ):
                return False
        elif op is _sre.ASSERT_NOT:
            direction, sub = arg
            if direction == 1 and not _never_space(list(sub)):
                return False
        elif op is _sre.ASSERT:
            if not _unbounded_ok(list(arg[1])):
                return False
        elif op is _sre.BRANCH:
            if not all(_unbounded_ok(list(alternative)) for alternative in arg[1]):
                return False
        elif op is _sre.SUBPATTERN:
            if not _unbounded_ok(list(arg[3])):
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            if not _unbounded_ok(list(arg[2])):
                return False
        elif op not in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY, _sre.GROUPREF):
            return False
    return True


def _never_space(items: list[tuple[Any, Any]]) -> bool:
    """True when the parsed regex ``items`` is one character test that no whitespace passes."""
    if len(items) != 1:
        return False
    op, arg = items[0]
    if op is _sre.LITERAL:
        return not chr(arg).isspace()
    if op is not _sre.IN:
        return False
    for item_op, item_arg in arg:
        if item_op is _sre.LITERAL:
            if chr(item_arg).isspace():
                return False
        elif item_op is _sre.RANGE:
            if any(chr(c).isspace() for c in range(item_arg[0], item_arg[1] + 1)):
                return False
        elif item_op is _sre.CATEGORY:
            if item_arg not in (_sre.CATEGORY_WORD, _sre.CATEGORY_DIGIT):
                return False
        else:
            return False
    return True


def _is_space_repeat(op: Any, arg: Any) -> bool:
    """``\\s+``, ``\\s*``, ``\\s?`` ... in the parsed regex."""
    return op in _REPEATS and list(arg[2]) == [(_sre.IN, [(_sre.CATEGORY, _sre.CATEGORY_SPACE)])]


def _edge(items: list[tuple[Any, Any]], *, from_end: bool) -> tuple[set[str] | None, bool]:
    """Strings one of which every match of the parsed sequence ``items`` ends (or starts) with,
    and whether they are the whole match; None when the edge is not a literal.
    """
    out = {""}
    whole = True
    for op, arg in reversed(items) if from_end else items:
        piece, piece_whole = _edge_piece(op, arg, from_end)
        if piece is None or len(piece) * len(out) > _MAX_EDGE:
            whole = False
            break
        out = {p + x for p in piece for x in out} if from_end else {x + p for x in out for p in piece}
        if not piece_whole:
            whole = False
            break
    if "" in out:
        return None, False
    return out, whole


def _edge_piece(op: Any, arg: Any, from_end: bool) -> tuple[set[str] | None, bool]:
    if op is _sre.LITERAL:
        return {chr(arg)}, True
    if op is _sre.IN:
        if len(arg) <= 8 and all(item_op is _sre.LITERAL for item_op, _ in arg):
            return {chr(code) for _, code in arg}, True
        return None, False
    if op is _sre.BRANCH:
        union: set[str] = set()
        whole = True
        for alternative in arg[1]:
            found, found_whole = _edge(list(alternative), from_end=from_end)
            if found is None:
                return None, False
            union |= found
            whole = whole and found_whole
        return union, whole
    if op is _sre.SUBPATTERN:
        if arg[1] & re.IGNORECASE:
            return None, False
        return _edge(list(arg[3]), from_end=from_end)
    if op in _REPEATS:
        low, high, sub = arg
        if low < 1:
            return None, False
        found, found_whole = _edge(list(sub), from_end=from_end)
        return found, found_whole and low == high == 1
    return None, False


def _selectivity(found: frozenset[str]) -> tuple[int, int]:
    return (min(map(len, found)), -len(found))


def _sequence_literals(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    """Every set of strings one of which each match of the parsed sequence ``items`` holds."""
    out: list[frozenset[str]] = []
    run: list[str] = []
    for op, arg in items:
        if op is _sre.LITERAL:
            run.append(chr(arg))
            continue
        if run:
            head = "".join(run)
            out.append(frozenset((head,)))
            run = []
            if op is _sre.BRANCH:  # the parser moves a common prefix out: "t(?:ook|aking)"
                out.append(frozenset(head + _leading(list(alternative)) for alternative in arg[1]))
        found = _item_literals(op, arg)
        if found:
            out.append(found)
    if run:
        out.append(frozenset(("".join(run),)))
    return out


def _item_literals(op: Any, arg: Any) -> frozenset[str] | None:
    if op is _sre.BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            found = _best_literals(list(alternative))
            if found is None:
                return None
            union.update(found)
        return frozenset(union)
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, sub = arg
        return None if add_flags & re.IGNORECASE else _best_literals(list(sub))
    if op in _REPEATS:
        low, _high, sub = arg
        return _best_literals(list(sub)) if low >= 1 else None
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return _best_literals(list(arg))
    return None


def _leading(items: list[tuple[Any, Any]]) -> str:
    """The literal characters the parsed sequence ``items`` starts with."""
    chars: list[str] = []
    for op, arg in items:
        if op is not _sre.LITERAL:
            break
        chars.append(chr(arg))
    return "".join(chars)


def _best_literals(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    sets = _sequence_literals(items)
    return max(sets, key=_selectivity) if sets else None


# --- where text_cues.Scan may cut a pattern's text --------------------------------------------

_MAX_END_WORDS = 512


def scan_cuts(patterns: Iterable[re.Pattern[str]]) -> list[dict[str, Any]]:
    """The records of ``data/scan_cuts.json`` for ``patterns``: each one without a look-ahead and
    an end anchor, once, with its :func:`end_words` (None when unsure). ``text_cues.Scan`` cuts
    no other pattern cleanly."""
    records: dict[tuple[str, int], dict[str, Any]] = {}
    for pattern in patterns:
        key = (pattern.pattern, int(pattern.flags))
        if key in records or not _no_lookahead(list(_sre_parser.parse(pattern.pattern, pattern.flags))):
            continue
        ends = end_words(pattern)
        records[key] = {"pattern": key[0], "flags": key[1], "ends": None if ends is None else list(ends)}
    return list(records.values())


def end_words(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings (lower-case when the pattern ignores case) one of which every match of ``pattern``
    (which has no look-ahead) that ends on a word-boundary test ends with, right before it: ()
    when no match ends on one; None when unsure."""
    words = _match_ends(list(_sre_parser.parse(pattern.pattern, pattern.flags)))
    if words is None or len(words) > _MAX_END_WORDS or any(len(w) > _END_WORD_CHARS for w in words):
        return None
    fold = pattern.flags & re.IGNORECASE
    return tuple(sorted({w.lower() if fold else w for w in words}))


def _no_lookahead(items: list[tuple[Any, Any]]) -> bool:
    """The parsed ``items`` hold no look-ahead and no end anchor (look-behinds read backwards)."""
    for op, av in items:
        if op is _sre.ASSERT or op is _sre.ASSERT_NOT:
            if av[0] >= 0 or not _no_lookahead(list(av[1])):  # direction 1 is a look-ahead
                return False
        elif op is _sre.AT:
            if av not in (
                _sre.AT_BOUNDARY,
                _sre.AT_NON_BOUNDARY,
                _sre.AT_BEGINNING,
                _sre.AT_BEGINNING_STRING,
            ):
                return False
        elif op is _sre.BRANCH:
            if not all(_no_lookahead(list(alt)) for alt in av[1]):
                return False
        elif op is _sre.SUBPATTERN:
            if not _no_lookahead(list(av[3])):
                return False
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            if not _no_lookahead(list(av[2])):
                return False
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            if not _no_lookahead(list(av)):
                return False
        elif op not in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY):
            return False  # a group reference or anything unusual: unsure
    return True


def _match_ends(items: list[tuple[Any, Any]]) -> set[str] | None:
    """For the parsed sequence ``items``: strings one of which each match that ends on a
    word-boundary test ends with before it (see :func:`_end_words`)."""
    if not items:
        return None  # an empty alternative: what comes before it decides
    op, av = items[-1]
    if op is _sre.AT:
        return _word_suffixes(items[:-1])
    if op is _sre.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            found = _match_ends(list(alt))
            if found is None:
                return None
            out |= found
        return out
    if op is _sre.SUBPATTERN:
        return _match_ends(list(av[3]))
    if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY):
        return set()  # it ends on a character, not on a test
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        return _match_ends(list(av[2])) if av[0] >= 1 else None
    return None


def _word_suffixes(items: list[tuple[Any, Any]], need: int = 16) -> set[str] | None:
    """The last word characters (up to ``need``) of every match of the parsed ``items``: strings
    one of which each match ends with, cut where a non-word character comes first; None when a
    match can end on anything but a literal word character, or when unsure."""
    if not items:
        return None  # the word may go on before the pattern's own start
    if need == 0:
        return {""}
    op, av = items[-1]
    rest = items[:-1]
    if op is _sre.LITERAL:
        if not (chr(av).isalnum() or av == ord("_")):
            return None
        before = _word_suffixes(rest, need - 1) if rest else {""}
        if before is None:  # a non-word character or a test before this one: the word starts here
            before = {""}
        return {b + chr(av) for b in before}
    alternatives: list[list[tuple[Any, Any]]] = []
    if op is _sre.BRANCH:
        alternatives = [list(alt) for alt in av[1]]
    elif op is _sre.SUBPATTERN:
        alternatives = [list(av[3])]
    elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[1] <= 2 and len(av[2]) <= 4:
        alternatives = [list(av[2]) * n for n in range(av[0], av[1] + 1)]  # "hands?"
    if not alternatives:
        return None
    out: set[str] = set()
    for alt in alternatives:
        found = _word_suffixes(rest + alt, need)
        if found is None or len(out) > _MAX_END_WORDS:
            return None
        out |= found
    return out
