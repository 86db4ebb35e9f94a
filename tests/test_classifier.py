"""The passage classifier: stable hashing, findings, and how it combines with the lexicon."""

from __future__ import annotations

import subprocess
import sys

from forewarn.aggregate import combine
from forewarn.detectors import LABEL_AUTHORITY, default_detectors
from forewarn.detectors.classifier import NAME, ClassifierDetector
from forewarn.detectors.features import (
    feature_index,
    hits,
    kw_tokens,
    kw_words,
    split_tokens,
    token_offset,
    tokenize,
)
from forewarn.model import Finding
from forewarn.segment import segment
from tests.conftest import story_work


def test_hashing_is_stable_across_processes():
    code = "from forewarn.detectors.features import feature_index; print(feature_index('kw_stabbed'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert int(out) == feature_index("kw_stabbed") == 6526


def test_keyword_features_describe_the_hit_and_its_context():
    tokens = tokenize("'I will kill you,' he said.")
    pseudo = kw_tokens(tokens, "violence")
    assert {"nhits_1", "kw_kill", "L_will_kill", "R_kill_you", "modal", "inquote"} <= set(pseudo)


def test_classifier_finds_violence_with_exact_offsets():
    text = "The rain fell.\n\nHe drew the knife and stabbed the guard twice, and the guard fell bleeding."
    work = story_work(text)
    findings = ClassifierDetector().detect(segment(work))
    (violence,) = [f for f in findings if f.label == "violence"]
    assert violence.detector == NAME
    assert text[violence.start : violence.end] == violence.evidence
    assert "stabbed" in violence.evidence


def test_classifier_is_part_of_the_default_detectors():
    assert NAME in [d.name for d in default_detectors()]


def _finding(label: str, detector: str, score: float, passage: int = 0) -> Finding:
    return Finding(label, score, "depicted", passage, 0, 1, "x", detector)


def test_gate_gives_lexicon_candidates_the_classifier_score():
    found = [
        _finding("war", "lexicon.v1", 0.9),
        _finding("war", NAME, 0.2),
        _finding("war", NAME, 0.8, passage=1),  # no lexicon candidate: does not count
        _finding("blood", "lexicon.v1", 0.7),  # not a classifier label: untouched
    ]
    kept = combine(found, ["lexicon.v1", NAME], LABEL_AUTHORITY, "gate")
    assert sorted((f.label, f.detector, f.score, f.passage) for f in kept) == [
        ("blood", "lexicon.v1", 0.7, 0),
        ("war", "lexicon.v1", 0.2, 0),
    ]


def test_bare_scores_equal_the_findings_scores_for_the_pairs_asked():
    text = (
        "He drew the knife and stabbed the guard, and the war went on in the trenches.\n\n"
        "She said the soldiers had died far away, and nobody talked about the battle again."
    )
    passages = segment(story_work(text))
    classifier = ClassifierDetector()
    found = {(f.label, f.passage): f.score for f in classifier.detect(passages)}
    wanted = {p.index: {"violence", "war", "death"} for p in passages}
    scores = classifier.score(passages, wanted)
    assert scores and scores == {k: v for k, v in found.items() if k[0] in wanted[k[1]]}
    assert classifier.score(passages, {p.index: {"war"} for p in passages}) == {
        k: v for k, v in found.items() if k[0] == "war"
    }


def test_gate_with_bare_scores_counts_what_gate_with_findings_counts():
    text = (
        "The soldiers fought in the war for years, and many were killed in the trenches.\n\n"
        "'I could kill you,' she joked, and they both laughed about the bloody mess of the kitchen."
    )
    passages = segment(story_work(text))
    lexicon, classifier = default_detectors()
    proposed = lexicon.detect(passages)
    active = [lexicon.name, classifier.name]
    with_findings = combine(proposed + classifier.detect(passages), active, LABEL_AUTHORITY, "gate")
    wanted: dict[int, set[str]] = {}
    for f in proposed:
        wanted.setdefault(f.passage, set()).add(f.label)
    with_scores = combine(proposed, active, LABEL_AUTHORITY, "gate", classifier.score(passages, wanted))
    assert with_scores == with_findings
    assert any(f.label in LABEL_AUTHORITY for f in with_scores)


def test_authority_applies_only_when_its_detector_ran():
    found = [_finding("war", "lexicon.v1", 0.9)]
    assert combine(found, ["lexicon.v1"], LABEL_AUTHORITY, "gate") == found


def test_replace_and_mean_rules():
    found = [_finding("war", "lexicon.v1", 0.9), _finding("war", NAME, 0.3)]
    active = ["lexicon.v1", NAME]
    assert [f.score for f in combine(found, active, LABEL_AUTHORITY, "replace")] == [0.3]
    assert [f.score for f in combine(found, active, LABEL_AUTHORITY, "mean")] == [0.6]
    assert combine(found, active, LABEL_AUTHORITY, "max") == found


def test_an_authority_that_ran_alone_keeps_its_findings():
    found = [_finding("war", NAME, 0.8)]
    assert combine(found, [NAME], LABEL_AUTHORITY, "gate") == found


def test_split_tokens_give_the_tokens_and_offsets_of_tokenize():
    text = "“Don't,” she said — İ rock'n'roll ab'c9'ef... He stabbed him. ‘No!’ 42 “quote”"
    parts = split_tokens(text)
    tokens = tokenize(text)
    assert parts[1::2] == [t for t, _ in tokens]
    assert [token_offset(parts, k) for k in range(len(tokens))] == [p for _, p in tokens]


def test_quote_parity_counts_lone_quotes_only():
    tokens = tokenize("'don't' he said. 'i will kill you,' he said, and 'he'd hurt them.")
    pseudo = kw_tokens(tokens, "violence")
    assert pseudo.count("inquote") == 2
    assert kw_words([t for t, _ in tokens], hits(tokens, "violence")) == pseudo
