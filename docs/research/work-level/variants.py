"""Variants of the work-level model, 5-fold cross-validated over the dev works (RESULTS.md §1).

Run from the repository root: ``python docs/research/work-level/variants.py``. A research script
kept for the record (not linted or tested); it needs scikit-learn. The folds are those of
``forewarn eval-works --cv 5`` (``evaluate_works.fold_of``); every row refits the logistic model
without the fold it judges. Rows: the shipped features and settings (base), other C, other
decision thresholds, a per-label prior (target-encoded from the training folds), extra features,
and each shipped feature dropped in turn.
"""

from __future__ import annotations

import collections
import math
import sys

sys.path.insert(0, "src")

from sklearn.linear_model import LogisticRegression  # noqa: E402

from forewarn.aggregate import group_findings, label_evidence  # noqa: E402
from forewarn.evaluate_works import fold_of, scan_records  # noqa: E402
from forewarn.pipeline import learned_labels  # noqa: E402
from forewarn.work_level import FEATURES, NEEDS_NAMED_DEATH  # noqa: E402

RECORDS = "../shared/data/works-dev/careful.jsonl"
K = 5


def rows_of(s):
    g = s.gathered
    dead = g.who.who_dies if g.who else ()
    evidence = label_evidence(g.counted, len(g.passages), learned_labels(g.detectors), dead)
    grouped = group_findings(g.counted)
    out = []
    for label, e in sorted(evidence.items()):
        best = sorted((max(f.score for f in fs) for fs in grouped[label].values()), reverse=True)
        mentions = sum(
            1
            for fs in grouped[label].values()
            if max(f.score for f in fs) >= 0.5 and all(f.severity == "mentioned" for f in fs)
        )
        extra = {
            "log_onpage": math.log1p(e.onpage),  # shipped in an earlier fit, dropped: it grows with length
            "weak": math.log1p(sum(1 for x in best if x >= 0.3)),
            "mentions": math.log1p(mentions),
            "sum_top5": sum(best[:5]),
        }
        out.append((label, e, extra, int(label in s.record.warn)))
    return out


def run(data, extra=(), c=1.0, threshold=0.5, prior=False, drop=()):
    tp = fp = fn = 0
    for fold in range(K):
        train = [r for s, rows in data if fold_of(s.record, K) != fold for r in rows]
        rate = collections.defaultdict(lambda: [1, 2])
        for label, *_, y in train:
            rate[label][0] += y
            rate[label][1] += 1

        def vector(label, e, ex, rate=rate):
            v = [x for i, x in enumerate(e.vector()) if i not in drop] + [ex[name] for name in extra]
            if prior:
                v.append(math.log(rate[label][0] / (rate[label][1] - rate[label][0])))
            return v

        model = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
        model.fit([vector(label, e, ex) for label, e, ex, _ in train], [y for *_, y in train])
        for s, rows in data:
            if fold_of(s.record, K) != fold:
                continue
            found = {
                label
                for label, e, ex, _ in rows
                if model.predict_proba([vector(label, e, ex)])[0, 1] >= threshold
                and not (label in NEEDS_NAMED_DEATH and not e.named_death)
            }
            gold = set(s.record.warn)
            tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return f"F1 {2 * p * r / max(p + r, 1e-9):.3f}  P {p:.3f}  R {r:.3f}  (tp {tp}, fp {fp}, fn {fn})"


def presence_rule(scanned) -> str:
    """No work-level model: every label whose presence reaches 0.5 is a warning (schema 1.0)."""
    from forewarn.pipeline import report

    tp = fp = fn = 0
    for s in scanned:
        found = {v.label for v in report(s.work, s.gathered).verdicts if v.presence >= 0.5}
        gold = set(s.record.warn)
        tp, fp, fn = tp + len(found & gold), fp + len(found - gold), fn + len(gold - found)
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return f"F1 {2 * p * r / max(p + r, 1e-9):.3f}  P {p:.3f}  R {r:.3f}  (tp {tp}, fp {fp}, fn {fn})"


def main() -> None:
    scanned, _ = scan_records(RECORDS)
    data = [(s, rows_of(s)) for s in scanned]
    print("presence >= 0.5 is a warning (no work-level model, schema 1.0)", presence_rule(scanned))
    print("base (shipped: C=1, threshold 0.5)", run(data))
    for c in (0.3, 3.0, 10.0):
        print(f"C={c}", run(data, c=c))
    for threshold in (0.4, 0.45, 0.55, 0.6):
        print(f"threshold {threshold}", run(data, threshold=threshold))
    print("+ per-label prior", run(data, prior=True))
    for extra in (("log_onpage",), ("weak",), ("mentions",), ("sum_top5",)):
        print("+", "+".join(extra), run(data, extra=extra))
    for i, name in enumerate(FEATURES):
        print("- drop", name, run(data, drop=(i,)))


if __name__ == "__main__":
    main()
