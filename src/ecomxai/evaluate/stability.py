r"""Stability of an explanation: does it stay put when nothing important changes?

Document 002 (§8.3) asks that an explanation be *stable* -- "consistent under different
input conditions" -- without saying how to measure it. Three measurements, all on plain
arrays and callables:

* **Input noise.** Explain :math:`x` and a slightly perturbed :math:`\tilde x = x + \delta`
  and compare the two attribution vectors :math:`\Phi(x)`, :math:`\Phi(\tilde x)` by the
  relative change and by rank agreement,

  .. math::

     \Delta_{\text{rel}} = \frac{\lVert \Phi(\tilde x) - \Phi(x) \rVert_2}{\lVert \Phi(x) \rVert_2},
     \qquad
     \rho_s = \operatorname{corr}\bigl(\operatorname{rank}|\Phi(x)|,
                                     \operatorname{rank}|\Phi(\tilde x)|\bigr),
     \qquad
     \text{top-}k = \frac{|T_k(\Phi(x)) \cap T_k(\Phi(\tilde x))|}{k},

  where :math:`T_k` is the set of the :math:`k` largest :math:`|\Phi_i|`. For id inputs
  (history items, tokens) the "small noise" is the replacement of one random position,
  and the comparison runs over the untouched positions (:func:`sequence_stability`).
* **Re-trained seed.** Two models trained identically except for the random seed should
  be explained alike on the same input (:func:`seed_stability`).
* **Max-sensitivity** :cite:`yeh2019fidelity`, the worst case in a small
  :math:`L_\infty` ball of radius :math:`r`, estimated by Monte Carlo,

  .. math::

     \operatorname{SENS}_{\max}(\Phi, x, r) = \max_{\lVert y - x \rVert_\infty \le r}
         \frac{\lVert \Phi(y) - \Phi(x) \rVert_2}{\lVert \Phi(x) \rVert_2}

  (divided by :math:`\lVert\Phi(x)\rVert_2` so that methods with different units compare).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
from scipy import stats

from ecomxai.validation import (InputError, check_array, check_callable, check_ids, check_int,
                                check_mask)


__all__ = [
    "rank_correlation",
    "top_k_overlap",
    "relative_change",
    "StabilityResult",
    "compare_attributions",
    "noise_stability",
    "seed_stability",
    "sequence_stability",
    "max_sensitivity",
]

ExplainFn = Callable[[np.ndarray], np.ndarray]


def _pair(a: object, b: object) -> tuple[np.ndarray, np.ndarray]:
    x = check_array(a, "the first attribution", min_rows=0, finite=False).ravel()
    y = check_array(b, "the second attribution", min_rows=0, finite=False).ravel()
    if x.shape != y.shape:
        raise InputError(f"the two attributions differ in size: {x.size} vs {y.size}")
    if x.size < 2:
        raise InputError("need at least 2 attributed positions to compare rankings")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise InputError("attributions contain NaN or infinite values")
    return x, y


def rank_correlation(a: object, b: object, *, absolute: bool = True) -> float:
    r"""Spearman :math:`\rho_s` between two attributions (flattened).

    With ``absolute=True`` (the default, as in Adebayo et al.'s sanity checks) the ranks
    are of :math:`|a_i|`: "which inputs matter", whatever the sign. A constant vector
    carries no ranking and gives 0.
    """
    x, y = _pair(a, b)
    if absolute:
        x, y = np.abs(x), np.abs(y)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return 0.0
    return float(stats.spearmanr(x, y).statistic)


def top_k_overlap(a: object, b: object, k: int, *, absolute: bool = True) -> float:
    r"""Fraction of the ``k`` top-ranked positions of ``a`` that are also top-``k`` in ``b``."""
    x, y = _pair(a, b)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= x.size:
        raise InputError(f"k must be an integer in 1..{x.size}, got {k!r}")
    if absolute:
        x, y = np.abs(x), np.abs(y)
    tx = set(np.argsort(-x, kind="stable")[:k].tolist())
    ty = set(np.argsort(-y, kind="stable")[:k].tolist())
    return len(tx & ty) / k


def relative_change(a: object, b: object, *, eps: float = 1e-12) -> float:
    r""":math:`\lVert b - a \rVert_2 / \lVert a \rVert_2` (``inf`` if ``a`` is zero and ``b`` is not)."""
    x, y = _pair(a, b)
    num, den = float(np.linalg.norm(y - x)), float(np.linalg.norm(x))
    if den < eps:
        return 0.0 if num < eps else float("inf")
    return num / den


@dataclass(frozen=True)
class StabilityResult:
    """Mean agreement between reference and perturbed explanations (and per-pair values).

    ``rank_correlation`` and ``top_k_overlap``: higher is more stable (1 = identical
    ranking); ``relative_change``: lower is more stable (0 = identical).
    """

    rank_correlation: float
    top_k_overlap: float
    relative_change: float
    per_pair_rank_correlation: np.ndarray
    k: int


def compare_attributions(reference: np.ndarray, other: np.ndarray, *, k: int = 3,
                         absolute: bool = True) -> StabilityResult:
    """Compare two stacks of attributions row by row (row ``r`` explains the same input).

    Parameters
    ----------
    reference, other
        ``(n, ...)`` arrays of the same shape.
    k
        Size of the top set for :func:`top_k_overlap` (clipped to the row size).
    absolute
        Rank :math:`|a|` (default) or signed values.
    """
    R = check_array(reference, "reference", min_rows=0)
    O = check_array(other, "other", min_rows=0)
    k = check_int(k, "k")
    if R.shape != O.shape or R.ndim < 2 or R.shape[0] == 0:
        raise InputError(
            f"reference {R.shape} and other {O.shape} must be equal (n, ...) stacks, n >= 1"
        )
    R, O = R.reshape(len(R), -1), O.reshape(len(O), -1)
    kk = int(min(k, R.shape[1]))
    rho = np.array([rank_correlation(r, o, absolute=absolute) for r, o in zip(R, O)])
    top = np.array([top_k_overlap(r, o, kk, absolute=absolute) for r, o in zip(R, O)])
    rel = np.array([relative_change(r, o) for r, o in zip(R, O)])
    return StabilityResult(float(rho.mean()), float(top.mean()), float(np.mean(rel)), rho, kk)


def seed_stability(attributions_seed_a: np.ndarray, attributions_seed_b: np.ndarray, *,
                   k: int = 3) -> StabilityResult:
    """Agreement of the explanations of two models that differ only in the training seed.

    Both arrays explain the same inputs, row by row; see :func:`compare_attributions`.
    """
    return compare_attributions(attributions_seed_a, attributions_seed_b, k=k)


def _noise_scale(scale: float | np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    s = check_array(scale, "noise scale / radius", min_rows=0, finite=False)
    if np.any(s < 0) or not np.all(np.isfinite(s)):
        raise InputError("noise scale / radius must be finite and non-negative")
    try:
        return np.broadcast_to(s, shape)
    except ValueError as err:
        raise InputError(
            f"noise scale of shape {s.shape} does not broadcast to one input {shape}; pass a "
            "scalar or one value per feature"
        ) from err


def _check_batch(explain: ExplainFn, X: np.ndarray) -> np.ndarray:
    check_callable(explain, "explain")
    X = check_array(X, "X", min_rows=0, finite=False)
    if X.ndim < 2 or X.shape[0] == 0 or not np.all(np.isfinite(X)):
        raise InputError(f"X must be a finite (n, ...) batch, got shape {X.shape}")
    return X


def _explained(explain: ExplainFn, X: np.ndarray) -> np.ndarray:
    out = np.asarray(explain(X), dtype=np.float64)
    if out.ndim < 1 or out.shape[0] != len(X):
        raise InputError(f"explain must return one attribution row per input ({len(X)}), got "
                         f"shape {out.shape}")
    if not np.all(np.isfinite(out)):
        raise InputError("explain returned NaN or infinite attributions; check the explainer")
    return out


def noise_stability(explain: ExplainFn, X: np.ndarray, scale: float | np.ndarray, *,
                    n_samples: int = 5, k: int = 3, seed: int = 0) -> StabilityResult:
    r"""Stability under Gaussian input noise :math:`\delta \sim \mathcal N(0, \sigma^2)`.

    Parameters
    ----------
    explain
        Maps inputs ``(m, ...)`` to attributions of the same leading size ``(m, ...)``.
    X
        ``(n, ...)`` inputs to explain.
    scale
        Noise standard deviation :math:`\sigma`: a scalar or one value per feature
        (e.g. 5% of each feature's standard deviation).
    n_samples
        Noisy copies per input; all are explained in one call.
    k, seed
        Top-``k`` size; seed of the noise.
    """
    X = _check_batch(explain, X)
    n_samples = check_int(n_samples, "n_samples")
    sigma = _noise_scale(scale, X.shape[1:])
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    noisy = X[None] + rng.normal(size=(n_samples,) + X.shape) * sigma
    ref = _explained(explain, X)
    out = _explained(explain, noisy.reshape((-1,) + X.shape[1:]))
    out = out.reshape((n_samples,) + ref.shape)
    return compare_attributions(np.tile(ref, (n_samples,) + (1,) * (ref.ndim - 1)),
                                out.reshape((-1,) + ref.shape[1:]), k=k)


def max_sensitivity(explain: ExplainFn, X: np.ndarray, radius: float | np.ndarray, *,
                    n_samples: int = 10, seed: int = 0, normalise: bool = True) -> np.ndarray:
    r"""Monte-Carlo max-sensitivity (Yeh et al., 2019) in an :math:`L_\infty` ball.

    Draws ``n_samples`` points :math:`y = x + r \odot u`, :math:`u \sim U[-1, 1]^d` per
    input and returns the largest :math:`\lVert\Phi(y) - \Phi(x)\rVert_2` (divided by
    :math:`\lVert\Phi(x)\rVert_2` when ``normalise``). A Monte-Carlo maximum is a lower
    bound of the true one; more samples can only raise it.

    Parameters
    ----------
    explain
        Maps ``(m, ...)`` inputs to ``(m, ...)`` attributions.
    X
        ``(n, ...)`` inputs.
    radius
        :math:`r`: scalar or one value per feature (a ball in standardised units).

    Returns
    -------
    numpy.ndarray
        ``(n,)`` sensitivities.
    """
    X = _check_batch(explain, X)
    n_samples = check_int(n_samples, "n_samples")
    r = _noise_scale(radius, X.shape[1:])
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    Y = X[None] + rng.uniform(-1.0, 1.0, size=(n_samples,) + X.shape) * r
    ref = _explained(explain, X).reshape(len(X), -1)
    out = _explained(explain, Y.reshape((-1,) + X.shape[1:]))
    out = out.reshape(n_samples, len(X), -1)
    dist = np.linalg.norm(out - ref[None], axis=2).max(axis=0)
    if not normalise:
        return dist
    norm = np.linalg.norm(ref, axis=1)
    return np.where(norm > 1e-12, dist / np.where(norm > 1e-12, norm, 1.0),
                    np.where(dist > 1e-12, np.inf, 0.0))


def _per_position(explain: Callable[[list[int]], np.ndarray], seq: list[int]) -> np.ndarray:
    out = np.asarray(explain(seq), dtype=np.float64).ravel()
    if out.shape != (len(seq),):
        raise InputError(f"explain must return one value per position ({len(seq)}), got "
                         f"{out.shape}")
    if not np.all(np.isfinite(out)):
        raise InputError("explain returned NaN or infinite attributions; check the explainer")
    return out


def sequence_stability(
    explain: Callable[[list[int]], np.ndarray],
    sequence: Sequence[int],
    vocabulary: Sequence[int],
    *,
    n_samples: int = 5,
    fixed: Sequence[bool] | None = None,
    k: int = 3,
    seed: int = 0,
) -> StabilityResult:
    r"""Stability of a per-position explanation when one random position changes.

    Each sample replaces one random erasable position by a random id from ``vocabulary``
    (a different item bought, a different word typed) and compares the explanations on
    the *other* positions, which did not change.

    Parameters
    ----------
    explain
        Maps one id sequence to ``(T,)`` attributions.
    sequence
        The explained ids (at least 3 erasable positions).
    vocabulary
        Ids a position may be replaced with (items of the catalogue, ordinary tokens).
    fixed
        Positions never replaced (``[CLS]``, ``[SEP]``).
    """
    check_callable(explain, "explain")
    seq = check_ids(sequence, "sequence")
    keep = check_mask(fixed, len(seq), "fixed")
    n_samples = check_int(n_samples, "n_samples")
    k = check_int(k, "k")
    seed = check_int(seed, "seed", minimum=0)
    erasable = np.flatnonzero(~keep)
    if erasable.size < 3:
        raise InputError("need at least 3 replaceable positions to compare explanations")
    vocab = np.asarray(check_ids(vocabulary, "vocabulary", min_length=0), dtype=np.int64)
    if vocab.size < 2:
        raise InputError("vocabulary must hold at least 2 ids")
    rng = np.random.default_rng(seed)
    ref = _per_position(explain, seq)
    refs, outs = [], []
    for _ in range(n_samples):
        pos = int(rng.choice(erasable))
        new = int(rng.choice(vocab[vocab != seq[pos]]))
        pert = list(seq)
        pert[pos] = new
        other = _per_position(explain, pert)
        mask = np.ones(len(seq), bool)
        mask[pos] = False
        mask &= ~keep
        refs.append(ref[mask])
        outs.append(other[mask])
    return compare_attributions(np.stack(refs), np.stack(outs), k=k)
