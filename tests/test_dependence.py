"""Partial dependence and ICE against scikit-learn's implementation."""

import numpy as np
import pytest
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.inspection import partial_dependence as sk_partial_dependence

from ecomxai.explain.dependence import feature_grid, ice_curves, partial_dependence


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    X[:, 2] = rng.integers(0, 2, 300)
    y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2]
    return GradientBoostingRegressor(n_estimators=30, max_depth=3, random_state=0).fit(X, y), X


@pytest.mark.parametrize("feature", [0, 1, 2])
def test_matches_sklearn_brute(fitted, feature):
    est, X = fitted
    ref = sk_partial_dependence(est, X, [feature], method="brute", kind="both",
                                grid_resolution=15)
    grid = ref["grid_values"][0]
    g, pd_ = partial_dependence(est.predict, X, feature, grid)
    np.testing.assert_allclose(pd_, ref["average"][0], atol=1e-10)
    res = ice_curves(est.predict, X, feature, grid)
    np.testing.assert_allclose(res.ice, ref["individual"][0], atol=1e-10)


def test_default_grid_matches_sklearn_rule(fitted):
    est, X = fitted
    ref = sk_partial_dependence(est, X, [0], method="brute", grid_resolution=12)
    np.testing.assert_allclose(feature_grid(X[:, 0], grid_resolution=12), ref["grid_values"][0])
    np.testing.assert_array_equal(feature_grid(X[:, 2]), [0.0, 1.0])  # few values: use them


def test_ice_reveals_interaction(fitted):
    est, X = fitted
    res = ice_curves(est.predict, X, 1, np.linspace(-1, 1, 5))
    slopes = res.centred()[:, -1]
    assert slopes[X[:, 2] == 1].mean() > slopes[X[:, 2] == 0].mean() + 0.5
    assert res.ice.shape == (300, 5) and res.average.shape == (5,)


def test_errors(fitted):
    est, X = fitted
    with pytest.raises(ValueError, match="column index"):
        ice_curves(est.predict, X, 7)
    with pytest.raises(ValueError, match="grid"):
        ice_curves(est.predict, X, 0, np.array([np.nan]))
    with pytest.raises(ValueError, match="percentiles"):
        feature_grid(X[:, 0], percentiles=(0.9, 0.1))
