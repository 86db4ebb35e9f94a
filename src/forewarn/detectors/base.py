"""What every detector is, and the contract every detector must keep.

A detector is pure: passages in, findings out. No I/O after construction, deterministic,
picklable (multiprocessing and Spark ship detectors to workers). It scores a whole list of
passages at once so that learned models can vectorise.
"""

from __future__ import annotations

import pickle
from collections.abc import Collection, Mapping, Sequence
from typing import Protocol, runtime_checkable

from forewarn.labels import BY_NAME
from forewarn.model import SEVERITIES, Finding, Passage


@runtime_checkable
class Detector(Protocol):
    name: str  # versioned, e.g. "lexicon.v1": stored in every Report

    def detect(self, passages: Sequence[Passage]) -> list[Finding]: ...


@runtime_checkable
class Scorer(Protocol):
    """A detector that can also give bare scores, for the (passage, label) pairs another detector
    proposed: what the "gate" combination needs of a label's authority (``aggregate.combine``).
    ``score`` must give exactly the scores of the findings ``detect`` would give for those pairs."""

    name: str

    def detect(self, passages: Sequence[Passage]) -> list[Finding]: ...

    def score(
        self, passages: Sequence[Passage], wanted: Mapping[int, Collection[str]]
    ) -> dict[tuple[str, int], float]: ...


def check_detector(detector: Detector, passages: Sequence[Passage], text: str) -> list[Finding]:
    """Assert the detector contract on ``passages`` cut from ``text``; return its findings.

    Used by the test suite for every registered detector (like scikit-learn's check_estimator).
    """
    findings = detector.detect(passages)
    assert findings == detector.detect(passages), "not deterministic"
    clone = pickle.loads(pickle.dumps(detector))
    assert clone.detect(passages) == findings, "changes behaviour after pickling"
    by_index = {p.index: p for p in passages}
    for f in findings:
        assert f.label in BY_NAME, f"unknown label {f.label!r}"
        assert 0.0 <= f.score <= 1.0, f"score {f.score} out of [0, 1]"
        assert f.severity in SEVERITIES, f"unknown severity {f.severity!r}"
        assert 0 <= f.start < f.end <= len(text), f"offsets {f.start}:{f.end} out of range"
        assert text[f.start : f.end] == f.evidence, "evidence is not text[start:end]"
        passage = by_index[f.passage]
        assert passage.start <= f.start and f.end <= passage.end, "evidence outside its passage"
        assert f.detector == detector.name
    return findings
