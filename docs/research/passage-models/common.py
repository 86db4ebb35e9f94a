"""Shared data loading, grouped CV splits, threshold rules and metrics for issue-3 research."""
import json, os, re
import numpy as np
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.metrics import balanced_accuracy_score, precision_recall_fscore_support, accuracy_score, f1_score

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "../../../../shared/data/passages-train.jsonl"
WARNINGS = ["violence", "war", "death", "abduction", "misogyny", "homophobia", "racism", "ableism"]
SEED = 0


def load():
    rows = [json.loads(l) for l in open(DATA)]
    texts = [r["text"] for r in rows]
    y = np.array([int(sum(r["labels"]) >= 2) for r in rows])
    warn = np.array([r["warning"] for r in rows])
    groups = np.array([r["work_id"] for r in rows])
    votes = np.array([r["labels"] for r in rows])
    return rows, texts, y, warn, groups, votes


def outer_folds(y, warn, groups, k=5, seed=SEED):
    strat = np.array([f"{w}_{t}" for w, t in zip(warn, y)])
    return list(StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(y, strat, groups))


def inner_folds(idx, y, warn, groups, k=3, seed=SEED + 1):
    """grouped folds inside a training index set; returns lists of absolute indices"""
    strat = np.array([f"{w}_{t}" for w, t in zip(warn[idx], y[idx])])
    return [(idx[a], idx[b]) for a, b in StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(idx, strat, groups[idx])]


def best_ba_threshold(p, y):
    """threshold maximising balanced accuracy on (inner out-of-fold) probabilities"""
    cand = np.unique(np.concatenate([[0.5], np.quantile(p, np.linspace(0.02, 0.98, 49))]))
    best, bt = -1, 0.5
    for t in cand:
        pred = p >= t
        if pred.all() or (~pred).all() or len(np.unique(y)) < 2:
            continue
        ba = balanced_accuracy_score(y, pred)
        if ba > best + 1e-9 or (abs(ba - best) < 1e-9 and abs(t - 0.5) < abs(bt - 0.5)):
            best, bt = ba, t
    return bt


def balanced_resample(y, pred, seeds=range(5)):
    """paper's protocol: all positives + equal number of random negatives; mean acc/F1 over seeds"""
    pos, neg = np.where(y == 1)[0], np.where(y == 0)[0]
    accs, f1s = [], []
    for s in seeds:
        rng = np.random.RandomState(s)
        n = min(len(pos), len(neg))
        sel = np.concatenate([rng.choice(pos, n, replace=False), rng.choice(neg, n, replace=False)])
        accs.append(accuracy_score(y[sel], pred[sel]))
        f1s.append(f1_score(y[sel], pred[sel], zero_division=0))
    return float(np.mean(accs)), float(np.mean(f1s))


def balanced_resample_pooled(y, pred, warn, seeds=range(5)):
    """pooled paper metric: union over warnings of each warning's balanced sample"""
    accs, f1s = [], []
    for s in seeds:
        sel = []
        for w in WARNINGS:
            m = np.where(warn == w)[0]
            pos, neg = m[y[m] == 1], m[y[m] == 0]
            n = min(len(pos), len(neg))
            rng = np.random.RandomState(s * 100 + WARNINGS.index(w))
            sel += [rng.choice(pos, n, replace=False), rng.choice(neg, n, replace=False)]
        sel = np.concatenate(sel)
        accs.append(accuracy_score(y[sel], pred[sel]))
        f1s.append(f1_score(y[sel], pred[sel], zero_division=0))
    return float(np.mean(accs)), float(np.mean(f1s))


def evaluate(y, pred, warn):
    res = {}
    for w in WARNINGS + ["POOLED"]:
        m = np.ones(len(y), bool) if w == "POOLED" else warn == w
        p, r, f, _ = precision_recall_fscore_support(y[m], pred[m], average="binary", zero_division=0)
        if w == "POOLED":
            bacc, bf1 = balanced_resample_pooled(y, pred, warn)
        else:
            bacc, bf1 = balanced_resample(y[m], pred[m])
        res[w] = dict(BA=balanced_accuracy_score(y[m], pred[m]), P=p, R=r, F1=f, bal_acc=bacc, bal_F1=bf1)
    return res


def fmt_row(name, res):
    pw = " ".join(f"{res[w]['BA']:.2f}" for w in WARNINGS)
    P = res["POOLED"]
    return (f"| {name} | {P['BA']:.3f} | {P['bal_acc']:.3f} | {P['bal_F1']:.3f} | {P['P']:.2f}/{P['R']:.2f}/{P['F1']:.2f} | "
            + " | ".join(f"{res[w]['BA']:.2f}" for w in WARNINGS) + " |")


HEADER = ("| model | pooled BA | bal-resample acc | bal-resample F1 | natural P/R/F1 | "
          + " | ".join(w[:5] for w in WARNINGS) + " |\n|" + "---|" * (5 + len(WARNINGS)))
