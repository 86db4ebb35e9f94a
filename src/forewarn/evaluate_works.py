"""Measure forewarn on whole works labelled under WARNINGS.md: the figures of ``forewarn eval-works``.

Each labelled work is read by the readers ``scan`` uses and scanned; its warning list (tier
"warn") is compared with the careful reader's ``warn`` labels:

- warn-tier precision / recall / F1 per label, micro (pooled over every work and label) and macro
  (the mean F1 over the labels that the gold or forewarn gives at least once);
- AO3 Archive Warnings: per warning precision / recall, and the works that get one where the gold
  has none;
- who dies: the named characters forewarn finds dying against the gold's (a name matches when it
  shares a word with the gold name: "Equius" and "Equius Zahhak");
- warnings per work beside the gold per work, by length bucket (``BUCKETS``, words), and how both
  grow with length (Pearson r with log words).

``cv=K``: the work-level model (``work_level``) is refitted in each of K folds of works and every
work is judged by a model that never saw it; the passage detectors are not refitted (they learn
from labelled passages, not from these works).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forewarn.detectors.base import Detector
from forewarn.errors import UnreadableInputError
from forewarn.labelled_works import LabelledWork, iter_labelled, load_records
from forewarn.labels import ARCHIVE_WARNINGS
from forewarn.model import Report, Work, word_count
from forewarn.pipeline import Gathered, gather, report
from forewarn.work_level import WorkLevelModel

BUCKETS: tuple[tuple[str, int, float], ...] = (
    ("<1k", 0, 1000),
    ("1-2.5k", 1000, 2500),
    ("2.5-5k", 2500, 5000),
    ("5-10k", 5000, 10000),
    (">10k", 10000, math.inf),
)


@dataclass(frozen=True, slots=True)
class Scanned:
    record: LabelledWork
    work: Work
    gathered: Gathered


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 with their counts (0 where undefined).

    >>> prf(3, 1, 2)["f1"]
    0.6667
    """
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    n = len(xs)
    if n < 3:
        return math.nan
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return round(sxy / math.sqrt(sxx * syy), 4) if sxx and syy else math.nan


def _same_person(found: str, gold: str) -> bool:
    return bool(set(found.lower().split()) & set(gold.lower().split()))


def scan_records(
    path: str, detectors: Sequence[Detector] | None = None
) -> tuple[list[Scanned], list[UnreadableInputError]]:
    """Read and scan every labelled work once (detectors and who-analysis; no work-level decision)."""
    records, labelled = load_records(path)
    scanned, errors = [], []
    for record, work in iter_labelled(records, labelled):
        if isinstance(work, UnreadableInputError):
            errors.append(work)
        else:
            scanned.append(Scanned(record, work, gather(work, detectors)))
    return scanned, errors


def fold_of(record: LabelledWork, k: int) -> int:
    """A work's fold: fixed by its id, so that every run and every machine splits alike."""
    return zlib.crc32(record.id.encode("utf-8")) % k


def reports(scanned: Sequence[Scanned], cv: int = 0) -> list[Report]:
    """One Report per work: by the shipped work-level model, or (``cv`` >= 2) by the model of the
    fold that did not see it."""
    if cv < 2:
        return [report(s.work, s.gathered) for s in scanned]
    from forewarn.train_works import examples, fit

    models: dict[int, WorkLevelModel] = {}
    for fold in range(cv):
        pairs = [e for s in scanned if fold_of(s.record, cv) != fold for e in examples(s.record, s.gathered)]
        models[fold] = fit(pairs)
    return [report(s.work, s.gathered, models[fold_of(s.record, cv)]) for s in scanned]


