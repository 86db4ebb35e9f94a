"""Print misclassified passages (out-of-fold) of a finished model: python errors.py MODEL WARNING [n]"""
import sys, numpy as np
from common import load
rows, texts, y, warn, groups, votes = load()
name, w = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 6
d = np.load(f"results/{name}.npz"); p, thr = d["oof"], d["thr"]
m = warn == w
for kind, sel in (("FALSE NEG", m & (y == 1) & (p < thr)), ("FALSE POS", m & (y == 0) & (p >= thr))):
    idx = np.where(sel)[0]
    idx = idx[np.argsort(-np.abs(p[idx] - thr[idx]))][:n]
    print(f"== {w} {kind}: {sel.sum()} (showing most confident)")
    for i in idx:
        print(f"  p={p[i]:.2f} thr={thr[i]:.2f} votes={votes[i].tolist()} | {texts[i][:330]}")
