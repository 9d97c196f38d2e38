r"""Case study: explaining the sales-prediction MLP (document 000).

The pipelines of the MLP chapter for any tabular model with the
:class:`~ecomxai.studies.protocols.TabularModel` protocol (``predict(X) -> (n,)``; a
``network`` attribute -- a Keras or PyTorch model on the same raw rows -- enables the
gradient-based explainers), or a plain function ``f(X) -> (n,)``:

* :func:`sales_adapter` -- the gradient adapter of a model (Keras or PyTorch);
* :func:`compare_shap_explainers` -- exact Shapley values versus shap's Kernel, Gradient
  and Deep explainers;
* :func:`ground_truth_table` -- every explanation scored against the planted truth.
"""

from __future__ import annotations

import time
import warnings
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from ecomxai.evaluate import ground_truth as gt
from ecomxai.explain.adapters import KerasAdapter, TorchAdapter, check_inputs
from ecomxai.explain.shapley import exact_shapley, kernel_shap, shap_explainer_values
from ecomxai.studies.protocols import ModelProtocolError, TabularFunction
from ecomxai.validation import InputError

__all__ = ["as_function", "sales_adapter", "compare_shap_explainers",
           "ground_truth_table"]


def as_function(model: Any) -> TabularFunction:
    """``f(X) -> (n,)`` of a model: the model itself if callable, else its ``predict``."""
    if hasattr(model, "predict") and callable(model.predict):
        return model.predict
    if callable(model):
        return model
    raise ModelProtocolError(f"{type(model).__name__} is neither a function f(X) -> y nor an "
                             "object with predict(X); see ecomxai.studies.protocols.TabularModel")


def _network_of(model: Any) -> Any | None:
    """The framework model behind ``model`` (its ``network`` attribute), or None."""
    return getattr(model, "network", None)


def _framework(network: Any) -> str:
    try:
        import torch  # noqa: PLC0415

        if isinstance(network, torch.nn.Module):
            return "torch"
    except ImportError:  # pragma: no cover - torch is pinned
        pass
    return "keras"


class _TorchShap:
    """A shap explainer of a PyTorch network that takes and returns NumPy arrays."""

    def __init__(self, kind: Any, network: Any, background: np.ndarray) -> None:
        import torch  # noqa: PLC0415

        self._dtype = next(network.parameters(), torch.zeros(0)).dtype
        self._torch = torch
        self._explainer = kind(network, self._tensor(background))

    def _tensor(self, a: np.ndarray) -> Any:
        return self._torch.as_tensor(np.asarray(a), dtype=self._dtype)

    @property
    def expected_value(self) -> Any:
        return getattr(self._explainer, "expected_value", np.nan)

    def shap_values(self, X: np.ndarray, **kwargs: Any) -> np.ndarray:
        return np.asarray(self._explainer.shap_values(self._tensor(X), **kwargs))


def sales_adapter(model: Any, output_index: int | None = None) -> KerasAdapter | TorchAdapter:
    """The gradient adapter of ``model``'s network (Keras or PyTorch), on raw features.

    Raises
    ------
    ValueError
        If ``model`` has no ``network`` (a plain function has no gradients: use the
        model-agnostic explainers, or wrap it yourself in
        :class:`~ecomxai.explain.adapters.NumpyAdapter`).
    """
    network = _network_of(model)
    if network is None:
        raise InputError(f"{type(model).__name__} has no `network` attribute (a Keras or "
                         "PyTorch model) to differentiate; use the model-agnostic methods")
    if _framework(network) == "torch":
        import torch  # noqa: PLC0415

        dtype = next(network.parameters(), torch.zeros(0)).dtype
        return TorchAdapter(network, output_index=output_index, dtype=dtype)
    return KerasAdapter(network, output_index=output_index)


