"""Case: document 000's Keras sales MLP on the synthetic catalogue (planted Shapley values)."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Sequence

import numpy as np

from benchmarks.harness import Profile, TabularCase, TabularModel
from benchmarks.keras_tools import keras_layers_randomised
from benchmarks.tabular_methods import standard_methods


def _as_model(trained: Any, extra: dict[str, Any]) -> TabularModel:
    from ecomxai.studies.sales import sales_adapter  # noqa: PLC0415

    return TabularModel(trained.predict, sales_adapter(trained), extra)


def build(profile: Profile) -> TabularCase:
    from ecomxai.models.sales_mlp import SalesMLPConfig, train_sales_mlp  # noqa: PLC0415

    # the reduced profile (test suite, cold cache) trains a small, quick model
    config = SalesMLPConfig() if profile.name == "full" else SalesMLPConfig(epochs=15, patience=5)
    trained = train_sales_mlp(config)
    train_X = trained.X("train")
    rng = np.random.default_rng(0)
    background = train_X[rng.choice(len(train_X), profile.background, replace=False)]
    test_X = trained.X("test")
    extra = {"baseline": background.mean(axis=0), "background": background,
             "training": train_X, "feature_scale": train_X.std(axis=0)}
    model = _as_model(trained, extra)

    @contextlib.contextmanager
    def randomised(layers: Sequence[str]) -> Iterator[TabularModel]:
        with keras_layers_randomised(trained.model, layers, seed=1):
            yield model          # same object: the weights changed underneath

    def retrained() -> TabularModel:
        return _as_model(train_sales_mlp(SalesMLPConfig(seed=1, **{
            k: getattr(config, k) for k in ("epochs", "patience")})), extra)

    def truth(X: np.ndarray) -> np.ndarray:
        from ecomxai.data.catalog import true_contributions  # noqa: PLC0415
        return true_contributions(X)

    return TabularCase(
        name="sales_mlp",
        description="Keras MLP 10-64-32-1 predicting weekly sales of catalogue products "
                    "(document 000); planted per-product Shapley values",
        framework="keras",
        model=model,
        X=test_X,
        background=background,
        feature_scale=extra["feature_scale"],
        methods=standard_methods(profile.ig_steps, profile.kernel_samples, profile.lime_samples),
        layers=("output", "hidden_2", "hidden_1"),
        randomised=randomised,
        retrained=retrained,
        truth=truth,
        truth_name="planted Shapley values of the sales function",
        additive={"integrated_gradients": "point", "exact_shapley": "background",
                  "kernel_shap": "background"},
        notes={"test_r2": round(trained.metrics("test")["r2"], 4)},
    )
