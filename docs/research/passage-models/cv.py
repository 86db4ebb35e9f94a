"""Honest grouped 5-fold CV for passage-level trigger-warning classifiers (issue 3).

usage: python cv.py MODEL [MODEL ...]      (models: see MODELS below; `python cv.py list`)
       python cv.py table                   (prints the markdown table of all finished runs)
Every model is scored with two threshold rules, both fit inside the training folds only:
  t05   : p >= 0.5 of a class_weight="balanced" logistic regression
  inner : threshold maximising balanced accuracy on inner (3-fold, grouped) out-of-fold probabilities
The regularisation C is chosen per warning and per outer fold by the same inner CV (grid CGRID).
TF-IDF idf / scalers are fit on the (inner) training rows only.
Out-of-fold probabilities are saved to results/<model>.npz, metrics to results/<model>.json.
"""
import json, os, sys, time
import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.metrics import balanced_accuracy_score

from common import (load, outer_folds, inner_folds, best_ba_threshold, evaluate, fmt_row, HEADER, WARNINGS, HERE)
import features

RES = os.path.join(HERE, "results")
os.makedirs(RES, exist_ok=True)
CGRID = [0.3, 1.0, 3.0, 10.0]

rows, texts, y, warn, groups, votes = load()
N = len(y)
_cache = {}
# static-embedding blocks: stat = mean of wordpiece static vectors, statw = mean of word-table vectors;
# tags: mean256 = [SEP] t [CLS] mean-of-3 outputs, PCA 256, SIF(1e-4) Zipf weights (default); mean128 = 128 dims;
# self256 = token's own output vector; mean256log = log-rank weighting (older model2vec)
STATIC = {"stat": "emb_stat_mean256.npy", "statw": "emb_statw_mean256.npy",
          "stat128": "emb_stat_mean128.npy", "statw128": "emb_statw_mean128.npy",
          "statself": "emb_stat_self256.npy", "statlog": "emb_stat_mean256log.npy"}


def block(name):
    """raw (unfitted) feature blocks, computed once for all rows; nothing here looks at labels"""
    if name in _cache:
        return _cache[name]
    if name == "word":
        X = HashingVectorizer(ngram_range=(1, 2), n_features=2 ** 19, alternate_sign=False, norm=None,
                              token_pattern=r"(?u)\b\w+\b").transform(texts)
    elif name == "char":
        X = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2 ** 19, alternate_sign=False,
                              norm=None).transform(texts)
    elif name == "kw":
        docs = [features.kw_doc(t, w) for t, w in zip(texts, warn)]
        X = HashingVectorizer(n_features=2 ** 16, alternate_sign=False, norm="l2", binary=True,
                              token_pattern=r"\S+").transform(docs)
    elif name == "emp":
        X = features.empath_matrix(texts)[0]
    elif name == "emb":
        X = np.load(os.path.join(HERE, "emb_minilm.npy"))
    elif name == "embkw":
        X = np.load(os.path.join(HERE, "emb_minilm_kw.npy"))
    elif name in STATIC:  # model2vec-style static MiniLM embeddings (static_distill.py build), label-free
        X = np.load(os.path.join(HERE, STATIC[name]))
    else:
        raise KeyError(name)
    _cache[name] = X
    return X


class Feats:
    """fit-in-fold transforms: tf-idf for count blocks, standard scaling for dense lexicon blocks"""
    def __init__(self, blocks, weights=None):
        self.blocks = blocks
        self.weights = weights or {}

    def fit(self, idx):
        self.tf = {}
        for b in self.blocks:
            X = block(b)
            if b in ("word", "char"):
                self.tf[b] = TfidfTransformer(sublinear_tf=True).fit(X[idx])
            elif b == "emp":
                self.tf[b] = StandardScaler().fit(X[idx])
        return self

    def transform(self, idx):
        parts = []
        for b in self.blocks:
            X = block(b)[idx]
            if b in self.tf:
                X = self.tf[b].transform(X)
            if b == "emp":
                X = X / np.sqrt(X.shape[1])
            X = sp.csr_matrix(X) if not sp.issparse(X) else X
            parts.append(X * self.weights.get(b, 1.0))
        return sp.hstack(parts).tocsr()


