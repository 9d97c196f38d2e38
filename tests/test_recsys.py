"""HR@K, NDCG@K, MRR and the two candidate protocols on hand-computed cases."""

import numpy as np
import pytest

from ecomxai.evaluate.recsys import (
    evaluate_scores, hit_rate_at_k, mean_reciprocal_rank, ndcg_at_k, ranking_metrics,
    ranks_full, ranks_sampled,
)


def test_metrics_on_hand_computed_ranks():
    ranks = np.array([1, 2, 11])
    assert hit_rate_at_k(ranks, 10) == pytest.approx(2 / 3)
    assert hit_rate_at_k(ranks, 1) == pytest.approx(1 / 3)
    # NDCG: 1/log2(2) = 1, 1/log2(3) = 0.6309, rank 11 > K contributes 0
    assert ndcg_at_k(ranks, 10) == pytest.approx((1 + 1 / np.log2(3)) / 3)
    assert mean_reciprocal_rank(ranks) == pytest.approx((1 + 0.5 + 1 / 11) / 3)
    table = ranking_metrics(ranks, ks=(1, 10))
    assert set(table) == {"HR@1", "NDCG@1", "HR@10", "NDCG@10", "MRR"}


def test_full_ranking_excludes_history_but_not_target():
    scores = np.array([[0.9, 0.8, 0.1, 0.5]])
    # target 2 (score .1): items 0, 1, 3 beat it -> rank 4; excluding 0 and 1 -> rank 2
    assert ranks_full(scores, [2]) == pytest.approx([4])
    assert ranks_full(scores, [2], exclude=[[0, 1]]) == pytest.approx([2])
    # the target is never excluded even if it is in the history
    assert ranks_full(scores, [0], exclude=[[0, 1]]) == pytest.approx([1])


def test_ties_get_expected_rank():
    scores = np.zeros((1, 5))
    assert ranks_full(scores, [3]) == pytest.approx([1 + 4 / 2])


def test_sampled_ranks_use_n_negatives_and_are_seeded():
    rng = np.random.default_rng(1)
    scores = rng.normal(size=(20, 300))
    targets = rng.integers(0, 300, size=20)
    hist = [list(rng.choice(300, 5, replace=False)) for _ in range(20)]
    a = ranks_sampled(scores, targets, hist, n_negatives=100, seed=3)
    b = ranks_sampled(scores, targets, hist, n_negatives=100, seed=3)
    np.testing.assert_array_equal(a, b)
    assert a.min() >= 1 and a.max() <= 101
    # a perfect scorer is ranked first under both protocols
    perfect = np.zeros((20, 300))
    perfect[np.arange(20), targets] = 1.0
    table = evaluate_scores(perfect, targets, hist)
    np.testing.assert_allclose(table.to_numpy(), 1.0)


def test_sampled_never_draws_history_or_target():
    scores = np.zeros((1, 6))
    scores[0, [0, 1]] = 10.0  # history items would beat the target if they were sampled
    r = ranks_sampled(scores, [2], [[0, 1]], n_negatives=3, seed=0)
    assert r == pytest.approx([1 + 3 / 2])  # only the three zero-score items remain


@pytest.mark.parametrize("bad", [np.zeros(3), np.full((2, 3), np.nan)])
def test_bad_scores_raise(bad):
    with pytest.raises(ValueError):
        ranks_full(bad, [0, 1][: len(bad)] if bad.ndim == 2 else [0])


def test_bad_targets_and_ranks_raise():
    with pytest.raises(LookupError):
        ranks_full(np.zeros((1, 3)), [5])
    with pytest.raises(ValueError):
        ranks_full(np.zeros((2, 3)), [0])
    with pytest.raises(ValueError):
        ndcg_at_k(np.array([0.0, 1.0]))
    with pytest.raises(ValueError):
        ranks_sampled(np.zeros((1, 3)), [0], n_negatives=5)
