r"""Partial dependence and individual conditional expectation (ICE) curves.

For a feature :math:`i` and a grid value :math:`v`, the ICE curve of row :math:`r`
:cite:`goldstein2015peeking` is the model's output with :math:`x_{ri}` set to :math:`v`,
and the partial dependence :cite:`friedman2001greedy` is their average,

.. math::

   \mathrm{ICE}_r(v) = f(v, x_{r,-i}), \qquad
   \mathrm{PD}_i(v) = \frac1n \sum_{r=1}^n f(v, x_{r,-i}).

Parallel ICE curves mean :math:`f` is additive in :math:`x_i`; fanning curves reveal an
interaction (in the catalogue: a promotion lifts cheap products more than dear ones).
Model-agnostic: ``f(X: np.ndarray) -> np.ndarray``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.stats.mstats import mquantiles

from ecomxai.explain.adapters import check_inputs
from ecomxai.validation import InputError, check_callable, check_int, check_model_output


__all__ = ["DependenceResult", "feature_grid", "ice_curves", "partial_dependence"]


@dataclass(frozen=True)
class DependenceResult:
    """ICE curves ``(n, g)`` of one feature over ``grid`` ``(g,)``; ``average`` is the PD."""

    feature: int
    grid: np.ndarray
    ice: np.ndarray

    @property
    def average(self) -> np.ndarray:
        return self.ice.mean(axis=0)

    def centred(self) -> np.ndarray:
        """c-ICE: each curve minus its value at the first grid point."""
        return self.ice - self.ice[:, :1]


def feature_grid(values: np.ndarray, *, grid_resolution: int = 20,
                 percentiles: tuple[float, float] = (0.05, 0.95)) -> np.ndarray:
    """Grid for one feature: its unique values if there are few, else evenly spaced
    between two percentiles (scikit-learn's rule)."""
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.size == 0 or not np.all(np.isfinite(v)):
        raise InputError("feature values must be a non-empty finite vector")
    try:
        low, high = (float(p) for p in percentiles)
    except (TypeError, ValueError) as err:
        raise InputError(f"percentiles must be two numbers (low, high), got {percentiles!r}"
                         ) from err
    if not 0 <= low < high <= 1:
        raise InputError(f"percentiles must satisfy 0 <= low < high <= 1, got {percentiles}")
    grid_resolution = check_int(grid_resolution, "grid_resolution", minimum=2)
    uniq = np.unique(v)
    if len(uniq) < grid_resolution:
        return uniq
    lo, hi = mquantiles(v, prob=(low, high))  # the quantile rule scikit-learn uses
    return np.linspace(lo, hi, grid_resolution)


def ice_curves(f: Callable[[np.ndarray], np.ndarray], X: np.ndarray, feature: int,
               grid: np.ndarray | None = None, *, grid_resolution: int = 20) -> DependenceResult:
    """ICE curves of column ``feature`` for every row of ``X`` (one batched model call)."""
    check_callable(f, "f")
    X = check_inputs(X)
    if X.ndim != 2:
        raise InputError(f"X must be 2-D (rows, features), got {X.shape}")
    n, d = X.shape
    if isinstance(feature, (bool, np.bool_)) or not isinstance(feature, (int, np.integer)) \
            or not 0 <= feature < d:
        raise InputError(f"feature must be a column index in 0..{d - 1}, got {feature!r}")
    g = feature_grid(X[:, feature], grid_resolution=grid_resolution) if grid is None \
        else np.asarray(grid, dtype=np.float64).ravel()
    if g.size == 0 or not np.all(np.isfinite(g)):
        raise InputError("grid must be a non-empty finite vector")
    Z = np.repeat(X[None], len(g), axis=0)          # (g, n, d)
    Z[:, :, feature] = g[:, None]
    out = check_model_output(f(Z.reshape(-1, d)), len(g) * n, "f").reshape(len(g), n)
    return DependenceResult(int(feature), g, out.T)


def partial_dependence(f: Callable[[np.ndarray], np.ndarray], X: np.ndarray, feature: int,
                       grid: np.ndarray | None = None, *, grid_resolution: int = 20
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Partial dependence of ``f`` on column ``feature``: ``(grid, average)``."""
    res = ice_curves(f, X, feature, grid, grid_resolution=grid_resolution)
    return res.grid, res.average