def lr(C):
    return LogisticRegression(C=C, class_weight="balanced", solver="liblinear", intercept_scaling=100, max_iter=2000)


SOFT = False  # train on soft labels (each row twice: label 1 weighted k/3, label 0 weighted (3-k)/3)


def fit_score(blocks, tr, te, C):
    f = Feats(blocks).fit(tr)
    X = f.transform(tr)
    if SOFT:
        k = votes[tr].sum(1) / 3.0
        yy = np.r_[np.ones(len(tr)), np.zeros(len(tr))]
        sw = np.r_[k, 1 - k]
        keep = sw > 0
        cw = {1: len(tr) / (2 * k.sum()), 0: len(tr) / (2 * (1 - k).sum())}
        m = LogisticRegression(C=C, class_weight=cw, solver="liblinear", intercept_scaling=100, max_iter=2000)
        m.fit(sp.vstack([X, X]).tocsr()[keep], yy[keep], sample_weight=sw[keep])
    else:
        m = lr(C).fit(X, y[tr])
    return m.predict_proba(f.transform(te))[:, 1]


def per_warning(blocks, tr, te):
    """returns test probabilities and, per warning, inner-OOF probabilities for the chosen C"""
    pte = np.zeros(len(te))
    inner_oof = {}
    for w in WARNINGS:
        trw, tew = tr[warn[tr] == w], te[warn[te] == w]
        folds = inner_folds(trw, y, warn, groups)
        best = (-1, None, None)
        for C in CGRID:
            oof = np.zeros(N)
            for a, b in folds:
                oof[b] = fit_score(blocks, a, b, C)
            ba = max(balanced_accuracy_score(y[trw], oof[trw] >= t) for t in (0.5, best_ba_threshold(oof[trw], y[trw])))
            if ba > best[0]:
                best = (ba, C, oof[trw].copy())
        inner_oof[w] = (trw, best[2], best[1])
        pos = np.where(warn[te] == w)[0]
        pte[pos] = fit_score(blocks, trw, tew, best[1])
    return pte, inner_oof


def joint(blocks, tr, te):
    """one model for all warnings: shared features + warning-interaction copies + warning bias;
    sample weights balance classes within each warning"""
    def design(f, idx):
        X = f.transform(idx)
        parts = [X]
        for w in WARNINGS:
            d = sp.diags((warn[idx] == w).astype(float))
            parts.append(d @ X)
        parts.append(sp.csr_matrix(np.stack([(warn[idx] == w).astype(float) for w in WARNINGS], 1)))
        return sp.hstack(parts).tocsr()

    def sw(idx):
        s = np.zeros(len(idx))
        for w in WARNINGS:
            for c in (0, 1):
                m = (warn[idx] == w) & (y[idx] == c)
                if m.sum():
                    s[m] = (warn[idx] == w).sum() / (2 * m.sum())
        return s

    def fs(a, b, C):
        f = Feats(blocks).fit(a)
        m = LogisticRegression(C=C, solver="liblinear", intercept_scaling=100, max_iter=2000).fit(design(f, a), y[a], sample_weight=sw(a))
        return m.predict_proba(design(f, b))[:, 1]

    folds = inner_folds(tr, y, warn, groups)
    best = (-1, None, None)
    for C in CGRID:
        oof = np.zeros(N)
        for a, b in folds:
            oof[b] = fs(a, b, C)
        ba = np.mean([balanced_accuracy_score(y[tr][warn[tr] == w], oof[tr][warn[tr] == w] >= 0.5) for w in WARNINGS])
        if ba > best[0]:
            best = (ba, C, oof.copy())
    pte = fs(tr, te, best[1])
    inner_oof = {w: (tr[warn[tr] == w], best[2][tr[warn[tr] == w]], best[1]) for w in WARNINGS}
    return pte, inner_oof


