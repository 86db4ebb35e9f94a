"""Shipping size and per-passage featurisation cost of the static (model2vec-style) MiniLM tables, 1 thread.

python static_timing.py   (after static_distill.py distill + build)
"""
import os
os.environ["OMP_NUM_THREADS"] = os.environ["OPENBLAS_NUM_THREADS"] = "1"
import json, re, time, io
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
S = os.path.join(HERE, "static")
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
texts = [json.loads(l)["text"] for l in open("../../../../shared/data/passages-train.jsonl")]
words = json.load(open(os.path.join(S, "words.json")))
widx = {w: i for i, w in enumerate(words)}
wl_bytes = len("\n".join(words).encode())


def npz_bytes(**arrs):
    b = io.BytesIO(); np.savez_compressed(b, **arrs); return b.tell()


for tag in ("mean256", "mean128"):
    W = np.load(os.path.join(S, f"word_{tag}.npy"))
    T = np.load(os.path.join(S, f"tok_{tag}.npy"))
    W16, T16 = W.astype(np.float16), T.astype(np.float16)
    print(f"[{tag}] word table {W.shape[0]} x {W.shape[1]} f16 = {W16.nbytes/1e6:.2f} MB raw "
          f"(+ word list {wl_bytes/1e6:.2f} MB; npz-compressed table {npz_bytes(w=W16)/1e6:.2f} MB); "
          f"f32 {W.nbytes/1e6:.2f} MB")
    print(f"[{tag}] wordpiece table {T.shape[0]} x {T.shape[1]} f16 = {T16.nbytes/1e6:.2f} MB raw "
          f"(npz-compressed {npz_bytes(t=T16)/1e6:.2f} MB; needs the tokenizers library + tokenizer.json 0.7 MB)")

    def feat_word(t, W=W16):
        ids = [widx[x] for x in WORD_RE.findall(t.lower()) if x in widx]
        v = W[ids].astype(np.float32).mean(0)
        return v / (np.linalg.norm(v) + 1e-12)

    # f16 vs f32 agreement of passage vectors
    cos = [float(feat_word(t, W16) @ feat_word(t, W)) for t in texts[:500]]
    print(f"[{tag}] cosine(passage vec from f16 table, from f32 table): min {min(cos):.5f}")
    w8 = np.random.RandomState(0).randn(8, W.shape[1]).astype(np.float32)
    for rep in range(2):
        t0 = time.perf_counter()
        for t in texts:
            s = w8 @ feat_word(t)
        dt = (time.perf_counter() - t0) / len(texts)
    print(f"[{tag}] word-table featurisation (regex + dict lookup + f16 gather/mean + L2 + 8 dot products), "
          f"one passage at a time, pure python+numpy: {dt*1e6:.0f} us/passage")
    t0 = time.perf_counter()
    toks = [WORD_RE.findall(t.lower()) for t in texts]
    dt1 = (time.perf_counter() - t0) / len(texts)
    print(f"[{tag}]   of which regex tokenisation {dt1*1e6:.0f} us/passage; mean {np.mean([len(x) for x in toks]):.0f} words, "
          f"OOV rate in passages {np.mean([x not in widx for tt in toks for x in tt]):.4f}")
    from tokenizers import Tokenizer
    from minilm_np import MODEL
    tok = Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))
    for rep in range(2):
        t0 = time.perf_counter()
        for t in texts:
            ids = tok.encode(t, add_special_tokens=False).ids
            v = T16[ids].astype(np.float32).mean(0); v /= np.linalg.norm(v) + 1e-12
            s = w8 @ v
        dt = (time.perf_counter() - t0) / len(texts)
    print(f"[{tag}] wordpiece-table featurisation (HF tokenizers encode + gather/mean + L2 + 8 dots): {dt*1e6:.0f} us/passage")
