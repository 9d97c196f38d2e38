r"""Shapley values: exact for a handful of features, and thin adapters to ``shap``.

For a model :math:`f` with :math:`d` features, an input :math:`x` and a background set
:math:`\mathcal{B}`, the *interventional* value of a coalition :math:`S \subseteq N`
replaces the features outside :math:`S` by background values:

.. math::

   v_x(S) = \frac{1}{|\mathcal{B}|} \sum_{b \in \mathcal{B}} f(x_S, b_{N \setminus S}),

and the Shapley value of feature :math:`i` :cite:`lundberg2017unified` is

.. math::

   \phi_i(x) = \sum_{S \subseteq N \setminus \{i\}}
      \frac{|S|!\,(d - |S| - 1)!}{d!}\,\bigl(v_x(S \cup \{i\}) - v_x(S)\bigr).

*Efficiency*: :math:`\sum_i \phi_i(x) = v_x(N) - v_x(\varnothing) = f(x) - \mathbb{E}_b f(b)`.
:func:`exact_shapley` enumerates all :math:`2^d` coalitions, which is cheap for the
book's ten product features (1024 coalitions) and is the reference the approximations
(KernelSHAP, sampling) are judged against.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from math import factorial
from typing import Callable

import numpy as np

from ecomxai.explain.adapters import check_inputs
from ecomxai.validation import InputError, check_int, check_model_output, checked_model

__all__ = ["ShapleyResult", "exact_shapley", "coalition_matrix", "shapley_weights",
           "kernel_shap", "shap_explainer_values"]

MAX_EXACT_FEATURES = 16


@dataclass(frozen=True)
class ShapleyResult:
    """Shapley values of ``n`` inputs.

    Attributes
    ----------
    values
        ``(n, d)`` attributions.
    base_value
        :math:`v(\\varnothing)`, the mean prediction over the background.
    predictions
        :math:`f(x)` for each row, so that ``values.sum(1) + base_value == predictions``.
    seconds
        Wall time spent.
    """

    values: np.ndarray
    base_value: float
    predictions: np.ndarray
    seconds: float

    @property
    def efficiency_gap(self) -> np.ndarray:
        """Per-row :math:`|\\sum_i \\phi_i - (f(x) - v(\\varnothing))|`."""
        return np.abs(self.values.sum(axis=1) + self.base_value - self.predictions)


def coalition_matrix(d: int) -> np.ndarray:
    """All :math:`2^d` coalitions as a boolean ``(2**d, d)`` matrix; row ``k`` is bitmask ``k``."""
    d = check_int(d, "d", minimum=None)
    if not 1 <= d <= MAX_EXACT_FEATURES:
        raise InputError(
            f"exact Shapley enumerates 2^d coalitions; d={d} is outside 1..{MAX_EXACT_FEATURES}. "
            "Group features or use kernel_shap for more features"
        )
    masks = np.arange(2**d)[:, None]
    return ((masks >> np.arange(d)) & 1).astype(bool)


def shapley_weights(d: int) -> np.ndarray:
    r"""Weight :math:`|S|!(d-|S|-1)!/d!` indexed by coalition size :math:`|S| = 0..d-1`."""
    d = check_int(d, "d")
    return np.array([factorial(s) * factorial(d - s - 1) / factorial(d) for s in range(d)])


def _as_model_fn(f: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    return checked_model(f, "f")


def _check_pair(X: np.ndarray, background: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X = check_inputs(X)
    background = check_inputs(background, name="background")
    if X.ndim != 2 or background.ndim != 2 or background.shape[1] != X.shape[1]:
        raise InputError(
            f"X {X.shape} and background {background.shape} must be 2-D with equal columns"
        )
    return X, background


def exact_shapley(
    f: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    background: np.ndarray,
    *,
    batch_rows: int = 200_000,
) -> ShapleyResult:
    """Exact interventional Shapley values by enumerating every coalition.

    Parameters
    ----------
    f
        Model function ``f(X: (m, d)) -> (m,)`` (or ``(m, 1)``).
    X
        Inputs to explain, ``(n, d)`` with ``d <= 16``.
    background
        Reference rows ``(k, d)`` that stand in for "feature absent". Cost is
        ``n * 2**d * k`` model evaluations.
    batch_rows
        Model rows evaluated per call.

    Returns
    -------
    ShapleyResult
        Values, base value, predictions and time. Efficiency holds to float precision.
    """
    start = time.perf_counter()
    X, background = _check_pair(X, background)
    batch_rows = check_int(batch_rows, "batch_rows")
    fn = _as_model_fn(f)
    n, d = X.shape
    masks = coalition_matrix(d)
    n_coal, k = len(masks), len(background)
    weights = shapley_weights(d)
    sizes = masks.sum(axis=1)
    values = np.empty((n, d))
    v_all = np.empty((n, n_coal))
    per_call = max(1, batch_rows // (n_coal * k))
    for s in range(0, n, per_call):
        xb = X[s:s + per_call]
        # rows: (instance, coalition, background) -> composite input
        comp = np.where(masks[None, :, None, :], xb[:, None, None, :], background[None, None])
        out = fn(comp.reshape(-1, d)).reshape(len(xb), n_coal, k).mean(axis=2)
        v_all[s:s + per_call] = out
    bit = 1 << np.arange(d)
    for i in range(d):
        without = np.flatnonzero(~masks[:, i])          # coalitions S not containing i
        with_i = without | bit[i]                        # S + {i}
        w = weights[sizes[without]]
        values[:, i] = (v_all[:, with_i] - v_all[:, without]) @ w
    base = float(v_all[:, 0].mean())  # v(empty) is the same for every row
    preds = v_all[:, -1]
    return ShapleyResult(values, base, preds, time.perf_counter() - start)


def kernel_shap(
    f: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    background: np.ndarray,
    *,
    nsamples: int | str = "auto",
    seed: int = 0,
) -> ShapleyResult:
    """KernelSHAP (``shap.KernelExplainer``) with the same interface as :func:`exact_shapley`.

    ``nsamples`` coalitions per input; with ``2**d - 2`` or more KernelSHAP enumerates all
    of them and agrees with the exact values.
    """
    start = time.perf_counter()
    X, background = _check_pair(X, background)
    fn = _as_model_fn(f)
    if nsamples != "auto":
        nsamples = check_int(nsamples, "nsamples (coalitions per input, or 'auto')", minimum=2)
    seed = check_int(seed, "seed", minimum=0)
    import shap  # noqa: PLC0415 - heavy import, only when asked (after the checks)

    np.random.seed(seed)  # KernelExplainer samples coalitions from NumPy's global state
    explainer = shap.KernelExplainer(fn, background, link="identity")
    vals = explainer.shap_values(X, nsamples=nsamples, silent=True)
    vals = np.asarray(vals, dtype=np.float64).reshape(X.shape)
    return ShapleyResult(vals, float(np.asarray(explainer.expected_value).ravel()[0]), fn(X),
                         time.perf_counter() - start)


def shap_explainer_values(explainer: object, X: np.ndarray, **kwargs: object) -> ShapleyResult:
    """Run any ``shap`` explainer object built by the caller and wrap its output.

    Use it for the model-specific explainers (``shap.GradientExplainer``,
    ``shap.DeepExplainer``, ``shap.explainers.Exact``) whose construction needs the model
    itself, which this module never imports.
    """
    start = time.perf_counter()
    X = check_inputs(X)
    if not hasattr(explainer, "shap_values") and not callable(explainer):
        raise InputError(f"explainer must be a shap explainer object, got "
                         f"{type(explainer).__name__}; build it with shap first")
    if hasattr(explainer, "shap_values"):
        vals = explainer.shap_values(X, **kwargs)
        base = getattr(explainer, "expected_value", np.nan)
    else:
        exp = explainer(X, **kwargs)
        vals, base = exp.values, exp.base_values
    vals = np.asarray(vals, dtype=np.float64)
    if vals.ndim == 3 and vals.shape[-1] == 1:
        vals = vals[..., 0]
    if vals.size != X.size:
        raise InputError(f"the explainer returned {vals.shape} values for inputs {X.shape}; "
                         "explain one output (pick a class) so values match the inputs")
    check_model_output(vals.reshape(len(X), -1), len(X), "the explainer",
                       width=vals.size // len(X))
    base_arr = np.asarray(base, dtype=np.float64).ravel()
    base_value = float(base_arr[0]) if base_arr.size else float("nan")
    return ShapleyResult(vals.reshape(X.shape), base_value,
                         vals.reshape(len(X), -1).sum(1) + base_value,
                         time.perf_counter() - start)
