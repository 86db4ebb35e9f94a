"""The lexicon detector: curated cue words with context rules, for every label.

Rules are data (``data/lexicon.json``, described in ``data/README.md``). A rule names one or more
*cue* words (the trigger lexicon) and the context around them: regexes that must come just
``before`` or ``after`` the cue, words that must (``near``) or must not (``not_near``) be in the same
sentence, and whether a denial or a hypothetical undoes it. How one passage is scanned:

1. One compiled regex of every cue word (a trie, so it costs one pass) finds the candidate words;
   a passage without any is done. Only the rules of the words found are tried, and only on the
   sentences holding them.
2. A rule match is dropped when it overlaps a figurative idiom ("dying to see", "bloody hell",
   "scared to death"), when a negation governs the cue ("she didn't die", "no blood"), or when a
   ``not_before``/``not_near`` context vetoes it.
3. The rest become candidate findings; the strongest per label and passage is kept. Combination
   rules then add labels that need two things in one sentence or passage (sexual content plus a
   minor for underage, plus a family relation for incest).

What ``Finding.score`` means here: the rule author's estimate of the probability that a careful
reader would say the passage warrants the label, given the cue in its context. A clear literal
depiction is about 0.8-0.95, a mention (reported, remembered, in dialogue) about 0.5-0.7, a weak
or ambiguous cue 0.2-0.45. Context multiplies it: hypothetical or wished for x0.6, nearly
happened x0.5, told as backstory x0.8, in dialogue x0.85. It is a hand-set prior, not a
calibrated probability; the pipeline's thresholds and a learned model refine it.

Severity: "mentioned" (referred to, reported, past, hypothetical, in dialogue), "depicted" (happens
on the page), "graphic" (on the page with vivid bodily detail, or explicit sexual anatomy).

>>> from forewarn.model import Passage
>>> text = "Mira died in her arms."
>>> [(f.label, f.severity, f.characters) for f in LexiconDetector().detect([Passage(0, 0, 22, 0, text)])]
[('death', 'depicted', ('Mira',))]
"""

from __future__ import annotations

import bisect
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from forewarn.detectors import text_cues
from forewarn.model import SEVERITIES, Finding, Passage, Severity

logger = logging.getLogger(__name__)

NAME = "lexicon.v1"
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_WORD = re.compile(r"\w+")
_MIN_SCORE = 0.15  # weaker candidates are noise, not findings
_MAX_EVIDENCE = 400  # characters; a longer "sentence" is cut down to the clause around the cue
_PEOPLE_LABELS = frozenset({"death", "dying", "suicide"})  # findings that name who is involved
# Words too common to key idioms on: an idiom always holds a content word of the match too.
_FUNCTION_WORDS = text_cues.wordset(
    """a an the his her their my your our its him them me you us he she they i we it was were is are
    be been had has have to of in on at by with and or into from for that this own up out"""
)

FACTOR_HYPOTHETICAL = 0.6
FACTOR_NEAR_MISS = 0.5
FACTOR_BACKSTORY = 0.8
FACTOR_DIALOGUE = 0.85
GRAPHIC_BONUS = 0.05


class RulesError(ValueError):
    """The lexicon data is malformed (an unknown key, a bad regex, an unknown label)."""


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


@dataclass(slots=True)
class _Hit:
    label: str
    score: float
    severity: Severity
    start: int  # offsets into the passage text
    end: int
    cue: str
    characters: tuple[str, ...]


def _default_rules_path() -> Path:
    return Path(str(resources.files("forewarn.detectors").joinpath("data", "lexicon.json")))


