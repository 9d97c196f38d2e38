r"""Global surrogates: glass-box models trained to imitate a black box.

A surrogate :math:`g` explains a model :math:`f` only if it is fitted to :math:`f`'s
*predictions*, :math:`g = \arg\min_{g \in G} \sum_r \bigl(f(x_r) - g(x_r)\bigr)^2`, and
only as far as it agrees with :math:`f` on rows it has not seen. That agreement is its
*fidelity*,

.. math::

   R^2_{\text{fid}} = 1 - \frac{\sum_r (f(x_r) - g(x_r))^2}{\sum_r (f(x_r) - \overline{f})^2}
   \quad \text{on held-out rows.}

A "sub-module" trained on the labels (document 000's listing) is a second model of the
data: it says nothing about the first one. Two glass boxes are offered here: a shallow
regression tree, whose decision path for one product reads as a list of rules, and a
sparse linear model (the lasso on standardised features).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ecomxai.explain.adapters import check_inputs
from ecomxai.validation import (InputError, check_callable, check_float, check_int,
                                check_model_output, check_vector)


__all__ = ["SurrogateFit", "fidelity_r2", "resample_columns", "tree_surrogate", "linear_surrogate",
           "tree_on_labels", "decision_path", "describe_decision_path"]


def fidelity_r2(model_predictions: np.ndarray, surrogate_predictions: np.ndarray) -> float:
    r"""Fidelity :math:`R^2` of a surrogate to the model (not to the labels)."""
    f = check_vector(model_predictions, "model_predictions")
    g = check_vector(surrogate_predictions, "surrogate_predictions")
    if f.shape != g.shape or f.size < 2:
        raise InputError("model and surrogate predictions must be equal-length, >= 2 values")
    ss_tot = float(((f - f.mean()) ** 2).sum())
    if ss_tot == 0:
        raise InputError("the model is constant on these rows; fidelity R^2 is undefined")
    return 1.0 - float(((f - g) ** 2).sum()) / ss_tot


def resample_columns(X: np.ndarray, n: int, *, seed: int = 0) -> np.ndarray:
    """``n`` query points whose columns are drawn independently from the columns of ``X``.

    A surrogate learns from the model, so it may ask the model about as many points as it
    likes. Drawing each column on its own keeps every marginal distribution; it is faithful
    to the data only when the features are independent (true for the book's catalogue;
    with correlated features it invents impossible products).
    """
    X = check_inputs(X)
    if X.ndim != 2:
        raise InputError(f"X must be 2-D (rows, features), got {X.shape}")
    n = check_int(n, "n")
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    return np.column_stack([rng.choice(X[:, j], size=int(n)) for j in range(X.shape[1])])


@dataclass
class SurrogateFit:
    """A fitted surrogate with its fidelity on the training and held-out rows."""

    estimator: Any
    fidelity_train: float
    fidelity_test: float
    feature_names: list[str]

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(self.estimator.predict(check_inputs(X)), dtype=np.float64)


def _names(d: int, feature_names: Sequence[str] | None) -> list[str]:
    names = list(feature_names) if feature_names is not None else [f"x{i}" for i in range(d)]
    if len(names) != d:
        raise InputError(f"{len(names)} feature names for {d} columns")
    return names


def _check_fit_test(X_fit: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X_fit = check_inputs(X_fit, name="X_fit")
    X_test = check_inputs(X_test, name="X_test")
    if X_fit.ndim != 2 or X_test.ndim != 2 or X_fit.shape[1] != X_test.shape[1]:
        raise InputError(f"X_fit {X_fit.shape} and X_test {X_test.shape} must be 2-D with the "
                         "same columns")
    return X_fit, X_test


def _check_tree(max_depth: int, min_samples_leaf: int, seed: int) -> tuple[int, int, int]:
    return (check_int(max_depth, "max_depth"), check_int(min_samples_leaf, "min_samples_leaf"),
            check_int(seed, "seed", minimum=0))


def _fit(estimator: Any, f: Callable[[np.ndarray], np.ndarray], X_fit: np.ndarray,
         X_test: np.ndarray, names: list[str]) -> SurrogateFit:
    check_callable(f, "f")
    X_fit, X_test = _check_fit_test(X_fit, X_test)
    y_fit = check_model_output(f(X_fit), len(X_fit), "f")   # the MODEL's answers
    estimator.fit(X_fit, y_fit)
    fid_train = fidelity_r2(y_fit, estimator.predict(X_fit))
    fid_test = fidelity_r2(check_model_output(f(X_test), len(X_test), "f"),
                           estimator.predict(X_test))
    return SurrogateFit(estimator, fid_train, fid_test, names)


def tree_surrogate(f: Callable[[np.ndarray], np.ndarray], X_fit: np.ndarray,
                   X_test: np.ndarray, *, max_depth: int = 5, min_samples_leaf: int = 20,
                   feature_names: Sequence[str] | None = None, seed: int = 0) -> SurrogateFit:
    """A shallow regression tree fitted to ``f(X_fit)``; fidelity measured on ``X_test``.

    Because the targets are the model's outputs, ``X_fit`` may hold any number of
    query points (e.g. training rows with columns resampled independently).
    """
    from sklearn.tree import DecisionTreeRegressor  # noqa: PLC0415

    max_depth, min_samples_leaf, seed = _check_tree(max_depth, min_samples_leaf, seed)
    X_fit = check_inputs(X_fit, name="X_fit")
    tree = DecisionTreeRegressor(max_depth=max_depth, min_samples_leaf=min_samples_leaf,
                                 random_state=seed)
    return _fit(tree, f, X_fit, X_test, _names(X_fit.shape[1], feature_names))


def linear_surrogate(f: Callable[[np.ndarray], np.ndarray], X_fit: np.ndarray,
                     X_test: np.ndarray, *, alpha: float = 0.5,
                     feature_names: Sequence[str] | None = None) -> SurrogateFit:
    r"""Lasso on standardised features fitted to ``f(X_fit)``:
    :math:`\min_\beta \frac{1}{2n}\|f(X) - \beta_0 - Z\beta\|^2 + \alpha\|\beta\|_1`.

    ``estimator[-1].coef_`` are effects per standard deviation; zeros were dropped.
    """
    from sklearn.linear_model import Lasso  # noqa: PLC0415
    from sklearn.pipeline import make_pipeline  # noqa: PLC0415
    from sklearn.preprocessing import StandardScaler  # noqa: PLC0415

    alpha = check_float(alpha, "alpha", minimum=0.0)
    X_fit = check_inputs(X_fit, name="X_fit")
    model = make_pipeline(StandardScaler(), Lasso(alpha=alpha, max_iter=10_000))
    return _fit(model, f, X_fit, X_test, _names(X_fit.shape[1], feature_names))


def tree_on_labels(X_fit: np.ndarray, y_fit: np.ndarray, X_test: np.ndarray,
                   f: Callable[[np.ndarray], np.ndarray], *, max_depth: int = 5,
                   min_samples_leaf: int = 20, seed: int = 0) -> SurrogateFit:
    """The document's mistake, for comparison: a tree fitted to the *labels* ``y_fit``.

    It is a second model of the data, not an explanation of ``f``; its ``fidelity_test``
    is still measured against ``f`` on ``X_test`` so the two can be compared.
    ``fidelity_train`` is its :math:`R^2` to the labels it was fitted to.
    """
    from sklearn.tree import DecisionTreeRegressor  # noqa: PLC0415

    check_callable(f, "f")
    max_depth, min_samples_leaf, seed = _check_tree(max_depth, min_samples_leaf, seed)
    X_fit, X_test = _check_fit_test(X_fit, X_test)
    y = check_vector(y_fit, "y_fit (one label per row)", size=len(X_fit))
    tree = DecisionTreeRegressor(max_depth=max_depth, min_samples_leaf=min_samples_leaf,
                                 random_state=seed).fit(X_fit, y)
    return SurrogateFit(tree, fidelity_r2(y, tree.predict(X_fit)),
                        fidelity_r2(check_model_output(f(X_test), len(X_test), "f"),
                                    tree.predict(X_test)),
                        _names(X_fit.shape[1], None))


def decision_path(fit: SurrogateFit, x: np.ndarray) -> list[dict[str, Any]]:
    """The rules a tree surrogate applies to one row ``x``, root to leaf.

    Returns a list of ``{"feature", "threshold", "value", "goes_left", "node_mean"}``
    steps plus a final ``{"leaf": node id, "prediction": value, "samples": count}``.
    """
    est = getattr(fit, "estimator", None)
    if not hasattr(est, "tree_"):
        raise InputError("decision paths need a tree surrogate (tree_surrogate)")
    x = check_vector(x, "x", size=len(fit.feature_names)).reshape(1, -1)
    tree = est.tree_
    node_ids = est.decision_path(x).indices
    steps: list[dict[str, Any]] = []
    for node in node_ids:
        if tree.children_left[node] == tree.children_right[node]:  # leaf
            steps.append({"leaf": int(node), "prediction": float(tree.value[node].ravel()[0]),
                          "samples": int(tree.n_node_samples[node])})
            break
        i = int(tree.feature[node])
        thr = float(tree.threshold[node])
        steps.append({"feature": fit.feature_names[i], "threshold": thr,
                      "value": float(x[0, i]), "goes_left": bool(x[0, i] <= thr),
                      "node_mean": float(tree.value[node].ravel()[0])})
    return steps


def describe_decision_path(fit: SurrogateFit, x: np.ndarray, *, unit: str = "") -> str:
    """The decision path of one row in words, one rule per line."""
    lines = []
    for step in decision_path(fit, x):
        if "leaf" in step:
            lines.append(f"=> surrogate predicts {step['prediction']:.1f}{unit} "
                         f"(leaf of {step['samples']} query points)")
        else:
            op = "<=" if step["goes_left"] else ">"
            lines.append(f"{step['feature']} = {step['value']:.3g} {op} {step['threshold']:.3g}"
                         f"  (mean here {step['node_mean']:.1f}{unit})")
    return "\n".join(lines)
