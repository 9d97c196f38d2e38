"""Stability metrics on explanations whose behaviour is known."""

import numpy as np
import pytest

from ecomxai.evaluate.stability import (
    compare_attributions, max_sensitivity, noise_stability, rank_correlation,
    relative_change, seed_stability, sequence_stability, top_k_overlap,
)

W = np.array([5.0, -4.0, 3.0, 2.0, 1.0])


def test_similarity_primitives():
    a = np.array([3.0, -2.0, 1.0, 0.5])
    assert rank_correlation(a, 2 * a) == pytest.approx(1.0)
    assert rank_correlation(a, a[::-1].copy(), absolute=False) < 0
    assert rank_correlation(a, np.ones(4)) == 0.0
    assert top_k_overlap(a, np.array([0.0, 5.0, 4.0, 0.0]), k=2) == pytest.approx(0.5)
    assert relative_change(a, a) == 0.0
    assert relative_change(np.array([3.0, 4.0]), np.array([0.0, 0.0])) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="differ in size"):
        rank_correlation(a, a[:3])
    with pytest.raises(ValueError, match="k must be"):
        top_k_overlap(a, a, k=9)


def test_gradient_of_linear_model_is_perfectly_stable():
    grad = lambda X: np.broadcast_to(W, X.shape).copy()  # saliency of a linear model
    X = np.random.default_rng(0).normal(size=(6, 5))
    res = noise_stability(grad, X, scale=0.1, n_samples=4)
    assert res.rank_correlation == pytest.approx(1.0)
    assert res.top_k_overlap == pytest.approx(1.0)
    assert res.relative_change == pytest.approx(0.0)
    np.testing.assert_allclose(max_sensitivity(grad, X, radius=0.1), 0.0)


def test_input_times_gradient_moves_with_the_input_by_a_known_amount():
    gxi = lambda X: X * W
    X = np.full((3, 5), 2.0)
    # |dx_i| <= r, so ||W*dx|| / ||W*x|| <= r/2; the Monte-Carlo max approaches it
    s = max_sensitivity(gxi, X, radius=0.2, n_samples=400, seed=1)
    assert np.all(s <= 0.1 + 1e-12) and np.all(s > 0.07)
    noisy = noise_stability(gxi, X, scale=0.05, n_samples=3)
    bigger = noise_stability(gxi, X, scale=1.0, n_samples=3)
    assert noisy.relative_change < bigger.relative_change
    assert noisy.rank_correlation > bigger.rank_correlation


def test_seed_stability_and_compare():
    A = np.random.default_rng(0).normal(size=(4, 6))
    assert seed_stability(A, A).rank_correlation == pytest.approx(1.0)
    res = compare_attributions(A, np.random.default_rng(1).normal(size=(4, 6)), k=10)
    assert res.k == 6 and -1 <= res.rank_correlation <= 1
    with pytest.raises(ValueError, match="equal"):
        compare_attributions(A, A[:2])


def test_sequence_stability_of_a_position_independent_explainer():
    weights = {7: 5.0, 3: 1.0}
    explain = lambda s: np.array([weights.get(t, 0.1 * t) for t in s])
    res = sequence_stability(explain, [7, 3, 1, 2, 4, 5], vocabulary=range(10), n_samples=5)
    assert res.rank_correlation == pytest.approx(1.0)  # untouched positions keep their scores
    # an explainer that normalises by a changing total still keeps the ranking
    shaky = lambda s: np.random.default_rng(sum(s)).normal(size=len(s))
    worse = sequence_stability(shaky, [7, 3, 1, 2, 4, 5], vocabulary=range(10), n_samples=5)
    assert worse.rank_correlation < 0.9
    with pytest.raises(ValueError, match="3 replaceable"):
        sequence_stability(explain, [1, 2], vocabulary=range(5))


def test_noise_scale_checks():
    with pytest.raises(ValueError, match="broadcast"):
        noise_stability(lambda X: X, np.ones((2, 3)), scale=np.ones(4))
    with pytest.raises(ValueError, match="non-negative"):
        max_sensitivity(lambda X: X, np.ones((2, 3)), radius=-1.0)
