"""Model2vec-style static embedding distilled from all-MiniLM-L6-v2 with the numpy forward pass (no torch).

Step 1 (`python static_distill.py distill`): for every wordpiece id t in the 30,522-token vocabulary, run the
numpy MiniLM on the 3-token input [SEP] t [CLS] (model2vec's current `create_output_embeddings_from_model`
order: eos, id, bos -- "reversing works better on our benchmarks") with full attention mask and take the mean of
the 3 last-layer outputs (model2vec: `out.mean(1)`). The token's own output vector (position 1) is kept too.
Saved raw (384-d, f32) to static/tok_raw_mean.npy and static/tok_raw_self.npy.

Step 2 (`python static_distill.py build`): post-processing as model2vec `_post_process_embeddings`:
  * drop [unusedN] rows (model2vec token_remove_pattern) -- here kept in the table but zeroed, so ids stay valid;
  * PCA to D dims (numpy SVD of the centred token matrix; token vectors only, no labels, no passages);
  * SIF weighting from a Zipf estimate of frequency by token-id rank: p_r = (1/(r+2)) / sum, w_r = a/(a+p_r),
    a = 1e-4 (model2vec's current default; the older releases multiplied by log(rank) instead -- variant "log").
Word table: vocabulary = all lowercase words (regex [a-z0-9]+('[a-z]+)?) of pan23-sample-works.jsonl (HTML stripped)
and the passages' texts (texts only), most frequent first, capped at 50k; word vector = mean of the static vectors
of its wordpieces (BERT uncased tokenizer, no special tokens). Inference then needs only a dict lookup.

Passage features (`stat_features(...)`): subword = mean of static vectors of the passage's wordpieces;
word = mean of the word vectors of in-vocabulary words (OOV words skipped); both L2-normalised.
"""
import os, re, sys, json, time
os.environ.setdefault("OMP_NUM_THREADS", "1"); os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import numpy as np
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "static")
os.makedirs(OUT, exist_ok=True)
PASS = os.path.join(HERE, "../../../../shared/data/passages-train.jsonl")
PAN = os.path.join(HERE, "../../../../shared/data/pan23-sample-works.jsonl")
WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def distill(batch=512):
    from minilm_np import MiniLM
    import math
    m = MiniLM()
    w = m.w
    V = w["embeddings.word_embeddings.weight"].shape[0]
    vocab = m.tok.get_vocab()
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    H, nh = m.H, m.nh
    hd = H // nh
    means, selfs = [], []
    t0 = time.time()
    for s in range(0, V, batch):
        ids_ = np.arange(s, min(V, s + batch))
        B = len(ids_)
        ids = np.stack([np.full(B, sep), ids_, np.full(B, cls)], 1)
        T = 3
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:T][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = m._ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for l in range(m.L):
            p = f"encoder.layer.{l}."
            lin = lambda z, n: z @ w[p + n + ".weight"].T + w[p + n + ".bias"]
            q = lin(x, "attention.self.query").reshape(B, T, nh, hd).transpose(0, 2, 1, 3)
            k = lin(x, "attention.self.key").reshape(B, T, nh, hd).transpose(0, 2, 3, 1)
            v = lin(x, "attention.self.value").reshape(B, T, nh, hd).transpose(0, 2, 1, 3)
            sc = q @ k / math.sqrt(hd)
            sc = np.exp(sc - sc.max(-1, keepdims=True)); sc /= sc.sum(-1, keepdims=True)
            a = (sc @ v).transpose(0, 2, 1, 3).reshape(B, T, H)
            x = m._ln(x + lin(a, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                      w[p + "attention.output.LayerNorm.bias"])
            x = m._ln(x + lin(m._gelu(lin(x, "intermediate.dense")), "output.dense"), w[p + "output.LayerNorm.weight"],
                      w[p + "output.LayerNorm.bias"])
        means.append(x.mean(1)); selfs.append(x[:, 1])
        if s // batch % 10 == 0:
            print(f"  {s + B}/{V} {time.time() - t0:.0f}s", flush=True)
    np.save(os.path.join(OUT, "tok_raw_mean.npy"), np.vstack(means).astype(np.float32))
    np.save(os.path.join(OUT, "tok_raw_self.npy"), np.vstack(selfs).astype(np.float32))
    print(f"distilled {V} tokens in {time.time() - t0:.0f}s")


def tokenizer():
    from tokenizers import Tokenizer
    from minilm_np import MODEL
    return Tokenizer.from_file(os.path.join(MODEL, "tokenizer.json"))


def post_process(E, dims=256, weighting="sif", sif=1e-4, vocab=None):
    E = E.astype(np.float64).copy()
    keep = np.ones(len(E), bool)
    if vocab is not None:  # model2vec removes [unusedN]; we zero them (never produced by the tokenizer anyway)
        for t, i in vocab.items():
            if re.fullmatch(r"\[unused\d+\]", t):
                keep[i] = False
    mu = E[keep].mean(0)
    U, S, Vt = np.linalg.svd(E[keep] - mu, full_matrices=False)
    P = (E - mu) @ Vt[:dims].T
    expl = (S[:dims] ** 2).sum() / (S ** 2).sum()
    r = np.arange(len(E))
    if weighting == "sif":
        inv = 1.0 / (r + 2); p = inv / inv.sum()
        P *= (sif / (sif + p))[:, None]
    elif weighting == "log":
        P *= np.log(r + 2)[:, None]  # older model2vec "apply_zipf": weight by log rank (rank from 1, +1 to avoid log 1 = 0)
    P[~keep] = 0
    return P.astype(np.float32), expl


def corpus_texts():
    rows = [json.loads(l) for l in open(PASS)]
    pan = [re.sub(r"<[^>]+>", " ", json.loads(l)["text"]) for l in open(PAN)]
    return [r["text"] for r in rows], pan


def build(variants=(("mean", 256, "sif"), ("mean", 128, "sif"), ("self", 256, "sif"), ("mean", 256, "log"))):
    tok = tokenizer()
    vocab = tok.get_vocab()
    texts, pan = corpus_texts()
    # word vocabulary (texts only, no labels)
    cnt = Counter()
    for t in texts + pan:
        cnt.update(WORD_RE.findall(t.lower()))
    words = [wd for wd, _ in cnt.most_common(50000)]
    wp = [e.ids for e in tok.encode_batch(words, add_special_tokens=False)]
    json.dump(words, open(os.path.join(OUT, "words.json"), "w"))
    print(f"word vocab {len(words)} (distinct words in corpus: {len(cnt)}; tokens {sum(cnt.values())})")
    enc = tok.encode_batch(texts, add_special_tokens=False)
    tok_ids = [e.ids for e in enc]
    for src, dims, wt in variants:
        E = np.load(os.path.join(OUT, f"tok_raw_{src}.npy"))
        T, expl = post_process(E, dims, wt, vocab=vocab)
        tag = f"{src}{dims}{'' if wt == 'sif' else wt}"
        np.save(os.path.join(OUT, f"tok_{tag}.npy"), T)
        W = np.stack([T[ids].mean(0) if ids else np.zeros(dims, np.float32) for ids in wp]).astype(np.float32)
        np.save(os.path.join(OUT, f"word_{tag}.npy"), W)
        # passage features (rows in passages-train order)
        Xs = np.stack([T[ids].mean(0) for ids in tok_ids])
        widx = {wd: i for i, wd in enumerate(words)}
        Xw = np.stack([W[[widx[x] for x in WORD_RE.findall(t.lower()) if x in widx]].mean(0) for t in texts])
        for nm, X in (("stat", Xs), ("statw", Xw)):
            X = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
            np.save(os.path.join(HERE, f"emb_{nm}_{tag}.npy"), X.astype(np.float32))
        print(f"{tag}: PCA explained var {expl:.3f}; token table {T.shape}, word table {W.shape}")


if __name__ == "__main__":
    if sys.argv[1] == "distill":
        distill()
    elif sys.argv[1] == "build":
        build()
