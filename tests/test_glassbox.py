"""Chapter 1's glass-box / black-box comparison."""

import numpy as np
import pytest

from ecomxai.data import catalog
from ecomxai.models import glassbox


@pytest.fixture(scope="module")
def cat():
    return catalog.make_catalog(400, seed=2)


def test_linear_glass_box_is_exact_on_a_linear_truth():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 3))
    y = X @ np.array([2.0, -1.0, 0.0]) + 5.0
    split = {"train": np.arange(200), "test": np.arange(200, 300)}
    res = glassbox.fit_glass_and_black_boxes(X, y, split, hidden=(8,), seed=0)
    assert res.table.loc["linear model", "test_r2"] == pytest.approx(1.0)
    coef = res.linear_coefficients()
    assert list(coef.index[:2]) == ["x0", "x1"] and abs(coef["x2"]) < 1e-9


def test_table_counts_parameters_and_rules(cat):
    res = glassbox.fit_glass_and_black_boxes(glassbox.engineered_features(cat.features),
                                             cat.sales, cat.split(), tree_depth=2,
                                             hidden=(16, 8), seed=0)
    t = res.table
    assert t.loc["linear model", "parameters"] == 11
    assert t.loc["tree (depth 2)", "numbers_to_read_per_prediction"] == 3
    assert t.loc["MLP 16-8-1", "parameters"] == 10 * 16 + 16 + 16 * 8 + 8 + 8 + 1
    assert "log_price" in res.tree_rules()


def test_sweep_grows_leaves(cat):
    sweep = glassbox.tree_depth_sweep(cat.X, cat.sales, cat.split(), depths=(1, 2, 4))
    assert sweep["leaves"].is_monotonic_increasing and sweep.loc[1, "leaves"] == 2


def test_errors(cat):
    with pytest.raises(ValueError, match="NaN"):
        X = cat.X.copy(); X[0, 0] = np.nan
        glassbox.fit_glass_and_black_boxes(X, cat.sales, cat.split())
    with pytest.raises(ValueError, match="'train' and 'test'"):
        glassbox.fit_glass_and_black_boxes(cat.X, cat.sales, {"train": np.arange(3)})
    with pytest.raises(ValueError, match="price"):
        glassbox.engineered_features(cat.features.drop(columns="price"))
