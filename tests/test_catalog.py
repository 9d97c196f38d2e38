"""The synthetic catalogue plants document 000's importance table and knows its own truth."""

import numpy as np
import pandas as pd
import pytest

from ecomxai.data import catalog
from ecomxai.explain.shapley import exact_shapley


@pytest.fixture(scope="module")
def cat():
    return catalog.make_catalog(1000, seed=0)


def test_shape_columns_and_determinism(cat):
    assert cat.features.shape == (1000, 10)
    assert list(cat.features.columns) == list(catalog.FEATURE_NAMES)
    again = catalog.make_catalog(1000, seed=0)
    pd.testing.assert_frame_equal(cat.features, again.features)
    np.testing.assert_array_equal(cat.sales, again.sales)
    assert not np.array_equal(cat.sales, catalog.make_catalog(1000, seed=1).sales)


def test_true_importance_follows_the_document_table(cat):
    imp = cat.importance
    assert imp.sum() == pytest.approx(1.0)
    order = ["price", "brand", "category"]
    assert imp[order].is_monotonic_decreasing
    assert imp["category"] > imp["promotion"] and imp["category"] > imp["stock"]
    assert abs(imp["promotion"] - imp["stock"]) < 0.02          # promotion ~ stock
    others = ["rating", "review_count", "discount", "shipping_days", "season"]
    assert imp[others].max() < min(imp["promotion"], imp["stock"])
    assert imp["season"] == 0.0                                   # placebo feature
    for name, table_value in [("price", .25), ("brand", .20), ("category", .15)]:
        assert imp[name] == pytest.approx(table_value, abs=0.01)


def test_contributions_are_efficient(cat):
    np.testing.assert_allclose(cat.contributions.sum(axis=1) + catalog.SALES_BASE,
                               cat.expected, atol=1e-9)
    np.testing.assert_allclose(catalog.expected_sales(cat.X), cat.expected)


def test_contributions_equal_exact_shapley_with_a_population_background():
    """The closed form matches brute-force interventional Shapley values."""
    products = catalog.make_catalog(30, seed=3)
    background = catalog.make_catalog(3000, seed=4).X
    res = exact_shapley(catalog.expected_sales, products.X[:3], background)
    err = np.abs(res.values - products.contributions[:3]).max()
    # Monte-Carlo error of the background mean only (the sales scale is ~20 units)
    assert err < 0.5, err


def test_bayes_r2_is_what_the_noise_implies(cat):
    resid = cat.sales - cat.expected
    r2 = 1 - resid.var() / cat.sales.var()
    assert r2 == pytest.approx(cat.bayes_r2, abs=0.02)
    noiseless = catalog.make_catalog(200, seed=0, bayes_r2=1.0)
    np.testing.assert_allclose(noiseless.sales, noiseless.expected)


def test_split_covers_every_row_once(cat):
    parts = cat.split()
    allidx = np.concatenate(list(parts.values()))
    assert sorted(allidx.tolist()) == list(range(1000))
    assert [len(parts[k]) for k in ("train", "validation", "test")] == [600, 200, 200]


@pytest.mark.parametrize("kwargs, match", [
    ({"n_products": 5}, "n_products"),
    ({"n_products": 100, "bayes_r2": 0.0}, "bayes_r2"),
    ({"n_products": 100, "bayes_r2": 1.5}, "bayes_r2"),
])
def test_make_catalog_validates(kwargs, match):
    with pytest.raises(ValueError, match=match):
        catalog.make_catalog(**kwargs)


def test_feature_validation():
    with pytest.raises(ValueError, match="shape"):
        catalog.expected_sales(np.ones((3, 4)))
    bad = catalog.make_catalog(20).features.copy()
    bad.loc[0, "price"] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        catalog.true_contributions(bad)
    bad.loc[0, "price"] = -1.0
    with pytest.raises(ValueError, match="positive"):
        catalog.true_contributions(bad)
    with pytest.raises(ValueError, match="lack columns"):
        catalog.true_contributions(bad.drop(columns="season"))
    with pytest.raises(ValueError, match="fractions"):
        catalog.split_indices(10, (0.5, 0.5, 0.0))
