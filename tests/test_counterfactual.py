"""explain.counterfactual: leave-one-out drops and ranks on a model whose answer is known."""

import numpy as np
import pytest

from ecomxai.explain.counterfactual import leave_one_out, leave_one_out_sequences, rank_of


def additive_score(batch):
    """Score = sum of per-item weights: the drop of position t is exactly weight[s_t]."""
    weights = np.array([0.0, 1.0, 2.0, 5.0, 0.5])
    return np.array([weights[list(s)].sum() if len(s) else 0.0 for s in batch])


def test_leave_one_out_recovers_additive_weights():
    drops = leave_one_out(additive_score, [1, 3, 4])
    np.testing.assert_allclose(drops, [1.0, 5.0, 0.5])
    # replacing by the zero-weight id 0 gives the same drops and keeps the length
    np.testing.assert_allclose(leave_one_out(additive_score, [1, 3, 4], replace_with=0),
                               [1.0, 5.0, 0.5])


def test_perturbed_sequences():
    assert leave_one_out_sequences([7, 8, 9]) == [[8, 9], [7, 9], [7, 8]]
    assert leave_one_out_sequences([7, 8], replace_with=0) == [[0, 8], [7, 0]]


def test_rank_of_with_exclusions():
    scores = np.array([0.1, 0.9, 0.5, 0.7])
    assert rank_of(scores, 1) == 1
    assert rank_of(scores, 2) == 3
    assert rank_of(scores, 2, exclude=[1, 3]) == 1
    assert rank_of(scores, 2, exclude=[2]) == 3  # the item itself is never excluded


def test_errors():
    with pytest.raises(ValueError, match="empty"):
        leave_one_out(additive_score, [])
    with pytest.raises(LookupError):
        rank_of(np.zeros(3), 3)
    with pytest.raises(ValueError, match="one score per sequence"):
        leave_one_out(lambda b: np.zeros(2), [1, 2, 3])
