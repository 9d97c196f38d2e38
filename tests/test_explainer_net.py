"""Explainer network: coalition sampling, joint training updates both nets, the
document's loop, fidelity metrics, caching, and the shopper sentence."""

import numpy as np
import pytest

from ecomxai.data import clicks
from ecomxai.models import explainer_net as xn
from ecomxai.viz.explanation_text import shopper_explanation, top_reasons

TINY = xn.ExplainerNetConfig(hidden=(16, 8), explainer_hidden=(16,), epochs=1, batch_size=64,
                             coalitions_per_row=2, seed=1)


@pytest.fixture(scope="module")
def data():
    return clicks.make_clicks(n_impressions=640, n_users=60, n_items=50, seed=2)


@pytest.fixture(scope="module")
def joint(data):
    models, _ = xn.train_click_models(data.X, data.clicks, joint=True, config=TINY,
                                      use_cache=False)
    return models


@pytest.fixture(scope="module")
def alone(data):
    models, _ = xn.train_click_models(data.X, data.clicks, joint=False, config=TINY,
                                      use_cache=False)
    return models


def test_coalitions_are_complementary_pairs_from_the_shapley_kernel():
    d = 6
    masks = xn.shapley_kernel_coalitions(20_000, d, np.random.default_rng(0))
    assert masks.shape == (40_000, d)
    np.testing.assert_array_equal(masks[0::2] + masks[1::2], 1.0)
    sizes = masks[0::2].sum(1).astype(int)
    assert sizes.min() >= 1 and sizes.max() <= d - 1
    s = np.arange(1, d)
    kernel = (d - 1) / (s * (d - s))
    observed = np.bincount(sizes, minlength=d)[1:] / len(sizes)
    np.testing.assert_allclose(observed, kernel / kernel.sum(), atol=0.01)
    with pytest.raises(ValueError, match="d >= 2"):
        xn.shapley_kernel_coalitions(3, 1, np.random.default_rng(0))


def test_joint_training_updates_both_networks(data, joint, alone):
    # same seed, same initial weights: the explainer only moved in the joint run ...
    moved = max(np.abs(a - b).max() for a, b in
                zip(alone.explainer.get_weights(), joint.explainer.get_weights()))
    assert moved > 1e-3
    # ... and the fidelity gradient (share 0.1) also reached the recommender
    assert np.abs(alone.logit(data.X[:50]) - joint.logit(data.X[:50])).max() > 1e-6
    assert len(joint.history["fidelity_loss"]) == TINY.epochs
    assert all(f == 0 for f in alone.history["fidelity_loss"])
    with pytest.raises(ValueError, match="never trained"):
        alone.explain(data.X[:3], base_value=0.0)


def test_explanations_are_efficient(data, joint):
    X = data.X[:25]
    phi = joint.explain(X, base_value=-1.3)
    assert phi.shape == (25, 9)
    np.testing.assert_allclose(phi.sum(1) - 1.3, joint.logit(X), atol=1e-5)
    p = joint.click_probability(X)
    assert np.all((p > 0) & (p < 1))


def test_stop_gradient_share_zero_leaves_recommender_as_alone(data, alone):
    cfg = xn.ExplainerNetConfig(**{**TINY.__dict__, "recommender_fidelity_share": 0.0})
    jointly, _ = xn.train_click_models(data.X, data.clicks, joint=True, config=cfg,
                                       use_cache=False)
    np.testing.assert_allclose(alone.logit(data.X[:50]), jointly.logit(data.X[:50]), atol=1e-5)


def test_cache_round_trip(data, tmp_path, monkeypatch):
    monkeypatch.setenv("ECOMXAI_CACHE_DIR", str(tmp_path))
    X, y = data.X[:128], data.clicks[:128]
    first, hit1 = xn.train_click_models(X, y, joint=False, config=TINY)
    second, hit2 = xn.train_click_models(X, y, joint=False, config=TINY)
    assert (hit1, hit2) == (False, True)
    np.testing.assert_allclose(first.logit(X), second.logit(X), atol=1e-6)
    assert second.history == first.history


def test_bad_training_input(data):
    with pytest.raises(ValueError, match="0/1 click"):
        xn.train_click_models(data.X, data.clicks + 2, joint=True, config=TINY, use_cache=False)
    with pytest.raises(ValueError, match="at least batch_size"):
        xn.train_click_models(data.X[:10], data.clicks[:10], joint=True, config=TINY,
                              use_cache=False)
    with pytest.raises(ValueError, match="even number"):
        xn.ExplainerNetConfig(coalitions_per_row=3)
    with pytest.raises(ValueError, match="recommender_fidelity_share"):
        xn.ExplainerNetConfig(recommender_fidelity_share=2.0)


def test_bad_explain_input(joint):
    with pytest.raises(ValueError, match=r"\(n, 9\)"):
        joint.logit(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="NaN"):
        joint.explain(np.full((2, 9), np.nan), 0.0)


def test_fidelity_metrics():
    ref = np.array([[1.0, -1.0], [0.5, 0.0]])
    exact = xn.fidelity_to_reference(ref, ref)
    assert exact == pytest.approx({"pearson": 1.0, "mae": 0.0, "rmse": 0.0})
    off = xn.fidelity_to_reference(ref + 0.5, ref)
    assert off["mae"] == pytest.approx(0.5) and off["rmse"] == pytest.approx(0.5)
    with pytest.raises(ValueError, match="must be equal"):
        xn.fidelity_to_reference(ref, ref[:1])


def test_time_per_explanation():
    assert xn.time_per_explanation(lambda X: X.sum(), np.ones((4, 2)), repeats=3) >= 0
    with pytest.raises(ValueError, match="at least one row"):
        xn.time_per_explanation(lambda X: X, np.ones((0, 2)))


def test_document_loop_never_trains_its_explainer(data):
    report = xn.document_listing_loop(data.X, data.clicks, steps=3, batch_size=64)
    assert "No gradients" in report.as_written_error
    assert "training" in report.two_argument_call_error
    assert report.explainer_weight_change == 0.0
    assert report.recommender_weight_change > 0.0
    assert report.explainer_output_shape == (64, 1) and report.n_features == 9


def test_shopper_sentence():
    values = np.zeros(9)
    values[[0, 2, 4]] = [1.0, 89.0, 4.6]
    phi = np.array([0.31, 0.0, -0.15, 0.02, 0.2, 0.0, 0.0, 0.0, 0.0])
    reasons = xn.shopper_contributions(phi, values, clicks.feature_phrase, clicks.FEATURE_NAMES)
    assert shopper_explanation(reasons, k=3) == ("Recommended because: matches your preferred "
                                                 "category +0.31, rated 4.6 stars +0.20, "
                                                 "price ¥89 −0.15")
    assert top_reasons(reasons, k=2, min_abs=0.25) == [("matches your preferred category", 0.31)]
    assert shopper_explanation(reasons, k=1, min_abs=1.0).endswith("no single feature stands out")
    with pytest.raises(ValueError, match="k must be"):
        top_reasons(reasons, k=0)
    with pytest.raises(ValueError, match="one entry per feature"):
        xn.shopper_contributions(phi[:3], values, clicks.feature_phrase, clicks.FEATURE_NAMES)
