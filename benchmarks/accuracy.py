"""Does training with an explainer cost accuracy? Document 003's click recommender trained
alone and jointly with its explainer network (notebook 07's models), compared on the same
test impressions by a paired bootstrap of the AUC difference.

The AUC is not a mean over impressions, so each resample of the test impressions
recomputes both AUCs (:func:`ecomxai.evaluate.bootstrap.bootstrap_statistic`); the verdict
follows the interval of the difference as for every other comparison of the benchmark.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks.harness import Profile
from ecomxai.evaluate.bootstrap import bootstrap_statistic


def click_auc_alone_vs_joint(profile: Profile) -> dict[str, Any]:
    """AUC of the recommender alone and trained jointly, their difference and its 95% CI."""
    from sklearn.metrics import roc_auc_score  # noqa: PLC0415

    from ecomxai.data import clicks  # noqa: PLC0415
    from ecomxai.models import explainer_net as xn  # noqa: PLC0415

    full = profile.name == "full"  # as notebook 07 (cached); reduced: small and quick
    data = clicks.make_clicks(n_impressions=24_000 if full else 2_000, seed=0)
    train, test = data.split(test_fraction=0.3, seed=0)
    log_columns = np.isin(clicks.FEATURE_NAMES, ["price", "popularity"])
    config = xn.ExplainerNetConfig() if full else xn.ExplainerNetConfig(epochs=2)
    models = {joint: xn.train_click_models(data.X[train], data.clicks[train], joint=joint,
                                           log_columns=log_columns, config=config)[0]
              for joint in (False, True)}
    y = data.clicks[test]
    p_alone = models[False].click_probability(data.X[test])
    p_joint = models[True].click_probability(data.X[test])

    def auc_difference(idx: np.ndarray) -> float:
        if y[idx].min() == y[idx].max():
            return float("nan")
        return float(roc_auc_score(y[idx], p_joint[idx]) - roc_auc_score(y[idx], p_alone[idx]))

    diff = bootstrap_statistic(len(y), auc_difference, resamples=1000 if full else 100)
    verdict = ("joint beats alone" if diff.low > 0 else "alone beats joint" if diff.high < 0
               else "no detectable difference")
    return {"model": "document 003's click recommender (Keras 128-64-32-1)",
            "test_impressions": int(len(y)),
            "auc_alone": float(roc_auc_score(y, p_alone)),
            "auc_joint": float(roc_auc_score(y, p_joint)),
            "auc_joint_minus_alone": diff.as_dict(), "verdict": verdict}
