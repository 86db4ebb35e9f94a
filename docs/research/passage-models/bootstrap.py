"""Work-grouped bootstrap (500 resamples of works) of pooled BA for finished models: python bootstrap.py M1 M2 ..."""
import sys, numpy as np
from sklearn.metrics import balanced_accuracy_score
from common import load
rows, texts, y, warn, groups, votes = load()
ug, inv = np.unique(groups, return_inverse=True)
members = [np.where(inv == g)[0] for g in range(len(ug))]
rng = np.random.RandomState(0)
boots = [np.concatenate([members[g] for g in rng.randint(0, len(ug), len(ug))]) for _ in range(500)]
for name in sys.argv[1:]:
    d = np.load(f"results/{name}.npz")
    for rule, pred in (("t05", d["oof"] >= 0.5), ("inner", d["oof"] >= d["thr"])):
        b = [balanced_accuracy_score(y[i], pred[i]) for i in boots]
        print(f"{name} [{rule}] pooled BA {balanced_accuracy_score(y, pred):.3f}  95% CI {np.percentile(b,2.5):.3f}-{np.percentile(b,97.5):.3f}")
