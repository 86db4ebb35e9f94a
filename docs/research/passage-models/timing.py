"""Training time, model size and per-passage inference cost of the candidate designs (1 thread)."""
import os
os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = "1"
import time, sys, numpy as np, scipy.sparse as sp
import cv
from cv import block, Feats, lr, y, warn, texts, WARNINGS
import features
from sklearn.feature_extraction.text import HashingVectorizer

idx = np.arange(len(y))
def train(blocks, C=1.0):
    t = time.time()
    models = {}
    for w in WARNINGS:
        tr = idx[warn == w]
        f = Feats(blocks).fit(tr)
        models[w] = (f, lr(C).fit(f.transform(tr), y[tr]))
    return models, time.time() - t

kwvec = HashingVectorizer(n_features=2 ** 16, alternate_sign=False, norm="l2", binary=True, token_pattern=r"\S+")
for name, blocks in (("kw_only", ["kw"]), ("ngram_kw", ["word", "char", "kw"]), ("emb_kw", ["emb", "kw"])):
    models, tt = train(blocks)
    nnz = sum(int((m.coef_ != 0).sum()) for f, m in models.values())
    dense = sum(m.coef_.size for f, m in models.values())
    print(f"{name}: train all 8 warnings on full data (C=1, one fit each) {tt:.1f}s; coef nonzero {nnz} of {dense} "
          f"-> {dense*4/1e6:.1f} MB dense float32, {nnz*8/1e6:.2f} MB sparse (idx+val)")
# fast-mode per-passage cost: kw_doc + hashing + sparse dot, end to end from raw text
models, _ = train(["kw"])
W = {w: m.coef_.ravel().astype(np.float32) for w, (f, m) in models.items()}
B = {w: float(m.intercept_[0]) for w, (f, m) in models.items()}
t = time.time()
for rep in range(3):
    for tx, w in zip(texts, warn):
        x = kwvec.transform([features.kw_doc(tx, w)])
        s = x.data @ W[w][x.indices] + B[w]
dt = (time.time() - t) / (3 * len(texts))
print(f"kw_only inference (python, one passage at a time, incl. sklearn hashing overhead): {dt*1e6:.0f} us/passage")
t = time.time()
docs = [features.kw_doc(tx, w) for tx, w in zip(texts, warn)]
dt1 = time.time() - t
t = time.time(); X = kwvec.transform(docs); dt2 = time.time() - t
print(f"  batched: kw_doc {dt1/len(texts)*1e6:.0f} us + hashing {dt2/len(texts)*1e6:.0f} us per passage")
# ngram hashing cost
t = time.time(); block("word"); block("char"); print(f"word+char hashing (batched) {(time.time()-t)/len(texts)*1e6:.0f} us/passage (cached? first call)")
if "minilm" in sys.argv:
    from minilm_np import MiniLM
    m = MiniLM()
    sub = list(texts[:64])
    m.encode(sub[:8])
    t = time.time(); m.encode(sub, batch=16); dt = (time.time() - t) / len(sub)
    print(f"MiniLM numpy forward, 1 thread, batch 16, <=256 word-pieces: {dt*1000:.0f} ms/passage")
    m2 = MiniLM(max_len=128)
    t = time.time(); m2.encode(sub, batch=16); dt = (time.time() - t) / len(sub)
    print(f"MiniLM numpy forward, 1 thread, batch 16, <=128 word-pieces: {dt*1000:.0f} ms/passage")
