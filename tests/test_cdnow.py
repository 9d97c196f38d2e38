"""CDNOW from the lifetimes wheel: real numbers, aligned windows, a chronological split,
and a clear error when the wheel is missing."""

import importlib.machinery

import numpy as np
import pandas as pd
import pytest

from ecomxai.data import cdnow


@pytest.fixture(scope="module")
def series():
    return cdnow.daily_revenue()


def test_transactions_are_the_real_master_file():
    tx = cdnow.load_transactions()
    assert len(tx) == 69659
    assert tx["customer_id"].nunique() == 23570
    assert tx["date"].min() == pd.Timestamp("1997-01-01")
    assert tx["date"].max() == pd.Timestamp("1998-06-30")


def test_daily_revenue_is_complete_and_sums_the_purchases(series):
    assert len(series) == 546 and series.index.freq == "D"
    assert series.sum() == pytest.approx(cdnow.load_transactions()["dollars"].sum())


def test_windows_align_past_days_with_the_next_day(series):
    w = cdnow.make_windows(series, n_lags=10)
    assert w.X.shape == (536, 10) and w.lag_names[-1] == "t-1"
    r = 100
    t = series.index.get_loc(w.dates[r])
    np.testing.assert_array_equal(w.X[r], series.values[t - 10:t])
    assert w.y[r] == series.values[t]


def test_split_is_chronological_and_complete(series):
    w = cdnow.make_windows(series, 10)
    split = cdnow.chronological_split(w, 0.2, 0.2)
    parts = (split.train, split.val, split.test)
    assert sum(len(p.y) for p in parts) == len(w.y)
    assert split.train.dates[-1] < split.val.dates[0] <= split.val.dates[-1] < split.test.dates[0]


@pytest.mark.parametrize("kwargs", [dict(val_fraction=0.0), dict(val_fraction=0.6, test_fraction=0.5)])
def test_split_fractions_are_validated(series, kwargs):
    with pytest.raises(ValueError, match="fraction"):
        cdnow.chronological_split(cdnow.make_windows(series, 10), **kwargs)


def test_make_windows_validates_lags_and_values():
    s = pd.Series([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="n_lags"):
        cdnow.make_windows(s, 3)
    with pytest.raises(ValueError, match="NaN"):
        cdnow.make_windows(pd.Series([1.0, np.nan, 3.0, 4.0]), 2)


def test_log_scaler_round_trips_and_rejects_negative_revenue():
    values = np.array([0.0, 10.0, 1000.0])
    scaler = cdnow.LogScaler.fit(values)
    np.testing.assert_allclose(scaler.inverse(scaler.transform(values)), values, atol=1e-9)
    with pytest.raises(ValueError, match=">= 0"):
        cdnow.LogScaler.fit(np.array([-1.0, 2.0]))


def test_missing_wheel_names_the_install_command(monkeypatch):
    monkeypatch.setattr(cdnow, "find_spec", lambda name: None)
    with pytest.raises(LookupError, match="pip install --no-deps lifetimes==0.11.3"):
        cdnow.daily_revenue()


def test_missing_file_names_the_install_command(monkeypatch, tmp_path):
    spec = importlib.machinery.ModuleSpec("lifetimes", None, is_package=True)
    spec.submodule_search_locations = [str(tmp_path)]
    monkeypatch.setattr(cdnow, "find_spec", lambda name: spec)
    with pytest.raises(LookupError, match="reinstall"):
        cdnow.cdnow_path()
