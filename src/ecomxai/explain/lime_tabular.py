r"""LIME for tabular data :cite:`ribeiro2016why`, seeded, with its local fidelity.

LIME explains one prediction :math:`f(x)` by a weighted linear model :math:`g` fitted on
perturbed samples :math:`z` around :math:`x`,

.. math::

   \xi(x) = \arg\min_{g \in G} \sum_z \pi_x(z)\,\bigl(f(z) - g(z')\bigr)^2 + \Omega(g),
   \qquad \pi_x(z) = \exp\bigl(-D(x, z)^2 / \kappa^2\bigr),

and reports :math:`g`'s coefficients. How well :math:`g` mimics :math:`f` near :math:`x`
is the weighted :math:`R^2` of that fit (*local fidelity*): a low value means the
explanation describes a linear model that the network is not, there.

This wraps the reference implementation (``lime.lime_tabular``) and fixes its
``random_state`` so that the same call gives the same explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ecomxai.explain.adapters import check_inputs
from ecomxai.validation import (InputError, check_callable, check_float, check_ids, check_int,
                                check_model_output)


__all__ = ["LimeResult", "lime_tabular"]


@dataclass(frozen=True)
class LimeResult:
    """LIME explanations of ``n`` rows.

    Attributes
    ----------
    weights
        ``(n, d)`` coefficients as LIME reports them (per interpretable feature).
    attributions
        ``(n, d)`` contribution of each feature to :math:`f(x) - g(\\text{reference})`:
        the weights themselves when features are discretised (the indicator of the
        instance's bin is 1), weight x standardised value otherwise.
    fidelity
        ``(n,)`` weighted :math:`R^2` of each local linear fit (LIME's ``score``).
    intercept, local_prediction
        ``(n,)`` intercept and :math:`g(x)` of each local model.
    """

    weights: np.ndarray
    attributions: np.ndarray
    fidelity: np.ndarray
    intercept: np.ndarray
    local_prediction: np.ndarray


def lime_tabular(
    f: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    training_data: np.ndarray,
    *,
    feature_names: Sequence[str] | None = None,
    categorical_features: Sequence[int] = (),
    discretize_continuous: bool = True,
    num_samples: int = 2000,
    kernel_width: float | None = None,
    random_state: int = 0,
) -> LimeResult:
    """Explain every row of ``X`` with ``lime.lime_tabular.LimeTabularExplainer``.

    Parameters
    ----------
    f
        Regression model function ``f(X) -> (n,)`` on raw features.
    X
        Rows to explain, ``(n, d)``.
    training_data
        Rows from which LIME learns feature statistics and bins, ``(m, d)``.
    feature_names, categorical_features
        Passed to LIME (``categorical_features`` are column indices).
    discretize_continuous
        LIME's default (quartile bins). ``False`` fits on standardised raw values.
    num_samples
        Perturbed samples per explanation.
    kernel_width
        Width :math:`\\kappa` of the proximity kernel (LIME default
        :math:`0.75\\sqrt d`).
    random_state
        Seed of LIME's sampler; one explainer is built per call, so results repeat.
    """
    check_callable(f, "f")
    X = check_inputs(X)
    training_data = check_inputs(training_data, name="training_data")
    if X.ndim != 2 or training_data.ndim != 2 or X.shape[1] != training_data.shape[1]:
        raise InputError(f"X {X.shape} and training_data {training_data.shape} must be 2-D "
                         "with the same columns")
    d = X.shape[1]
    names = list(feature_names) if feature_names is not None else [f"x{i}" for i in range(d)]
    if len(names) != d:
        raise InputError(f"{len(names)} feature names for {d} columns")
    categorical = check_ids(categorical_features, "categorical_features", min_length=0,
                            vocabulary_size=d)
    num_samples = check_int(num_samples, "num_samples", minimum=2)
    if kernel_width is not None:
        kernel_width = check_float(kernel_width, "kernel_width", minimum=0.0, strict_min=True)
    random_state = check_int(random_state, "random_state", minimum=0)
    from lime.lime_tabular import LimeTabularExplainer  # noqa: PLC0415

    def fn(Z: np.ndarray) -> np.ndarray:
        return check_model_output(f(np.asarray(Z, dtype=np.float64)), len(Z), "f")

    explainer = LimeTabularExplainer(
        training_data, mode="regression", feature_names=names,
        categorical_features=categorical,
        discretize_continuous=discretize_continuous, kernel_width=kernel_width,
        random_state=random_state)
    n = len(X)
    weights = np.zeros((n, d))
    fidelity, intercept, local = np.empty(n), np.empty(n), np.empty(n)
    for r in range(n):
        exp = explainer.explain_instance(X[r], fn, num_features=d, num_samples=num_samples)
        for i, w in exp.local_exp[1]:  # regression: label 1 holds the signed weights
            weights[r, i] = w
        fidelity[r] = exp.score
        intercept[r] = float(exp.intercept[1])
        local[r] = float(np.ravel(exp.local_pred)[0])
    if discretize_continuous:
        attributions = weights.copy()
    else:
        scaler = explainer.scaler
        z = (X - scaler.mean_) / scaler.scale_
        z[:, categorical] = 1.0  # categorical: the indicator "equals this value" is on
        attributions = weights * z
    return LimeResult(weights, attributions, fidelity, intercept, local)