MODELS = {
    "ngram": (per_warning, ["word", "char"]),
    "ngram_joint": (joint, ["word", "char"]),
    "ngram_kw": (per_warning, ["word", "char", "kw"]),
    "ngram_kw_emp": (per_warning, ["word", "char", "kw", "emp"]),
    "kw_only": (per_warning, ["kw"]),
    "kw_emp": (per_warning, ["kw", "emp"]),
    "kw_joint": (joint, ["kw"]),
    "emb": (per_warning, ["emb"]),
    "emb_kw": (per_warning, ["emb", "kw"]),
    "embkw": (per_warning, ["embkw"]),
    "emb_ngram_kw": (per_warning, ["emb", "word", "char", "kw"]),
    "stat": (per_warning, ["stat"]),
    "stat_kw": (per_warning, ["stat", "kw"]),
    "statw": (per_warning, ["statw"]),
    "statw_kw": (per_warning, ["statw", "kw"]),
    "statw128_kw": (per_warning, ["statw128", "kw"]),
    "stat128_kw": (per_warning, ["stat128", "kw"]),
    "statself_kw": (per_warning, ["statself", "kw"]),
    "statlog_kw": (per_warning, ["statlog", "kw"]),
}


def run(name):
    global SOFT
    SOFT = name.endswith("_soft")
    fn, blocks = MODELS[name[:-5] if SOFT else name]
    t0 = time.time()
    oof = np.zeros(N)
    thr = np.full(N, 0.5)
    inner_store = {}
    for k, (tr, te) in enumerate(outer_folds(y, warn, groups)):
        pte, inner = fn(blocks, tr, te)
        oof[te] = pte
        for w in WARNINGS:
            trw, p_in, C = inner[w]
            t = best_ba_threshold(p_in, y[trw])
            thr[te[warn[te] == w]] = t
            inner_store[f"{k}_{w}"] = (C, float(t))
        print(f"  fold {k} done {time.time()-t0:.0f}s", flush=True)
    np.savez(os.path.join(RES, name + ".npz"), oof=oof, thr=thr)
    out = {"model": name, "blocks": blocks, "secs": time.time() - t0, "chosen_C_thr": inner_store,
           "t05": evaluate(y, (oof >= 0.5).astype(int), warn),
           "inner": evaluate(y, (oof >= thr).astype(int), warn)}
    json.dump(out, open(os.path.join(RES, name + ".json"), "w"), indent=1)
    print(HEADER)
    print(fmt_row(name + " t05", out["t05"]))
    print(fmt_row(name + " inner", out["inner"]))


def stack(names, out_name):
    """average of the members' probabilities; threshold from the average of their inner-OOF probs is not
    stored, so use t05 and a re-run-free rule: mean of members' inner thresholds"""
    d = [np.load(os.path.join(RES, n + ".npz")) for n in names]
    oof = np.mean([x["oof"] for x in d], 0)
    thr = np.mean([x["thr"] for x in d], 0)
    np.savez(os.path.join(RES, out_name + ".npz"), oof=oof, thr=thr)
    out = {"model": out_name, "members": names, "t05": evaluate(y, (oof >= 0.5).astype(int), warn),
           "inner": evaluate(y, (oof >= thr).astype(int), warn)}
    json.dump(out, open(os.path.join(RES, out_name + ".json"), "w"), indent=1)
    print(fmt_row(out_name + " t05", out["t05"]))
    print(fmt_row(out_name + " inner", out["inner"]))


def table():
    print(HEADER)
    for f in sorted(os.listdir(RES)):
        if f.endswith(".json"):
            o = json.load(open(os.path.join(RES, f)))
            for r in ("t05", "inner"):
                print(fmt_row(f"{o['model']} [{r}]", o[r]))


if __name__ == "__main__":
    for a in sys.argv[1:]:
        if a == "table":
            table()
        elif a == "list":
            print(list(MODELS))
        elif a.startswith("stack:"):
            ms = a[6:].split("+")
            stack(ms, "stack_" + "_".join(ms))
        else:
            print("==", a, flush=True)
            run(a)