def measure(scanned: Sequence[Scanned], results: Sequence[Report]) -> dict[str, Any]:
    """Every figure of ``forewarn eval-works`` for works and their Reports (same order)."""
    per_label: dict[str, Counter[str]] = {}
    works: list[dict[str, Any]] = []
    archive: dict[str, Counter[str]] = {name: Counter() for name in ARCHIVE_WARNINGS}
    archive_where_none: list[str] = []
    who = Counter[str]()
    for s, r in zip(scanned, results, strict=True):
        gold, found = set(s.record.warn), {v.label for v in r.warnings}
        for label in gold | found:
            c = per_label.setdefault(label, Counter())
            c["tp" if label in gold and label in found else "fp" if label in found else "fn"] += 1
        got_archive = {a.name for a in r.archive_warnings}
        for name in ARCHIVE_WARNINGS:
            want, got = name in s.record.archive_warnings, name in got_archive
            if want or got:
                archive[name]["tp" if want and got else "fp" if got else "fn"] += 1
        if got_archive and not s.record.archive_warnings:
            archive_where_none.append(s.record.id)
        dead = list(r.who.who_dies) if r.who else []
        gold_dead = [name for name, _ in s.record.who_dies]
        who["tp"] += sum(1 for g in gold_dead if any(_same_person(d, g) for d in dead))
        who["fn"] += sum(1 for g in gold_dead if not any(_same_person(d, g) for d in dead))
        who["fp"] += sum(1 for d in dead if not any(_same_person(d, g) for g in gold_dead))
        words = s.record.words or word_count(s.work.text)
        works.append(
            {
                "id": s.record.id,
                "words": words,
                "format": s.work.source.format,
                "gold": sorted(gold),
                "found": sorted(found),
                "false": sorted(found - gold),
                "missed": sorted(gold - found),
                "archive_gold": sorted(s.record.archive_warnings),
                "archive_found": sorted(got_archive),
            }
        )
    labels = {label: prf(c["tp"], c["fp"], c["fn"]) for label, c in sorted(per_label.items())}
    total = Counter[str]()
    for c in per_label.values():
        total.update(c)
    buckets = []
    for name, low, high in BUCKETS:
        inside = [w for w in works if low <= w["words"] < high]
        gold_mean = sum(len(w["gold"]) for w in inside) / len(inside) if inside else 0.0
        found_mean = sum(len(w["found"]) for w in inside) / len(inside) if inside else 0.0
        buckets.append(
            {
                "bucket": name,
                "works": len(inside),
                "gold_per_work": round(gold_mean, 3),
                "found_per_work": round(found_mean, 3),
                "ratio": round(found_mean / gold_mean, 3) if gold_mean else None,
            }
        )
    log_words = [math.log(max(w["words"], 1)) for w in works]
    return {
        "works": len(works),
        "micro": prf(total["tp"], total["fp"], total["fn"]),
        "macro_f1": round(sum(x["f1"] for x in labels.values()) / len(labels), 4) if labels else 0.0,
        "labels": labels,
        "archive_warnings": {name: prf(c["tp"], c["fp"], c["fn"]) for name, c in archive.items()},
        "archive_where_gold_has_none": archive_where_none,
        "who_dies": prf(who["tp"], who["fp"], who["fn"]),
        "length": buckets,
        "per_work_found": round(sum(len(w["found"]) for w in works) / len(works), 3) if works else 0.0,
        "per_work_gold": round(sum(len(w["gold"]) for w in works) / len(works), 3) if works else 0.0,
        "r_found_log_words": pearson(log_words, [len(w["found"]) for w in works]),
        "r_gold_log_words": pearson(log_words, [len(w["gold"]) for w in works]),
        "per_work": works,
    }


def evaluate_works(path: str, *, cv: int = 0, detectors: Sequence[Detector] | None = None) -> dict[str, Any]:
    """``forewarn eval-works``: scan every labelled work of ``path`` and measure (see the module doc)."""
    scanned, errors = scan_records(path, detectors)
    result = measure(scanned, reports(scanned, cv))
    result["settings"] = {"records": str(Path(path)), "cv": cv if cv >= 2 else 0}
    result["errors"] = [{"path": e.path, "problem": e.problem} for e in errors]
    return result
