"""MiniLM embedding of the ±25-word window around the first trigger-keyword hit -> emb_minilm_kw.npy"""
import json, re, time, numpy as np
from minilm_np import MiniLM
from features import _KW
rows = [json.loads(l) for l in open("../../../../shared/data/passages-train.jsonl")]
wins = []
for r in rows:
    toks = r["text"].split()
    hit = next((i for i, t in enumerate(toks) if _KW[r["warning"]].search(t)), len(toks) // 2)
    wins.append(" ".join(toks[max(0, hit - 25): hit + 26]))
m = MiniLM(max_len=96)
t = time.time()
# sort by length so padding is minimal
order = np.argsort([len(w) for w in wins])
E = np.zeros((len(rows), 384), np.float32)
E[order] = m.encode([wins[i] for i in order])
np.save("emb_minilm_kw.npy", E)
print(f"{len(rows)} windows in {time.time()-t:.0f}s = {1000*(time.time()-t)/len(rows):.0f} ms/window")
