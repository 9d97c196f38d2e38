"""The sales MLP: raw features in, standardisation inside, cache round trip, helpers."""

import numpy as np
import pytest

from ecomxai.models.sales_mlp import (
    SalesMLPConfig, build_sales_mlp, dead_units, regression_metrics, train_sales_mlp,
    unit_feature_correlation,
)
from ecomxai.studies.sales import sales_adapter

TINY = SalesMLPConfig(n_products=120, hidden=(8, 4), epochs=3, batch_size=32, patience=2)


@pytest.fixture(scope="module")
def mlp(tmp_path_factory):
    import os
    os.environ["ECOMXAI_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    try:
        first = train_sales_mlp(TINY)
        second = train_sales_mlp(TINY)
    finally:
        del os.environ["ECOMXAI_CACHE_DIR"]
    return first, second


def test_cache_round_trip_gives_the_same_model(mlp):
    first, second = mlp
    assert not first.from_cache and second.from_cache
    X = first.X("test")
    np.testing.assert_allclose(first.predict(X), second.predict(X), rtol=1e-6)
    assert second.history["best_epoch"] >= 1


def test_shapes_and_standardisation_inside(mlp):
    m, _ = mlp
    X = m.X("test")
    assert m.predict(X).shape == (len(X),)
    np.testing.assert_allclose(m.input_mean, m.X("train").mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(m.input_scale, m.X("train").std(axis=0), rtol=1e-4)
    assert m.first_layer_kernel().shape == (10, 8)
    acts = m.hidden_activations(X)
    assert acts["hidden_1"].shape == (len(X), 8) and acts["hidden_2"].shape == (len(X), 4)
    assert np.all(acts["hidden_1"] >= 0)
    assert set(m.dead_units(X)) == {"hidden_1", "hidden_2"}
    assert set(m.splits) == {"train", "validation", "test"}


def test_adapter_gradient_matches_finite_differences(mlp):
    m, _ = mlp
    x = m.X("test")[:2]
    g = sales_adapter(m).gradient(x)
    eps = np.maximum(1e-2 * m.input_scale, 1e-3)
    for i in range(10):
        up, down = x.copy(), x.copy()
        up[:, i] += eps[i]
        down[:, i] -= eps[i]
        fd = (m.predict(up) - m.predict(down)) / (2 * eps[i])
        np.testing.assert_allclose(g[:, i], fd, rtol=0.05, atol=1e-3 * np.abs(g).max())


def test_helpers():
    H = np.array([[0.0, 1.0, 0.0], [0.0, 2.0, 3.0]])
    np.testing.assert_array_equal(dead_units(H), [0])
    X = np.array([[1.0, 5.0], [2.0, 4.0]])
    C = unit_feature_correlation(H, X)
    assert C.shape == (2, 3) and np.isnan(C[0, 0]) and C[0, 1] == pytest.approx(1.0)
    m = regression_metrics(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    assert m["r2"] == pytest.approx(0.5) and m["mae"] == pytest.approx(1 / 3)


def test_errors(mlp):
    m, _ = mlp
    with pytest.raises(ValueError, match="shape"):
        m.predict(np.zeros((3, 4)))
    with pytest.raises(LookupError, match="unknown split"):
        m.X("holdout")
    with pytest.raises(ValueError, match="hidden"):
        build_sales_mlp(np.zeros(2), np.ones(2), 0.0, 1.0, hidden=())