class LexiconDetector:
    """Finds every label with curated cue words in context; see the module docstring.

    >>> from forewarn.model import Passage
    >>> d = LexiconDetector()
    >>> d.detect([Passage(0, 0, 26, 0, "I'm dying to see the film.")])
    []
    """

    name = NAME

    def __init__(self, rules_path: str | Path | None = None) -> None:
        self.rules_path = str(rules_path) if rules_path is not None else None
        path = Path(self.rules_path) if self.rules_path else _default_rules_path()
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        self._build(data)

    # Compiled regexes pickle, but rebuilding from the data keeps pickles small and exact.
    def __getstate__(self) -> dict[str, Any]:
        return {"rules_path": self.rules_path, "data": self._data}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.rules_path = state["rules_path"]
        self._build(state["data"])

    # --- construction -------------------------------------------------------------------------

    def _build(self, data: dict[str, Any]) -> None:
        from forewarn.labels import BY_NAME

        self._data = data
        macros: dict[str, str] = {}
        for key, value in data.get("macros", {}).items():
            macros[key] = _expand(value, macros)  # a macro may use the ones defined above it
        self._macros = macros
        self.rules: tuple[Rule, ...] = tuple(_compile_rule(r, macros) for r in data["rules"])
        self.combos: tuple[Combo, ...] = tuple(_compile_combo(c, macros) for c in data.get("combos", ()))
        for rid, label in [(r.id, r.label) for r in self.rules] + [(c.id, c.label) for c in self.combos]:
            if not label.startswith("_") and label not in BY_NAME:
                raise RulesError(f"{rid}: unknown label {label!r}")
        ids = [r.id for r in self.rules] + [c.id for c in self.combos]
        if len(ids) != len(set(ids)):
            raise RulesError("duplicate rule ids")
        self._idiom_sources = tuple(f"(?:{_regex(p, macros)})" for p in data["idioms"])
        for source in self._idiom_sources:
            try:
                re.compile(source)
            except re.error as error:
                raise RulesError(f"bad idiom {source!r}: {error}") from None
        self._idioms_by_stem: dict[str, re.Pattern[str] | None] = {}
        self._combo_needs = frozenset(need for combo in self.combos for need in combo.needs)
        self._graphic = re.compile(_regex(data["graphic_detail"], macros))
        self._graphic_labels = frozenset(data["graphic_labels"])

        full: dict[str, list[int]] = {}
        prefix: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for cue in rule.cues:
                if cue.endswith("*"):
                    prefix.setdefault(cue[:-1], []).append(i)
                else:
                    full.setdefault(cue, []).append(i)
        self._full = {k: tuple(v) for k, v in full.items()}
        self._prefix = {k: tuple(v) for k, v in prefix.items()}
        self._prefix_lengths = tuple(sorted({len(k) for k in prefix}))
        self._prefilter = re.compile(r"\b(?:" + _trie_regex(full, prefix) + ")")
        self._word_cache: dict[str, tuple[int, ...]] = {}
        logger.debug(
            "lexicon: %d rules, %d combinations, %d cue words",
            len(self.rules),
            len(self.combos),
            len(full) + len(prefix),
        )

    def _rules_for(self, word: str) -> tuple[int, ...]:
        cached = self._word_cache.get(word)
        if cached is not None:
            return cached
        found: set[int] = set(self._full.get(word, ()))
        for length in self._prefix_lengths:
            if length > len(word):
                break
            found.update(self._prefix.get(word[:length], ()))
        result = tuple(sorted(found))
        if len(self._word_cache) < 100_000:
            self._word_cache[word] = result
        return result

    # --- detection ----------------------------------------------------------------------------

    def detect(self, passages: Sequence[Passage]) -> list[Finding]:
        findings: list[Finding] = []
        for passage in passages:
            findings.extend(self._detect_passage(passage))
        return findings

    def _detect_passage(self, passage: Passage) -> list[Finding]:
        text = passage.text
        low = _lower(text)
        # For each sentence holding cue words: the rules they trigger, with the cue offsets.
        wanted: dict[tuple[int, int], dict[int, list[int]]] = {}
        spans: list[tuple[int, int]] = []
        starts: list[int] = []
        for m in self._prefilter.finditer(low):
            at = m.start()
            word = _WORD.match(low, at)
            rule_ids = self._rules_for(word.group()) if word else ()
            if not rule_ids:
                continue
            if not spans:
                spans = text_cues.sentence_spans(low) or [(0, len(low))]
                starts = [start for start, _ in spans]
            current = spans[max(bisect.bisect_right(starts, at) - 1, 0)]
            by_rule = wanted.setdefault(current, {})
            for rule_index in rule_ids:
                by_rule.setdefault(rule_index, []).append(at)
        if not wanted:
            return []

        hits: list[_Hit] = []
        for (s, e), by_rule in wanted.items():
            for rule_index in sorted(by_rule):
                rule = self.rules[rule_index]
                # The cue and what follows it are checked in place first: cheap, and most fail.
                cues_at = [at for at in by_rule[rule_index] if rule.tail.match(low, at, e)]
                if not cues_at:
                    continue
                matches = self._matches(rule, low, s, e, cues_at)
                if not matches:
                    continue
                if rule.near is not None and rule.near.search(low, s, e) is None:
                    continue
                if rule.not_near is not None and rule.not_near.search(low, s, e) is not None:
                    continue
                hit = self._best(rule, matches, text, low, s, e)
                if hit is not None:
                    hits.append(hit)
        if hits and self._combo_needs.intersection(h.label for h in hits):
            hits.extend(self._combine(hits, low))

        best: dict[str, _Hit] = {}
        for hit in hits:
            if hit.label.startswith("_") or hit.score < _MIN_SCORE:
                continue
            old = best.get(hit.label)
            if old is None or _rank(hit) > _rank(old):
                best[hit.label] = hit
        out = []
        for label in sorted(best, key=lambda name: best[name].start):
            hit = best[label]
            out.append(
                Finding(
                    label=label,
                    score=round(min(max(hit.score, 0.0), 1.0), 3),
                    severity=hit.severity,
                    passage=passage.index,
                    start=passage.start + hit.start,
                    end=passage.start + hit.end,
                    evidence=text[hit.start : hit.end],
                    detector=self.name,
                    cue=hit.cue,
                    characters=hit.characters,
                )
            )
        return out

    @staticmethod
    def _matches(rule: Rule, low: str, s: int, e: int, cues_at: list[int]) -> list[re.Match[str]]:
        """Full matches of ``rule`` (context before the cue included) whose cue is at ``cues_at``."""
        if not rule.has_before:
            return [m for m in (rule.regex.match(low, at, e) for at in cues_at) if m is not None]
        found: list[re.Match[str]] = []
        for at in cues_at:
            for m in rule.regex.finditer(low, max(s, at - 200), e):
                if m.start("cue") == at:
                    found.append(m)
                    break
                if m.start() > at:
                    break
        return found

    def _best(
        self,
        rule: Rule,
        matches: list[re.Match[str]],
        text: str,
        low: str,
        s: int,
        e: int,
    ) -> _Hit | None:
        """The best of ``matches`` of ``rule`` in the sentence ``low[s:e]`` that survives its context."""
        best: _Hit | None = None
        for m in matches:
            if rule.idioms and self._in_idiom(low, m, s, e):
                continue
            ms = m.start()
            if rule.not_before is not None and rule.not_before.search(low, max(s, ms - 60), ms):
                continue
            cue_at = m.start("cue")
            if rule.negatable and text_cues.is_negated(low, cue_at, s):
                continue
            if rule.agree and not _agrees(m, low, s):
                continue
            hit = self._score(rule, m, text, low, s, e)
            if best is None or _rank(hit) > _rank(best):
                best = hit
        return best

    def _in_idiom(self, low: str, m: re.Match[str], s: int, e: int) -> bool:
        """True when the match overlaps a figurative idiom that holds one of its words."""
        ms, me = m.span()
        for word in _WORD.findall(m.group()):
            if word in _FUNCTION_WORDS:
                continue
            idioms = self._idioms_for(word[:4])
            if idioms is None:
                continue
            for found in idioms.finditer(low, max(s, ms - 120), min(e, me + 120)):
                if found.start() < me and ms < found.end():
                    return True
                if found.start() >= me:
                    break
        return False

    def _idioms_for(self, stem: str) -> re.Pattern[str] | None:
        """The idioms whose text holds ``stem`` (a word's first letters), compiled once."""
        if stem not in self._idioms_by_stem:
            sources = [src for src in self._idiom_sources if stem in src]
            self._idioms_by_stem[stem] = (
                re.compile(r"(?<!\w)(?:" + "|".join(sources) + r")(?!\w)") if sources else None
            )
        return self._idioms_by_stem[stem]

    def _score(self, rule: Rule, m: re.Match[str], text: str, low: str, s: int, e: int) -> _Hit:
        cue_at = m.start("cue")
        score = rule.score + sum(bonus for pattern, bonus in rule.boost if pattern.search(low, s, e))
        severity: Severity = rule.severity
        why = text_cues.irrealis(low, cue_at, s) if rule.irrealis else None
        if why is not None:
            score *= FACTOR_NEAR_MISS if why == "near-miss" else FACTOR_HYPOTHETICAL
            severity = "mentioned"
        elif text_cues.in_dialogue(text, cue_at) and not _present_progressive(low, m, s):
            score *= FACTOR_DIALOGUE
            severity = "mentioned"
        elif rule.severity != "mentioned" and text_cues.is_backstory(low, s, e):
            score *= FACTOR_BACKSTORY
            severity = "mentioned"
        if (
            severity == "depicted"
            and rule.label in self._graphic_labels
            and self._graphic.search(low, s, e) is not None
        ):
            severity = "graphic"
            score += GRAPHIC_BONUS
        start, end = _evidence_bounds(low, s, e, m.start(), m.end())
        characters: tuple[str, ...] = ()
        if rule.who and rule.label in _PEOPLE_LABELS:
            characters = text_cues.names_near(text, m.start("cue"), m.end("cue"), lo=s, hi=e, side=rule.who)
        return _Hit(rule.label, min(score, 1.0), severity, start, end, rule.id, characters)

    def _combine(self, hits: list[_Hit], low: str) -> list[_Hit]:
        """Labels that need a finding and a second cue together (underage, incest, ...)."""
        out: list[_Hit] = []
        for combo in self.combos:
            bases = sorted((h for h in hits if h.label in combo.needs), key=lambda h: (-h.score, h.start))
            if not bases:
                continue
            in_passage = combo.regex.search(low) if combo.scope == "passage" else None
            if combo.scope == "passage" and in_passage is None:
                continue
            tried: set[tuple[int, int]] = set()
            for base in bases:
                if in_passage is not None:
                    m: re.Match[str] | None = in_passage
                elif (base.start, base.end) in tried:
                    continue
                else:
                    tried.add((base.start, base.end))
                    m = combo.regex.search(low, base.start, base.end)
                if m is None:
                    continue
                if combo.not_near is not None and combo.not_near.search(low, base.start, base.end):
                    continue
                start, end = base.start, base.end
                if not start <= m.start() < end:
                    # Show both cues when they are close; otherwise the base sentence alone.
                    other = text_cues.sentence_around(low, m.start())
                    if max(end, other[1]) - min(start, other[0]) <= 2 * _MAX_EVIDENCE:
                        start, end = min(start, other[0]), max(end, other[1])
                score = min(combo.score, base.score)
                out.append(_Hit(combo.label, score, base.severity, start, end, combo.id, ()))
                break
        return out


