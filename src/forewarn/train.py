"""Train the passage classifier (``passage-clf.v2``) from labelled passages.

Input: JSON lines as in ``passages-train.jsonl`` (``warning``, ``labels`` = three annotators' votes,
``text``, ``work_id``). Per warning, one logistic regression (scikit-learn, lbfgs, C=1) over the
hashed keyword-window features of ``detectors/features.py`` beside the passage's static MiniLM
embedding (``detectors/static_embedding.py``, shipped, not trained here), on *soft labels*: every passage
counts twice, as positive with weight k/3 and as negative with weight (3-k)/3 (k = yes votes), and
the two classes are balanced by their total weights. These choices come from the issue-3 research
(grouped 5-fold CV on the training file); nothing here is tuned. Deterministic: the same file gives
the same bytes. scikit-learn is only needed here (``pip install 'forewarn[train]'``), never to scan.

>>> # model = train_model(load_rows("passages-train.jsonl")); model.save("passage-clf.v2.npz")
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from forewarn.detectors import features
from forewarn.detectors.classifier import MODEL_FILE, NAME, PassageModel
from forewarn.detectors.static_embedding import StaticEmbedding
from forewarn.errors import ForewarnError

logger = logging.getLogger(__name__)

C = 1.0  # inverse regularisation strength; the research's inner CV could not tell 0.3-10 apart
MAX_ITER = 1000


def load_rows(path: str | Path, limit: int | None = None) -> list[dict[str, Any]]:
    """The labelled passages of a JSON-lines file; raises ForewarnError on a malformed line."""
    rows: list[dict[str, Any]] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not (isinstance(row["text"], str) and isinstance(row["warning"], str)):
                    raise TypeError("text and warning must be strings")
                row["labels"] = [int(v) for v in row["labels"]]
                row["work_id"] = str(row.get("work_id", f"line-{number}"))
            except (ValueError, KeyError, TypeError) as error:
                raise ForewarnError(f"{path}:{number}: not a labelled passage ({error})") from None
            rows.append(row)
            if limit is not None and len(rows) >= limit:
                break
    return rows


def row_indices(row: dict[str, Any]) -> list[int]:
    """The hashed feature columns of one labelled passage for its own warning."""
    tokens = features.tokenize(row["text"])
    return features.feature_indices(features.kw_tokens(tokens, row["warning"]))


def train_model(rows: Sequence[dict[str, Any]], *, source: str = "") -> PassageModel:
    """Fit one logistic regression per warning that has both yes and no votes in ``rows``."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    warnings = [w for w in features.WARNINGS if any(r["warning"] == w for r in rows)]
    embedding = StaticEmbedding.load()
    weights = np.zeros((len(warnings), features.N_FEATURES), dtype=np.float32)
    embedding_weights = np.zeros((len(warnings), embedding.dims), dtype=np.float32)
    intercepts = np.zeros(len(warnings))
    counts: dict[str, int] = {}
    for i, warning in enumerate(warnings):
        mine = [r for r in rows if r["warning"] == warning]
        counts[warning] = len(mine)
        yes = np.array([sum(r["labels"]) / len(r["labels"]) for r in mine])
        if yes.sum() == 0 or (1 - yes).sum() == 0:
            logger.warning("%s: only one class in the training rows; the model says its prior", warning)
            intercepts[i] = 10.0 if yes.sum() else -10.0
            continue
        cols = [row_indices(r) for r in mine]
        indptr = np.cumsum([0, *(len(c) for c in cols)])
        data = np.concatenate([np.full(len(c), 1.0 / np.sqrt(len(c))) for c in cols])
        keywords = sparse.csr_matrix(
            (data, np.concatenate(cols).astype(np.int64), indptr), shape=(len(mine), features.N_FEATURES)
        )
        dense = np.stack([embedding.embed(r["text"]) for r in mine]).astype(np.float64)
        x = sparse.hstack([keywords, sparse.csr_matrix(dense)]).tocsr()
        # Soft labels: each passage as a positive (weight k/3) and as a negative (weight 1 - k/3).
        target = np.r_[np.ones(len(mine)), np.zeros(len(mine))]
        weight = np.r_[yes, 1 - yes]
        keep = weight > 0
        balance = {1: len(mine) / (2 * yes.sum()), 0: len(mine) / (2 * (1 - yes).sum())}
        model = LogisticRegression(C=C, class_weight=balance, solver="lbfgs", max_iter=MAX_ITER)
        model.fit(sparse.vstack([x, x]).tocsr()[keep], target[keep], sample_weight=weight[keep])
        weights[i] = model.coef_[0, : features.N_FEATURES].astype(np.float32)
        embedding_weights[i] = model.coef_[0, features.N_FEATURES :].astype(np.float32)
        intercepts[i] = float(model.intercept_[0])
    meta = {
        "name": NAME,
        "features": f"keyword windows, crc32 hashed to {features.N_FEATURES}, binary, L2-normalised;"
        f" beside the static embedding {embedding.meta.get('name', '?')}, L2-normalised",
        "model": f"logistic regression per warning, lbfgs, C={C}, soft labels, class-balanced",
        "rows": counts,
        "source": source,
    }
    return PassageModel(tuple(warnings), weights, intercepts, meta, embedding_weights)


def train_file(path: str | Path, out_dir: str | Path) -> Path:
    """Train on a JSON-lines file and write ``<out_dir>/passage-clf.v2.npz``; return its path."""
    rows = load_rows(path)
    if not rows:
        raise ForewarnError(f"{path}: no labelled passages")
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    model = train_model(rows, source=f"{Path(path).name} sha256:{digest}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / MODEL_FILE
    model.save(target)
    return target
