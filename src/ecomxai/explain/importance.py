r"""Global feature importance without gradients: weights, permutation, occlusion.

Three ways to ask "which inputs matter" of a model :math:`f`:

* **First-layer weight magnitudes** read the network, not its behaviour:
  :math:`g_i = \sum_j |W_{ij}|` over the first dense layer. They ignore every later layer,
  cancel nothing, and depend on the units of :math:`x_i` (a weight on raw inputs shrinks
  when a feature is measured in larger units), so they are a weak proxy at best.
* **Permutation importance** :cite:`breiman2001random,fisher2019all` breaks the link
  between feature :math:`i` and the target by shuffling column :math:`i` and measures the
  loss of score,

  .. math::

     \mathrm{PI}_i = s\bigl(y, f(X)\bigr) - \frac1R \sum_{r=1}^R
         s\bigl(y, f(X^{\pi_r(i)})\bigr),

  where :math:`X^{\pi_r(i)}` is :math:`X` with column :math:`i` permuted.
* **Occlusion** replaces feature :math:`i` by a reference value :math:`b_i` and records
  the change of the output, :math:`o_{ri} = f(x_r) - f(x_r[i \leftarrow b_i])`; its mean
  absolute value is a global importance.

Model-agnostic: every function takes ``f(X: np.ndarray) -> np.ndarray``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Literal

import numpy as np

from ecomxai.explain.adapters import check_inputs
from ecomxai.validation import (InputError, check_array, check_callable, check_int,
                                check_model_output, check_vector)


__all__ = [
    "first_layer_importance",
    "document_omega",
    "PermutationResult",
    "permutation_importance",
    "occlusion",
]

ModelFn = Callable[[np.ndarray], np.ndarray]
Scoring = Literal["r2", "neg_mean_squared_error", "neg_mean_absolute_error"]


def _predict(f: ModelFn, X: np.ndarray) -> np.ndarray:
    check_callable(f, "f")
    return check_model_output(f(X), len(X), "the model function f")


def first_layer_importance(kernel: np.ndarray, *, input_scale: np.ndarray | None = None,
                           normalise: bool = True) -> np.ndarray:
    r"""Row sums of absolute first-layer weights, :math:`g_i = \sum_j |W_{ij}| / s_i`.

    Parameters
    ----------
    kernel
        ``(d, h)`` weight matrix of the first dense layer (Keras stores ``(inputs, units)``;
        for a PyTorch ``nn.Linear`` pass ``weight.T``).
    input_scale
        If the layer acts on standardised inputs :math:`(x - \mu)/s`, pass :math:`s` to get
        the weight per *raw* unit, :math:`W_{ij}/s_i` -- which shows how units change the
        ranking.
    normalise
        Make the vector sum to 1.
    """
    W = check_array(kernel, "kernel", min_rows=0, finite=False)
    if W.ndim != 2 or W.size == 0 or not np.all(np.isfinite(W)):
        raise InputError(f"kernel must be a finite 2-D (inputs, units) matrix, got {W.shape}; "
                         "for a 64x32 hidden matrix there is no row per input feature")
    g = np.abs(W).sum(axis=1)
    if input_scale is not None:
        s = check_vector(input_scale, "input_scale")
        if s.shape != (W.shape[0],) or np.any(s <= 0):
            raise InputError(f"input_scale must hold {W.shape[0]} positive numbers")
        g = g / s
    return g / g.sum() if normalise and g.sum() > 0 else g


def document_omega(predictions: np.ndarray, X: np.ndarray, *, normalise: bool = True
                   ) -> np.ndarray:
    r"""Document 000's :math:`\omega_i = \frac1N \sum_n w_n f_n(i)`, read literally.

    The document never defines the "prediction weight" :math:`w_n`; the closest reading
    takes the prediction :math:`\hat y_n`, so :math:`\omega_i` is the mean of
    :math:`\hat y_n x_{ni}`. That is a moment of the data, dominated by each feature's
    units and mean -- not an importance. It is here only so the book can show that.
    """
    X = check_inputs(X)
    w = check_vector(predictions, "predictions", size=len(X))
    omega = (w[:, None] * X).mean(axis=0)
    return omega / np.abs(omega).sum() if normalise and np.abs(omega).sum() > 0 else omega


def _scorer(scoring: Scoring | Callable[[np.ndarray, np.ndarray], float]
            ) -> Callable[[np.ndarray, np.ndarray], float]:
    if callable(scoring):
        return scoring
    if scoring == "r2":
        return lambda y, p: 1.0 - float(((y - p) ** 2).sum() / ((y - y.mean()) ** 2).sum())
    if scoring == "neg_mean_squared_error":
        return lambda y, p: -float(((y - p) ** 2).mean())
    if scoring == "neg_mean_absolute_error":
        return lambda y, p: -float(np.abs(y - p).mean())
    raise InputError(f"unknown scoring {scoring!r}; use 'r2', 'neg_mean_squared_error', "
                     "'neg_mean_absolute_error' or a callable score(y, pred) (higher is better)")


@dataclass(frozen=True)
class PermutationResult:
    """Permutation importance: ``importances`` is ``(d, n_repeats)``; mean and sd per feature."""

    importances: np.ndarray
    baseline_score: float

    @property
    def importances_mean(self) -> np.ndarray:
        return self.importances.mean(axis=1)

    @property
    def importances_std(self) -> np.ndarray:
        return self.importances.std(axis=1)


def permutation_importance(f: ModelFn, X: np.ndarray, y: np.ndarray, *,
                           scoring: Scoring | Callable[[np.ndarray, np.ndarray], float] = "r2",
                           n_repeats: int = 5, seed: int = 0) -> PermutationResult:
    r"""Permutation importance of each column of ``X`` for model function ``f``.

    Parameters
    ----------
    f
        ``f(X) -> (n,)``.
    X, y
        Held-out inputs ``(n, d)`` and targets ``(n,)``.
    scoring
        Score where higher is better (as in scikit-learn).
    n_repeats
        Shuffles per feature; the spread shows how stable the estimate is.
    seed
        Seed of the permutations.
    """
    X = check_inputs(X)
    if X.ndim != 2:
        raise InputError(f"X must be 2-D (rows, features), got {X.shape}")
    check_callable(f, "f")
    y = check_vector(y, "y (one target per row)", size=len(X))
    n_repeats = check_int(n_repeats, "n_repeats")
    seed = check_int(seed, "seed", minimum=0)
    score = _scorer(scoring)
    base = score(y, _predict(f, X))
    rng = np.random.default_rng(seed)
    n, d = X.shape
    out = np.empty((d, n_repeats))
    for i in range(d):
        # all repeats of one feature in a single model call
        stacked = np.repeat(X[None], n_repeats, axis=0)
        for r in range(n_repeats):
            stacked[r, :, i] = X[rng.permutation(n), i]
        preds = _predict(f, stacked.reshape(-1, d)).reshape(n_repeats, n)
        out[i] = [base - score(y, p) for p in preds]
    return PermutationResult(out, base)


def occlusion(f: ModelFn, X: np.ndarray, baseline: np.ndarray | float) -> np.ndarray:
    r"""Per-row occlusion attributions :math:`o_{ri} = f(x_r) - f(x_r[i \leftarrow b_i])`.

    Parameters
    ----------
    f
        ``f(X) -> (n,)``.
    X
        Inputs ``(n, d)``.
    baseline
        Reference value per feature (length ``d``) or a scalar, e.g. the training mean.

    Returns
    -------
    numpy.ndarray
        ``(n, d)``; ``np.abs(result).mean(0)`` is a global importance.
    """
    check_callable(f, "f")
    X = check_inputs(X)
    if X.ndim != 2:
        raise InputError(f"X must be 2-D (rows, features), got {X.shape}")
    n, d = X.shape
    try:
        b = np.broadcast_to(np.asarray(baseline, dtype=np.float64), (d,))
    except (TypeError, ValueError) as err:
        raise InputError(f"baseline must be a scalar or {d} numbers (one per feature)") from err
    if not np.all(np.isfinite(b)):
        raise InputError("baseline contains NaN or infinite values")
    occluded = np.repeat(X[None], d, axis=0)
    occluded[np.arange(d), :, np.arange(d)] = b[:, None]
    full = _predict(f, X)
    out = _predict(f, occluded.reshape(-1, d)).reshape(d, n)
    return (full[None] - out).T
