"""``LexiconDetector``: runs the compiled lexicon over passages, from the cue words found to one
finding per label (see the package docstring for the steps)."""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from forewarn._native import CueMatcher
from forewarn.detectors import text_cues
from forewarn.detectors.lexicon import combos, scoring
from forewarn.detectors.lexicon.grammar import WORD, agrees
from forewarn.detectors.lexicon.prefilter import Literals, Required, opens, word_ranges
from forewarn.detectors.lexicon.rules import (
    COMPILED,
    FORMAT,
    SOURCE,
    Combo,
    Gate,
    Rule,
    combo_from_record,
    data_file,
    digest,
    gate_from_record,
    rule_from_record,
    string_sets,
)
from forewarn.detectors.lexicon.scoring import Hit, rank
from forewarn.detectors.lexicon.sentence import MAX_EVIDENCE, Sentence, lower
from forewarn.model import Finding, Passage

logger = logging.getLogger(__name__)

NAME = "lexicon.v1"
_CACHE_SIZE = 200_000  # entries per word/token cache: a bound on memory over a huge library
# Words too common to key idioms on: an idiom always holds a content word of the match too.
_FUNCTION_WORDS = text_cues.wordset(
    """a an the his her their my your our its him them me you us he she they i we it was were is are
    be been had has have to of in on at by with and or into from for that this own up out"""
)


