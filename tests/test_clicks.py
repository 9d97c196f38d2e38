"""The synthetic click data: planted logit, closed-form truth, validation."""

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from ecomxai.data import clicks
from ecomxai.explain.shapley import exact_shapley


@pytest.fixture(scope="module")
def data():
    return clicks.make_clicks(n_impressions=3000, n_users=200, n_items=150, seed=3)


def test_shapes_and_determinism(data):
    again = clicks.make_clicks(n_impressions=3000, n_users=200, n_items=150, seed=3)
    assert data.X.shape == (3000, len(clicks.FEATURE_NAMES))
    np.testing.assert_array_equal(data.X, again.X)
    np.testing.assert_array_equal(data.clicks, again.clicks)
    assert set(np.unique(data.clicks)) == {0, 1}
    assert 0.15 < data.click_rate < 0.35
    assert list(data.features.columns) == list(clicks.FEATURE_NAMES)


def test_pair_features_come_from_users_and_items(data):
    users, items = data.users.iloc[data.user_ids], data.items.iloc[data.item_ids]
    match = users["preferred_category"].to_numpy() == items["category"].to_numpy()
    np.testing.assert_array_equal(data.X[:, 0], match.astype(float))
    np.testing.assert_array_equal(data.X[:, 2], items["price"].to_numpy())
    np.testing.assert_array_equal(data.X[:, 3], users["price_sensitivity"].to_numpy())


def test_clicks_follow_the_planted_logit(data):
    np.testing.assert_allclose(data.logit, clicks.planted_logit(data.X))
    assert roc_auc_score(data.clicks, data.logit) > 0.7


def test_closed_form_truth_is_the_exact_shapley_value(data):
    X, background = data.X[:12], data.X[100:140]
    truth = clicks.true_contributions(X, background)
    exact = exact_shapley(clicks.planted_logit, X, background)
    np.testing.assert_allclose(truth, exact.values, atol=1e-10)
    # efficiency: contributions sum to the logit minus the background's mean logit
    np.testing.assert_allclose(truth.sum(1),
                               clicks.planted_logit(X) - clicks.planted_logit(background).mean(),
                               atol=1e-10)
    # the placebo has no effect
    assert np.all(truth[:, clicks.FEATURE_NAMES.index("listing_weekday")] == 0)


def test_split_is_a_partition(data):
    train, test = data.split(0.25, seed=1)
    assert len(np.intersect1d(train, test)) == 0
    assert len(train) + len(test) == len(data.X)
    with pytest.raises(ValueError, match="test_fraction"):
        data.split(1.5)


def test_feature_phrases():
    assert clicks.feature_phrase("category_match", 1.0) == "matches your preferred category"
    assert clicks.feature_phrase("price", 59.6) == "price ¥60"
    assert clicks.feature_phrase("discount", 0.25) == "25% off"
    assert set(clicks.FEATURE_PHRASES) == set(clicks.FEATURE_NAMES)
    with pytest.raises(LookupError, match="unknown feature"):
        clicks.feature_phrase("colour", 1.0)


@pytest.mark.parametrize("kwargs", [{"n_impressions": 0}, {"n_users": 2.5}, {"seed": -1},
                                    {"n_items": True}])
def test_bad_sizes_are_rejected(kwargs):
    with pytest.raises(ValueError, match="must be an integer"):
        clicks.make_clicks(**{"n_impressions": 10, **kwargs})


def test_bad_pairs_are_rejected(data):
    with pytest.raises(ValueError, match="FEATURE_NAMES order"):
        clicks.planted_logit(data.X[:, :5])
    bad = data.X[:3].copy()
    bad[0, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clicks.planted_logit(bad)
    bad[0, 2] = -1.0
    with pytest.raises(ValueError, match="price must be positive"):
        clicks.true_contributions(bad, data.X[:5])
