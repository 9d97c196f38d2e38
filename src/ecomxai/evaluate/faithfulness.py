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

Deletion and insertion curves :cite:`petsiuk2018rise` follow the whole ranking instead of
a few bins. Order the :math:`d` features (or positions) by decreasing attribution,
:math:`\pi(1), \dots, \pi(d)`, and let :math:`x^{\downarrow k}` be the input with the first
:math:`k` of them replaced by the baseline :math:`b` (deleted), :math:`x^{\uparrow k}` the
baseline with the first :math:`k` of them restored from :math:`x` (inserted). On the
normalised score :math:`\tilde m(z) = (m(z) - m(b)) / (m(x) - m(b))`,

.. math::

   \text{AUC}_{\text{del}} = \int_0^1 \tilde m\bigl(x^{\downarrow \lceil t d\rceil}\bigr)\,dt,
   \qquad
   \text{AUC}_{\text{ins}} = \int_0^1 \tilde m\bigl(x^{\uparrow \lceil t d\rceil}\bigr)\,dt

(trapezoid rule over the :math:`d + 1` points). A faithful ranking makes the deletion
curve fall fast (**low** :math:`\text{AUC}_{\text{del}}`) and the insertion curve rise
fast (**high** :math:`\text{AUC}_{\text{ins}}`); for a linear model a random ranking gives
both about :math:`1/2`. :func:`tabular_curves` serves feature vectors (one batched call
for all rows), :func:`sequence_curves` serves history items and tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ecomxai.validation import (InputError, check_array, check_callable, check_float, check_ids,
                                check_int, check_mask, check_model_output, check_vector)


