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
           "WorkedExample", "zhangsan_lisi_example", "recommender_checks",
           "batch_first_mixing_001", "collate_unpadded_001", "bce_shape_001"]

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
    document's own recipe ranks only A and B for both users: both are in 张三's history,
    B is in 李四's, and C (李四's other item) is never scored.
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


def batch_first_mixing_001(batch: int = 4, seq_len: int = 5, d_model: int = 16,
                           seed: int = 0) -> dict[str, float]:
    r"""Document 001's ``nn.TransformerEncoderLayer(d_model, nhead=8)`` fed ``(batch, seq, d)``.

    The layer's default is ``batch_first=False``: it reads the first axis as the
    *sequence*, so the users of one batch attend to each other. We change the last user's
    history only and measure how much the *first* user's output moves, with the default
    and with ``batch_first=True``.

    Returns
    -------
    dict
        ``"default"`` and ``"batch_first"``: largest change of user 0's output.
    """
    import torch  # noqa: PLC0415

    torch.manual_seed(seed)
    x = torch.randn(batch, seq_len, d_model, dtype=torch.float64)
    x2 = x.clone()
    x2[-1] = torch.randn(seq_len, d_model, dtype=torch.float64)
    out = {}
    for name, batch_first in (("default", False), ("batch_first", True)):
        torch.manual_seed(seed)
        layer = torch.nn.TransformerEncoderLayer(d_model, nhead=8, dropout=0.0,
                                                 batch_first=batch_first).double().eval()
        with torch.no_grad():
            out[name] = float((layer(x)[0] - layer(x2)[0]).abs().max())
    return out


def collate_unpadded_001(histories: tuple[tuple[int, ...], ...] = ((3, 5, 7), (2, 4, 6, 8, 9)),
                         max_len: int = 128) -> dict[str, object]:
    r"""Document 001's ``RecommendationDataset`` sets ``self.max_len = 128`` and never pads.

    PyTorch's default collate stacks the items of a batch, so two histories of different
    lengths cannot form a batch. Left-padding with id 0 to a common length (here the
    longest history, at most ``max_len``) makes the batch and the padding mask ``src == 0``.

    Returns
    -------
    dict
        ``"listing_error"`` (text of the collate error), ``"padded_shape"`` and
        ``"padding_mask"`` (``True`` at padding, the ``src_key_padding_mask`` convention).
    """
    import torch  # noqa: PLC0415
    from torch.utils.data import DataLoader  # noqa: PLC0415

    items = [torch.tensor(h) for h in histories]
    error = None
    try:
        next(iter(DataLoader(items, batch_size=len(items))))
    except RuntimeError as err:
        error = f"RuntimeError: {str(err).splitlines()[0]}"
    width = min(max(len(h) for h in histories), max_len)
    padded = torch.stack([torch.cat([torch.zeros(width - len(h[-width:]), dtype=h.dtype),
                                     h[-width:]]) for h in items])
    return {"listing_error": error, "padded_shape": tuple(padded.shape),
            "padding_mask": (padded == 0).tolist()}


def bce_shape_001(batch: int = 32, seq_len: int = 10, target_len: int = 10,
                  d_out: int = 128) -> dict[str, object]:
    r"""Document 001's head ``F.sigmoid(self.fc(query))`` against its ``nn.BCELoss(output, tgt)``.

    ``fc = nn.Linear(d_out, 1)`` acts on every position, so the model outputs one
    probability per history position, shape ``(batch, seq, 1)``; ``tgt`` is a sequence of
    item ids, shape ``(batch, target_len)``. ``BCELoss`` needs the same shape and targets
    in [0, 1]. A recommender scores candidate items: one logit per (user, candidate), with
    a 0/1 label of the same shape (or the next-item cross-entropy over the catalogue).

    Returns
    -------
    dict
        ``"listing_error"`` and ``"correct_loss"`` (finite BCE of matching shapes).
    """
    import torch  # noqa: PLC0415

    gen = torch.Generator().manual_seed(0)
    output = torch.sigmoid(torch.nn.Linear(d_out, 1)(torch.randn(batch, seq_len, d_out,
                                                                 generator=gen)))
    tgt = torch.randint(1, 1000, (batch, target_len), generator=gen).float()
    error = None
    try:
        torch.nn.BCELoss()(output, tgt)
    except (ValueError, RuntimeError) as err:
        error = f"{type(err).__name__}: {str(err)[:110]}"
    logits = torch.randn(batch, 2, generator=gen)            # (positive, sampled negative)
    labels = torch.tensor([[1.0, 0.0]]).expand(batch, 2)
    loss = float(torch.nn.BCEWithLogitsLoss()(logits, labels))
    return {"listing_error": error, "correct_loss": loss}
