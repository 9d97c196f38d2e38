r"""Offline ranking metrics for next-item recommendation: HR@K, NDCG@K, MRR.

Each test case is one user with one held-out target item :math:`y`. The model scores
candidate items; the 1-based rank :math:`r` of :math:`y` among the candidates gives

.. math::

   \mathrm{HR@K} = \frac1n \sum_u \mathbb 1[r_u \le K], \qquad
   \mathrm{NDCG@K} = \frac1n \sum_u \frac{\mathbb 1[r_u \le K]}{\log_2(r_u + 1)}, \qquad
   \mathrm{MRR} = \frac1n \sum_u \frac1{r_u}.

With a single relevant item the ideal DCG is 1, so NDCG needs no normalisation.

Two candidate sets are in use:

* **full ranking** -- every item of the catalogue except those already in the user's
  history (a film is not recommended twice);
* **sampled** -- the target plus 100 items drawn uniformly from those the user has not
  interacted with, as in SASRec :cite:`kang2018self`. Sampled metrics are larger and can
  even order models differently from full ranking :cite:`krichene2020sampled`, so the
  book reports both.

Ties are resolved by their expected rank under random tie-breaking,
:math:`r = 1 + \#\{s_j > s_y\} + \tfrac12 \#\{j \ne y: s_j = s_y\}`, so a constant scorer
earns chance level rather than rank 1.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ecomxai.validation import InputError, UnknownIdError, check_array, check_ids, check_int


__all__ = [
    "ranks_full",
    "ranks_sampled",
    "hit_rate_at_k",
    "ndcg_at_k",
    "mean_reciprocal_rank",
    "ranking_metrics",
    "evaluate_scores",
]


def _check_scores_targets(scores: np.ndarray, targets: Sequence[int]) -> tuple[np.ndarray,
                                                                                   np.ndarray]:
    S = check_array(scores, "scores", min_rows=0, finite=False)
    y = np.asarray(targets)
    if S.ndim != 2:
        raise InputError(f"scores must be (n_users, n_items), got shape {S.shape}")
    if y.shape != (S.shape[0],):
        raise InputError(f"need one target per row of scores: {y.shape} vs {S.shape[0]} rows")
    if y.dtype == bool or not np.issubdtype(y.dtype, np.integer):
        raise InputError("targets must be integer item ids")
    if y.size and (y.min() < 0 or y.max() >= S.shape[1]):
        raise UnknownIdError(f"target item ids must lie in 0..{S.shape[1] - 1}")
    if np.isnan(S).any() or np.isposinf(S).any():
        raise InputError("scores contain NaN or +inf; mask items with -inf, not NaN")
    return S, y.astype(np.int64)


def _rank(candidate_scores: np.ndarray, target_score: float) -> float:
    greater = np.sum(candidate_scores > target_score)
    ties = np.sum(candidate_scores == target_score)  # candidates exclude the target
    return float(1 + greater + 0.5 * ties)


def _check_exclude(exclude: Sequence[Sequence[int]] | None, n_users: int, n_items: int
                   ) -> list[list[int]] | None:
    if exclude is None:
        return None
    if isinstance(exclude, (str, bytes)) or len(exclude) != n_users:
        raise InputError("exclude must hold one list of item ids per user")
    return [check_ids(h, f"exclude[{u}]", min_length=0, vocabulary_size=n_items)
            for u, h in enumerate(exclude)]


def ranks_full(scores: np.ndarray, targets: Sequence[int],
               exclude: Sequence[Sequence[int]] | None = None) -> np.ndarray:
    """Rank of each target among all items, the user's history excluded.

    Parameters
    ----------
    scores
        ``(n_users, n_items)``, higher is better.
    targets
        ``(n_users,)`` held-out item ids.
    exclude
        Per user, item ids removed from the candidates (the history). The target itself is
        never excluded, even if the user interacted with it before.

    Returns
    -------
    numpy.ndarray
        ``(n_users,)`` 1-based ranks (half-integers where ties occur).
    """
    S, y = _check_scores_targets(scores, targets)
    exclude = _check_exclude(exclude, len(y), S.shape[1])
    ranks = np.empty(len(y))
    for u in range(len(y)):
        mask = np.ones(S.shape[1], dtype=bool)
        if exclude is not None and len(exclude[u]):
            mask[np.asarray(exclude[u], dtype=np.int64)] = False
        mask[y[u]] = False
        ranks[u] = _rank(S[u, mask], S[u, y[u]])
    return ranks


def ranks_sampled(scores: np.ndarray, targets: Sequence[int],
                  exclude: Sequence[Sequence[int]] | None = None, *,
                  n_negatives: int = 100, seed: int = 0) -> np.ndarray:
    """Rank of each target among itself and ``n_negatives`` uniformly sampled items.

    Negatives are drawn without replacement from the items that are neither the target nor
    in ``exclude[u]``; the generator is seeded, so every model is ranked against the same
    negatives.
    """
    S, y = _check_scores_targets(scores, targets)
    exclude = _check_exclude(exclude, len(y), S.shape[1])
    n_negatives = check_int(n_negatives, "n_negatives")
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    ranks = np.empty(len(y))
    for u in range(len(y)):
        allowed = np.ones(S.shape[1], dtype=bool)
        if exclude is not None and len(exclude[u]):
            allowed[np.asarray(exclude[u], dtype=np.int64)] = False
        allowed[y[u]] = False
        pool = np.flatnonzero(allowed)
        if len(pool) < n_negatives:
            raise InputError(f"user {u} has only {len(pool)} candidate negatives; "
                             f"lower n_negatives (now {n_negatives})")
        neg = rng.choice(pool, size=n_negatives, replace=False)
        ranks[u] = _rank(S[u, neg], S[u, y[u]])
    return ranks


def _check_ranks(ranks: np.ndarray) -> np.ndarray:
    r = check_array(ranks, "ranks", min_rows=0, finite=False)
    if r.ndim != 1 or r.size == 0:
        raise InputError("ranks must be a non-empty 1-D array")
    if np.any(r < 1) or not np.all(np.isfinite(r)):
        raise InputError("ranks are 1-based: every rank must be >= 1")
    return r


def hit_rate_at_k(ranks: np.ndarray, k: int = 10) -> float:
    r"""HR@K, the share of users whose target ranks in the top :math:`K`."""
    k = check_int(k, "k")
    return float(np.mean(_check_ranks(ranks) <= k))


def ndcg_at_k(ranks: np.ndarray, k: int = 10) -> float:
    r"""NDCG@K with one relevant item: mean of :math:`1/\log_2(r+1)` over ranks :math:`r \le K`."""
    k = check_int(k, "k")
    r = _check_ranks(ranks)
    return float(np.mean(np.where(r <= k, 1.0 / np.log2(r + 1.0), 0.0)))


def mean_reciprocal_rank(ranks: np.ndarray) -> float:
    r"""MRR, the mean of :math:`1/r` (not truncated)."""
    return float(np.mean(1.0 / _check_ranks(ranks)))


def ranking_metrics(ranks: np.ndarray, ks: Sequence[int] = (10,)) -> dict[str, float]:
    """``{"HR@K": ..., "NDCG@K": ..., "MRR": ...}`` for every K in ``ks``."""
    out: dict[str, float] = {}
    if isinstance(ks, (int, np.integer)) or not len(ks):
        raise InputError(f"ks must be a non-empty list of cut-offs, e.g. (10,), got {ks!r}")
    for k in ks:
        out[f"HR@{k}"] = hit_rate_at_k(ranks, k)
        out[f"NDCG@{k}"] = ndcg_at_k(ranks, k)
    out["MRR"] = mean_reciprocal_rank(ranks)
    return out


def evaluate_scores(scores: np.ndarray, targets: Sequence[int],
                    histories: Sequence[Sequence[int]], *, ks: Sequence[int] = (10,),
                    n_negatives: int = 100, seed: int = 0) -> pd.DataFrame:
    """Both protocols at once: a two-row table (``full``, ``sampled``) of HR, NDCG, MRR."""
    full = ranking_metrics(ranks_full(scores, targets, histories), ks)
    sampled = ranking_metrics(ranks_sampled(scores, targets, histories,
                                            n_negatives=n_negatives, seed=seed), ks)
    return pd.DataFrame([full, sampled], index=["full", f"sampled ({n_negatives} neg.)"])
