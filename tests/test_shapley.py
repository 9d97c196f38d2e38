"""exact_shapley: efficiency, the linear closed form, and agreement with shap."""

import numpy as np
import pytest
import shap

from ecomxai.explain.shapley import exact_shapley, kernel_shap

W = np.array([1.5, -2.0, 0.5, 0.0, 3.0])


def nonlinear(X):
    return np.tanh(X[:, 0] * X[:, 1]) + X[:, 2] ** 2 - np.maximum(X[:, 4], 0) + 0.3 * X[:, 3]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(6, 5)), rng.normal(size=(8, 5))


def test_efficiency(data):
    X, bg = data
    res = exact_shapley(nonlinear, X, bg)
    assert res.efficiency_gap.max() < 1e-12
    np.testing.assert_allclose(res.base_value, nonlinear(bg).mean())


def test_linear_closed_form(data):
    X, bg = data
    res = exact_shapley(lambda Z: Z @ W + 2.0, X, bg)
    np.testing.assert_allclose(res.values, W * (X - bg.mean(axis=0)), atol=1e-12)


def test_agrees_with_shap_kernel_explainer_over_all_coalitions(data):
    # with nsamples >= 2^d - 2 shap.KernelExplainer enumerates every coalition and solves
    # the Shapley kernel regression exactly (shap.explainers.Exact needs a slow numba JIT)
    X, bg = data
    explainer = shap.KernelExplainer(nonlinear, bg, link="identity")
    ref = np.asarray(explainer.shap_values(X, nsamples=2 ** 5 + 50, silent=True))
    ours = exact_shapley(nonlinear, X, bg)
    np.testing.assert_allclose(ours.values, ref, atol=1e-8)
    np.testing.assert_allclose(ours.base_value, float(np.ravel(explainer.expected_value)[0]))


def test_our_kernel_shap_wrapper_agrees(data):
    X, bg = data
    ours = exact_shapley(nonlinear, X[:3], bg)
    ker = kernel_shap(nonlinear, X[:3], bg, nsamples=2 ** 5 + 100)
    np.testing.assert_allclose(ker.values, ours.values, atol=1e-6)


def test_too_many_features_raises():
    with pytest.raises(ValueError, match="kernel_shap"):
        exact_shapley(lambda Z: Z.sum(1), np.zeros((1, 20)), np.zeros((1, 20)))