# --- helpers ------------------------------------------------------------------------------------


def _rank(hit: _Hit) -> tuple[float, int, int]:
    return (round(hit.score, 3), _SEVERITY_RANK[hit.severity], -hit.start)


def _lower(text: str) -> str:
    """``text.lower()`` with the same length, so offsets stay valid ("İ" lowers to two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_PROGRESSIVE = re.compile(r"(?:'re|'s|'m|\bis|\bare|\bam)\s+(?:\w+\s+){0,2}$")


def _present_progressive(low: str, m: re.Match[str], s: int) -> bool:
    """'You're bleeding' in dialogue still happens on the page; 'I killed him' is a report."""
    word = _WORD.match(low, m.start("cue"))
    if word is None or not word.group().endswith("ing"):
        return False
    return _PROGRESSIVE.search(low, max(s, m.start("cue") - 40), m.start("cue")) is not None


# Pronouns by the person they name, so "she ... her wrist" and "his father ... him" agree.
_PERSON = {
    **dict.fromkeys(("i", "me", "my", "myself"), "1s"),
    **dict.fromkeys(("we", "us", "our", "ourselves"), "1p"),
    **dict.fromkeys(("you", "your", "yourself", "yourselves"), "2"),
    **dict.fromkeys(("he", "him", "his", "himself"), "3m"),
    **dict.fromkeys(("she", "her", "hers", "herself"), "3f"),
    **dict.fromkeys(("they", "them", "their", "themselves", "themself"), "3p"),
}
# A subject pronoun, or a possessive owning the hand that acts ("your teeth dug into ...").
_SUBJECT = re.compile(
    r"\b(i|she|he|they|you|we)\b|\b(my|his|her|their|your|our)\s+(?:\w+\s+)?"
    r"(?:nails|fingernails|fingers|teeth|hands?|thumbs?|claws|fist|fists)\b"
)


