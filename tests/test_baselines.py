"""Popularity and last-item co-occurrence baselines on hand-countable data."""

import numpy as np
import pytest

from ecomxai.models.baselines import CooccurrenceRecommender, PopularityRecommender

SEQS = [[0, 1, 2], [0, 1, 3], [1, 2]]


def test_popularity_counts_interactions():
    pop = PopularityRecommender(4).fit(SEQS)
    np.testing.assert_array_equal(pop.counts, [2, 3, 2, 1])
    scores = pop.score_items([[0], [3, 2]])
    assert scores.shape == (2, 4)
    np.testing.assert_array_equal(scores[0], scores[1])


def test_cooccurrence_counts_successors_of_last_item():
    co = CooccurrenceRecommender(4).fit(SEQS)
    # 1 -> 2 twice, 1 -> 3 once, 0 -> 1 twice
    assert co.transitions[1, 2] == 2 and co.transitions[1, 3] == 1 and co.transitions[0, 1] == 2
    s = co.score_items([[3, 1]])[0]
    assert np.argmax(s) == 2 and s[2] > s[3] > s[0]
    # the popularity term only breaks ties: it is below one co-occurrence
    assert s[3] - co.transitions[1, 3] < 1.0


def test_cooccurrence_window():
    co = CooccurrenceRecommender(4, window=2).fit(SEQS)
    assert co.transitions[0, 2] == 1 and co.transitions[0, 3] == 1


def test_baseline_errors():
    with pytest.raises(LookupError):
        PopularityRecommender(2).fit([[0, 5]])
    with pytest.raises(ValueError):
        CooccurrenceRecommender(4).fit(SEQS).score_items([[]])
    with pytest.raises(ValueError):
        CooccurrenceRecommender(4, window=0)
    with pytest.raises(ValueError):
        PopularityRecommender(3).fit([])
