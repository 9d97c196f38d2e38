"""Permutation importance, occlusion and weight magnitudes on models whose answer is known."""

import numpy as np
import pytest
from sklearn.inspection import permutation_importance as sk_permutation_importance
from sklearn.linear_model import LinearRegression

from ecomxai.explain.importance import (
    document_omega, first_layer_importance, occlusion, permutation_importance,
)

W = np.array([3.0, -2.0, 1.0, 0.0])


def linear(X):
    return X @ W + 1.0


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(4000, 4))
    return X, linear(X) + rng.normal(scale=0.1, size=len(X))


@pytest.mark.parametrize("scoring", ["r2", "neg_mean_squared_error"])
def test_permutation_matches_sklearn(data, scoring):
    X, y = data
    est = LinearRegression().fit(X, y)
    ref = sk_permutation_importance(est, X, y, scoring=scoring, n_repeats=10, random_state=0)
    ours = permutation_importance(est.predict, X, y, scoring=scoring, n_repeats=10, seed=0)
    # different shuffles, same estimand: agree within sampling noise
    np.testing.assert_allclose(ours.importances_mean, ref.importances_mean, rtol=0.05, atol=2e-3)
    assert np.argsort(ours.importances_mean).tolist() == np.argsort(ref.importances_mean).tolist()
    # expected drop of MSE for a linear model: 2 w_i^2 Var(x_i)
    if scoring == "neg_mean_squared_error":
        np.testing.assert_allclose(ours.importances_mean, 2 * W**2 * X.var(0), rtol=0.06, atol=2e-3)


def test_permutation_is_seeded(data):
    X, y = data
    a = permutation_importance(linear, X[:300], y[:300], n_repeats=3, seed=5)
    b = permutation_importance(linear, X[:300], y[:300], n_repeats=3, seed=5)
    np.testing.assert_array_equal(a.importances, b.importances)
    assert a.importances.shape == (4, 3)


def test_occlusion_is_exact_for_linear(data):
    X, _ = data
    base = X.mean(axis=0)
    np.testing.assert_allclose(occlusion(linear, X[:50], base), W * (X[:50] - base), atol=1e-10)


def test_first_layer_importance_and_units():
    K = np.array([[1.0, -1.0], [0.5, 0.5], [0.0, 0.0]])
    np.testing.assert_allclose(first_layer_importance(K), [2 / 3, 1 / 3, 0.0])
    raw = first_layer_importance(K, input_scale=np.array([10.0, 0.1, 1.0]), normalise=False)
    np.testing.assert_allclose(raw, [0.2, 10.0, 0.0])  # units flip the ranking


def test_document_omega_is_a_moment_not_an_importance():
    rng = np.random.default_rng(1)
    X = np.column_stack([rng.normal(100, 1, 500), rng.normal(0, 1, 500)])
    pred = X[:, 1] * 5 + 50  # only the second feature matters...
    omega = document_omega(pred, X, normalise=False)
    assert abs(omega[0]) > abs(omega[1])  # ...but omega ranks the first by its units


def test_errors(data):
    X, y = data
    with pytest.raises(ValueError, match="one target per row"):
        permutation_importance(linear, X, y[:10])
    with pytest.raises(ValueError, match="unknown scoring"):
        permutation_importance(linear, X, y, scoring="accuracy")
    with pytest.raises(ValueError, match="NaN"):
        occlusion(linear, np.full((2, 4), np.nan), 0.0)
    with pytest.raises(ValueError, match="2-D"):
        first_layer_importance(np.ones(3))
    with pytest.raises(ValueError, match="one number per row"):
        occlusion(lambda Z: np.ones((len(Z), 2)), X[:3], 0.0)
