"""Labels without data: leave-one-WARNING-out transfer of a shared keyword-window model.
Train one balanced LR on 7 warnings' kw-window features (keyword identity tokens dropped, so only the
warning-agnostic context/flag features are used), score the 8th warning at p >= 0.5. C fixed at 1 (no tuning)."""
import re, numpy as np, scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score
from common import load, WARNINGS
import features
rows, texts, y, warn, groups, votes = load()
docs = [" ".join(t for t in features.kw_doc(x, w).split() if not t.startswith(("kw_", "L_", "R_")))
        for x, w in zip(texts, warn)]
X = HashingVectorizer(n_features=2 ** 16, alternate_sign=False, norm="l2", binary=True, token_pattern=r"\S+").transform(docs)
res = {}
preds = np.zeros(len(y), int)
for w in WARNINGS:
    tr, te = warn != w, warn == w
    sw = np.zeros(tr.sum())
    for v in WARNINGS:
        if v == w: continue
        for c in (0, 1):
            m = (warn[tr] == v) & (y[tr] == c)
            sw[m] = (warn[tr] == v).sum() / (2 * m.sum())
    lr = LogisticRegression(C=1.0, solver="liblinear", intercept_scaling=100, max_iter=2000).fit(X[tr], y[tr], sample_weight=sw)
    preds[te] = lr.predict_proba(X[te])[:, 1] >= 0.5
    res[w] = balanced_accuracy_score(y[te], preds[te])
print("leave-one-warning-out BA:", {w: round(v, 3) for w, v in res.items()},
      "pooled", round(balanced_accuracy_score(y, preds), 3))
