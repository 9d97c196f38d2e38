"""Gradient attributions: integrated gradients vs Captum, completeness, adapters agree."""

import numpy as np
import pytest
import torch
from captum.attr import IntegratedGradients

from ecomxai.explain.adapters import KerasAdapter, TorchAdapter
from ecomxai.explain.gradients import (
    completeness_gap, gradient_x_input, integrated_gradients, saliency,
)


@pytest.fixture(scope="module")
def torch_net():
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 1))
    return net.double().eval()


@pytest.fixture(scope="module")
def X():
    return np.random.default_rng(0).normal(size=(5, 4))


@pytest.mark.parametrize("method", ["gausslegendre", "riemann_left", "riemann_right",
                                    "riemann_middle"])
def test_ig_matches_captum(torch_net, X, method):
    steps = 32
    ours = integrated_gradients(TorchAdapter(torch_net, dtype=torch.float64), X, 0.0,
                                steps=steps, method=method)
    ref = IntegratedGradients(torch_net).attribute(
        torch.as_tensor(X), baselines=torch.zeros(1, 4, dtype=torch.float64), target=0,
        n_steps=steps, method=method)
    np.testing.assert_allclose(ours, ref.detach().numpy(), atol=1e-10)


def test_trapezoid_differs_from_captum_by_its_weight_sum(torch_net, X):
    # Captum's riemann_trapezoid uses step 1/n with halved end weights on n nodes of
    # linspace(0, 1, n): its weights sum to (n-1)/n, not 1. Ours is the trapezoid rule
    # (step 1/(n-1)), so the two differ exactly by the factor n/(n-1).
    steps = 16
    ours = integrated_gradients(TorchAdapter(torch_net, dtype=torch.float64), X, 0.0,
                                steps=steps, method="riemann_trapezoid")
    ref = IntegratedGradients(torch_net).attribute(
        torch.as_tensor(X), baselines=torch.zeros(1, 4, dtype=torch.float64), target=0,
        n_steps=steps, method="riemann_trapezoid").detach().numpy()
    np.testing.assert_allclose(ours, ref * steps / (steps - 1), atol=1e-10)


def test_ig_completeness(torch_net, X):
    model = TorchAdapter(torch_net, dtype=torch.float64)
    base = X.mean(axis=0)
    attr, gap = integrated_gradients(model, X, base, steps=64, return_delta=True)
    assert np.abs(gap).max() < 1e-8
    assert completeness_gap(model, X, attr, base).max() < 1e-8


def test_gradient_x_input_exact_on_linear(X):
    w = np.array([1.0, -2.0, 0.5, 3.0])
    lin = torch.nn.Linear(4, 1).double()
    with torch.no_grad():
        lin.weight[:] = torch.as_tensor(w)[None]
        lin.bias[:] = 0.7
    model = TorchAdapter(lin, dtype=torch.float64)
    base = np.ones(4)
    np.testing.assert_allclose(gradient_x_input(model, X, base), w * (X - base), atol=1e-12)
    np.testing.assert_allclose(saliency(model, X), np.tile(np.abs(w), (len(X), 1)))
    # for a linear model IG equals gradient x input with the same baseline
    np.testing.assert_allclose(integrated_gradients(model, X, base, steps=3),
                               w * (X - base), atol=1e-12)


def test_keras_and_torch_adapters_agree(X):
    import keras

    w = np.array([[1.0], [-2.0], [0.5], [3.0]], dtype=np.float32)
    kmodel = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    kmodel.layers[0].set_weights([w, np.array([0.7], np.float32)])
    lin = torch.nn.Linear(4, 1)
    with torch.no_grad():
        lin.weight[:] = torch.as_tensor(w.T)
        lin.bias[:] = 0.7
    k, t = KerasAdapter(kmodel), TorchAdapter(lin)
    np.testing.assert_allclose(k(X), t(X), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(k.gradient(X), t.gradient(X), rtol=1e-6)
    np.testing.assert_allclose(integrated_gradients(k, X, steps=8),
                               integrated_gradients(t, X, steps=8), rtol=1e-5, atol=1e-5)


def test_bad_baseline_raises(torch_net, X):
    with pytest.raises(ValueError, match="broadcast"):
        integrated_gradients(TorchAdapter(torch_net), X, np.zeros(3))
