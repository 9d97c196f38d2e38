"""Ground-truth agreement metrics on vectors whose answer is known by hand."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ecomxai.evaluate.ground_truth import (
    global_importance, local_agreement, score_against_truth, scores_table,
    spearman_agreement, top_k_recovery,
)

TRUTH = np.array([0.25, 0.20, 0.15, 0.10, 0.05, 0.0])


def test_spearman_same_ranking_is_one_and_reversed_is_minus_one():
    assert spearman_agreement(TRUTH * 3 + 1, TRUTH) == pytest.approx(1.0)
    assert spearman_agreement(-TRUTH, TRUTH) == pytest.approx(-1.0)


def test_spearman_matches_scipy_and_accepts_series():
    rng = np.random.default_rng(0)
    g = rng.random(6)
    expected = stats.spearmanr(g, TRUTH).statistic
    assert spearman_agreement(pd.Series(g), list(TRUTH)) == pytest.approx(expected)


def test_constant_importance_has_no_ranking():
    assert spearman_agreement(np.ones(6), TRUTH) == 0.0


def test_global_importance_is_mean_abs_normalised():
    A = np.array([[1.0, -3.0], [-1.0, 1.0]])
    np.testing.assert_allclose(global_importance(A), [1 / 3, 2 / 3])
    np.testing.assert_allclose(global_importance(A, normalise=False), [1.0, 2.0])


def test_local_agreement_signs_and_methods():
    rng = np.random.default_rng(1)
    T = rng.normal(size=(20, 5))
    assert local_agreement(2 * T, T) == pytest.approx(1.0)
    assert local_agreement(-T, T, method="pearson") == pytest.approx(-1.0)
    per_row = local_agreement(T + rng.normal(size=T.shape), T, reduce=False)
    assert per_row.shape == (20,)
    ref = [stats.spearmanr(a, t).statistic for a, t in zip(T + 0 * T, T)]
    assert np.allclose(ref, 1.0)
    A = T + rng.normal(size=T.shape)
    ref_p = np.mean([stats.pearsonr(a, t).statistic for a, t in zip(A, T)])
    assert local_agreement(A, T, method="pearson") == pytest.approx(ref_p)
    ref_s = np.mean([stats.spearmanr(a, t).statistic for a, t in zip(A, T)])
    assert local_agreement(A, T) == pytest.approx(ref_s)


def test_top_k_recovery():
    assert top_k_recovery(TRUTH, TRUTH, k=3) == 1.0
    g = np.array([0.25, 0.0, 0.15, 0.10, 0.05, 0.20])  # brand swapped with the placebo
    assert top_k_recovery(g, TRUTH, k=3) == pytest.approx(2 / 3)


def test_score_bundle_and_table():
    rng = np.random.default_rng(2)
    T = rng.normal(size=(10, 6))
    s = score_against_truth("m", TRUTH, TRUTH, attributions=T, contributions=T)
    assert s.spearman == pytest.approx(1.0) and s.local_pearson == pytest.approx(1.0)
    g = score_against_truth("g", TRUTH[::-1], TRUTH)
    assert np.isnan(g.local_spearman)
    assert list(scores_table([s, g]).index) == ["m", "g"]


@pytest.mark.parametrize("bad", [np.array([1.0]), np.array([np.nan, 1.0, 2.0])])
def test_bad_vectors_raise(bad):
    with pytest.raises(ValueError):
        spearman_agreement(bad, bad)


def test_shape_mismatch_raises():
    with pytest.raises(ValueError, match="same feature order"):
        spearman_agreement(TRUTH[:3], TRUTH)
    with pytest.raises(ValueError, match="same shape"):
        local_agreement(np.zeros((3, 4)), np.zeros((3, 5)))
    with pytest.raises(ValueError, match="k must be"):
        top_k_recovery(TRUTH, TRUTH, k=0)
    with pytest.raises(ValueError, match="both"):
        score_against_truth("x", TRUTH, TRUTH, attributions=np.zeros((2, 6)))
