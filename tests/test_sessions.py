"""Synthetic sessions: the planted cause is where the generator says it is."""

import numpy as np
import pytest

from ecomxai.data.sessions import CAUSE_EFFECT_PAIRS, make_sessions


def test_planted_cause_sits_at_its_position_and_determines_the_target():
    s = make_sessions(200, seed=1)
    assert len(s) == 200 and s.n_items == 2 * len(CAUSE_EFFECT_PAIRS) + 60
    for h, y, p in zip(s.histories, s.targets, s.cause_positions):
        k = int(np.flatnonzero(s.causes == h[p])[0])
        assert y == s.effects[k]
        # exactly one cause in the history, no effect in it, distinct items
        assert np.isin(h, s.causes).sum() == 1
        assert not np.isin(h, s.effects).any()
        assert len(set(h.tolist())) == len(h)
        assert 4 <= len(h) <= 10
    assert s.item_names[s.causes[0]] == "phone" and s.item_names[s.effects[0]] == "phone case"


def test_positions_spread_over_the_history_and_seed_reproduces():
    a, b = make_sessions(500, seed=3), make_sessions(500, seed=3)
    np.testing.assert_array_equal(a.cause_positions, b.cause_positions)
    assert len(np.unique(a.cause_positions)) == 10
    seqs = a.sequences()
    assert all(seq[-1] == y for seq, y in zip(seqs, a.targets))
    sub = a.subset(slice(0, 10))
    assert len(sub) == 10 and sub.n_items == a.n_items


def test_bad_arguments():
    with pytest.raises(ValueError):
        make_sessions(0)
    with pytest.raises(ValueError):
        make_sessions(10, min_history=5, max_history=3)
    with pytest.raises(ValueError):
        make_sessions(10, n_fillers=3)
