"""The state a companion notebook builds, rebuilt for code run outside the notebook.

Exercise solutions in the book that continue a notebook (and the test that executes every
solution, ``tests/test_book_solutions.py``) start from these functions instead of from
variables that exist only inside a notebook kernel. Each function repeats the notebook's
cells with the same seeds and is cached, so several solutions share one training run.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["ExplainerNetworkState", "explainer_network_state"]


@dataclass(frozen=True)
class ExplainerNetworkState:
    """What notebook 07 (the explainer network) has built before its exercises.

    Attributes
    ----------
    data, train, test
        The click data (:func:`ecomxai.data.clicks.make_clicks`) and its index split.
    log_columns
        Boolean mask of the log-scaled inputs (price, popularity).
    joint
        The recommender trained jointly with its explainer (default configuration).
    background, pairs, few
        16 training rows, the first 200 held-out pairs and their first 20.
    exact
        Exact Shapley values of ``joint.logit`` for ``pairs`` (a ``ShapleyResult``).
    odd, odd_exact
        ``few`` with a 30-day delivery, and their exact Shapley values.
    """

    data: Any
    train: np.ndarray
    test: np.ndarray
    log_columns: np.ndarray
    joint: Any
    background: np.ndarray
    pairs: np.ndarray
    few: np.ndarray
    exact: Any
    odd: np.ndarray
    odd_exact: Any


@lru_cache(maxsize=1)
def explainer_network_state() -> ExplainerNetworkState:
    """Rebuild notebook 07's state (trains the joint model: about 10 CPU seconds).

    Returns
    -------
    ExplainerNetworkState
    """
    from ecomxai.data import clicks  # noqa: PLC0415
    from ecomxai.explain.shapley import exact_shapley  # noqa: PLC0415
    from ecomxai.models import explainer_net as xn  # noqa: PLC0415
    from ecomxai.runtime import seed_everything  # noqa: PLC0415

    seed_everything(0)
    data = clicks.make_clicks(n_impressions=24_000, seed=0)
    train, test = data.split(test_fraction=0.3, seed=0)
    log_columns = np.isin(clicks.FEATURE_NAMES, ["price", "popularity"])
    joint, _ = xn.train_click_models(data.X[train], data.clicks[train], joint=True,
                                     log_columns=log_columns, config=xn.ExplainerNetConfig())
    rng = np.random.default_rng(1)
    background = data.X[train][rng.choice(len(train), 16, replace=False)]
    pairs = data.X[test][:200]
    few = pairs[:20]
    odd = few.copy()
    odd[:, list(clicks.FEATURE_NAMES).index("shipping_days")] = 30.0
    return ExplainerNetworkState(
        data=data, train=train, test=test, log_columns=log_columns, joint=joint,
        background=background, pairs=pairs, few=few,
        exact=exact_shapley(joint.logit, pairs, background), odd=odd,
        odd_exact=exact_shapley(joint.logit, odd, background))
