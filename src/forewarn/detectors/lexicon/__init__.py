"""The lexicon detector: curated cue words with context rules, for every label.

Rules are data (``data/lexicon.json``, described in ``data/README.md``), compiled at build time
(``python -m forewarn.detectors.lexicon.build``, ``make lexicon``) into ``data/lexicon.compiled.json``,
which the detector loads. A rule names one or more *cue* words (the trigger lexicon) and the context
around them: regexes that must come just ``before`` or ``after`` the cue, words that must (``near``)
or must not (``not_near``) be in the same sentence, and whether a denial or a hypothetical undoes
it. How one passage is scanned:

1. One pass finds the candidate words, the words cue words start (the native matcher,
   ``forewarn._native.CueMatcher``: a trie of the cue words over runs of Python's ``\\w``, which
   the build step records; the compiled lexicon's one regex of every cue word is its reference);
   a passage without any is done. Only the rules of the words found are tried, and only on the
   sentences holding them. Before that, cheap tests read from each rule's regexes by the build
   step (``Gate``: the words right before and after the cue, strings the passage must hold) skip
   the cues where the rule cannot match, so common cue words cost little.
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
happened x0.5, told as backstory x0.8, in dialogue x0.85 (``scoring``). It is a hand-set prior,
not a calibrated probability; the pipeline's thresholds and a learned model refine it.

Severity: "mentioned" (referred to, reported, past, hypothetical, in dialogue), "depicted" (happens
on the page), "graphic" (on the page with vivid bodily detail, or explicit sexual anatomy).

The modules: ``rules`` (the rule types and the compiled lexicon's records), the build step
(``build``, with ``compiler``: macros and pattern syntax, and ``analysis``: what the regexes'
structure says every match holds), and at run time ``detector`` (``LexiconDetector``),
``prefilter`` (which rules to try where), ``sentence`` and ``grammar`` (facts about a sentence and a
match), ``scoring`` and ``combos`` (what the matches count for).

>>> from forewarn.model import Passage
>>> text = "Mira died in her arms."
>>> [(f.label, f.severity, f.characters) for f in LexiconDetector().detect([Passage(0, 0, 22, 0, text)])]
[('death', 'depicted', ('Mira',))]
"""

from forewarn.detectors.lexicon.detector import NAME, LexiconDetector
from forewarn.detectors.lexicon.rules import Combo, Rule, RulesError

__all__ = ["NAME", "Combo", "LexiconDetector", "Rule", "RulesError"]
