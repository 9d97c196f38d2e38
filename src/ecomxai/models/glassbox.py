r"""Glass boxes against a black box on the product catalogue (chapter 1).

Three regressors of weekly sales from the ten product features:

* a **linear model** :math:`\hat y = \beta_0 + \sum_i \beta_i z_i` on standardised
  features :math:`z_i` -- eleven numbers a reader can check;
* a **shallow regression tree** of depth :math:`D` -- at most :math:`2^D` if-then rules;
* a **multi-layer perceptron** (the documents' 64-32-1 shape) -- thousands of weights
  whose individual values mean nothing to a reader.

:func:`fit_glass_and_black_boxes` fits all three on the same split and reports accuracy
(:math:`R^2` on held-out products) next to a crude *readability* measure: how many numbers
or rules a person must read to follow one prediction end to end. The MLP here is
scikit-learn's, because chapter 1 is about the trade-off, not about a framework; the
Keras version of the same network is the subject of the sales-MLP chapter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor, export_text

__all__ = ["GlassBoxComparison", "fit_glass_and_black_boxes", "engineered_features",
           "tree_depth_sweep"]


@dataclass(frozen=True)
class GlassBoxComparison:
    """Fitted models and their accuracy/readability table.

    Attributes
    ----------
    linear, tree, mlp
        Fitted scikit-learn pipelines (scaler + model).
    table
        One row per model: test :math:`R^2`, test MAE, number of parameters, and the
        number of numbers/rules a reader must read to follow one prediction.
    feature_names
        Column names, in order.
    """

    linear: Pipeline
    tree: Pipeline
    mlp: Pipeline
    table: pd.DataFrame
    feature_names: list[str]

    def linear_coefficients(self) -> pd.Series:
        """Standardised coefficients: sales change per one standard deviation of a feature."""
        coef = self.linear[-1].coef_
        return pd.Series(coef, index=self.feature_names, name="coefficient").sort_values(
            key=np.abs, ascending=False)

    def tree_rules(self) -> str:
        """The tree as readable if-then rules (thresholds in standardised units)."""
        return export_text(self.tree[-1], feature_names=self.feature_names, decimals=2)


def engineered_features(features: pd.DataFrame) -> pd.DataFrame:
    """Log-transform the skewed features (price, stock, review count).

    Data explainability (document 000, section 3.2.2) in one step: a glass box with the
    right features can close much of the gap to the black box.
    """
    out = features.copy()
    for col in ("price", "stock", "review_count"):
        if col not in out:
            raise ValueError(f"features lack the column {col!r}")
        out[col] = np.log1p(out[col].to_numpy(dtype=float))
    return out.rename(columns={"price": "log_price", "stock": "log_stock",
                               "review_count": "log_review_count"})


def _n_params_mlp(mlp: MLPRegressor) -> int:
    return int(sum(w.size for w in mlp.coefs_) + sum(b.size for b in mlp.intercepts_))


def fit_glass_and_black_boxes(
    X: np.ndarray | pd.DataFrame,
    y: np.ndarray,
    split: dict[str, np.ndarray],
    *,
    tree_depth: int = 3,
    hidden: tuple[int, ...] = (64, 32),
    seed: int = 0,
) -> GlassBoxComparison:
    r"""Fit a linear model, a depth-``tree_depth`` tree and an MLP; compare on the test split.

    Parameters
    ----------
    X, y
        Features ``(n, d)`` and target ``(n,)``.
    split
        Index arrays ``train`` and ``test`` (``validation`` rows are added to training:
        none of the three models tunes anything here).
    tree_depth
        Depth of the glass-box tree (3 gives at most 8 rules).
    hidden
        Hidden layer sizes of the MLP.
    seed
        Seed of the MLP's initialisation and of the tree's tie-breaking.

    Returns
    -------
    GlassBoxComparison
    """
    names = list(X.columns) if isinstance(X, pd.DataFrame) else [f"x{i}" for i in range(X.shape[1])]
    Xa = np.asarray(X, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if Xa.ndim != 2 or ya.shape != (len(Xa),):
        raise ValueError(f"X must be (n, d) and y (n,); got {Xa.shape} and {ya.shape}")
    if not (np.isfinite(Xa).all() and np.isfinite(ya).all()):
        raise ValueError("X or y contains NaN or infinite values")
    if "train" not in split or "test" not in split:
        raise ValueError("split must contain 'train' and 'test' index arrays")
    if tree_depth < 1:
        raise ValueError("tree_depth must be at least 1")
    train = np.concatenate([split["train"], split.get("validation", np.array([], int))])
    test = split["test"]

    linear = make_pipeline(StandardScaler(), LinearRegression())
    tree = make_pipeline(StandardScaler(), DecisionTreeRegressor(max_depth=tree_depth,
                                                                 random_state=seed))
    mlp = make_pipeline(StandardScaler(), MLPRegressor(
        hidden_layer_sizes=hidden, max_iter=3000, learning_rate_init=3e-3, alpha=1e-3,
        early_stopping=True, validation_fraction=0.15, n_iter_no_change=40,
        random_state=seed))
    rows = []
    for label, model in (("linear model", linear), (f"tree (depth {tree_depth})", tree),
                         (f"MLP {'-'.join(map(str, hidden))}-1", mlp)):
        model.fit(Xa[train], ya[train])
        pred = model.predict(Xa[test])
        est = model[-1]
        if isinstance(est, LinearRegression):
            n_params, to_read = est.coef_.size + 1, est.coef_.size + 1
        elif isinstance(est, DecisionTreeRegressor):
            n_params = int(est.tree_.node_count)
            to_read = int(est.get_depth()) + 1          # one rule per level, then the leaf
        else:
            n_params = _n_params_mlp(est)
            to_read = n_params                          # every weight takes part
        rows.append({"model": label, "test_r2": r2_score(ya[test], pred),
                     "test_mae": float(np.mean(np.abs(ya[test] - pred))),
                     "parameters": n_params, "numbers_to_read_per_prediction": to_read})
    table = pd.DataFrame(rows).set_index("model")
    return GlassBoxComparison(linear, tree, mlp, table, names)


def tree_depth_sweep(X: np.ndarray | pd.DataFrame, y: np.ndarray, split: dict[str, np.ndarray],
                     depths: tuple[int, ...] = (1, 2, 3, 4, 6, 8, 12), seed: int = 0
                     ) -> pd.DataFrame:
    """Test :math:`R^2` and rule count of regression trees of growing depth.

    Traces the accuracy-readability frontier of the glass box: each extra level doubles
    the number of leaves a reader has to inspect.
    """
    Xa, ya = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    train = np.concatenate([split["train"], split.get("validation", np.array([], int))])
    rows = []
    for depth in depths:
        if depth < 1:
            raise ValueError("depths must be positive integers")
        tree = DecisionTreeRegressor(max_depth=depth, random_state=seed).fit(Xa[train], ya[train])
        rows.append({"depth": depth, "leaves": int(tree.get_n_leaves()),
                     "test_r2": r2_score(ya[split["test"]], tree.predict(Xa[split["test"]]))})
    return pd.DataFrame(rows).set_index("depth")
