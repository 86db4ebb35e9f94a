"""The passage classifier (``passage-clf.v2``): learned scores for the 8 warnings with labelled data.

For violence, war, death, abduction, misogyny, homophobia, racism and ableism, a passage where the
warning's keyword regex fires (``features.KEYWORDS``) is described by two blocks: keyword-window
pseudo-tokens hashed with crc32 (``features.py``; binary, L2-normalised) and the passage's static
MiniLM embedding (``static_embedding.py``; L2-normalised), side by side. That warning's logistic
regression scores them: ``p = sigmoid(b + w · x + v · e)``. Inference is numpy only; the weights
are trained by ``forewarn train`` (``train.py``, scikit-learn) and shipped in
``models/passage-clf.v2.npz`` (see ``models/README.md``). The embedding is computed once per
passage, and only for passages that hold a keyword.

What ``Finding.score`` means here: the model's probability that a majority of three annotators
would say the passage warrants the warning, trained class-balanced (so 0.5 is the balanced-accuracy
decision point, the same as the pipeline's ``REPORT_THRESHOLD``). Passages without a keyword hit
get no finding. Evidence: the sentence holding the first keyword hit. Severity: "mentioned" when
that hit is negated, hypothetical or inside dialogue (the lexicon's context cues), else "depicted".

>>> from forewarn.model import Passage
>>> text = "He drew the knife and stabbed the guard twice, and the guard fell bleeding."
>>> [f.label for f in ClassifierDetector().detect([Passage(0, 0, len(text), 0, text)])]
['violence']
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from forewarn.detectors import features, text_cues
from forewarn.detectors.npz import save_npz
from forewarn.detectors.static_embedding import StaticEmbedding
from forewarn.model import Finding, Passage, Severity

logger = logging.getLogger(__name__)

NAME = "passage-clf.v2"
MODEL_FILE = "passage-clf.v2.npz"
_MAX_EVIDENCE = 400  # characters; a longer sentence is cut to a window around the keyword
_EVIDENCE_WINDOW = 25  # tokens either side of the keyword when the sentence is too long


def default_model_path() -> Path:
    return Path(str(resources.files("forewarn.detectors").joinpath("models", MODEL_FILE)))


@dataclass(frozen=True, eq=False)
class PassageModel:
    """One logistic regression per warning over hashed keyword-window features and, when
    ``embedding_weights`` has columns, the static passage embedding."""

    warnings: tuple[str, ...]
    weights: np.ndarray  # (len(warnings), features.N_FEATURES) float32
    intercepts: np.ndarray  # (len(warnings),) float64
    meta: dict[str, Any] = field(default_factory=dict)  # version, training data, settings
    embedding_weights: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))

    @property
    def uses_embedding(self) -> bool:
        return self.embedding_weights.size > 0

    def probability(self, warning: str, indices: Sequence[int], embedding: np.ndarray | None = None) -> float:
        """P(warning) for a passage whose binary features are the distinct columns ``indices``
        and whose static embedding is ``embedding`` (needed when the model uses one)."""
        return self.row_probability(self.warnings.index(warning), indices, embedding)

    def row_probability(self, row: int, indices: Sequence[int], embedding: np.ndarray | None = None) -> float:
        """:meth:`probability` for the warning ``self.warnings[row]``."""
        z = float(self.intercepts[row])
        if indices:
            z += float(self.weights[row, list(indices)].sum()) / math.sqrt(len(indices))
        if self.uses_embedding:
            if embedding is None:
                raise ValueError("this model scores a static embedding too; pass one")
            z += float(self.embedding_weights[row] @ embedding)
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: str | Path) -> None:
        """Write an .npz that ``np.load`` reads, byte-identical for an identical model."""
        nonzero = [np.flatnonzero(self.weights[i]) for i in range(len(self.warnings))]
        arrays = {
            "warnings": np.array(self.warnings, dtype="<U16"),
            "intercepts": self.intercepts.astype("<f8"),
            "offsets": np.cumsum([0, *(len(n) for n in nonzero)]).astype("<i8"),
            "indices": np.concatenate(nonzero).astype("<i4"),
            "values": np.concatenate(
                [self.weights[i, n] for i, n in enumerate(nonzero)] or [np.zeros(0)]
            ).astype("<f4"),
            "meta": np.array(json.dumps(self.meta, sort_keys=True)),
            "embedding_weights": self.embedding_weights.astype("<f4"),
        }
        save_npz(path, arrays)

    @classmethod
    def load(cls, path: str | Path) -> PassageModel:
        with np.load(path, allow_pickle=False) as data:
            warnings = tuple(str(w) for w in data["warnings"])
            offsets, indices, values = data["offsets"], data["indices"], data["values"]
            weights = np.zeros((len(warnings), features.N_FEATURES), dtype=np.float32)
            for i in range(len(warnings)):
                weights[i, indices[offsets[i] : offsets[i + 1]]] = values[offsets[i] : offsets[i + 1]]
            dense = data["embedding_weights"] if "embedding_weights" in data else np.zeros((0, 0))
            return cls(
                warnings,
                weights,
                data["intercepts"].astype(np.float64),
                json.loads(str(data["meta"])),
                dense.astype(np.float32),
            )


class ClassifierDetector:
    """Learned passage scores for the warnings of ``model``; see the module docstring.

    ``model``: a ``PassageModel``, a path to a model file, or None for the shipped one.
    """

    name = NAME

    def __init__(self, model: PassageModel | str | Path | None = None) -> None:
        if isinstance(model, PassageModel):
            self.model = model
        else:
            self.model = PassageModel.load(default_model_path() if model is None else model)
        self._warnings = frozenset(self.model.warnings)
        self.embedding = StaticEmbedding.load() if self.model.uses_embedding else None

    @property
    def labels(self) -> tuple[str, ...]:
        """The labels this detector scores."""
        return self.model.warnings

    def detect(self, passages: Sequence[Passage]) -> list[Finding]:
        findings: list[Finding] = []
        for passage in passages:
            findings.extend(self._detect_passage(passage))
        return findings

    def score(
        self, passages: Sequence[Passage], wanted: Mapping[int, Collection[str]]
    ) -> dict[tuple[str, int], float]:
        """The model's score for each (label, passage index) asked for in ``wanted`` (passage index
        -> labels) where the passage holds a keyword of that label: the same numbers as
        :meth:`detect`'s findings, without building them. The "gate" combination needs no more."""
        scores: dict[tuple[str, int], float] = {}
        for passage in passages:
            labels = wanted.get(passage.index, ())
            for warning, score, _hit in self._scores(passage, labels):
                scores[warning, passage.index] = score
        return scores

    def _detect_passage(self, passage: Passage) -> list[Finding]:
        # Every scored passage gives a finding, however low: under the "gate" combination a low
        # score is the model's verdict against the lexicon's proposal (aggregate.combine).
        return [
            self._finding(passage, hit, warning, score)
            for warning, score, hit in self._scores(passage, self._warnings)
        ]

    def _scores(
        self, passage: Passage, labels: Collection[str]
    ) -> list[tuple[str, float, features.KeywordHit]]:
        """(warning, score, keyword hit) for each of ``labels`` with a keyword hit."""
        warnings = self.model.warnings
        wanted = sum(1 << row for row, warning in enumerate(warnings) if warning in labels)
        if not wanted:
            return []
        result = []
        embedding = None
        # In row order, a fixed order: deterministic findings.
        for hit in features.keyword_features(passage.text, warnings, wanted, _EVIDENCE_WINDOW):
            row, indices = hit[0], hit[1]
            if embedding is None and self.embedding is not None:
                embedding = self.embedding.embed(passage.text)
            score = round(self.model.row_probability(row, indices, embedding), 4)
            result.append((warnings[row], score, hit))
        return result

    def _finding(self, passage: Passage, hit: features.KeywordHit, label: str, score: float) -> Finding:
        text = passage.text
        _row, _indices, token, pos, window_start, window_end = hit
        start, end = text_cues.sentence_around(text, pos)
        if end - start > _MAX_EVIDENCE or not start <= pos < end:
            start, end = window_start, window_end
        severity: Severity = "depicted"
        if (  # the cues are pure: the cheapest goes first
            text_cues.in_dialogue(text, pos)
            or text_cues.is_negated(text, pos, start)
            or text_cues.irrealis(text, pos, start) is not None
        ):
            severity = "mentioned"
        return Finding(
            label=label,
            score=score,
            severity=severity,
            passage=passage.index,
            start=passage.start + start,
            end=passage.start + end,
            evidence=text[start:end],
            detector=NAME,
            cue=token,
        )
