"""Explanation methods for tabular models, in the harness's ``method(model, X) -> A`` form.

Each returns ``(n, d)`` attributions of the score ``model.f`` at the rows ``X``. The
baseline / background they use comes from ``model.extra`` so that a randomised or
re-trained copy of a model is explained in exactly the same way.
"""

from __future__ import annotations

import zlib
from typing import Callable

import numpy as np

from benchmarks.harness import TabularMethod, TabularModel
from ecomxai.explain.gradients import gradient_x_input, integrated_gradients, saliency
from ecomxai.explain.shapley import exact_shapley, kernel_shap


def saliency_method(model: TabularModel, X: np.ndarray) -> np.ndarray:
    """Vanilla gradient magnitude, scaled by each feature's spread (gradients of raw
    features have raw units; a price in yuan and a 0/1 flag are otherwise incomparable)."""
    return saliency(model.adapter, X) * model.extra["feature_scale"]


def gradient_x_input_method(model: TabularModel, X: np.ndarray) -> np.ndarray:
    """Gradient x input, :math:`x_i\\,\\partial f/\\partial x_i` (no baseline: the book's one
    definition, as in the BERT chapter; the baseline belongs to integrated gradients)."""
    return gradient_x_input(model.adapter, X)


def integrated_gradients_method(steps: int) -> TabularMethod:
    """Integrated gradients from the background mean along the straight path."""
    def method(model: TabularModel, X: np.ndarray) -> np.ndarray:
        return integrated_gradients(model.adapter, X, model.extra["baseline"], steps=steps)
    return method


def exact_shapley_method(model: TabularModel, X: np.ndarray) -> np.ndarray:
    """Exact interventional Shapley values against the background rows."""
    return exact_shapley(model.f, X, model.extra["background"]).values


def kernel_shap_method(nsamples: int) -> TabularMethod:
    """KernelSHAP (the ``shap`` library) with ``nsamples`` coalitions per row."""
    def method(model: TabularModel, X: np.ndarray) -> np.ndarray:
        return kernel_shap(model.f, X, model.extra["background"], nsamples=nsamples).values
    return method


def lime_attributions(f: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                      training: np.ndarray, num_samples: int, seed: int = 0
                      ) -> tuple[np.ndarray, np.ndarray]:
    """LIME (the ``lime`` library) as additive attributions, and each fit's local R^2.

    Continuous features are not discretised and samples are drawn around the instance
    (``sample_around_instance=True``; LIME's default samples around the training mean,
    which is not local at all). LIME fits ``f`` on standardised features, so the
    coefficient ``c_i`` times ``(x_i - mean_i) / sd_i`` is feature ``i``'s share of
    ``f(x) - f(mean)`` under the local linear model.
    """
    from lime.lime_tabular import LimeTabularExplainer  # noqa: PLC0415

    explainer = LimeTabularExplainer(np.asarray(training), mode="regression",
                                     discretize_continuous=False, sample_around_instance=True,
                                     random_state=seed)
    mean, scale = explainer.scaler.mean_, explainer.scaler.scale_
    d = X.shape[1]
    out, fidelity = np.zeros_like(X, dtype=np.float64), np.zeros(len(X))
    for r, x in enumerate(np.asarray(X, dtype=np.float64)):
        exp = explainer.explain_instance(x, f, num_features=d, num_samples=num_samples)
        # regression mode stores the fit under label 1 (label 0 holds its negation)
        label = 1 if 1 in exp.local_exp else next(iter(exp.local_exp))
        for i, coef in exp.local_exp[label]:
            out[r, i] = coef * (x[i] - mean[i]) / scale[i]
        fidelity[r] = exp.score
    return out, fidelity


def lime_method(num_samples: int) -> TabularMethod:
    """LIME with ``num_samples`` perturbations per row (see :func:`lime_attributions`)."""
    def method(model: TabularModel, X: np.ndarray) -> np.ndarray:
        return lime_attributions(model.f, X, model.extra["training"], num_samples)[0]
    return method


def random_method(model: TabularModel, X: np.ndarray) -> np.ndarray:
    """Control: Gaussian noise seeded by each row (the floor every method must beat).

    It ignores the model entirely, so it is also the textbook explanation that must fail
    the randomisation sanity check."""
    X = np.asarray(X, dtype=np.float64)
    return np.stack([np.random.default_rng(zlib.crc32(row.round(6).tobytes()))
                     .normal(size=row.shape) for row in X])


def standard_methods(steps: int, kernel_samples: int, lime_samples: int
                     ) -> dict[str, TabularMethod]:
    """The book's tabular methods plus the random control, in the order of the table."""
    return {
        "saliency": saliency_method,
        "gradient_x_input": gradient_x_input_method,
        "integrated_gradients": integrated_gradients_method(steps),
        "exact_shapley": exact_shapley_method,
        "kernel_shap": kernel_shap_method(kernel_samples),
        "lime": lime_method(lime_samples),
        "random": random_method,
    }
