"""Fit the work-level model (``work_level``) on works labelled under WARNINGS.md.

Every (work, label) pair where some passage carries a finding of the label is one example: its
``work_level.FEATURES`` against whether the careful reader put the label in the work's warning
list. A label without any finding is absent whatever the weights, so it teaches nothing. Needs
scikit-learn (``pip install 'forewarn[train]'``); deterministic for the same records.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from forewarn.aggregate import label_evidence
from forewarn.labelled_works import LabelledWork
from forewarn.pipeline import Gathered, learned_labels
from forewarn.work_level import MODEL_FILE, WorkLevelModel

C = 1.0  # inverse L2 strength: a few features, a few hundred examples
Example = tuple[list[float], int]


def examples(record: LabelledWork, gathered: Gathered) -> list[Example]:
    """The (features, warned) pairs of one labelled work."""
    dead = gathered.who.who_dies if gathered.who else ()
    evidence = label_evidence(
        gathered.counted, len(gathered.passages), learned_labels(gathered.detectors), dead
    )
    return [(e.vector(), int(label in record.warn)) for label, e in sorted(evidence.items())]


def fit(pairs: Sequence[Example]) -> WorkLevelModel:
    """A logistic model over the examples (classes balanced: warnings are the rarer class)."""
    from sklearn.linear_model import LogisticRegression

    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    if len(set(ys)) < 2:
        raise ValueError("the work-level model needs works with and without warnings to learn from")
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=1000)
    model.fit(xs, ys)
    return WorkLevelModel(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]))


def write_model(model: WorkLevelModel, records: Path, count: int, out: str | os.PathLike[str]) -> Path:
    """Write the model as JSON beside a note of what it was fitted on."""
    data = model.to_json()
    data["trained_on"] = {
        "records": records.name,
        "sha256": hashlib.sha256(records.read_bytes()).hexdigest(),
        "examples": count,
        "C": C,
    }
    path = Path(out) / MODEL_FILE
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path