def compare_shap_explainers(model: Any, X: np.ndarray, background: np.ndarray, *,
                            kernel_nsamples: int = 2046, seed: int = 0) -> pd.DataFrame:
    r"""Exact Shapley values versus shap's Kernel, Gradient and Deep explainers.

    All explain ``model`` at the rows ``X`` against the same ``background``
    (interventional Shapley values, :math:`v(S) = \mathbb E_b f(x_S, b_{\bar S})`).
    Returns a DataFrame with, per method, the max and mean absolute difference from the
    exact values, their correlation, the largest efficiency gap and the seconds taken.
    An explainer that fails on this framework version is reported with its error in the
    ``status`` column instead of numbers -- nothing is faked; Gradient and Deep explainers
    are ``skipped`` for a model without a ``network``.

    Parameters
    ----------
    model
        A :class:`~ecomxai.studies.protocols.TabularModel` or a function ``f(X) -> (n,)``.
    X, background
        Rows to explain ``(n, d)`` and background rows ``(m, d)``; ``d <= 16`` (exact
        Shapley enumerates all :math:`2^d` coalitions).
    kernel_nsamples
        Coalitions KernelSHAP samples per row (at least ``2 d + 2``).
    seed
        Seed of KernelSHAP and of shap's own sampling.

    Raises
    ------
    ValueError
        Wrong shapes, NaN, too many features, or too few Kernel samples.
    """
    f = as_function(model)
    X = check_inputs(X, name="X")
    background = check_inputs(background, name="background")
    if X.ndim != 2 or background.ndim != 2 or X.shape[1] != background.shape[1]:
        raise InputError(f"X {X.shape} and background {background.shape} must be 2-D with "
                         "the same number of columns")
    if int(kernel_nsamples) < 2 * X.shape[1] + 2:
        raise InputError(f"kernel_nsamples={kernel_nsamples} is below 2 d + 2 = "
                         f"{2 * X.shape[1] + 2}")
    exact = exact_shapley(f, X, background)
    preds = np.asarray(f(X), dtype=np.float64).ravel()
    network = _network_of(model)
    runs: dict[str, Callable[[], Any] | None] = {
        "KernelExplainer": lambda: kernel_shap(f, X, background, nsamples=int(kernel_nsamples),
                                               seed=seed),
        "GradientExplainer": None, "DeepExplainer": None,
    }
    if network is not None:
        import shap  # noqa: PLC0415

        def explainer(kind: Any) -> Any:
            if _framework(network) == "keras":
                return kind(network, background.astype(np.float32))
            return _TorchShap(kind, network, background)

        runs["GradientExplainer"] = lambda: shap_explainer_values(
            explainer(shap.GradientExplainer), X.astype(np.float32))
        runs["DeepExplainer"] = lambda: shap_explainer_values(
            explainer(shap.DeepExplainer), X.astype(np.float32))
    rows = [{"method": f"exact (ours, all {2 ** X.shape[1]} coalitions)", "max_abs_diff": 0.0,
             "mean_abs_diff": 0.0, "corr_with_exact": 1.0,
             "efficiency_max_gap": float(exact.efficiency_gap.max()),
             "seconds": exact.seconds, "status": "ok"}]
    empty = dict.fromkeys(("max_abs_diff", "mean_abs_diff", "corr_with_exact",
                           "efficiency_max_gap", "seconds"), np.nan)
    for name, run in runs.items():
        if run is None:
            rows.append({"method": f"shap.{name}", **empty,
                         "status": "skipped: the model has no network to differentiate"})
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                np.random.seed(seed)
                start = time.perf_counter()
                res = run()
            values = np.asarray(res.values, dtype=np.float64).reshape(exact.values.shape)
            diff = np.abs(values - exact.values)
            gap = np.abs(values.sum(axis=1) + exact.base_value - preds)
            rows.append({"method": f"shap.{name}", "max_abs_diff": float(diff.max()),
                         "mean_abs_diff": float(diff.mean()),
                         "corr_with_exact": float(np.corrcoef(values.ravel(),
                                                              exact.values.ravel())[0, 1]),
                         "efficiency_max_gap": float(gap.max()),
                         "seconds": float(getattr(res, "seconds",
                                                  time.perf_counter() - start)),
                         "status": "ok"})
        except Exception as err:  # noqa: BLE001 - report any failure of the third party
            rows.append({"method": f"shap.{name}", **empty,
                         "status": f"failed: {type(err).__name__}: {str(err)[:120]}"})
    return pd.DataFrame(rows).set_index("method")


def ground_truth_table(truth_importance: Any, contributions: np.ndarray,
                       local: Mapping[str, np.ndarray],
                       global_only: Mapping[str, Any] | None = None,
                       partial: Mapping[str, tuple[np.ndarray, np.ndarray]] | None = None
                       ) -> pd.DataFrame:
    """Every explanation scored against the planted truth, best Spearman first.

    Parameters
    ----------
    truth_importance
        True global importance per feature (``(d,)``, e.g. ``catalog.importance``).
    contributions
        True per-row contributions ``(n, d)`` of the explained rows.
    local
        ``{name: (n, d) attributions}`` on the same rows (scored locally and globally).
    global_only
        ``{name: (d,) importance}`` of methods without local attributions.
    partial
        ``{name: ((k, d) attributions, (k, d) true contributions)}`` for methods run on a
        subset of the rows.
    """
    contributions = check_inputs(contributions, name="contributions")
    rows = []
    for name, a in local.items():
        a = check_inputs(a, name=f"attributions of {name!r}")
        if a.shape != contributions.shape:
            raise InputError(f"attributions of {name!r} have shape {a.shape}; the truth has "
                             f"{contributions.shape}")
        rows.append(gt.score_against_truth(name, gt.global_importance(a), truth_importance,
                                           attributions=a, contributions=contributions))
    for name, (a, c) in (partial or {}).items():
        rows.append(gt.score_against_truth(name, gt.global_importance(a), truth_importance,
                                           attributions=a, contributions=c))
    for name, imp in (global_only or {}).items():
        rows.append(gt.score_against_truth(name, imp, truth_importance))
    return gt.scores_table(rows).sort_values("spearman", ascending=False)
