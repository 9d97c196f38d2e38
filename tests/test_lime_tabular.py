"""LIME tabular wrapper: seeded, recovers a linear model, reports local fidelity."""

import numpy as np
import pytest

from ecomxai.explain.lime_tabular import lime_tabular

W = np.array([2.0, -1.0, 0.5, 0.0])


def linear(X):
    return X @ W + 3.0


@pytest.fixture(scope="module")
def train():
    return np.random.default_rng(0).normal(size=(500, 4)) * [1.0, 2.0, 0.5, 1.0] + [0, 1, 2, 3]


def test_continuous_lime_recovers_linear_model(train):
    X = train[:3]
    res = lime_tabular(linear, X, train, discretize_continuous=False, num_samples=1500)
    scale = train.std(axis=0)
    np.testing.assert_allclose(res.weights, np.tile(W * scale, (3, 1)), atol=1e-2)
    np.testing.assert_allclose(res.attributions, W * (X - train.mean(axis=0)), atol=2e-2)
    assert np.all(res.fidelity > 0.999)
    np.testing.assert_allclose(res.local_prediction, linear(X), atol=1e-2)


def test_seeded_and_shapes(train):
    a = lime_tabular(linear, train[:2], train, random_state=3, num_samples=500)
    b = lime_tabular(linear, train[:2], train, random_state=3, num_samples=500)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert a.attributions.shape == (2, 4) and a.fidelity.shape == (2,)
    # the placebo column gets (almost) nothing; the strongest gets the most
    assert np.all(np.abs(a.weights[:, 0]) > np.abs(a.weights[:, 3]))


def test_errors(train):
    with pytest.raises(ValueError, match="same columns"):
        lime_tabular(linear, train[:2, :3], train)
    with pytest.raises(ValueError, match="feature names"):
        lime_tabular(linear, train[:2], train, feature_names=["a"])
