"""The lexicon's rule types, and the compiled lexicon that stores them: its files, its format, and
the records of rules and combinations in it (JSON, regexes as sources)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from forewarn.model import Severity

SOURCE = "lexicon.json"  # the rules as written (data/README.md)
COMPILED = "lexicon.compiled.json"  # what the build step makes of them: what the detector loads
FORMAT = 2  # of the compiled lexicon; a file of another format is compiled afresh


def data_file(name: str) -> Path:
    """A file of the detectors' data, such as ``SOURCE`` or ``COMPILED``."""
    return Path(str(resources.files("forewarn.detectors").joinpath("data", name)))


def digest(source: bytes) -> str:
    """What the compiled lexicon records of the rules it was compiled from."""
    return hashlib.sha256(source).hexdigest()


class RulesError(ValueError):
    """The lexicon data is malformed (an unknown key, a bad regex, an unknown label)."""


@dataclass(frozen=True, slots=True)
class Gate:
    """What must surround a cue for a rule to match there; a cue without it is not tried.

    Each is a necessary condition read from the rule's regexes, never a new requirement.
    """

    suffixes: tuple[str, ...] = ()  # the ``before`` context ends with one of these ...
    space_before: bool = False  # ... followed by whitespace up to the cue
    prefixes: tuple[str, ...] = ()  # the ``after`` context starts with one of these ...
    space_after: bool = False  # ... after whitespace that follows the cue's word
    # The rule's ``tail`` matches at the cue in the whole passage when it does in the sentence
    # (no end anchor, no lookahead past it), so it can be tried before the sentence is known.
    tail: re.Pattern[str] | None = None
    literals: tuple[tuple[str, ...], ...] = ()  # the passage holds one string of each tuple


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled context rule. ``regex`` has a named group ``cue`` around the trigger word."""

    id: str
    label: str  # a label name, or an internal one starting with "_" that only combinations use
    cues: tuple[str, ...]  # trigger words, lower-case; a trailing "*" makes it a prefix
    regex: re.Pattern[str]
    tail: re.Pattern[str]  # the cue and its ``after`` context, matched anchored at a cue word
    has_before: bool
    score: float
    severity: Severity
    near: re.Pattern[str] | None = None  # must match somewhere in the sentence
    not_near: re.Pattern[str] | None = None  # vetoes the match when found in the sentence
    not_before: re.Pattern[str] | None = None  # vetoes when it ends right before the match
    boost: tuple[tuple[re.Pattern[str], float], ...] = ()  # sentence regex -> score added
    negatable: bool = True  # a negation governing the cue drops the match
    irrealis: bool = True  # a hypothetical/wish lowers score and severity
    who: str | None = None  # "before" / "after" / "near": where the named character stands
    agree: bool = False  # a possessive in the match must belong to the clause's subject
    idioms: bool = True  # drop a match that overlaps a figurative idiom
    # In a passage with sex on the page the cue is sex play, not the label ("it stabbed in deep",
    # "her wrists held captive"), unless this regex occurs in the match's sentence (a weapon, a wound).
    sex_unless: re.Pattern[str] | None = None
    # Cheap tests that a cue cannot start a match, read from the regexes by the build step (see
    # ``Gate``): the text right before and after the cue, and strings the passage must hold.
    gate: Gate | None = None


@dataclass(frozen=True, slots=True)
class Combo:
    """A label earned by a finding of one of ``needs`` plus ``regex`` in the same sentence/passage."""

    id: str
    label: str
    needs: tuple[str, ...]
    regex: re.Pattern[str]
    scope: str  # "sentence" or "passage"
    score: float  # the combined score is min(score, needed finding's score)
    not_near: re.Pattern[str] | None = None
    not_before: re.Pattern[str] | None = None  # vetoes one match of ``regex`` when it ends right before it


def rule_record(rule: Rule) -> dict[str, Any]:
    """``rule`` as an object of the compiled lexicon; :func:`rule_from_record` reads it back."""
    gate = rule.gate
    return {
        "id": rule.id,
        "label": rule.label,
        "cues": list(rule.cues),
        "regex": rule.regex.pattern,
        "tail": rule.tail.pattern,
        "has_before": rule.has_before,
        "score": rule.score,
        "severity": rule.severity,
        "near": _source(rule.near),
        "not_near": _source(rule.not_near),
        "not_before": _source(rule.not_before),
        "boost": [[pattern.pattern, bonus] for pattern, bonus in rule.boost],
        "negatable": rule.negatable,
        "irrealis": rule.irrealis,
        "who": rule.who,
        "agree": rule.agree,
        "idioms": rule.idioms,
        "sex_unless": _source(rule.sex_unless),
        "gate": None
        if gate is None
        else {
            "suffixes": list(gate.suffixes),
            "space_before": gate.space_before,
            "prefixes": list(gate.prefixes),
            "space_after": gate.space_after,
            "tail": gate.tail is not None,  # a gate's tail is its rule's
            "literals": [list(strings) for strings in gate.literals],
        },
    }


def rule_from_record(record: dict[str, Any]) -> Rule:
    """The rule of a :func:`rule_record`, its regexes compiled."""
    tail = re.compile(record["tail"])
    gate = record["gate"]
    return Rule(
        id=record["id"],
        label=record["label"],
        cues=tuple(record["cues"]),
        regex=re.compile(record["regex"]),
        tail=tail,
        has_before=record["has_before"],
        score=record["score"],
        severity=record["severity"],
        near=_compiled(record["near"]),
        not_near=_compiled(record["not_near"]),
        not_before=_compiled(record["not_before"]),
        boost=tuple((re.compile(source), bonus) for source, bonus in record["boost"]),
        negatable=record["negatable"],
        irrealis=record["irrealis"],
        who=record["who"],
        agree=record["agree"],
        idioms=record["idioms"],
        sex_unless=_compiled(record["sex_unless"]),
        gate=_gate(gate, tail),
    )


def gate_from_record(record: dict[str, Any]) -> Gate | None:
    """The gate of a :func:`rule_record` alone: only its tail, when it has one, is compiled."""
    gate = record["gate"]
    return _gate(gate, re.compile(record["tail"]) if gate is not None and gate["tail"] else None)


def _gate(gate: dict[str, Any] | None, tail: re.Pattern[str] | None) -> Gate | None:
    return (
        None
        if gate is None
        else Gate(
            suffixes=tuple(gate["suffixes"]),
            space_before=gate["space_before"],
            prefixes=tuple(gate["prefixes"]),
            space_after=gate["space_after"],
            tail=tail if gate["tail"] else None,
            literals=string_sets(gate["literals"]),
        )
    )


def combo_record(combo: Combo) -> dict[str, Any]:
    """``combo`` as an object of the compiled lexicon; :func:`combo_from_record` reads it back."""
    return {
        "id": combo.id,
        "label": combo.label,
        "needs": list(combo.needs),
        "regex": combo.regex.pattern,
        "scope": combo.scope,
        "score": combo.score,
        "not_near": _source(combo.not_near),
        "not_before": _source(combo.not_before),
    }


def combo_from_record(record: dict[str, Any]) -> Combo:
    """The combination of a :func:`combo_record`, its regexes compiled."""
    return Combo(
        id=record["id"],
        label=record["label"],
        needs=tuple(record["needs"]),
        regex=re.compile(record["regex"]),
        scope=record["scope"],
        score=record["score"],
        not_near=_compiled(record["not_near"]),
        not_before=_compiled(record["not_before"]),
    )


def string_sets(lists: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    """Required literals (see ``Gate.literals``) as read from JSON."""
    return tuple(tuple(strings) for strings in lists)


def _source(pattern: re.Pattern[str] | None) -> str | None:
    return None if pattern is None else pattern.pattern


def _compiled(source: str | None) -> re.Pattern[str] | None:
    return None if source is None else re.compile(source)
