r"""Case study: a click recommender trained jointly with its explainer network (document 003).

The explainer network is trained *with* the book's Keras recommender
(:mod:`ecomxai.models.explainer_net`), so this study takes the trained pair, not an
arbitrary model; the grading functions take plain arrays.

* :func:`click_adapter` -- the gradient adapter of the recommender's logit;
* :func:`click_model_accuracy`, :func:`logit_accuracy` -- AUC, log loss and logit spread of a
  click model or of known logits;
* :func:`explainer_versus_exact` -- the network's attributions next to exact Shapley values;
* :func:`grade_against_truth` -- local agreement and top-k recovery of the planted truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ecomxai.evaluate.ground_truth import global_importance, local_agreement, top_k_recovery
from ecomxai.explain.adapters import KerasAdapter, check_inputs
from ecomxai.explain.shapley import ShapleyResult, exact_shapley
from ecomxai.models.explainer_net import TrainedClickModels, fidelity_to_reference
from ecomxai.studies.protocols import ModelProtocolError
from ecomxai.validation import InputError, check_model_output

__all__ = ["click_adapter", "click_model_accuracy", "logit_accuracy", "ExplainerComparison",
           "explainer_versus_exact", "grade_against_truth"]


def _check_trained(trained: Any) -> TrainedClickModels:
    if not isinstance(trained, TrainedClickModels):
        raise ModelProtocolError(f"expected the TrainedClickModels of "
                                 f"ecomxai.models.explainer_net.train_click_models, got "
                                 f"{type(trained).__name__}")
    return trained


def click_adapter(trained: TrainedClickModels) -> KerasAdapter:
    """Gradients of the recommender's click logit with respect to the raw features."""
    return KerasAdapter(_check_trained(trained).logit_model)


def _check_clicks(clicks: np.ndarray, n: int) -> np.ndarray:
    y = np.asarray(clicks)
    if y.shape != (n,) or not np.isin(y, (0, 1)).all() or len(np.unique(y)) < 2:
        raise InputError(f"clicks must be a 0/1 vector of length {n} with both classes")
    return y


def _accuracy(p: np.ndarray, logit: np.ndarray, y: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import log_loss, roc_auc_score  # noqa: PLC0415

    return {"AUC": float(roc_auc_score(y, p)), "log loss": float(log_loss(y, p)),
            "logit std": float(np.std(logit))}


def click_model_accuracy(model: Any, X: np.ndarray, clicks: np.ndarray) -> dict[str, float]:
    """``{"AUC", "log loss", "logit std"}`` of a click model on rows ``X``.

    ``model`` needs ``click_probability(X)`` and ``logit(X)``.
    """
    X = check_inputs(X)
    y = _check_clicks(clicks, len(X))
    p = check_model_output(model.click_probability(X), len(X), "click_probability")
    return _accuracy(p, check_model_output(model.logit(X), len(X), "logit"), y)


def logit_accuracy(logit: np.ndarray, clicks: np.ndarray) -> dict[str, float]:
    r"""The same measures for known logits (e.g. the planted model), :math:`p = \sigma(\ell)`."""
    logit = check_model_output(logit, len(np.asarray(logit)), "logit")
    return _accuracy(1 / (1 + np.exp(-logit)), logit, _check_clicks(clicks, len(logit)))


@dataclass
class ExplainerComparison:
    """The explainer network's attributions next to exact Shapley values.

    ``efficiency_gap`` is :math:`\\max |\\sum_i \\phi_i + \\phi_0 - f(x)|` of the network.
    """

    exact: ShapleyResult
    network: np.ndarray
    fidelity: dict[str, float]
    efficiency_gap: float


def explainer_versus_exact(trained: TrainedClickModels, X: np.ndarray,
                           background: np.ndarray) -> ExplainerComparison:
    """Exact Shapley values of the logit and the network's attributions on rows ``X``.

    The network's output is made efficient against the same base value
    :math:`\\phi_0 = \\mathbb E_b f(b)` as the exact values.
    """
    trained = _check_trained(trained)
    X = check_inputs(X)
    exact = exact_shapley(trained.logit, X, check_inputs(background, name="background"))
    phi = trained.explain(X, base_value=exact.base_value)
    gap = float(np.abs(phi.sum(1) + exact.base_value - trained.logit(X)).max())
    return ExplainerComparison(exact, phi, fidelity_to_reference(phi, exact.values), gap)


def grade_against_truth(attributions: np.ndarray, truth: np.ndarray, *, k: int = 3
                        ) -> dict[str, float]:
    """Local Spearman and Pearson agreement with the truth, and top-``k`` recovery."""
    a = check_inputs(attributions, name="attributions")
    t = check_inputs(truth, name="truth")
    if a.shape != t.shape:
        raise InputError(f"attributions {a.shape} and truth {t.shape} must have one shape")
    if not 1 <= k <= a.shape[1]:
        raise InputError(f"k must lie in 1..{a.shape[1]}, got {k}")
    return {"local Spearman": local_agreement(a, t),
            "local Pearson": local_agreement(a, t, method="pearson"),
            f"top-{k} recovery": top_k_recovery(global_importance(a), global_importance(t), k)}
