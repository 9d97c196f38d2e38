"""The hand-written network: backprop is exact on random shapes, optimisers step as
documented, training works and stops early, inputs are validated."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomxai.explain.adapters import NumpyAdapter
from ecomxai.explain.gradients import gradient_x_input
from ecomxai.models import scratch_net as sn


def _problem(n, d, h, seed):
    rng = np.random.default_rng(seed)
    params = sn.init_params(d, h, seed=seed)
    params["b1"] = rng.normal(0.0, 0.5, size=h)
    return params, rng.normal(size=(n, d)), rng.normal(size=n)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 12), d=st.integers(1, 6), h=st.integers(1, 6), seed=st.integers(0, 10**6))
def test_backward_matches_central_differences_on_random_shapes(n, d, h, seed):
    params, X, y = _problem(n, d, h, seed)
    analytic = sn.backward(params, sn.forward(params, X), y)
    numeric = sn.numeric_gradients(params, X, y)
    for k in params:
        assert analytic[k].shape == params[k].shape
        np.testing.assert_allclose(analytic[k], numeric[k], rtol=1e-5, atol=1e-7)


@settings(max_examples=10, deadline=None)
@given(n=st.integers(1, 10), d=st.integers(1, 8), h=st.integers(1, 8), seed=st.integers(0, 10**6))
def test_backward_and_input_gradient_match_torch_autograd(n, d, h, seed):
    params, X, y = _problem(n, d, h, seed)
    ref, ref_input = sn.torch_gradients(params, X, y)
    ours = sn.backward(params, sn.forward(params, X), y)
    for k in params:
        np.testing.assert_allclose(ours[k], ref[k], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(sn.input_gradient(params, X), ref_input, rtol=1e-12, atol=1e-12)


def test_max_relative_error_is_tiny_in_float64():
    params, X, y = _problem(32, 10, 10, 0)
    err = sn.max_relative_error(sn.backward(params, sn.forward(params, X), y),
                                sn.numeric_gradients(params, X, y))
    assert err < 1e-6


def test_sgd_step_is_theta_minus_lr_grad_and_momentum_accumulates():
    p, g = {"w": np.array([1.0, -2.0])}, {"w": np.array([0.5, 0.5])}
    opt = sn.SGD(lr=0.1)
    opt.step(p, g)
    np.testing.assert_allclose(p["w"], [0.95, -2.05])
    p, mom = {"w": np.zeros(1)}, sn.SGD(lr=1.0, momentum=0.5)
    mom.step(p, {"w": np.ones(1)})
    mom.step(p, {"w": np.ones(1)})
    np.testing.assert_allclose(p["w"], [-1.0 - 1.5])


def test_adam_first_step_moves_each_weight_by_lr():
    p = {"w": np.array([0.0, 0.0, 0.0])}
    sn.Adam(lr=0.01).step(p, {"w": np.array([3.0, -0.2, 1e-3])})
    np.testing.assert_allclose(p["w"], [-0.01, 0.01, -0.01], rtol=1e-4)


@pytest.mark.parametrize("bad", [dict(lr=0.0), dict(lr=0.1, momentum=1.0)])
def test_optimiser_arguments_are_validated(bad):
    with pytest.raises(ValueError):
        sn.SGD(**bad)


def test_fit_learns_a_smooth_function_and_restores_the_best_epoch():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = np.maximum(X[:, 0], 0) - 0.5 * X[:, 1]
    net = sn.ScratchNet(3, 8, seed=0)
    start = sn.mse_loss(net.predict(X[200:]), y[200:])
    hist = net.fit(X[:200], y[:200], X[200:], y[200:], lr=1e-2, epochs=200, patience=10)
    final = sn.mse_loss(net.predict(X[200:]), y[200:])
    assert final < 0.2 * start
    assert final == pytest.approx(min(hist.val_loss))
    assert hist.stopped_early or len(hist.val_loss) == 200


def test_predict_validates_inputs():
    net = sn.ScratchNet(4, 3)
    with pytest.raises(ValueError, match="4 inputs"):
        net.predict(np.ones((2, 5)))
    with pytest.raises(ValueError, match="2-D"):
        net.predict(np.ones(4))
    with pytest.raises(ValueError, match="NaN"):
        net.predict(np.full((1, 4), np.nan))
    with pytest.raises(ValueError, match="shape"):
        net.loss_and_grads(np.ones((3, 4)), np.ones(2))
    with pytest.raises(ValueError, match="optimizer"):
        net.fit(np.ones((3, 4)), np.ones(3), np.ones((2, 4)), np.ones(2), optimizer="rmsprop")


def test_gradient_x_input_through_numpy_adapter_is_complete_for_a_linear_region():
    net = sn.ScratchNet(5, 4, seed=1)
    net.params["b1"][:] = 10.0                  # every unit active: the net is linear here
    X = np.random.default_rng(0).normal(size=(6, 5))
    model = NumpyAdapter(net.predict, net.gradient)
    attributions = gradient_x_input(model, X)
    np.testing.assert_allclose(attributions.sum(1), net.predict(X) - net.predict(np.zeros((1, 5))),
                               rtol=1e-10)


def test_first_layer_importance_sums_to_one_and_ignores_disconnected_inputs():
    net = sn.ScratchNet(4, 3, seed=0)
    net.params["W1"][2] = 0.0
    imp = sn.first_layer_importance(net.params)
    assert imp.sum() == pytest.approx(1.0) and imp[2] == 0.0