class LexiconDetector:
    """Finds every label with curated cue words in context; see the package docstring.

    The default rules are the compiled lexicon shipped with forewarn (``data/lexicon.compiled.json``,
    made by the build step ``forewarn.detectors.lexicon.build`` from ``data/lexicon.json``). Rules
    from ``rules_path`` (a file in ``lexicon.json``'s format) are compiled here by the build step's
    ``compile_lexicon``, which reads the regexes' structure and costs about half a second. Each
    rule's regexes are compiled on the rule's first use, the idioms' on theirs.

    >>> from forewarn.model import Passage
    >>> d = LexiconDetector()
    >>> d.detect([Passage(0, 0, 26, 0, "I'm dying to see the film.")])
    []
    """

    name = NAME

    def __init__(self, rules_path: str | Path | None = None) -> None:
        self.rules_path = str(rules_path) if rules_path is not None else None
        if self.rules_path is None:
            compiled = _shipped()
        else:  # the build step (and the regex analysis) is imported only to compile other rules
            from forewarn.detectors.lexicon.build import compile_lexicon

            compiled = compile_lexicon(Path(self.rules_path).read_bytes())
        self._load(compiled)

    # The compiled lexicon, not the rules: unpickling a regex compiles it, and the clone compiles each
    # rule on its first use instead.
    def __getstate__(self) -> dict[str, Any]:
        return {"rules_path": self.rules_path, "compiled": self._compiled}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.rules_path = state["rules_path"]
        self._load(state["compiled"])

    # --- construction -------------------------------------------------------------------------

    def _load(self, compiled: dict[str, Any]) -> None:
        self._compiled = compiled
        self._records: list[dict[str, Any]] = compiled["rules"]
        self._rules: dict[int, Rule] = _Compiled(self._records)  # by index, compiled on first use
        self._gates = _Gates(self)
        self.combos: tuple[Combo, ...] = tuple(combo_from_record(c) for c in compiled["combos"])
        self._combo_needs = frozenset(need for combo in self.combos for need in combo.needs)
        self._sex_unless = {r["id"]: i for i, r in enumerate(self._records) if r["sex_unless"] is not None}
        idioms = compiled["idioms"]
        self._idiom_sources: tuple[str, ...] = tuple(idiom["source"] for idiom in idioms)
        self._idiom_literals = tuple(string_sets(idiom["literals"]) for idiom in idioms)
        self._idiom_regexes: list[re.Pattern[str] | None] = [None] * len(idioms)  # compiled on first use
        self._idioms_by_stem: dict[str, _Idioms] = {}
        self._graphic_literals = string_sets(compiled["graphic"]["literals"])
        # The sets of required strings, each kind tested natively, many sets per pass (rules given
        # later with other gates, or other graphic literals, are tested by prefilter.holds). Each
        # kind has its own automaton: the fewer strings, the fewer matches to mark per pass.
        self._idioms_required = Required(self._idiom_literals)
        self._gates_required = Required(
            string_sets(r["gate"]["literals"]) for r in self._records if r["gate"] is not None
        )
        self._graphic_required = Required([self._graphic_literals])
        self._graphic_labels = frozenset(compiled["graphic_labels"])

        full: dict[str, list[int]] = {}
        prefix: dict[str, list[int]] = {}
        for i, record in enumerate(self._records):
            for cue in record["cues"]:
                if cue.endswith("*"):
                    prefix.setdefault(cue[:-1], []).append(i)
                else:
                    full.setdefault(cue, []).append(i)
        self._full = {k: tuple(v) for k, v in full.items()}
        self._prefix = {k: tuple(v) for k, v in prefix.items()}
        self._prefix_lengths = tuple(sorted({len(k) for k in prefix}))
        self._word_cache: dict[str, tuple[int, ...]] = {}
        self._cues = CueMatcher(self._full, self._prefix, word_ranges(compiled["word"]))
        logger.debug(
            "lexicon: %d rules, %d combinations, %d cue words",
            len(self._records),
            len(self.combos),
            len(full) + len(prefix),
        )

    @property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule, in the lexicon's order (this compiles the ones not used yet)."""
        if len(self._rules) < len(self._records):
            built = self._rules
            self._rules = {
                i: built[i] if i in built else rule_from_record(r) for i, r in enumerate(self._records)
            }
            self._gates = _Gates(self)
        return tuple(self._rules.values())

    @rules.setter
    def rules(self, rules: Sequence[Rule]) -> None:
        # The cue-word index is the compiled lexicon's: new rules must keep its ids and cues.
        if [(r.id, r.cues) for r in rules] != [(r["id"], tuple(r["cues"])) for r in self._records]:
            raise ValueError("the rules must keep the lexicon's rule ids and cue words, in order")
        self._rules = dict(enumerate(rules))
        self._gates = _Gates(self)

    @functools.cached_property
    def _prefilter(self) -> re.Pattern[str]:
        """Every cue word (see ``prefilter.cue_regex``): a match is the word a cue starts. The
        reference of the native matcher (``_cue_words``), and its stand-in on a text it cannot read."""
        return re.compile(self._compiled["cue_regex"])

    def _cue_words(self, low: str) -> list[tuple[int, int, tuple[int, ...]]]:
        """(start, end, the indices of its rules) of each word a cue starts in ``low``, as
        ``_prefilter.finditer`` and ``_rules_for`` find them."""
        found = self._cues.find(low)
        if found is None:  # a lone surrogate: not UTF-8, so not the native matcher's
            return [(m.start(), m.end(), self._rules_for(m.group())) for m in self._prefilter.finditer(low)]
        return found

    @functools.cached_property
    def _graphic(self) -> re.Pattern[str]:
        return re.compile(self._compiled["graphic"]["source"])

    def _rules_for(self, word: str) -> tuple[int, ...]:
        """The indices of the rules ``word`` can be a cue of."""
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
        # Per setting of scoring.SCENES: passage index -> set in it (asked lazily, once per passage).
        scenes: list[dict[int, bool]] = [{} for _ in scoring.SCENES]
        for i, passage in enumerate(passages):
            findings.extend(self._detect_passage(passage, passages, i, scenes))
        return findings

    def _detect_passage(
        self, passage: Passage, passages: Sequence[Passage], position: int, scenes: Sequence[dict[int, bool]]
    ) -> list[Finding]:
        """The findings of ``passage``, which is ``passages[position]`` (the passages before it set
        the scene for sparring or a children's game)."""
        text = passage.text
        low = lower(text)
        wanted = self._candidates(low)
        if not wanted:
            return []
        rules = self._rules
        hits: list[Hit] = []
        for (s, e), by_rule in wanted.items():
            sentence = Sentence(text, low, s, e)
            for rule_index in sorted(by_rule):
                rule = rules[rule_index]
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
            unless = {
                h.cue: rules[self._sex_unless[h.cue]].sex_unless for h in hits if h.cue in self._sex_unless
            }
            hits = combos.sex_play(hits, low, unless)
        if hits and self._combo_needs.intersection(h.label for h in hits):
            hits.extend(combos.combine(self.combos, hits, low))
        scoring.set_scenes(hits, low, passages, position, scenes)
        best = scoring.strongest(hits)
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

    def _candidates(self, low: str) -> dict[tuple[int, int], dict[int, list[int]]]:
        """For each sentence (its bounds) of the lower-cased passage ``low`` that holds cue words:
        the rules they trigger whose gates open there, with the offsets of their cues."""
        wanted: dict[tuple[int, int], dict[int, list[int]]] = {}
        current = (0, 0)
        by_rule: dict[int, list[int]] = {}
        gates = self._gates
        passage_ok: dict[int, bool] = {}  # rule -> the passage holds its literals
        held = self._gates_required.held(low)
        sentences = text_cues.Sentences(low)
        for at, end, rule_indices in self._cue_words(low):
            kept: list[int] = []
            for rule_index in rule_indices:
                gate = gates[rule_index]
                if gate is None or opens(gate, low, at, end, passage_ok, rule_index, held):
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
        return wanted

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

    def _best(self, rule: Rule, matches: list[re.Match[str]], sentence: Sentence) -> Hit | None:
        """The best of ``matches`` of ``rule`` in ``sentence`` that survives its context.

        Once there is a best, a match is tested against its context only when its score would win,
        and the rest are skipped once none can win: a run-on sentence of cue words has thousands.
        """
        best: Hit | None = None
        top: tuple[float, int] | None = None
        for m in matches:
            if best is None:
                if not self._vetoed(rule, m, sentence):
                    best = scoring.score(rule, m, sentence, self._graphic_in)
                continue
            if top is None:
                top = scoring.top(rule, sentence, self._graphic_in)
            # A later match can at most tie the best's score and severity, and then wins only by
            # starting its evidence earlier; evidence starts at most half a window (200 characters)
            # before a match, which starts at most 200 before its cue.
            if rank(best)[:2] >= top and best.start <= max(sentence.s, m.start("cue") - MAX_EVIDENCE):
                break
            hit = scoring.score(rule, m, sentence, self._graphic_in)
            if rank(hit) > rank(best) and not self._vetoed(rule, m, sentence):
                best = hit
        return best

    def _vetoed(self, rule: Rule, m: re.Match[str], sentence: Sentence) -> bool:
        """True when the context of match ``m`` of ``rule`` in ``sentence`` drops it."""
        # Each test vetoes on its own, so the cheapest go first.
        low, s, ms, cue = sentence.low, sentence.s, m.start(), m.start("cue")
        return bool(
            (rule.not_before is not None and rule.not_before.search(low, max(s, ms - 60), ms))
            or (rule.agree and not agrees(m, low, s))
            or (rule.negatable and sentence.fact(("negated", cue), lambda: text_cues.is_negated(low, cue, s)))
            or (rule.idioms and sentence.fact(m.span(), lambda: self._in_idiom(low, m, s, sentence.e)))
        )

    def _graphic_in(self, label: str, sentence: Sentence) -> bool:
        """A depicted finding of ``label`` in ``sentence`` is graphic: the label can be, and the
        sentence holds vivid bodily detail."""
        if label not in self._graphic_labels:
            return False
        low, s, e = sentence.low, sentence.s, sentence.e
        return sentence.fact(
            "graphic",
            lambda: self._graphic_holds(low[s:e]) and self._graphic.search(low, s, e) is not None,
        )

    def _graphic_holds(self, sentence: str) -> bool:
        """``sentence`` holds the graphic regex's required strings."""
        literals = (self._graphic_literals,)
        return bool(self._graphic_required.holding(literals, self._graphic_required.ids(literals), sentence))

    def _in_idiom(self, low: str, m: re.Match[str], s: int, e: int) -> bool:
        """True when the match overlaps a figurative idiom that holds one of its words.

        The idioms of a word are scanned as one alternation ``(?<!\\w)(?:A|B|...)(?!\\w)`` would
        be by ``finditer``, but with each idiom compiled on its own: compiling the alternations
        costs seconds in each new process, and matching them is no faster. An idiom whose
        required strings (found by the build step) are not all in the window cannot match there,
        so it is left out of the scan without changing what the alternation finds.
        """
        ms, me = m.span()
        lo, hi = max(s, ms - 120), min(e, me + 120)
        window: str | None = None
        stems = dict.fromkeys(word[:4] for word in WORD.findall(m.group()) if word not in _FUNCTION_WORDS)
        for stem in stems:  # words with one stem have the same idioms: each stem is scanned once
            candidates, literals, ids = self._idioms_for(stem)
            if not candidates:
                continue
            if window is None:
                window = low[lo:hi]
            idioms = [candidates[k] for k in self._idioms_required.holding(literals, ids, window)]
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

    def _idioms_for(self, stem: str) -> _Idioms:
        """The idioms whose text holds ``stem`` (a word's first letters), in order; the strings
        each one's every match holds (one of each tuple, the fewest alternatives first); and the
        indices of those in ``_idioms_required``."""
        found = self._idioms_by_stem.get(stem)
        if found is None:
            pairs = tuple(
                dict.fromkeys(
                    (self._idiom(i), self._idiom_literals[i])
                    for i, source in enumerate(self._idiom_sources)
                    if stem in source
                )
            )
            literals = tuple(strings for _, strings in pairs)
            found = (tuple(regex for regex, _ in pairs), literals, self._idioms_required.ids(literals))
            self._idioms_by_stem[stem] = found
        return found

    def _idiom(self, index: int) -> re.Pattern[str]:
        """The regex of idiom ``index``, compiled on its first use."""
        regex = self._idiom_regexes[index]
        if regex is None:
            regex = self._idiom_regexes[index] = re.compile(
                r"(?<!\w)(?:" + self._idiom_sources[index] + r")(?!\w)"
            )
        return regex


