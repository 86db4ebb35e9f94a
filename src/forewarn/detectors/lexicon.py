"""The lexicon detector: curated cue words with context rules, for every label.

Rules are data (``data/lexicon.json``, described in ``data/README.md``). A rule names one or more
*cue* words (the trigger lexicon) and the context around them: regexes that must come just
``before`` or ``after`` the cue, words that must (``near``) or must not (``not_near``) be in the same
sentence, and whether a denial or a hypothetical undoes it. How one passage is scanned:

1. One compiled regex of every cue word (a trie, so it costs one pass) finds the candidate words;
   a passage without any is done. Only the rules of the words found are tried, and only on the
   sentences holding them. Before that, cheap tests read from each rule's regexes at
   construction (``_Gate``: the words right before and after the cue, strings the passage must
   hold) skip the cues where the rule cannot match, so common cue words cost little.
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

import functools
import importlib
import json
import logging
import re
from collections.abc import Callable, Sequence
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
_CACHE_SIZE = 200_000  # entries per word/token cache: a bound on memory over a huge library
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
FACTOR_VERSE = 0.5  # a poem or song quoted in the story
FACTOR_HEADING = 0.5  # a title, heading, sign or slogan In Title Case (a pun, a chapter title)
FACTOR_GAME = 0.5  # violence or death in a video game or tabletop game
FACTOR_PRACTICE = 0.5  # blows in sparring, training or a combat sport
FACTOR_PLAY = 0.5  # war or blows in children's pretend play ("a game of Island War", a pillow fight)
_SCENE_REACH = 8  # passages: a sparring bout or a game runs on about this far after its set-up
# Settings that make the labels' findings a mention (label set, factor, the test on lower-cased
# text): sparring is not violence against a person; a child dying at play is still a death.
_SCENES: tuple[tuple[frozenset[str], float, Callable[[str], bool]], ...] = (
    (frozenset({"violence"}), FACTOR_PRACTICE, text_cues.in_practice),
    (frozenset({"violence", "war"}), FACTOR_PLAY, text_cues.in_play),
)
# Labels whose cues a game uses for play ("killed the boss", "slew the dragon", "guild war").
_GAME_LABELS = frozenset({"violence", "death", "dying", "war", "blood", "dissection", "animal-death"})
GRAPHIC_BONUS = 0.05


class RulesError(ValueError):
    """The lexicon data is malformed (an unknown key, a bad regex, an unknown label)."""


@dataclass(frozen=True, slots=True)
class _Gate:
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
    # Cheap tests that a cue cannot start a match, read from the regexes at construction (see
    # ``_Gate``): the text right before and after the cue, and strings the passage must hold.
    gate: _Gate | None = None


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
        self._idiom_regexes = tuple(
            re.compile(r"(?<!\w)(?:" + src + r")(?!\w)") for src in self._idiom_sources
        )
        if any(
            _sre_parser is not None and _sre_parser.parse(r.pattern).getwidth()[0] == 0
            for r in self._idiom_regexes
        ):
            raise RulesError("an idiom must not match empty text")
        self._idioms_by_stem: dict[str, tuple[tuple[re.Pattern[str], tuple[tuple[str, ...], ...]], ...]] = {}
        self._combo_needs = frozenset(need for combo in self.combos for need in combo.needs)
        self._sex_unless = {r.id: r.sex_unless for r in self.rules if r.sex_unless is not None}
        self._graphic = re.compile(_regex(data["graphic_detail"], macros))
        self._graphic_literals = _literals(self._graphic.pattern)
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
        # Each match runs on to the end of its word, so ``m.group()`` is the word the cue starts.
        self._prefilter = re.compile(r"\b(?:" + _trie_regex(full, prefix) + r")\w*")
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
        if len(self._word_cache) < _CACHE_SIZE:
            self._word_cache[word] = result
        return result

    # --- detection ----------------------------------------------------------------------------

    def detect(self, passages: Sequence[Passage]) -> list[Finding]:
        findings: list[Finding] = []
        # Per setting of _SCENES: passage index -> set in it (asked lazily, once per passage).
        scenes: list[dict[int, bool]] = [{} for _ in _SCENES]
        for i, passage in enumerate(passages):
            findings.extend(self._detect_passage(passage, passages, i, scenes))
        return findings

    def _detect_passage(
        self,
        passage: Passage,
        passages: Sequence[Passage] = (),
        position: int = 0,
        scenes: Sequence[dict[int, bool]] | None = None,
    ) -> list[Finding]:
        """The findings of ``passage``, which is ``passages[position]`` when ``passages`` is given (the
        passages before it set the scene for sparring or a children's game)."""
        text = passage.text
        low = _lower(text)
        # For each sentence holding cue words: the rules they trigger, with the cue offsets.
        wanted: dict[tuple[int, int], dict[int, list[int]]] = {}
        current = (0, 0)
        by_rule: dict[int, list[int]] = {}
        rules = self.rules
        passage_ok: dict[int, bool] = {}  # rule -> the passage holds its literals
        sentences = text_cues.Sentences(low)
        for m in self._prefilter.finditer(low):
            at = m.start()
            kept: list[int] = []
            for rule_index in self._rules_for(m.group()):
                gate = rules[rule_index].gate
                if gate is None or _opens(gate, low, at, m.end(), passage_ok, rule_index):
                    kept.append(rule_index)
            if not kept:
                continue
            if not current[0] <= at < current[1]:
                current = sentences.at(at)
                by_rule = wanted.setdefault(current, {})
            for rule_index in kept:
                cues = by_rule.get(rule_index)
                if cues is None:
                    by_rule[rule_index] = [at]
                else:
                    cues.append(at)
        if not wanted:
            return []

        hits: list[_Hit] = []
        for (s, e), by_rule in wanted.items():
            sentence = _Sentence(text, low, s, e)
            for rule_index in sorted(by_rule):
                rule = self.rules[rule_index]
                # The cue and what follows it are checked in place first: cheap, and most fail.
                cues_at = [at for at in by_rule[rule_index] if rule.tail.match(low, at, e)]
                if not cues_at:
                    continue
                if rule.near is not None and rule.near.search(low, s, e) is None:
                    continue
                matches = self._matches(rule, low, s, e, cues_at)
                if not matches:
                    continue
                if rule.not_near is not None and rule.not_near.search(low, s, e) is not None:
                    continue
                hit = self._best(rule, matches, sentence)
                if hit is not None:
                    hits.append(hit)
        if self._sex_unless and any(h.cue in self._sex_unless for h in hits):
            hits = self._sex_play(hits, low)
        if hits and self._combo_needs.intersection(h.label for h in hits):
            hits.extend(self._combine(hits, low))
        before = passages[max(0, position - _SCENE_REACH) : position]
        for (labels, factor, test), known in zip(_SCENES, scenes or [{} for _ in _SCENES], strict=True):
            shown = [h for h in hits if h.label in labels and h.severity != "mentioned"]
            if shown and _in_scene(low, passage, before, known, test):
                for hit in shown:
                    hit.score *= factor
                    hit.severity = "mentioned"

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
        """Full matches of ``rule`` (context before the cue included) whose cue is at ``cues_at``.

        For each cue, the matches of a scan from 200 characters before it are read until one has
        its cue there or starts after it. With many cues in a sentence, one kept scan of the
        sentence answers them all: a scan per cue would read on to the sentence end each time
        where the rule matches nowhere, quadratic in a run-on sentence.
        """
        if not rule.has_before:
            return [m for m in (rule.regex.match(low, at, e) for at in cues_at) if m is not None]
        found: list[re.Match[str]] = []
        if len(cues_at) == 1:
            at = cues_at[0]
            for m in rule.regex.finditer(low, max(s, at - 200), e):
                if m.start("cue") == at:
                    found.append(m)
                    break
                if m.start() > at:
                    break
            return found
        scan = text_cues.Scan(rule.regex, low, s, e)
        for at in cues_at:
            x = max(s, at - 200)
            while (next_match := scan.search(x, at)) is not None:
                if next_match.start("cue") == at:
                    found.append(next_match)
                    break
                x = next_match.end()
        return found

    def _best(self, rule: Rule, matches: list[re.Match[str]], sentence: _Sentence) -> _Hit | None:
        """The best of ``matches`` of ``rule`` in ``sentence`` that survives its context.

        Once there is a best, a match is tested against its context only when its score would win,
        and the rest are skipped once none can win: a run-on sentence of cue words has thousands.
        """
        best: _Hit | None = None
        top: tuple[float, int] | None = None
        for m in matches:
            if best is None:
                if not self._vetoed(rule, m, sentence):
                    best = self._score(rule, m, sentence)
                continue
            if top is None:
                top = self._top(rule, sentence)
            # A later match can at most tie the best's score and severity, and then wins only by
            # starting its evidence earlier; evidence starts at most half a window (200 characters)
            # before a match, which starts at most 200 before its cue.
            if _rank(best)[:2] >= top and best.start <= max(sentence.s, m.start("cue") - _MAX_EVIDENCE):
                break
            hit = self._score(rule, m, sentence)
            if _rank(hit) > _rank(best) and not self._vetoed(rule, m, sentence):
                best = hit
        return best

    def _vetoed(self, rule: Rule, m: re.Match[str], sentence: _Sentence) -> bool:
        """True when the context of match ``m`` of ``rule`` in ``sentence`` drops it."""
        # Each test vetoes on its own, so the cheapest go first.
        low, s, ms, cue = sentence.low, sentence.s, m.start(), m.start("cue")
        return bool(
            (rule.not_before is not None and rule.not_before.search(low, max(s, ms - 60), ms))
            or (rule.agree and not _agrees(m, low, s))
            or (rule.negatable and sentence.fact(("negated", cue), lambda: text_cues.is_negated(low, cue, s)))
            or (rule.idioms and sentence.fact(m.span(), lambda: self._in_idiom(low, m, s, sentence.e)))
        )

    def _top(self, rule: Rule, sentence: _Sentence) -> tuple[float, int]:
        """The highest score and severity rank (see ``_rank``) that ``_score`` can give a match of
        ``rule`` in ``sentence``: its factors only lower a score, to "mentioned"."""
        score = rule.score + sum(bonus for pattern, bonus in rule.boost if sentence.holds(pattern))
        severity = rule.severity
        if severity == "depicted" and rule.label in self._graphic_labels and self._graphic_in(sentence):
            severity = "graphic"
            score += GRAPHIC_BONUS
        return round(min(score, 1.0), 3), _SEVERITY_RANK[severity]

    def _graphic_in(self, sentence: _Sentence) -> bool:
        """``sentence`` holds graphic bodily detail."""
        low, s, e = sentence.low, sentence.s, sentence.e
        return sentence.fact(
            "graphic",
            lambda: _holds(self._graphic_literals, low, s, e) and self._graphic.search(low, s, e) is not None,
        )

    def _in_idiom(self, low: str, m: re.Match[str], s: int, e: int) -> bool:
        """True when the match overlaps a figurative idiom that holds one of its words.

        The idioms of a word are scanned as one alternation ``(?<!\\w)(?:A|B|...)(?!\\w)`` would
        be by ``finditer``, but with each idiom compiled on its own: compiling the alternations
        costs seconds in each new process, and matching them is no faster. An idiom whose
        required strings (see :func:`_literals`) are not all in the window cannot match there,
        so it is left out of the scan without changing what the alternation finds.
        """
        ms, me = m.span()
        lo, hi = max(s, ms - 120), min(e, me + 120)
        window: str | None = None
        stems = dict.fromkeys(word[:4] for word in _WORD.findall(m.group()) if word not in _FUNCTION_WORDS)
        for stem in stems:  # words with one stem have the same idioms: each stem is scanned once
            candidates = self._idioms_for(stem)
            if not candidates:
                continue
            if window is None:
                window = low[lo:hi]
            idioms = [regex for regex, literals in candidates if _holds(literals, window)]
            if not idioms:
                continue
            pos = lo
            while pos <= hi:
                # The alternation's next match: the leftmost start, there the first idiom in order.
                found: re.Match[str] | None = None
                for idiom in idioms:
                    candidate = idiom.search(low, pos, hi)
                    if candidate is not None and (found is None or candidate.start() < found.start()):
                        found = candidate
                if found is None:
                    break
                if found.start() < me and ms < found.end():
                    return True
                if found.start() >= me:
                    break
                pos = found.end()  # an idiom never matches empty
        return False

    def _idioms_for(self, stem: str) -> tuple[tuple[re.Pattern[str], tuple[tuple[str, ...], ...]], ...]:
        """The idioms whose text holds ``stem`` (a word's first letters), in order, each with the
        strings its every match holds (one of each tuple, the fewest alternatives first)."""
        found = self._idioms_by_stem.get(stem)
        if found is None:
            found = tuple(
                dict.fromkeys(
                    (regex, _idiom_literals(source))
                    for source, regex in zip(self._idiom_sources, self._idiom_regexes, strict=True)
                    if stem in source
                )
            )
            self._idioms_by_stem[stem] = found
        return found

    def _score(self, rule: Rule, m: re.Match[str], sentence: _Sentence) -> _Hit:
        text, low, s, e = sentence.text, sentence.low, sentence.s, sentence.e
        cue_at = m.start("cue")
        # What holds for the whole sentence, or for one cue, is worked out once (see _Sentence).
        score = rule.score + sum(bonus for pattern, bonus in rule.boost if sentence.holds(pattern))
        severity: Severity = rule.severity
        why = sentence.irrealis(cue_at) if rule.irrealis else None
        if why is not None:
            score *= FACTOR_NEAR_MISS if why == "near-miss" else FACTOR_HYPOTHETICAL
            severity = "mentioned"
        elif (
            text_cues.in_dialogue(text, cue_at)
            and not _present_progressive(low, m, s)
            and not (rule.label in _STATE_LABELS and not _PAST_STATE.search(low, max(s, cue_at - 40), cue_at))
        ):
            score *= FACTOR_DIALOGUE
            severity = "mentioned"
        elif rule.severity != "mentioned" and sentence.fact(
            "backstory", lambda: text_cues.is_backstory(low, s, e)
        ):
            score *= FACTOR_BACKSTORY
            severity = "mentioned"
        # Words that are not the story's events: a quoted poem or song, a title or pun, a game.
        if sentence.fact("verse", lambda: text_cues.in_verse(text, s, e)):
            score *= FACTOR_VERSE
            severity = "mentioned"
        elif sentence.fact("heading", lambda: text_cues.is_heading(text, s, e)):
            score *= FACTOR_HEADING
            severity = "mentioned"
        if severity != "mentioned" and rule.label in _GAME_LABELS and text_cues.in_game(low):
            score *= FACTOR_GAME
            severity = "mentioned"
        if severity == "depicted" and rule.label in self._graphic_labels and self._graphic_in(sentence):
            severity = "graphic"
            score += GRAPHIC_BONUS
        start, end = _evidence_bounds(low, s, e, m.start(), m.end())
        characters: tuple[str, ...] = ()
        if rule.who and rule.label in _PEOPLE_LABELS:
            characters = text_cues.names_near(text, m.start("cue"), m.end("cue"), lo=s, hi=e, side=rule.who)
        return _Hit(rule.label, min(score, 1.0), severity, start, end, rule.id, characters)

    def _sex_play(self, hits: list[_Hit], low: str) -> list[_Hit]:
        """Drop the findings of ``sex_unless`` rules when the passage has sex on the page and their
        sentence holds none of what keeps them: penetration told with a blow's verbs ("it stabbed
        in deep") or bondage's words ("her fingers clawing in their captivity") is not violence or
        kidnapping, but a knife, a wound or a refusal in the sentence keeps the finding."""
        if not any(h.label == _SEX_LABEL and h.severity != "mentioned" for h in hits):
            return hits
        kept = []
        for hit in hits:
            unless = self._sex_unless.get(hit.cue)
            if unless is not None and unless.search(low, hit.start, hit.end) is None:
                continue
            kept.append(hit)
        return kept

    def _combine(self, hits: list[_Hit], low: str) -> list[_Hit]:
        """Labels that need a finding and a second cue together (underage, incest, ...)."""
        out: list[_Hit] = []
        for combo in self.combos:
            bases = sorted((h for h in hits if h.label in combo.needs), key=lambda h: (-h.score, h.start))
            if not bases:
                continue
            in_passage = _combo_match(combo, low, 0, len(low)) if combo.scope == "passage" else None
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
                    m = _combo_match(combo, low, base.start, base.end)
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


class _Sentence:
    """The sentence ``low[s:e]`` of a passage (``text`` in its own case), and what the rules ask
    about it, each worked out once: a fact about the whole sentence (backstory, verse, graphic
    detail, a boost), or about one cue or match in it, which several rules can share. A run-on
    sentence can hold thousands of matches."""

    __slots__ = ("_facts", "_irrealis", "e", "low", "s", "text")

    def __init__(self, text: str, low: str, s: int, e: int) -> None:
        self.text, self.low, self.s, self.e = text, low, s, e
        self._facts: dict[object, bool] = {}
        self._irrealis: dict[int, str | None] = {}

    def fact(self, key: object, test: Callable[[], bool]) -> bool:
        """``test()``, kept under ``key``."""
        found = self._facts.get(key)
        if found is None:
            found = self._facts[key] = test()
        return found

    def holds(self, pattern: re.Pattern[str]) -> bool:
        """``pattern`` matches in the sentence."""
        found = self._facts.get(pattern)
        if found is None:
            found = self._facts[pattern] = pattern.search(self.low, self.s, self.e) is not None
        return found

    def irrealis(self, cue: int) -> str | None:
        """:func:`text_cues.irrealis` of the cue at ``cue``."""
        if cue not in self._irrealis:
            self._irrealis[cue] = text_cues.irrealis(self.low, cue, self.s)
        return self._irrealis[cue]


def _combo_match(combo: Combo, low: str, lo: int, hi: int) -> re.Match[str] | None:
    """The first match of ``combo`` in ``low[lo:hi]`` that its ``not_before`` does not veto."""
    if combo.not_before is None:
        return combo.regex.search(low, lo, hi)
    for m in combo.regex.finditer(low, lo, hi):
        if combo.not_before.search(low, max(lo, m.start() - 60), m.start()) is None:
            return m
    return None


def _in_scene(
    low: str, passage: Passage, before: Sequence[Passage], known: dict[int, bool], test: Callable[[str], bool]
) -> bool:
    """True when ``passage`` (``low`` is its lower-cased text) is set where ``test`` tells from
    lower-cased text (sparring, children's play), or one of the passages ``before`` it in the same
    chapter is: a bout or a game runs over several paragraphs. ``known`` caches the answer by
    passage index over one ``detect`` call."""
    found = known.get(passage.index)
    if found is None:
        found = known[passage.index] = test(low)
    if found:
        return True
    for other in reversed(before):
        if other.chapter != passage.chapter:
            break
        found = known.get(other.index)
        if found is None:
            found = known[other.index] = test(_lower(other.text))
        if found:
            return True
    return False


def _rank(hit: _Hit) -> tuple[float, int, int]:
    return (round(hit.score, 3), _SEVERITY_RANK[hit.severity], -hit.start)


def _lower(text: str) -> str:
    """``text.lower()`` with the same length, so offsets stay valid ("İ" lowers to two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


# A state the story's characters are in: said in dialogue ("I'm pregnant"), it is the story's
# present, not a report of something that happened elsewhere. Backstory and irrealis still apply.
_STATE_LABELS = frozenset({"pregnancy"})
_SEX_LABEL = "pornographic-content"  # sex on the page: what ``sex_unless`` rules read as sex play
_PAST_STATE = re.compile(r"\b(?:was|were|had been|'d been|’d been|used to be)\s+(?:\w+\s+){0,2}$")
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
        last = text_cues.last_match(_SUBJECT, low, s, m.start())
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
        "sex_unless",
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
        sex_unless=_compile(raw.get("sex_unless"), macros, rid),
        gate=_gate(before, after, raw.get("near") and _regex(raw["near"], macros), cues, tail),
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
        not_before=_compile(f"(?:{raw['not_before']})\\s*$" if raw.get("not_before") else None, macros, rid),
    )


# --- required literals: a cheap test that a regex cannot match ---------------------------------

try:  # the regex parser is private; without it rules are simply tried wherever their cue is
    _sre_parser: Any = importlib.import_module("re._parser")
    _sre: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover
    _sre_parser = None
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)) if _sre_parser else ()
_MIN_LITERAL = 3  # characters: shorter strings ("a", "his") are in nearly every passage
_MAX_LITERAL_SETS = 2  # per regex: each one costs substring tests on the passage
# A rule's literals are tested on the passage before a cheap regex: a long list of alternatives
# costs more than it saves there. Slow regexes (graphic detail, combinations) take any list.
_RULE_ALTERNATIVES = 12


def _opens(gate: _Gate, low: str, at: int, word_end: int, passage_ok: dict[int, bool], key: int) -> bool:
    """False when ``gate`` shows that the rule cannot match with its cue at ``low[at:word_end]``."""
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
            ok = passage_ok[key] = _holds(gate.literals, low)
        return ok
    return True


@functools.lru_cache(maxsize=4096)
def _idiom_literals(source: str) -> tuple[tuple[str, ...], ...]:
    """:func:`_literals` of an idiom, the sets with the fewest alternatives first (a pure function
    of the source, so every detector in the process shares it)."""
    return tuple(sorted(_literals(source), key=len))


def _holds(literals: tuple[tuple[str, ...], ...], low: str, start: int = 0, end: int | None = None) -> bool:
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


_FIND_EACH = 4  # strings looked for one by one; more are looked for by one regex, in one pass


@functools.lru_cache(maxsize=1024)
def _any_of(strings: tuple[str, ...]) -> re.Pattern[str]:
    """A regex that matches where any of ``strings`` occurs (it finds one wherever one is)."""
    return re.compile("|".join(re.escape(x) for x in sorted(strings, key=len, reverse=True)))


def _literals(*sources: str | None, most: int | None = None) -> tuple[tuple[str, ...], ...]:
    """Sets of strings such that every match of each regex source holds one string of each set.

    Only a necessary condition, read from the parsed regex (literal runs, alternations of them,
    groups, repeats of at least one); anything it does not understand requires nothing. The two
    most selective sets of each source with at most ``most`` strings are kept.

    >>> _literals(_regex("(?:took|taking) (?:his|her) own ", {}), None)
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


def _parse(source: str) -> list[tuple[Any, Any]] | None:
    if not source or _sre_parser is None:
        return None
    try:
        parsed = _sre_parser.parse(source)
    except Exception:  # an unparsable regex is rejected where it is compiled
        return None
    return None if parsed.state.flags & re.IGNORECASE else list(parsed)


def _gate(
    before: str, after: str, near: str | None, cues: tuple[str, ...], tail: re.Pattern[str] | None = None
) -> _Gate | None:
    """The necessary conditions of a rule with these regex sources (see ``_Gate``), or None.

    >>> g = _gate(_regex("(?:operating|autopsy) ", {}), "", None, ("table",))
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
    literals = _literals(
        None if suffixes else before, None if prefixes else after, near, most=_RULE_ALTERNATIVES
    )
    parsed_tail = _parse(tail.pattern) if tail is not None and after else None
    open_tail = tail if parsed_tail is not None and _unbounded_ok(parsed_tail) else None
    if open_tail is not None:
        prefixes = ()  # the tail tests more, and as cheaply
    if not (suffixes or prefixes or literals or open_tail):
        return None
    return _Gate(suffixes, space_before, prefixes, space_after, open_tail, literals)


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


_MAX_EDGE = 256  # strings per gate: endswith/startswith try each


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
