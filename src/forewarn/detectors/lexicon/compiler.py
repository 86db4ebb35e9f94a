"""Compiles the rules of ``lexicon.json`` (see ``data/README.md``) into ``Rule`` and ``Combo``
objects: macros, the pattern syntax, and a check of every field. A build step: it reads the
regexes' structure for the gates (``analysis``).
"""

from __future__ import annotations

import re
from typing import Any

from forewarn.detectors.lexicon.analysis import gate_of
from forewarn.detectors.lexicon.rules import Combo, Rule, RulesError
from forewarn.model import SEVERITIES

_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_CUE = re.compile(r"[a-z0-9]+\*?")
_RULE_KEYS = frozenset(
    (
        "id",
        "label",
        "cue",
        "before",
        "after",
        "near",
        "not_near",
        "not_before",
        "score",
        "severity",
        "boost",
        "negatable",
        "irrealis",
        "who",
        "agree",
        "idioms",
        "sex_unless",
        "note",
    )
)


def expand_macros(definitions: dict[str, str]) -> dict[str, str]:
    """The macros of ``lexicon.json`` expanded: a macro may use the ones defined above it."""
    macros: dict[str, str] = {}
    for key, value in definitions.items():
        macros[key] = expand(value, macros)
    return macros


def expand(pattern: str, macros: dict[str, str]) -> str:
    """``pattern`` with each ``{NAME}`` replaced by its macro."""

    def sub(m: re.Match[str]) -> str:
        try:
            return macros[m.group(1)]
        except KeyError:
            raise RulesError(f"unknown macro {{{m.group(1)}}} in {pattern!r}") from None

    return _MACRO.sub(sub, pattern)


def regex(pattern: str, macros: dict[str, str]) -> str:
    """Expand macros; a literal space outside [...] means ``\\s+`` (``\\s`` before a quantifier).

    >>> regex("no {X} ?blood", {"X": "drop of"})
    'no\\\\s+drop\\\\s+of\\\\s?blood'
    """
    pattern = expand(pattern, macros)
    out: list[str] = []
    in_class = escaped = False
    for i, ch in enumerate(pattern):
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif ch == "[" and not in_class:
            in_class = True
            out.append(ch)
        elif ch == "]" and in_class:
            in_class = False
            out.append(ch)
        elif ch == " " and not in_class:
            quantified = i + 1 < len(pattern) and pattern[i + 1] in "*+?{"
            out.append(r"\s" if quantified else r"\s+")
        else:
            out.append(ch)
    return "".join(out)


def context(pattern: str | None, macros: dict[str, str], where: str) -> re.Pattern[str] | None:
    """A context regex: it must start at a word start ("bus" is not in "busy")."""
    if not pattern:
        return None
    try:
        return re.compile(r"(?<!\w)(?:" + regex(pattern, macros) + ")")
    except re.error as error:
        raise RulesError(f"{where}: bad regex {pattern!r}: {error}") from None


def compile_rule(raw: dict[str, Any], macros: dict[str, str]) -> Rule:
    """The rule of one object of ``lexicon.json``'s ``rules``, its gate read from its regexes."""
    rid = raw.get("id", "?")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RulesError(f"{rid}: unknown keys {sorted(unknown)}")
    cues = tuple(raw["cue"].split())
    if not cues or any(not _CUE.fullmatch(c) for c in cues):
        raise RulesError(f"{rid}: cue words must be lower-case letters/digits, optionally ending in *")
    cue_alt = "|".join(
        re.escape(c[:-1]) + r"\w*" if c.endswith("*") else re.escape(c) + r"(?!\w)" for c in cues
    )
    before = regex(raw.get("before", ""), macros)
    after = regex(raw.get("after", ""), macros)
    # A cue never starts inside a word or a hyphenated compound ("back-stabbing", "half-dead").
    ending = r"(?!\w)" if after else ""
    source = rf"(?<![\w-])(?:{before})(?P<cue>{cue_alt})(?:{after}){ending}"
    try:
        full = re.compile(source)
        tail = re.compile(rf"(?P<cue>{cue_alt})(?:{after}){ending}")
    except re.error as error:
        raise RulesError(f"{rid}: bad regex {source!r}: {error}") from None
    severity = raw.get("severity", "depicted")
    if severity not in SEVERITIES:
        raise RulesError(f"{rid}: unknown severity {severity!r}")
    score = float(raw["score"])
    if not 0.0 <= score <= 1.0:
        raise RulesError(f"{rid}: score {score} outside [0, 1]")
    boost = tuple((context(p, macros, rid) or re.compile("(?!)"), float(b)) for p, b in raw.get("boost", []))
    who = raw.get("who")
    if who not in (None, "before", "after", "near"):
        raise RulesError(f"{rid}: who must be before, after or near")
    return Rule(
        id=rid,
        label=raw["label"],
        cues=cues,
        regex=full,
        tail=tail,
        has_before=bool(before),
        score=score,
        severity=severity,
        near=context(raw.get("near"), macros, rid),
        not_near=context(raw.get("not_near"), macros, rid),
        not_before=context(f"(?:{raw['not_before']})\\s*$" if raw.get("not_before") else None, macros, rid),
        boost=boost,
        negatable=bool(raw.get("negatable", True)),
        irrealis=bool(raw.get("irrealis", True)),
        who=who,
        agree=bool(raw.get("agree", False)),
        idioms=bool(raw.get("idioms", True)),
        sex_unless=context(raw.get("sex_unless"), macros, rid),
        gate=gate_of(before, after, raw.get("near") and regex(raw["near"], macros), cues, tail),
    )


def compile_combo(raw: dict[str, Any], macros: dict[str, str]) -> Combo:
    """The combination of one object of ``lexicon.json``'s ``combos``."""
    rid = raw.get("id", "?")
    found = context(raw["pattern"], macros, rid)
    if found is None:
        raise RulesError(f"{rid}: empty pattern")
    scope = raw.get("scope", "sentence")
    if scope not in ("sentence", "passage"):
        raise RulesError(f"{rid}: scope must be sentence or passage")
    return Combo(
        id=rid,
        label=raw["label"],
        needs=tuple(raw["needs"]),
        regex=found,
        scope=scope,
        score=float(raw["score"]),
        not_near=context(raw.get("not_near"), macros, rid),
        not_before=context(f"(?:{raw['not_before']})\\s*$" if raw.get("not_before") else None, macros, rid),
    )
