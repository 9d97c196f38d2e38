r"""Gradient attributions: saliency, gradient x input, integrated gradients.

All three take a :class:`~ecomxai.explain.adapters.GradientModel` (a Keras, PyTorch or
NumPy model behind one small adapter) and a batch ``X`` of shape ``(n, ...)``, and return
attributions of the same shape.

Integrated gradients :cite:`sundararajan2017axiomatic` attribute
:math:`f(x) - f(x')` to the input dimensions along the straight path from a baseline
:math:`x'` to :math:`x`:

.. math::

   \mathrm{IG}_i(x) = (x_i - x'_i) \int_0^1
       \frac{\partial f\bigl(x' + \alpha (x - x')\bigr)}{\partial x_i}\, d\alpha ,

and satisfy *completeness*, :math:`\sum_i \mathrm{IG}_i(x) = f(x) - f(x')`, up to the error
of the quadrature that replaces the integral. :func:`completeness_gap` measures it.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from ecomxai.explain.adapters import GradientModel, check_inputs
from ecomxai.validation import InputError, check_array, check_int, check_model_output

__all__ = [
    "saliency",
    "gradient_x_input",
    "integrated_gradients",
    "quadrature",
    "completeness_gap",
]

Quadrature = Literal["gausslegendre", "riemann_trapezoid", "riemann_left", "riemann_right",
                     "riemann_middle"]


def _baseline_like(X: np.ndarray, baseline: np.ndarray | float | None) -> np.ndarray:
    if baseline is None:
        return np.zeros_like(X)
    b = check_array(baseline, "baseline", min_rows=0, finite=False)
    try:
        b = np.broadcast_to(b, X.shape).copy()
    except ValueError as err:
        raise InputError(
            f"baseline of shape {b.shape} does not broadcast to inputs of shape {X.shape}"
        ) from err
    if not np.all(np.isfinite(b)):
        raise InputError("baseline contains NaN or infinite values")
    return b


def _check_model(model: GradientModel) -> None:
    if not callable(getattr(model, "gradient", None)) or not callable(model):
        raise InputError(f"model must be a GradientModel (callable with a .gradient method), got "
                         f"{type(model).__name__}; wrap it in KerasAdapter, TorchAdapter or "
                         "NumpyAdapter")


def _gradient(model: GradientModel, X: np.ndarray) -> np.ndarray:
    """``model.gradient(X)``, checked: shaped like ``X``, finite."""
    _check_model(model)
    g = np.asarray(model.gradient(X), dtype=np.float64)
    if g.shape != X.shape:
        raise InputError(f"model.gradient returned shape {g.shape}, expected {X.shape}")
    if not np.all(np.isfinite(g)):
        raise InputError("model.gradient returned NaN or infinite values; check the model")
    return g


def saliency(model: GradientModel, X: np.ndarray, *, absolute: bool = True) -> np.ndarray:
    r"""Vanilla gradient (saliency) :math:`\left|\partial f(x) / \partial x_i\right|`.

    Parameters
    ----------
    model
        Adapter exposing ``gradient``.
    X
        Inputs, shape ``(n, ...)``.
    absolute
        Return :math:`|\nabla f|` (Simonyan et al.'s saliency map) or the signed gradient.
    """
    X = check_inputs(X)
    g = _gradient(model, X)
    return np.abs(g) if absolute else g


def gradient_x_input(model: GradientModel, X: np.ndarray,
                     baseline: np.ndarray | float | None = None) -> np.ndarray:
    r"""Gradient times input, :math:`(x_i - x'_i)\,\partial f(x)/\partial x_i`.

    Exact for a linear model (it then equals the Shapley value with a point baseline);
    a first-order approximation otherwise.
    """
    X = check_inputs(X)
    return _gradient(model, X) * (X - _baseline_like(X, baseline))


def quadrature(steps: int, method: Quadrature = "gausslegendre") -> tuple[np.ndarray, np.ndarray]:
    r"""Nodes :math:`\alpha_k \in [0, 1]` and weights :math:`w_k` with
    :math:`\int_0^1 g(\alpha)\,d\alpha \approx \sum_k w_k\, g(\alpha_k)`.

    ``gausslegendre`` (the default, as in Captum) is exact for polynomials of degree
    ``2 * steps - 1``; the Riemann rules converge as :math:`O(1/\text{steps})`
    (trapezoid: :math:`O(1/\text{steps}^2)`).
    """
    steps = check_int(steps, "steps")
    if method == "gausslegendre":
        nodes, weights = np.polynomial.legendre.leggauss(int(steps))
        return (nodes + 1.0) / 2.0, weights / 2.0
    if method == "riemann_trapezoid":
        if steps < 2:
            raise InputError("riemann_trapezoid needs at least 2 steps")
        alphas = np.linspace(0.0, 1.0, steps)
        w = np.full(steps, 1.0 / (steps - 1))
        w[[0, -1]] /= 2.0
        return alphas, w
    offsets = {"riemann_left": 0.0, "riemann_right": 1.0, "riemann_middle": 0.5}
    if method not in offsets:
        raise InputError(f"unknown quadrature {method!r}; choose gausslegendre or riemann_*")
    alphas = (np.arange(steps) + offsets[method]) / steps
    return alphas, np.full(steps, 1.0 / steps)


def integrated_gradients(
    model: GradientModel,
    X: np.ndarray,
    baseline: np.ndarray | float | None = None,
    *,
    steps: int = 50,
    method: Quadrature = "gausslegendre",
    batch_rows: int = 8192,
    return_delta: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    r"""Integrated gradients of ``model`` at every row of ``X``.

    Parameters
    ----------
    model
        Adapter exposing ``__call__`` and ``gradient``.
    X
        Inputs, shape ``(n, ...)``.
    baseline
        Reference input :math:`x'`: ``None`` (zeros), a scalar, one row, or one per row.
    steps
        Number of quadrature nodes along the path.
    method
        Quadrature rule, see :func:`quadrature`.
    batch_rows
        How many interpolated inputs go through the model at once.
    return_delta
        Also return the signed completeness gap per row,
        :math:`\sum_i \mathrm{IG}_i - (f(x) - f(x'))`.

    Returns
    -------
    numpy.ndarray or (numpy.ndarray, numpy.ndarray)
        Attributions shaped like ``X`` (and the gap, shape ``(n,)``).
    """
    _check_model(model)
    X = check_inputs(X)
    B = _baseline_like(X, baseline)
    alphas, weights = quadrature(steps, method)
    batch_rows = check_int(batch_rows, "batch_rows")
    diff = X - B
    n = len(X)
    avg_grad = np.zeros_like(X)
    # interpolate all rows at all alphas, in chunks of whole alpha levels
    per_chunk = max(1, batch_rows // n)
    for start in range(0, len(alphas), per_chunk):
        a = alphas[start:start + per_chunk]
        w = weights[start:start + per_chunk]
        shape_a = (len(a), 1) + (1,) * (X.ndim - 1)
        path = (B[None] + a.reshape(shape_a) * diff[None]).reshape((-1,) + X.shape[1:])
        g = np.asarray(model.gradient(path), dtype=np.float64)
        if g.shape != path.shape:
            raise InputError(f"model.gradient returned shape {g.shape}, expected {path.shape}")
        g = g.reshape((len(a),) + X.shape)
        avg_grad += np.tensordot(w, g, axes=(0, 0))
    attributions = diff * avg_grad
    if not np.all(np.isfinite(attributions)):
        raise InputError("model.gradient returned NaN or infinite values; check the model")
    if not return_delta:
        return attributions
    gap = attributions.reshape(n, -1).sum(axis=1) - (model(X) - model(B))
    return attributions, gap


def completeness_gap(model: GradientModel, X: np.ndarray, attributions: np.ndarray,
                     baseline: np.ndarray | float | None = None, *,
                     relative: bool = False) -> np.ndarray:
    r"""Per-row completeness error :math:`|\sum_i a_i - (f(x) - f(x'))|`.

    With ``relative=True`` the error is divided by :math:`|f(x) - f(x')|` (rows where the
    difference is below ``1e-12`` get 0 error if the attributions also sum to ~0).
    Any additive attribution (IG, Shapley values, DeepLIFT) should make it small.
    """
    _check_model(model)
    X = check_inputs(X)
    A = check_array(attributions, "attributions", min_rows=0)
    if A.shape != X.shape:
        raise InputError(f"attributions shape {A.shape} differs from inputs shape {X.shape}")
    B = _baseline_like(X, baseline)
    target = (check_model_output(model(X), len(X), "model")
              - check_model_output(model(B), len(X), "model"))
    err = np.abs(A.reshape(len(X), -1).sum(axis=1) - target)
    if relative:
        scale = np.abs(target)
        err = np.where(scale > 1e-12, err / np.maximum(scale, 1e-12), err)
    return err