__all__ = [
    "ERASER_BINS",
    "ErasureResult",
    "top_k_positions",
    "erasure_scores",
    "comprehensiveness",
    "sufficiency",
    "PerturbationCurves",
    "tabular_curves",
    "sequence_curves",
    "curve_auc",
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
    seq = check_ids(sequence, "sequence")
    attr = check_array(attributions, "attributions", min_rows=0)
    if attr.shape != (len(seq),):
        raise InputError(
            f"attributions must have one value per position: shape ({len(seq)},), got "
            f"{attr.shape}; sum embedding dimensions first"
        )
    keep = check_mask(fixed, len(seq), "fixed")
    if keep.all():
        raise InputError("every position is fixed; nothing can be erased")
    return seq, attr, keep


def top_k_positions(attributions: np.ndarray, k: int, fixed: Sequence[bool] | None = None,
                    *, by_magnitude: bool = False) -> np.ndarray:
    """Indices of the ``k`` highest-ranked erasable positions (ties broken by position)."""
    attr = check_vector(attributions, "attributions")
    k = check_int(k, "k", minimum=0)
    key = np.abs(attr) if by_magnitude else attr
    erasable = np.flatnonzero(~check_mask(fixed, attr.size, "fixed"))
    order = erasable[np.argsort(-key[erasable], kind="stable")]
    return np.sort(order[:k])


def _filler(replace_with: int | None) -> int | None:
    return None if replace_with is None else check_int(replace_with, "replace_with", minimum=0)


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
    check_callable(score_fn, "score_fn")
    seq, attr, keep = _validate(sequence, attributions, fixed)
    replace_with = _filler(replace_with)
    fr = tuple(check_vector(fractions, "fractions", finite=False))
    if any(not 0.0 < f <= 1.0 for f in fr):
        raise InputError(f"fractions must lie in (0, 1], got {fractions}")
    n_erasable = int((~keep).sum())
    batch = [seq]
    for f in fr:
        k = max(1, int(round(f * n_erasable)))
        top = top_k_positions(attr, k, keep, by_magnitude=by_magnitude)
        erasable = np.flatnonzero(~keep)
        rest = np.setdiff1d(erasable, top)
        batch.append(_erase(seq, top, replace_with))    # x without the rationale
        batch.append(_erase(seq, rest, replace_with))   # the rationale (and fixed) only
    scores = check_model_output(score_fn(batch), len(batch), "score_fn", unit="sequence")
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


# --------------------------------------------------------------------------------------
# Deletion and insertion curves
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PerturbationCurves:
    r"""Deletion and insertion curves of one or many explained inputs.

    Attributes
    ----------
    fractions
        ``(K + 1,)`` fraction of the ranked features removed / inserted, from 0 to 1.
    deletion, insertion
        ``(n, K + 1)`` model scores along each curve. ``deletion[:, 0]`` and
        ``insertion[:, -1]`` are :math:`m(x)`; ``deletion[:, -1]`` and
        ``insertion[:, 0]`` are :math:`m(b)`.
    """

    fractions: np.ndarray
    deletion: np.ndarray
    insertion: np.ndarray

    @property
    def deletion_auc(self) -> float:
        """Mean normalised deletion AUC over rows (lower is more faithful)."""
        return float(np.nanmean(curve_auc(self.fractions, self.deletion, normalise=True)))

    @property
    def insertion_auc(self) -> float:
        """Mean normalised insertion AUC over rows (higher is more faithful)."""
        return float(np.nanmean(curve_auc(self.fractions, self.insertion, normalise=True,
                                          start_is_input=False)))


def curve_auc(fractions: np.ndarray, scores: np.ndarray, *, normalise: bool = True,
              start_is_input: bool = True, min_span: float = 1e-8) -> np.ndarray | float:
    r"""Area under score curves by the trapezoid rule, one value per row.

    Parameters
    ----------
    fractions
        ``(K + 1,)`` increasing abscissae in ``[0, 1]``.
    scores
        ``(K + 1,)`` or ``(n, K + 1)`` scores along the curve(s).
    normalise
        Map scores to :math:`\tilde m = (m - m(b)) / (m(x) - m(b))` first, so the curve
        runs between 1 (the input) and 0 (the baseline) and AUCs compare across rows and
        models. Rows with :math:`|m(x) - m(b)| <` ``min_span`` get ``nan``.
        Without normalising the AUC is in score units.
    start_is_input
        ``True`` for deletion curves (first point is :math:`m(x)`), ``False`` for
        insertion curves (last point is :math:`m(x)`).

    Returns
    -------
    numpy.ndarray or float
        ``(n,)`` AUCs for 2-D ``scores``, a float for one curve.
    """
    fr = check_array(fractions, "fractions", ndim=1, min_rows=2)
    S = np.atleast_2d(check_array(scores, "scores", min_rows=0, finite=False))
    min_span = check_float(min_span, "min_span", minimum=0.0)
    if S.ndim != 2 or S.shape[1] != fr.size:
        raise InputError(f"scores {S.shape} must have one column per fraction ({fr.size})")
    if np.any(np.diff(fr) < 0) or fr[0] < 0 or fr[-1] > 1:
        raise InputError("fractions must be increasing, in [0, 1]")
    if normalise:
        full, base = (S[:, 0], S[:, -1]) if start_is_input else (S[:, -1], S[:, 0])
        span = full - base
        ok = np.abs(span) >= min_span
        S = np.where(ok[:, None], (S - base[:, None]) / np.where(ok, span, 1.0)[:, None], np.nan)
    widths = np.diff(fr)
    auc = ((S[:, 1:] + S[:, :-1]) / 2.0 * widths).sum(axis=1)
    return auc if np.ndim(scores) > 1 else float(auc[0])


def _check_2d(X: np.ndarray, A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X = check_array(X, "X", min_rows=0, finite=False)
    A = check_array(A, "attributions", min_rows=0, finite=False)
    if X.ndim == 1:
        X, A = X[None], A.reshape(1, -1)
    if X.ndim != 2 or X.shape[0] == 0:
        raise InputError(f"X must be (n, d) feature rows, got shape {X.shape}")
    if A.shape != X.shape:
        raise InputError(f"attributions {A.shape} must have the shape of X {X.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(A))):
        raise InputError("X or attributions contain NaN or infinite values")
    return X, A


def tabular_curves(
    f: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    attributions: np.ndarray,
    baseline: np.ndarray | float,
    *,
    by_magnitude: bool = False,
    orient: bool = False,
) -> PerturbationCurves:
    r"""Deletion and insertion curves for feature vectors, in one batched model call.

    Parameters
    ----------
    f
        Model function ``(m, d) -> (m,)``: the score being explained.
    X
        ``(n, d)`` explained rows (or one ``(d,)`` row).
    attributions
        ``(n, d)``; higher means "more evidence for the score".
    baseline
        What a deleted feature becomes: a scalar, a ``(d,)`` reference row (e.g. the
        training mean; the same one the explanation used) or ``(n, d)``.
    by_magnitude
        Rank by :math:`|a_i|` (for a regression where both signs matter to the question
        "which features does the prediction rest on?").
    orient
        Rank by :math:`a_i \operatorname{sign}(m(x) - m(b))`: the features that carry the
        score *away from the baseline* come first, whichever side of it :math:`m(x)` lies
        on (a regression's below-average rows are explained by negative attributions).
        Use it for signed methods with the normalised AUC of :func:`curve_auc`.

    Returns
    -------
    PerturbationCurves
        With ``d + 1`` points per curve.
    """
    check_callable(f, "f")
    X, A = _check_2d(X, attributions)
    n, d = X.shape
    b = check_array(baseline, "baseline", min_rows=0)
    try:
        B = np.broadcast_to(b, X.shape)
    except ValueError as err:
        raise InputError(f"baseline does not broadcast to X {X.shape}") from err
    key = np.abs(A) if by_magnitude else A
    if orient:
        full, base = check_model_output(f(np.concatenate([X, B])), 2 * n, "f").reshape(2, n)
        key = key * np.where(full >= base, 1.0, -1.0)[:, None]
    order = np.argsort(-key, axis=1, kind="stable")          # (n, d) ranked features
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(d)[None].repeat(n, 0), axis=1)
    steps = np.arange(d + 1)
    removed = rank[:, None, :] < steps[None, :, None]          # (n, d+1, d): first k ranked
    deleted = np.where(removed, B[:, None, :], X[:, None, :])
    inserted = np.where(removed, X[:, None, :], B[:, None, :])
    batch = np.concatenate([deleted.reshape(-1, d), inserted.reshape(-1, d)])
    out = check_model_output(f(batch), len(batch), "f").reshape(2, n, d + 1)
    return PerturbationCurves(steps / d, out[0], out[1])


def sequence_curves(
    score_fn: ScoreFn,
    sequence: Sequence[int],
    attributions: np.ndarray,
    *,
    fixed: Sequence[bool] | None = None,
    replace_with: int | None = None,
    by_magnitude: bool = False,
    max_points: int = 21,
) -> PerturbationCurves:
    r"""Deletion and insertion curves over the positions of one id sequence.

    The deletion curve erases the top-ranked erasable positions first; the insertion
    curve starts from the sequence with every erasable position erased (only ``fixed``
    ones kept) and restores them best first, in their original order.

    Parameters
    ----------
    score_fn
        Maps a list of id sequences to one score each (class probability, item logit).
    sequence, attributions, fixed, replace_with, by_magnitude
        As in :func:`erasure_scores`.
    max_points
        At most this many points per curve (evenly spaced counts, always including 0 and
        all); long texts need not be erased one token at a time.

    Returns
    -------
    PerturbationCurves
        ``deletion`` and ``insertion`` of shape ``(1, K + 1)``.
    """
    check_callable(score_fn, "score_fn")
    seq, attr, keep = _validate(sequence, attributions, fixed)
    replace_with = _filler(replace_with)
    max_points = check_int(max_points, "max_points", minimum=2)
    erasable = np.flatnonzero(~keep)
    n_er = erasable.size
    counts = np.unique(np.round(np.linspace(0, n_er, min(max_points, n_er + 1))).astype(int))
    key = np.abs(attr) if by_magnitude else attr
    ranked = erasable[np.argsort(-key[erasable], kind="stable")]
    batch: list[list[int]] = []
    for k in counts:
        batch.append(_erase(seq, ranked[:k], replace_with))
    for k in counts:
        batch.append(_erase(seq, ranked[k:], replace_with))
    scores = check_model_output(score_fn(batch), len(batch), "score_fn", unit="sequence")
    m = counts.size
    return PerturbationCurves(counts / n_er, scores[:m][None], scores[m:][None])