def _agrees(m: re.Match[str], low: str, s: int) -> bool:
    """The pronoun in group ``poss`` names the same person as the clause's subject.

    The subject is group ``subj`` or ``owner`` when the rule captures one, else the nearest
    subject pronoun before the match in the sentence; with none (a named subject: "Mira cut her
    arm") a third-person ``poss`` agrees.
    """
    groups = m.re.groupindex
    poss = m.group("poss") if "poss" in groups else None
    if poss is None:
        return True
    subj = None
    for name in ("subj", "owner"):
        if name in groups and m.group(name):
            subj = m.group(name)
            break
    if subj is None:
        last = None
        for found in _SUBJECT.finditer(low, s, m.start()):
            last = found
        subj = (last.group(1) or last.group(2)) if last else None
    if subj is None:
        return _PERSON.get(poss) in ("3m", "3f", "3p")
    return _PERSON.get(subj) == _PERSON.get(poss)


def _evidence_bounds(low: str, s: int, e: int, ms: int, me: int) -> tuple[int, int]:
    """The sentence, or for a run-on sentence the clause-ish window around the match."""
    if e - s <= _MAX_EVIDENCE:
        return s, e
    half = (_MAX_EVIDENCE - (me - ms)) // 2
    lo = max(s, ms - max(half, 0))
    hi = min(e, me + max(half, 0))
    # Prefer to start and end at a clause mark inside the window.
    cut = max(low.rfind(",", lo, ms), low.rfind(";", lo, ms))
    if cut != -1:
        lo = cut + 1
    stop = [i for i in (low.find(",", me, hi), low.find(";", me, hi)) if i != -1]
    if stop:
        hi = min(stop)
    while lo < hi and low[lo].isspace():
        lo += 1
    while hi > lo and low[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _expand(pattern: str, macros: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        try:
            return macros[m.group(1)]
        except KeyError:
            raise RulesError(f"unknown macro {{{m.group(1)}}} in {pattern!r}") from None

    return _MACRO.sub(sub, pattern)


def _regex(pattern: str, macros: dict[str, str]) -> str:
    """Expand macros; a literal space outside [...] means ``\\s+`` (``\\s`` before a quantifier).

    >>> _regex("no {X} ?blood", {"X": "drop of"})
    'no\\\\s+drop\\\\s+of\\\\s?blood'
    """
    pattern = _expand(pattern, macros)
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


def _compile(pattern: str | None, macros: dict[str, str], where: str) -> re.Pattern[str] | None:
    """A context regex: it must start at a word start ("bus" is not in "busy")."""
    if not pattern:
        return None
    try:
        return re.compile(r"(?<!\w)(?:" + _regex(pattern, macros) + ")")
    except re.error as error:
        raise RulesError(f"{where}: bad regex {pattern!r}: {error}") from None


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
        "note",
    )
)


