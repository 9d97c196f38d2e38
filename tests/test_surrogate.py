"""Global surrogates fitted to the model's predictions; fidelity; decision paths."""

import numpy as np
import pytest

from ecomxai.explain.surrogate import (
    decision_path, describe_decision_path, fidelity_r2, linear_surrogate, resample_columns,
    tree_surrogate,
)


def step_model(X):
    return np.where(X[:, 0] > 0.5, 10.0, 0.0) + np.where(X[:, 1] > 0.2, 5.0, 0.0)


@pytest.fixture(scope="module")
def X():
    return np.random.default_rng(0).uniform(size=(2000, 3))


def test_tree_surrogate_recovers_rules(X):
    fit = tree_surrogate(step_model, X[:1500], X[1500:], max_depth=2, min_samples_leaf=5,
                         feature_names=["a", "b", "c"])
    assert fit.fidelity_test > 0.99
    steps = decision_path(fit, np.array([0.9, 0.1, 0.3]))
    assert [s["feature"] for s in steps[:-1]] == ["a", "b"]
    assert steps[-1]["prediction"] == pytest.approx(10.0)
    assert steps[-1]["prediction"] == pytest.approx(fit.predict(np.array([[0.9, 0.1, 0.3]]))[0])
    text = describe_decision_path(fit, np.array([0.9, 0.1, 0.3]))
    assert "a = 0.9 >" in text and "surrogate predicts 10.0" in text


def test_surrogate_learns_the_model_not_the_labels(X):
    # labels carry an effect the model ignores: the surrogate must follow the model
    fit = linear_surrogate(lambda Z: 2 * Z[:, 0], X[:1500], X[1500:], alpha=1e-4)
    assert fit.fidelity_test > 0.999
    coef = fit.estimator[-1].coef_ / fit.estimator[0].scale_
    np.testing.assert_allclose(coef, [2.0, 0.0, 0.0], atol=1e-2)


def test_fidelity_r2_definition():
    f = np.array([1.0, 2.0, 3.0])
    assert fidelity_r2(f, f) == 1.0
    assert fidelity_r2(f, np.full(3, 2.0)) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="constant"):
        fidelity_r2(np.ones(3), f)


def test_resample_columns_keeps_marginals(X):
    Q = resample_columns(X, 5000, seed=1)
    assert Q.shape == (5000, 3)
    assert set(np.unique(Q[:, 0])) <= set(X[:, 0])
    assert abs(np.corrcoef(Q[:, 0], Q[:, 1])[0, 1]) < 0.05


def test_errors(X):
    lin = linear_surrogate(step_model, X[:100], X[100:200])
    with pytest.raises(ValueError, match="tree surrogate"):
        decision_path(lin, X[0])
    with pytest.raises(ValueError, match="max_depth"):
        tree_surrogate(step_model, X, X, max_depth=0)