# The idioms of a stem: their regexes, their required strings, the indices of those in _idioms_required.
_Idioms = tuple[tuple[re.Pattern[str], ...], tuple[Literals, ...], list[int] | None]


class _Compiled(dict[int, Rule]):
    """The rules by index, each compiled from its record on its first use."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        super().__init__()
        self._records = records

    def __missing__(self, index: int) -> Rule:
        rule = self[index] = rule_from_record(self._records[index])
        return rule


class _Gates(dict[int, Gate | None]):
    """The rules' gates by index. A gate is read from the rule when it is compiled, else from its
    record (its tail regex alone): most cues fail their gate, and their rule's other regexes,
    which cost most of a short scan's start-up to compile, are then never compiled."""

    def __init__(self, detector: LexiconDetector) -> None:
        super().__init__()
        self._detector = detector

    def __missing__(self, index: int) -> Gate | None:
        rules = self._detector._rules
        rule = rules.get(index)  # get() compiles nothing
        gate = self[index] = (
            rule.gate if rule is not None else gate_from_record(self._detector._records[index])
        )
        return gate


def _shipped() -> dict[str, Any]:
    """The compiled default lexicon, or (with a warning) ``lexicon.json`` compiled afresh when it
    changed after the last build."""
    compiled: dict[str, Any] = json.loads(data_file(COMPILED).read_text(encoding="utf-8"))
    source = data_file(SOURCE).read_bytes()
    if compiled["format"] == FORMAT and compiled["source_sha256"] == digest(source):
        return compiled
    logger.warning("%s is out of date with %s: run `make lexicon`", COMPILED, SOURCE)
    from forewarn.detectors.lexicon.build import compile_lexicon

    return compile_lexicon(source)