def _compile_rule(raw: dict[str, Any], macros: dict[str, str]) -> Rule:
    rid = raw.get("id", "?")
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RulesError(f"{rid}: unknown keys {sorted(unknown)}")
    cues = tuple(raw["cue"].split())
    if not cues or any(not re.fullmatch(r"[a-z0-9]+\*?", c) for c in cues):
        raise RulesError(f"{rid}: cue words must be lower-case letters/digits, optionally ending in *")
    cue_alt = "|".join(
        re.escape(c[:-1]) + r"\w*" if c.endswith("*") else re.escape(c) + r"(?!\w)" for c in cues
    )
    before = _regex(raw.get("before", ""), macros)
    after = _regex(raw.get("after", ""), macros)
    # A cue never starts inside a word or a hyphenated compound ("back-stabbing", "half-dead").
    ending = r"(?!\w)" if after else ""
    source = rf"(?<![\w-])(?:{before})(?P<cue>{cue_alt})(?:{after}){ending}"
    try:
        regex = re.compile(source)
        tail = re.compile(rf"(?P<cue>{cue_alt})(?:{after}){ending}")
    except re.error as error:
        raise RulesError(f"{rid}: bad regex {source!r}: {error}") from None
    severity = raw.get("severity", "depicted")
    if severity not in SEVERITIES:
        raise RulesError(f"{rid}: unknown severity {severity!r}")
    score = float(raw["score"])
    if not 0.0 <= score <= 1.0:
        raise RulesError(f"{rid}: score {score} outside [0, 1]")
    boost = tuple((_compile(p, macros, rid) or re.compile("(?!)"), float(b)) for p, b in raw.get("boost", []))
    who = raw.get("who")
    if who not in (None, "before", "after", "near"):
        raise RulesError(f"{rid}: who must be before, after or near")
    return Rule(
        id=rid,
        label=raw["label"],
        cues=cues,
        regex=regex,
        tail=tail,
        has_before=bool(before),
        score=score,
        severity=severity,
        near=_compile(raw.get("near"), macros, rid),
        not_near=_compile(raw.get("not_near"), macros, rid),
        not_before=_compile(f"(?:{raw['not_before']})\\s*$" if raw.get("not_before") else None, macros, rid),
        boost=boost,
        negatable=bool(raw.get("negatable", True)),
        irrealis=bool(raw.get("irrealis", True)),
        who=who,
        agree=bool(raw.get("agree", False)),
        idioms=bool(raw.get("idioms", True)),
    )


def _compile_combo(raw: dict[str, Any], macros: dict[str, str]) -> Combo:
    rid = raw.get("id", "?")
    regex = _compile(raw["pattern"], macros, rid)
    if regex is None:
        raise RulesError(f"{rid}: empty pattern")
    scope = raw.get("scope", "sentence")
    if scope not in ("sentence", "passage"):
        raise RulesError(f"{rid}: scope must be sentence or passage")
    return Combo(
        id=rid,
        label=raw["label"],
        needs=tuple(raw["needs"]),
        regex=regex,
        scope=scope,
        score=float(raw["score"]),
        not_near=_compile(raw.get("not_near"), macros, rid),
    )


def _trie_regex(full: dict[str, Any], prefix: dict[str, Any]) -> str:
    """One regex matching any cue word (full words end at a word boundary, prefixes need not).

    A trie keeps Python's backtracking matcher to one character test per branch.
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

    return build(root)


__all__ = ["NAME", "Combo", "LexiconDetector", "Rule", "RulesError"]
