"""ecomxai.checks: assertions with explicit tolerances for the glued numbers."""

import math

import numpy as np
import pandas as pd
import pytest

from ecomxai import checks
from ecomxai.checks import assert_between, assert_close, glue_between, glue_close


def test_returns_the_value_unchanged_so_it_can_wrap_glue():
    series = pd.Series([0.5, 0.25])
    assert assert_close(series, [0.5, 0.25], what="k") is series
    assert assert_close(3, 3, what="count") == 3
    assert assert_between(0.02, 0.0, 1.0, what="ms") == 0.02


def test_tolerance_is_atol_plus_rtol_times_expected():
    assert_close(1.009, 1.0, atol=0.01, what="k")
    assert_close(101.0, 100.0, rtol=0.01, what="k")
    assert_close(100.5, 100.0, rtol=0.004, atol=0.1, what="k")  # 0.1 + 0.4 = 0.5
    with pytest.raises(AssertionError):
        assert_close(100.51, 100.0, rtol=0.004, atol=0.1, what="k")


def test_exact_by_default():
    with pytest.raises(AssertionError, match="n_units"):
        assert_close(24, 23, what="n_units")
    with pytest.raises(AssertionError):
        assert_close(0.1 + 0.2, 0.3, what="k")


def test_message_names_key_values_and_difference():
    with pytest.raises(AssertionError) as err:
        assert_close(0.875, 0.86, atol=0.005, what="sales_mlp_test_r2")
    text = str(err.value)
    assert "sales_mlp_test_r2" in text and "0.875" in text and "0.86" in text
    assert "allowed 0.005" in text and "off by 0.015" in text


def test_arrays_elementwise_with_position_and_broadcast():
    assert_close(np.array([1.0, 2.0]), [1.0, 2.001], atol=0.002, what="k")
    assert_close(np.full(3, 0.5), 0.5, what="k")
    with pytest.raises(AssertionError, match="1 of 3 positions, first at flat index 2"):
        assert_close([1.0, 2.0, 3.1], [1.0, 2.0, 3.0], atol=0.05, what="k")
    with pytest.raises(AssertionError, match="shape"):
        assert_close([1.0, 2.0, 3.0], [1.0, 2.0], what="k")


def test_dataframe_with_nan_cells():
    frame = pd.DataFrame({"a": [1.0, np.nan], "b": [0.5, 0.25]})
    assert_close(frame, [[1.0, 0.5], [np.nan, 0.25]], what="table")
    with pytest.raises(AssertionError):
        assert_close(frame, [[1.0, 0.5], [0.0, 0.25]], atol=1.0, what="table")
    with pytest.raises(AssertionError):
        assert_close(math.nan, 0.0, atol=1.0, what="k")


def test_infinity_matches_only_itself():
    assert_close(math.inf, math.inf, what="k")
    with pytest.raises(AssertionError):
        assert_close(math.inf, -math.inf, atol=1.0, what="k")


@pytest.mark.parametrize("kwargs", [dict(rtol=-0.1), dict(atol=math.nan), dict(atol=True)])
def test_bad_tolerance_is_a_value_error(kwargs):
    with pytest.raises(ValueError, match="must be a finite number"):
        assert_close(1.0, 1.0, what="k", **kwargs)


def test_what_is_required_and_not_empty():
    with pytest.raises(TypeError):
        assert_close(1.0, 1.0)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="what="):
        assert_close(1.0, 1.0, what="")


def test_non_numeric_values_are_a_type_error():
    with pytest.raises(TypeError, match="k: value"):
        assert_close("0.5", 0.5, what="k")
    with pytest.raises(TypeError, match="k: expected"):
        assert_close(0.5, None, what="k")


def test_between_bounds_inclusive_and_nan_fails():
    assert_between([0.0, 1.0], 0.0, 1.0, what="k")
    assert_between(5e3, 100, math.inf, what="speedup")
    with pytest.raises(AssertionError, match=r"speedup: got 50.0, expected a value in \[100"):
        assert_between(50.0, 100, math.inf, what="speedup")
    with pytest.raises(AssertionError):
        assert_between(math.nan, -math.inf, math.inf, what="k")
    with pytest.raises(ValueError, match="low must be <= high"):
        assert_between(1.0, 2.0, 1.0, what="k")


def test_glue_close_asserts_before_it_glues(monkeypatch):
    glued = []
    monkeypatch.setattr(checks, "_glue", lambda key, value: glued.append((key, value)))
    assert glue_close("r2", 0.8675, 0.868, atol=0.001) == 0.8675
    assert glue_between("ms", 0.05, 0.0, 1.0) == 0.05
    with pytest.raises(AssertionError, match="r2: got 0.9"):
        glue_close("r2", 0.9, 0.868, atol=0.001)
    with pytest.raises(AssertionError, match="ms"):
        glue_between("ms", 5.0, 0.0, 1.0)
    assert glued == [("r2", 0.8675), ("ms", 0.05)]


def test_glue_close_records_a_glue_output():
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    shown = []
    monkey = shell.display_pub.publish
    shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append((data, metadata))
    try:
        glue_close("k", 0.5, 0.5)
    finally:
        shell.display_pub.publish = monkey
    assert shown and shown[0][1]["scrapbook"]["name"] == "k"
