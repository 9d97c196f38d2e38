r"""Document 001, §4: embeddings, attention scores, softmax over candidates, Top-K.

The document scores a user-item pair by
:math:`\text{Attention}(u, i) = \operatorname{Softmax}(u^\top i)`. A softmax of one number
is always 1, so every item would get the same score. The softmax has to run over the
*candidate items* :math:`\mathcal{C}`:

.. math::

   p(i \mid u) = \frac{\exp(u^\top e_i)}{\sum_{j \in \mathcal{C}} \exp(u^\top e_j)}, \qquad
   \text{Top-}K(u) = \operatorname*{arg\,max}_{S \subseteq \mathcal{C},\,|S| = K}
   \sum_{i \in S} p(i \mid u),

and, because the softmax is monotone, Top-K of the probabilities equals Top-K of the raw
scores :math:`u^\top e_i`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecomxai.formulas.records import FormulaCheck, compare

__all__ = ["ITEM_EMBEDDINGS", "ITEM_NAMES", "mean_pool", "dot_scores", "softmax", "top_k",
           "WorkedExample", "zhangsan_lisi_example", "recommender_checks"]

#: Five products in three taste dimensions (audio, phone accessories, reading).
ITEM_EMBEDDINGS: dict[str, np.ndarray] = {
    "A": np.array([0.9, 0.3, 0.0]),
    "B": np.array([0.1, 0.9, 0.0]),
    "C": np.array([0.2, 0.8, 0.1]),
    "D": np.array([0.8, 0.1, 0.1]),
    "E": np.array([0.0, 0.1, 0.9]),
}
ITEM_NAMES = {"A": "headphones 耳机", "B": "phone case 手机壳", "C": "charger 充电器",
              "D": "speaker 音箱", "E": "novel 小说"}


def mean_pool(history: list[str], embeddings: dict[str, np.ndarray] = ITEM_EMBEDDINGS
              ) -> np.ndarray:
    r"""User embedding as the mean of the history's item embeddings,
    :math:`u = \frac{1}{|H|}\sum_{i \in H} e_i` (the simplest :math:`M_\theta`)."""
    if not history:
        raise ValueError("the history is empty: a user needs at least one item")
    unknown = [i for i in history if i not in embeddings]
    if unknown:
        raise LookupError(f"unknown item ids {unknown}; known: {sorted(embeddings)}")
    return np.mean([embeddings[i] for i in history], axis=0)


def dot_scores(u: np.ndarray, item_matrix: np.ndarray) -> np.ndarray:
    r"""Scores :math:`s_i = u^\top e_i` of one user against the rows of ``item_matrix``."""
    return np.asarray(item_matrix, dtype=np.float64) @ np.asarray(u, dtype=np.float64)


def softmax(scores: np.ndarray, axis: int = -1) -> np.ndarray:
    r"""Numerically stable :math:`\operatorname{softmax}(s)_i = e^{s_i - \max s} / \sum_j e^{s_j - \max s}`."""
    s = np.asarray(scores, dtype=np.float64)
    z = np.exp(s - s.max(axis=axis, keepdims=True))
    return z / z.sum(axis=axis, keepdims=True)


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest scores, best first (ties: lower index first)."""
    s = np.asarray(scores, dtype=np.float64)
    if not 1 <= k <= len(s):
        raise ValueError(f"k must be in 1..{len(s)}, got {k}")
    return np.argsort(-s, kind="stable")[:k]


@dataclass(frozen=True)
class WorkedExample:
    """Document 001's two users, computed; ``table`` has one row per (user, item)."""

    table: pd.DataFrame
    recommendations: dict[str, list[str]]
    document_recommendations: dict[str, list[str]]


def zhangsan_lisi_example(k: int = 2) -> WorkedExample:
    """张三 (history A, B) and 李四 (history B, C), step by step.

    For each user: embedding by mean pooling; score of every item; the document's
    "attention" (softmax of that single score, always 1); the softmax over the candidate
    items the user has not bought yet; and Top-``k`` of those candidates. The
    document's own recipe ranks only A and B, items both users already viewed.
    """
    histories = {"张三": ["A", "B"], "李四": ["B", "C"]}
    items = list(ITEM_EMBEDDINGS)
    E = np.stack([ITEM_EMBEDDINGS[i] for i in items])
    rows, recs, doc_recs = [], {}, {}
    for user, history in histories.items():
        u = mean_pool(history)
        s = dot_scores(u, E)
        candidates = [j for j, i in enumerate(items) if i not in history]
        p = np.full(len(items), np.nan)
        p[candidates] = softmax(s[candidates])
        best = [items[candidates[j]] for j in top_k(s[candidates], k)]
        recs[user] = best
        doc_scores = np.array([softmax(np.array([s[items.index(i)]]))[0] for i in "AB"])
        doc_recs[user] = [["A", "B"][j] for j in top_k(doc_scores, k)]
        for j, item in enumerate(items):
            rows.append({"user": user, "item": item, "name": ITEM_NAMES[item],
                         "in history": item in history, "score u·e": s[j],
                         "document: Softmax(u·e)": softmax(s[j:j + 1])[0],
                         "p(item | user) over candidates": p[j],
                         "recommended": item in best})
    return WorkedExample(pd.DataFrame(rows), recs, doc_recs)


def recommender_checks(seed: int = 0) -> list[FormulaCheck]:
    """Checks of document 001's formulas against SciPy, PyTorch and exact identities."""
    import torch  # noqa: PLC0415
    from scipy.special import softmax as scipy_softmax  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    S = rng.normal(scale=3.0, size=(6, 20))
    items = list(ITEM_EMBEDDINGS)
    scores = S[0]
    return [
        compare("001", "math-user-embedding", "user embedding by mean pooling",
                mean_pool(["A", "B"]), (ITEM_EMBEDDINGS["A"] + ITEM_EMBEDDINGS["B"]) / 2,
                "explicit sum / 2"),
        compare("001", "math-score", "score u^T e_i for all items",
                dot_scores(mean_pool(["B", "C"]), np.stack([ITEM_EMBEDDINGS[i] for i in items])),
                [float(mean_pool(["B", "C"]) @ ITEM_EMBEDDINGS[i]) for i in items],
                "one dot product per item"),
        compare("001", "math-softmax-candidates", "softmax over candidates", softmax(S),
                scipy_softmax(S, axis=-1), "scipy.special.softmax"),
        compare("001", "math-softmax-candidates", "softmax rows sum to 1",
                softmax(S).sum(axis=1), np.ones(len(S)), "1 (probabilities)"),
        compare("001", "math-softmax-single", "document: softmax of one score = 1",
                [softmax(np.array([v]))[0] for v in scores], np.ones_like(scores),
                "1 for any score"),
        compare("001", "math-topk", "Top-K indices", top_k(scores, 5),
                torch.topk(torch.as_tensor(scores), 5).indices.numpy(), "torch.topk"),
        compare("001", "math-topk", "Top-K of probabilities = Top-K of scores",
                top_k(softmax(scores), 5), top_k(scores, 5), "monotonicity of softmax"),
    ]
