r"""Document 000, §4: the linear model, its loss, its gradient, and the ω_i "importance".

The document writes the model, the loss and the gradient as

.. math::

   Y = \sum_{i=1}^{M} w_i x_i, \qquad
   L = \tfrac12 \sum_{n=1}^{N} (y_n - \hat{y}_n)^2, \qquad
   \nabla_L F = \frac{\partial L}{\partial Y}\cdot\frac{\partial Y}{\partial F}.

The last one is not a gradient anybody can use: :math:`Y = F` so the second factor is 1.
What training needs is the gradient with respect to the weights,
:math:`\partial L / \partial w_i = -\sum_n (y_n - \hat{y}_n)\,x_{n,i}` (:func:`loss_gradient`).
The document's importance :math:`\omega_i = \frac1N\sum_n w_n f_n(i)` (:func:`document_omega`)
is an average of feature values, not a property of the model; for a linear model the
Shapley value :math:`\phi_i(x) = w_i (x_i - \mathbb{E}[x_i])` (:func:`linear_shapley`) is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecomxai.formulas.records import FormulaCheck, compare

__all__ = ["linear_model", "half_sse", "mse", "loss_gradient", "gradient_step",
           "document_omega", "linear_shapley", "omega_demo", "linear_checks",
           "listing_activation_plot_000"]


def linear_model(X: np.ndarray, w: np.ndarray, b: float = 0.0) -> np.ndarray:
    r"""Predictions :math:`\hat{y}_n = \sum_i w_i x_{n,i} + b`."""
    return np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + b


def half_sse(y: np.ndarray, y_hat: np.ndarray) -> float:
    r"""The document's loss :math:`L = \frac12\sum_n (y_n - \hat{y}_n)^2` (half the sum of
    squares; the MSE divides by :math:`N` instead of 2)."""
    return 0.5 * float(np.sum((np.asarray(y) - np.asarray(y_hat)) ** 2))


def mse(y: np.ndarray, y_hat: np.ndarray) -> float:
    r"""Mean squared error :math:`\frac1N\sum_n (y_n - \hat{y}_n)^2 = \frac{2}{N} L`."""
    return float(np.mean((np.asarray(y) - np.asarray(y_hat)) ** 2))


def loss_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float = 0.0) -> np.ndarray:
    r"""Gradient of :func:`half_sse` with respect to the weights,
    :math:`\nabla_w L = -X^\top (y - Xw - b)`."""
    return -np.asarray(X).T @ (np.asarray(y) - linear_model(X, w, b))


def gradient_step(w: np.ndarray, grad: np.ndarray, lr: float) -> np.ndarray:
    r"""One gradient-descent update :math:`w \leftarrow w - \eta \nabla_w L`."""
    return np.asarray(w) - lr * np.asarray(grad)


def document_omega(X: np.ndarray, sample_weights: np.ndarray | None = None) -> np.ndarray:
    r"""The document's :math:`\omega_i = \frac1N\sum_n w_n\,f_n(i)` for every feature.

    ``sample_weights`` are the undefined ":math:`w_n`, the model's prediction weight of
    sample :math:`n`"; ``None`` reads them as 1 (then :math:`\omega_i` is the feature mean).
    """
    X = np.asarray(X, dtype=np.float64)
    w = np.ones(len(X)) if sample_weights is None else np.asarray(sample_weights, float)
    return (w[:, None] * X).mean(axis=0)


def linear_shapley(X: np.ndarray, w: np.ndarray, background: np.ndarray) -> np.ndarray:
    r"""Exact Shapley values of a linear model, :math:`\phi_i(x) = w_i (x_i - \bar{x}_i)`,
    with :math:`\bar{x}` the mean of the background rows."""
    X = np.asarray(X, dtype=np.float64)
    return (X - np.asarray(background, float).mean(axis=0)) * np.asarray(w, float)


def omega_demo(n: int = 500, seed: int = 0) -> pd.DataFrame:
    r"""ω_i versus mean :math:`|\phi_i|` on a model that ignores one feature.

    Sales depend on price only (:math:`y = 3\,\text{price}`); stock is measured in units
    (mean 100) and has weight 0. The table gives both readings of the document's
    :math:`w_n` (1 and the prediction :math:`\hat{y}_n`), the same with stock counted in
    hundreds of units, and the Shapley importance.
    """
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.normal(1.0, 0.3, n), rng.normal(100.0, 20.0, n)])
    w = np.array([3.0, 0.0])
    y_hat = linear_model(X, w)
    X_hundreds = X / np.array([1.0, 100.0])
    rows = {
        "omega, w_n = 1": document_omega(X),
        "omega, w_n = prediction": document_omega(X, y_hat),
        "omega, w_n = prediction, stock in hundreds": document_omega(X_hundreds, y_hat),
        "mean |Shapley|": np.abs(linear_shapley(X, w, X)).mean(axis=0),
        "mean |Shapley|, stock in hundreds":
            np.abs(linear_shapley(X_hundreds, w * np.array([1.0, 100.0]), X_hundreds)).mean(0),
    }
    return pd.DataFrame(rows, index=["price (weight 3)", "stock (weight 0)"]).T


def linear_checks(seed: int = 0) -> list[FormulaCheck]:
    """Numeric checks of document 000's formulas against scikit-learn, finite
    differences, exact identities and :func:`ecomxai.explain.shapley.exact_shapley`."""
    from sklearn.linear_model import LinearRegression  # noqa: PLC0415
    from sklearn.metrics import mean_squared_error  # noqa: PLC0415

    from ecomxai.explain.shapley import exact_shapley  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(50, 4))
    y = X @ np.array([0.25, 0.2, 0.15, 0.1]) + 0.05 * rng.normal(size=50)
    fit = LinearRegression().fit(X, y)
    w, b = fit.coef_, float(fit.intercept_)
    y_hat = linear_model(X, w, b)
    grad = loss_gradient(X, y, w + 0.3, b)
    h = 1e-6
    numeric = np.array([(half_sse(y, linear_model(X, w + 0.3 + h * e, b))
                         - half_sse(y, linear_model(X, w + 0.3 - h * e, b))) / (2 * h)
                        for e in np.eye(4)])
    eta = 0.01  # L(w - eta g) = L(w) - eta |g|^2 + eta^2/2 |X g|^2 exactly (quadratic loss)
    w0 = w + 0.3
    step_exact = half_sse(y, linear_model(X, w0, b)) - eta * grad @ grad \
        + 0.5 * eta**2 * np.sum((X @ grad) ** 2)
    shap = exact_shapley(lambda Z: linear_model(Z, w, b), X[:5], X)
    omega_loop = [sum(y_hat[n] * X[n, i] for n in range(len(X))) / len(X) for i in range(4)]
    return [
        compare("000", "math-linear-model", "linear model  y = Xw + b", y_hat,
                fit.predict(X), "scikit-learn LinearRegression.predict"),
        compare("000", "math-half-sse", "MSE = (2/N) x half sum of squares",
                2 * half_sse(y, y_hat) / len(y), mean_squared_error(y, y_hat),
                "scikit-learn mean_squared_error"),
        compare("000", "math-linear-gradient", "gradient  -X^T (y - y_hat)", grad, numeric,
                "central differences", tol=1e-5),
        compare("000", "math-gradient-step", "gradient step on the quadratic loss",
                half_sse(y, linear_model(X, gradient_step(w0, grad, eta), b)), step_exact,
                "exact quadratic expansion", tol=1e-9),
        compare("000", "math-omega", "document's omega_i (w_n = prediction)",
                document_omega(X, y_hat), omega_loop, "explicit double loop"),
        compare("000", "math-linear-shapley", "Shapley value of a linear model",
                linear_shapley(X[:5], w, X), shap.values, "exact_shapley (2^d coalitions)"),
    ]


def listing_activation_plot_000(activations: np.ndarray) -> dict[str, object]:
    r"""Document 000's activation plot, ``activation[:, 0]`` for each row, against a heat map.

    ``activations`` are one layer's outputs, shape ``(n_samples, n_units)``. The listing
    loops over the rows (one 1-D vector per sample) and indexes each with ``[:, 0]``,
    which needs two dimensions; the correct picture is the whole matrix, units by samples.

    Returns
    -------
    dict
        ``"listing_error"`` (the exception text, or ``None``) and ``"heatmap_shape"``.
    """
    acts = np.asarray(activations, dtype=np.float64)
    if acts.ndim != 2:
        raise ValueError(f"activations must be (n_samples, n_units), got shape {acts.shape}")
    error = None
    try:
        [row[:, 0] for row in acts]          # the listing: for i, activation in enumerate(...)
    except IndexError as err:
        error = f"IndexError: {err}"
    return {"listing_error": error, "heatmap_shape": acts.T.shape}
