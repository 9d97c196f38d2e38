"""Deletion / insertion curves and their AUC on models whose answer is known."""

import numpy as np
import pytest

from ecomxai.evaluate.faithfulness import curve_auc, sequence_curves, tabular_curves

W = np.array([4.0, 3.0, 2.0, 1.0])


def linear(X):
    return np.asarray(X) @ W


def test_curve_endpoints_and_exact_values_for_a_linear_model():
    x = np.ones((1, 4))
    curves = tabular_curves(linear, x, W[None], baseline=0.0)
    np.testing.assert_allclose(curves.fractions, [0, .25, .5, .75, 1])
    # deleting the best feature first: 10, 6, 3, 1, 0; inserting: 0, 4, 7, 9, 10
    np.testing.assert_allclose(curves.deletion[0], [10, 6, 3, 1, 0])
    np.testing.assert_allclose(curves.insertion[0], [0, 4, 7, 9, 10])
    # normalised trapezoid: deletion (1 + 2*(.6+.3+.1) + 0)/2 * .25 = .375
    assert curves.deletion_auc == pytest.approx(0.375)
    assert curves.insertion_auc == pytest.approx(0.625)


def test_true_ranking_beats_reversed_and_random_rankings():
    rng = np.random.default_rng(0)
    X = rng.uniform(0.5, 1.5, size=(20, 4))
    good = tabular_curves(linear, X, X * W, baseline=0.0)
    bad = tabular_curves(linear, X, -X * W, baseline=0.0)
    rand = tabular_curves(linear, X, rng.normal(size=X.shape), baseline=0.0)
    assert good.deletion_auc < rand.deletion_auc < bad.deletion_auc
    assert good.insertion_auc > rand.insertion_auc > bad.insertion_auc
    # deleting best-first traces inserting worst-first backwards (an additive model)
    assert good.deletion_auc == pytest.approx(bad.insertion_auc)


def test_baseline_row_and_magnitude_ranking():
    x = np.array([[2.0, 0.0, 5.0]])
    f = lambda X: X[:, 0] - X[:, 1] * 0 + 0 * X[:, 2]  # only feature 0 matters
    c = tabular_curves(f, x, np.array([[-3.0, 0.1, 0.2]]), baseline=np.array([1.0, 0, 0]),
                       by_magnitude=True)
    np.testing.assert_allclose(c.deletion[0], [2, 1, 1, 1])  # |-3| ranks first


def test_curve_auc_unnormalised_and_nan_for_flat_rows():
    fr = np.array([0.0, 0.5, 1.0])
    assert curve_auc(fr, np.array([2.0, 1.0, 0.0]), normalise=False) == pytest.approx(1.0)
    out = curve_auc(fr, np.array([[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]]))
    assert np.isnan(out[0]) and out[1] == pytest.approx(0.25)
    with pytest.raises(ValueError, match="one column per fraction"):
        curve_auc(fr, np.ones(4))


def evidence(batch):
    return np.array([sum(t == 7 for t in s) / 2.0 for s in batch])


def test_sequence_curves_delete_and_insert_the_evidence():
    seq = [1, 7, 2, 3, 7, 4]
    truth = np.array([0, 1, 0, 0, 1, 0], float)
    c = sequence_curves(evidence, seq, truth, replace_with=0)
    np.testing.assert_allclose(c.deletion[0], [1, .5, 0, 0, 0, 0, 0])
    np.testing.assert_allclose(c.insertion[0], [0, .5, 1, 1, 1, 1, 1])
    worse = sequence_curves(evidence, seq, -truth, replace_with=0)
    assert c.deletion_auc < worse.deletion_auc and c.insertion_auc > worse.insertion_auc


def test_sequence_curves_keep_fixed_positions_and_thin_points():
    seen = []

    def spy(batch):
        seen.extend(batch)
        return evidence(batch)

    seq = [101] + [7, 1, 2, 3] * 10 + [102]
    fixed = [True] + [False] * 40 + [True]
    c = sequence_curves(spy, seq, np.arange(42.0), fixed=fixed, max_points=5)
    assert c.fractions.size == 5 and c.fractions[0] == 0 and c.fractions[-1] == 1
    assert all(s[0] == 101 and s[-1] == 102 for s in seen)


def test_errors_are_clear():
    with pytest.raises(ValueError, match="shape of X"):
        tabular_curves(linear, np.ones((2, 4)), np.ones((2, 3)), 0.0)
    with pytest.raises(ValueError, match="one score per row"):
        tabular_curves(lambda X: np.ones(3), np.ones((1, 4)), np.ones((1, 4)), 0.0)
    with pytest.raises(ValueError, match="empty"):
        sequence_curves(evidence, [], np.array([]))


def test_orient_ranks_by_support_for_the_deviation_from_the_baseline():
    x = np.array([[-1.0, -1.0, -1.0, -1.0]])          # f(x) = -10 < f(0) = 0
    A = x * W                                          # all negative, the first most
    plain = tabular_curves(linear, x, A, baseline=0.0)
    oriented = tabular_curves(linear, x, A, baseline=0.0, orient=True)
    np.testing.assert_allclose(oriented.deletion[0], [-10, -6, -3, -1, 0])
    assert oriented.deletion_auc == pytest.approx(0.375)
    assert plain.deletion_auc > oriented.deletion_auc
