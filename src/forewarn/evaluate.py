"""Measure forewarn on labelled passages: the figures of ``forewarn eval``.

Each row (``warning``, three ``labels`` votes, ``text``, ``work_id``) is scored for its own warning by
the passage path that ``scan`` uses: a story-only Work of the text, ``segment``, the detectors, the
label combination of ``aggregate.combine``; the row's score is the best finding score for its
warning over its passages (0 when none). The decision is ``score >= REPORT_THRESHOLD`` ("would scan
report it"). Gold: ``majority`` (at least 2 of 3 votes) or ``minority`` (at least 1).

Figures per warning and pooled: balanced accuracy; precision, recall and F1 on the natural
distribution; accuracy and F1 on balanced resamples (all positives and as many random negatives,
``RESAMPLE_SEEDS`` fixed seeds, averaged; pooled = the union of each warning's resample), the
protocol of Wiegmann et al. (ACL 2024). ``cross_validate`` retrains the classifier inside each of K
folds grouped by ``work_id``, so that no work is in both a fold's training and test rows.

>>> balanced_accuracy([1, 1, 0, 0], [1, 0, 0, 0])
0.75
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from forewarn.aggregate import REPORT_THRESHOLD
from forewarn.detectors import COMBINATION
from forewarn.detectors.base import Detector
from forewarn.detectors.features import WARNINGS
from forewarn.model import Chapter, Section, Source, Work
from forewarn.pipeline import detect
from forewarn.segment import segment

RESAMPLE_SEEDS = (0, 1, 2, 3, 4)
CV_SEED = 0
GOLD_RULES = {"majority": 2, "minority": 1}  # yes votes (of 3) that make a passage positive


def gold_labels(rows: Sequence[dict[str, Any]], gold: str = "majority") -> np.ndarray:
    need = GOLD_RULES[gold]
    return np.array([int(sum(r["labels"]) >= need) for r in rows], dtype=np.int64)


# --- metrics ----------------------------------------------------------------------------------


def _counts(gold: Sequence[int] | np.ndarray, pred: Sequence[int] | np.ndarray) -> tuple[int, int, int, int]:
    g, p = np.asarray(gold, dtype=bool), np.asarray(pred, dtype=bool)
    return int((g & p).sum()), int((~g & p).sum()), int((g & ~p).sum()), int((~g & ~p).sum())


def balanced_accuracy(gold: Sequence[int] | np.ndarray, pred: Sequence[int] | np.ndarray) -> float:
    """Mean of recall on positives and recall on negatives (a class that is absent is left out)."""
    tp, fp, fn, tn = _counts(gold, pred)
    rates = [tp / (tp + fn)] if tp + fn else []
    rates += [tn / (tn + fp)] if tn + fp else []
    return float(np.mean(rates)) if rates else math.nan


def precision_recall_f1(
    gold: Sequence[int] | np.ndarray, pred: Sequence[int] | np.ndarray
) -> tuple[float, float, float]:
    """Of the positive class; 0 where undefined (no predicted or no gold positives)."""
    tp, fp, fn, _ = _counts(gold, pred)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def balanced_sample(gold: np.ndarray, seed: int) -> np.ndarray:
    """All positives and as many random negatives (or all negatives and as many positives)."""
    pos, neg = np.flatnonzero(gold == 1), np.flatnonzero(gold == 0)
    n = min(len(pos), len(neg))
    rng = np.random.RandomState(seed)
    return np.sort(np.r_[rng.choice(pos, n, replace=False), rng.choice(neg, n, replace=False)])


def _warning_sample(gold: np.ndarray, index: int, seed: int) -> np.ndarray:
    return balanced_sample(gold, seed * 100 + index)


def _resampled(
    gold: np.ndarray, pred: np.ndarray, samples: Callable[[int], np.ndarray]
) -> tuple[float, float]:
    accs, f1s = [], []
    for seed in RESAMPLE_SEEDS:
        sel = samples(seed)
        if len(sel) == 0:
            return math.nan, math.nan
        accs.append(float((gold[sel] == pred[sel]).mean()))
        f1s.append(precision_recall_f1(gold[sel], pred[sel])[2])
    return float(np.mean(accs)), float(np.mean(f1s))


def figures(gold: np.ndarray, pred: np.ndarray, resample: tuple[float, float]) -> dict[str, float | int]:
    precision, recall, f1 = precision_recall_f1(gold, pred)
    return {
        "n": len(gold),
        "positives": int(gold.sum()),
        "balanced_accuracy": balanced_accuracy(gold, pred),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "balanced_accuracy_resampled": resample[0],
        "balanced_f1": resample[1],
    }


def report(
    warnings: Sequence[str], gold: np.ndarray, scores: np.ndarray, threshold: float = REPORT_THRESHOLD
) -> dict[str, Any]:
    """``{"pooled": figures, "warnings": {name: figures}}`` for per-row warnings, gold and scores."""
    warn = np.asarray(warnings)
    pred = (np.asarray(scores) >= threshold).astype(np.int64)
    present = set(warnings)
    names = [w for w in WARNINGS if w in present] + sorted(present - set(WARNINGS))
    per: dict[str, Any] = {}
    for i, name in enumerate(names):
        m = np.flatnonzero(warn == name)
        g, p = gold[m], pred[m]
        per[name] = figures(g, p, _resampled(g, p, functools.partial(_warning_sample, g, i)))

    def pooled_sample(seed: int) -> np.ndarray:
        parts = []
        for i, name in enumerate(names):
            m = np.flatnonzero(warn == name)
            parts.append(m[balanced_sample(gold[m], seed * 100 + i)])
        return np.sort(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    return {"pooled": figures(gold, pred, _resampled(gold, pred, pooled_sample)), "warnings": per}


# --- scoring ----------------------------------------------------------------------------------


def passage_work(text: str) -> Work:
    """A Work whose whole text is one story section (a labelled passage is story text)."""
    return Work(
        text=text,
        sections=(Section("story", 0, len(text)),),
        chapters=(Chapter("", 0, len(text)),),
        source=Source(None, "text"),
    )


def score_rows(
    rows: Sequence[dict[str, Any]], detectors: Sequence[Detector], rule: str = COMBINATION
) -> np.ndarray:
    """Each row's best finding score for its own warning, through scan's passage path."""
    scores = np.zeros(len(rows))
    for i, row in enumerate(rows):
        _, counted = detect(segment(passage_work(row["text"])), detectors, rule)
        scores[i] = max((f.score for f in counted if f.label == row["warning"]), default=0.0)
    return scores


def grouped_folds(rows: Sequence[dict[str, Any]], k: int, seed: int = CV_SEED) -> list[np.ndarray]:
    """K disjoint sets of row indices; all rows of a work fall in the same set.

    Works are shuffled with a fixed seed and dealt, largest first, to the fold that holds the
    fewest rows of the work's warning so far, so every fold has a similar mix of warnings.
    """
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    by_work: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_work.setdefault(row["work_id"], []).append(i)
    works = sorted(by_work)
    order = np.random.RandomState(seed).permutation(len(works))
    shuffled = sorted((works[j] for j in order), key=lambda w: -len(by_work[w]))  # stable sort
    load: dict[tuple[int, str], int] = {}
    folds: list[list[int]] = [[] for _ in range(k)]
    for work in shuffled:
        warning = rows[by_work[work][0]]["warning"]
        fold = min(range(k), key=lambda f: (load.get((f, warning), 0), len(folds[f]), f))
        folds[fold].extend(by_work[work])
        load[(fold, warning)] = load.get((fold, warning), 0) + len(by_work[work])
    return [np.array(sorted(f), dtype=np.int64) for f in folds]


def cross_validate(
    rows: Sequence[dict[str, Any]],
    k: int,
    build: Callable[[Sequence[dict[str, Any]]], Sequence[Detector]],
    rule: str = COMBINATION,
) -> np.ndarray:
    """Out-of-fold scores: ``build(training rows)`` gives the detectors for each held-out fold."""
    scores = np.zeros(len(rows))
    for test in grouped_folds(rows, k):
        held = set(test.tolist())
        train = [r for i, r in enumerate(rows) if i not in held]
        scores[test] = score_rows([rows[i] for i in test], build(train), rule)
    return scores


def evaluate(
    rows: Sequence[dict[str, Any]],
    *,
    detectors: str = "all",
    gold: str = "majority",
    cv: int = 0,
    rule: str = COMBINATION,
) -> dict[str, Any]:
    """The figures of ``forewarn eval``: ``detectors`` is "lexicon", "classifier" or "all"."""
    from forewarn.detectors.classifier import ClassifierDetector
    from forewarn.detectors.lexicon import LexiconDetector

    lexicon = LexiconDetector()

    def build(train: Sequence[dict[str, Any]] | None) -> list[Detector]:
        chosen: list[Detector] = []
        if detectors in ("lexicon", "all"):
            chosen.append(lexicon)
        if detectors in ("classifier", "all"):
            if train is None:
                chosen.append(ClassifierDetector())
            else:
                from forewarn.train import train_model

                chosen.append(ClassifierDetector(train_model(train)))
        return chosen

    if cv and detectors != "lexicon":
        scores = cross_validate(rows, cv, build, rule)
    else:  # the lexicon learns nothing: cross-validating it would give the same scores
        scores = score_rows(rows, build(None), rule)
    result = report([r["warning"] for r in rows], gold_labels(rows, gold), scores)
    result["settings"] = {
        "detectors": detectors,
        "combination": rule if detectors == "all" else None,
        "gold": gold,
        "cv": cv,
        "threshold": REPORT_THRESHOLD,
        "rows": len(rows),
    }
    return result


__all__ = [
    "WARNINGS",
    "balanced_accuracy",
    "cross_validate",
    "evaluate",
    "grouped_folds",
    "precision_recall_f1",
    "report",
    "score_rows",
]
