"""Case: document 003's Keras click recommender with its jointly trained explainer network
(FastSHAP-style), on impressions whose click logit is planted (:mod:`ecomxai.data.clicks`).

The explained score is the recommender's logit. Besides the standard tabular methods the
case adds ``explainer_network``: the attributions the explainer network outputs in one
forward pass. In the sanity check only the *recommender* is randomised -- exactly the
question "does the amortised explainer follow the model it claims to explain?".
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Sequence

import numpy as np

from benchmarks.harness import Profile, TabularCase, TabularModel
from benchmarks.keras_tools import keras_layers_randomised
from benchmarks.tabular_methods import standard_methods


def explainer_network_method(model: TabularModel, X: np.ndarray) -> np.ndarray:
    """The explainer network's attributions, made efficient against the current logit."""
    base = float(np.mean(model.f(model.extra["background"])))
    return model.extra["trained"].explain(X, base_value=base)


def _as_model(trained: Any, extra: dict[str, Any]) -> TabularModel:
    from ecomxai.studies.explainer_network import click_adapter  # noqa: PLC0415

    return TabularModel(trained.logit, click_adapter(trained),
                        {**extra, "trained": trained})


def build(profile: Profile) -> TabularCase:
    from ecomxai.data import clicks  # noqa: PLC0415
    from ecomxai.models import explainer_net as xn  # noqa: PLC0415

    full = profile.name == "full"  # as notebook 07 (cached); reduced: small and quick
    data = clicks.make_clicks(n_impressions=24_000 if full else 2_000, seed=0)
    train, test = data.split(test_fraction=0.3, seed=0)
    log_columns = np.isin(clicks.FEATURE_NAMES, ["price", "popularity"])
    config = xn.ExplainerNetConfig() if full else xn.ExplainerNetConfig(epochs=2)
    joint, _ = xn.train_click_models(data.X[train], data.clicks[train], joint=True,
                                     log_columns=log_columns, config=config)
    rng = np.random.default_rng(1)
    background = data.X[train][rng.choice(len(train), profile.background, replace=False)]
    train_X = data.X[train]
    extra = {"baseline": background.mean(axis=0), "background": background,
             "training": train_X, "feature_scale": train_X.std(axis=0)}
    model = _as_model(joint, extra)

    @contextlib.contextmanager
    def randomised(layers: Sequence[str]) -> Iterator[TabularModel]:
        with keras_layers_randomised(joint.logit_model, layers, seed=1):
            yield model

    def retrained() -> TabularModel:
        other, _ = xn.train_click_models(data.X[train], data.clicks[train], joint=True,
                                         log_columns=log_columns,
                                         config=xn.ExplainerNetConfig(
                                             seed=1, epochs=config.epochs))
        return _as_model(other, extra)

    methods = standard_methods(profile.ig_steps, profile.kernel_samples, profile.lime_samples)
    methods = {**{k: v for k, v in methods.items() if k != "random"},
               "explainer_network": explainer_network_method, "random": methods["random"]}
    return TabularCase(
        name="explainer_network",
        description="Keras click recommender 128-64-32-1 with an explainer network trained "
                    "jointly (document 003); planted click logit",
        framework="keras",
        model=model,
        X=data.X[test],
        background=background,
        feature_scale=extra["feature_scale"],
        methods=methods,
        layers=("logit", "hidden_3", "hidden_2", "hidden_1"),
        randomised=randomised,
        retrained=retrained,
        truth=lambda X: clicks.true_contributions(X, background),
        truth_name="planted Shapley values of the click logit",
        additive={"integrated_gradients": "point", "exact_shapley": "background",
                  "kernel_shap": "background", "explainer_network": "background"},
        notes={"explained_score": "recommender logit"},
    )
