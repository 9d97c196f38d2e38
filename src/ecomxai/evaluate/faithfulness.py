r"""Faithfulness of an explanation: does the model really rely on what it highlights?

Comprehensiveness and sufficiency :cite:`deyoung2020eraser` erase parts of the input by
the explanation's own ranking and watch the model's score :math:`m(\cdot)` for the
explained class. With :math:`r_k` the top-:math:`k\%` positions of an attribution,

.. math::

   \text{comprehensiveness} = \frac{1}{|\mathcal K|}\sum_{k \in \mathcal K}
       \bigl(m(x) - m(x \setminus r_k)\bigr), \qquad
   \text{sufficiency} = \frac{1}{|\mathcal K|}\sum_{k \in \mathcal K}
       \bigl(m(x) - m(r_k)\bigr),

averaged over the bins :math:`\mathcal K = \{1, 5, 10, 20, 50\}\%`. A faithful explanation
has **high** comprehensiveness (removing what it points at hurts) and **low** sufficiency
(what it points at alone keeps the score). Both take a score function over sequences of
ids, so they serve tokens of a text classifier and items of a user history alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

__all__ = [
    "ERASER_BINS",
    "ErasureResult",
    "top_k_positions",
    "erasure_scores",
    "comprehensiveness",
    "sufficiency",
]

#: The fractions of the ERASER benchmark (DeYoung et al., 2020).
ERASER_BINS: tuple[float, ...] = (0.01, 0.05, 0.10, 0.20, 0.50)

ScoreFn = Callable[[list[list[int]]], np.ndarray]


@dataclass(frozen=True)
class ErasureResult:
    """Comprehensiveness and sufficiency of one explanation, with the per-bin values."""

    comprehensiveness: float
    sufficiency: float
    per_bin_comprehensiveness: np.ndarray
    per_bin_sufficiency: np.ndarray
    full_score: float
    fractions: tuple[float, ...]


def _validate(sequence: Sequence[int], attributions: np.ndarray,
              fixed: Sequence[bool] | None) -> tuple[list[int], np.ndarray, np.ndarray]:
    seq = [int(s) for s in sequence]
    if not seq:
        raise ValueError("the sequence is empty; there is nothing to erase")
    attr = np.asarray(attributions, dtype=np.float64)
    if attr.shape != (len(seq),):
        raise ValueError(
            f"attributions must have one value per position: shape ({len(seq)},), got "
            f"{attr.shape}; sum embedding dimensions first"
        )
    if not np.all(np.isfinite(attr)):
        raise ValueError("attributions contain NaN or infinite values")
    keep = np.zeros(len(seq), bool) if fixed is None else np.asarray(fixed, dtype=bool)
    if keep.shape != (len(seq),):
        raise ValueError(f"fixed must be a boolean mask of length {len(seq)}")
    if keep.all():
        raise ValueError("every position is fixed; nothing can be erased")
    return seq, attr, keep


def top_k_positions(attributions: np.ndarray, k: int, fixed: Sequence[bool] | None = None,
                    *, by_magnitude: bool = False) -> np.ndarray:
    """Indices of the ``k`` highest-ranked erasable positions (ties broken by position)."""
    attr = np.asarray(attributions, dtype=np.float64)
    key = np.abs(attr) if by_magnitude else attr
    erasable = np.flatnonzero(~np.asarray(fixed, bool)) if fixed is not None else np.arange(len(attr))
    order = erasable[np.argsort(-key[erasable], kind="stable")]
    return np.sort(order[:max(0, int(k))])


def _erase(seq: list[int], remove: np.ndarray, replace_with: int | None) -> list[int]:
    drop = set(int(i) for i in remove)
    if replace_with is None:
        return [s for i, s in enumerate(seq) if i not in drop]
    return [int(replace_with) if i in drop else s for i, s in enumerate(seq)]


def erasure_scores(
    score_fn: ScoreFn,
    sequence: Sequence[int],
    attributions: np.ndarray,
    *,
    fractions: Sequence[float] = ERASER_BINS,
    fixed: Sequence[bool] | None = None,
    replace_with: int | None = None,
    by_magnitude: bool = False,
) -> ErasureResult:
    r"""Comprehensiveness and sufficiency of one attribution, in one batched model call.

    Parameters
    ----------
    score_fn
        Maps a list of id sequences to the explained class's score (probability is the
        ERASER convention), shape ``(m,)``.
    sequence
        Token or item ids of the explained input.
    attributions
        One value per position; higher means "more evidence for the class".
    fractions
        Bins :math:`k` as fractions of the erasable positions; each bin erases
        :math:`\max(1, \operatorname{round}(kT))` positions.
    fixed
        Positions never erased and always kept (e.g. ``[CLS]`` and ``[SEP]``).
    replace_with
        ``None`` deletes erased positions; an id (``[MASK]``, padding) replaces them.
    by_magnitude
        Rank by :math:`|a_t|` instead of :math:`a_t` (for unsigned methods it is the same).
    """
    seq, attr, keep = _validate(sequence, attributions, fixed)
    fr = tuple(float(f) for f in fractions)
    if not fr or any(not 0.0 < f <= 1.0 for f in fr):
        raise ValueError(f"fractions must lie in (0, 1], got {fractions}")
    n_erasable = int((~keep).sum())
    batch = [seq]
    for f in fr:
        k = max(1, int(round(f * n_erasable)))
        top = top_k_positions(attr, k, keep, by_magnitude=by_magnitude)
        erasable = np.flatnonzero(~keep)
        rest = np.setdiff1d(erasable, top)
        batch.append(_erase(seq, top, replace_with))    # x without the rationale
        batch.append(_erase(seq, rest, replace_with))   # the rationale (and fixed) only
    scores = np.asarray(score_fn(batch), dtype=np.float64).ravel()
    if scores.shape != (len(batch),):
        raise ValueError(f"score_fn must return one score per sequence, got {scores.shape}")
    full = scores[0]
    comp = full - scores[1::2]
    suff = full - scores[2::2]
    return ErasureResult(float(comp.mean()), float(suff.mean()), comp, suff, float(full), fr)


def comprehensiveness(score_fn: ScoreFn, sequence: Sequence[int], attributions: np.ndarray,
                      **kwargs: object) -> float:
    """ERASER comprehensiveness (higher is more faithful); see :func:`erasure_scores`."""
    return erasure_scores(score_fn, sequence, attributions, **kwargs).comprehensiveness


def sufficiency(score_fn: ScoreFn, sequence: Sequence[int], attributions: np.ndarray,
                **kwargs: object) -> float:
    """ERASER sufficiency (lower is more faithful); see :func:`erasure_scores`."""
    return erasure_scores(score_fn, sequence, attributions, **kwargs).sufficiency
