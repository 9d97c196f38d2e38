"""Property-based tests (hypothesis): the validators, and the axioms the book relies on.

* Integrated gradients: *completeness*, :math:`\\sum_i \\mathrm{IG}_i = f(x) - f(x')`, which
  Gauss-Legendre quadrature makes exact for quadratic models (the path gradient is linear
  in :math:`\\alpha`).
* Exact Shapley values: *efficiency* (they sum to :math:`f(x) - \\mathbb E_b f(b)`),
  *symmetry* (two interchangeable features get equal values) and *dummy* (a feature the
  model ignores gets 0), on random polynomial models with interactions.

Few examples each and no deadline: the unit suite must stay short.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ecomxai.explain.adapters import NumpyAdapter
from ecomxai.explain.gradients import integrated_gradients
from ecomxai.explain.shapley import exact_shapley
from ecomxai.validation import (InputError, check_array, check_float, check_ids, check_int,
                                check_mask, check_model_output)

FAST = settings(max_examples=25, deadline=None, database=None, derandomize=True)
small = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)


# ---------------------------------------------------------------- validators

@FAST
@given(st.integers(-50, 50), st.integers(-5, 5))
def test_check_int_accepts_exactly_the_integers_at_or_above_the_minimum(value, minimum):
    if value >= minimum:
        assert check_int(value, "n", minimum=minimum) == value
        assert check_int(np.int64(value), "n", minimum=minimum) == value
    else:
        with pytest.raises(InputError, match="at least"):
            check_int(value, "n", minimum=minimum)


@FAST
@given(st.one_of(st.floats(allow_nan=True), st.booleans(), st.text(max_size=3), st.none()))
def test_check_int_rejects_non_integers(value):
    with pytest.raises(InputError, match="integer"):
        check_int(value, "n", minimum=None)


@FAST
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_check_float_accepts_only_finite_values_in_range(value):
    if np.isfinite(value) and value > 0:
        assert check_float(value, "w", minimum=0.0, strict_min=True) == value
    else:
        with pytest.raises(InputError):
            check_float(value, "w", minimum=0.0, strict_min=True)


@FAST
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 3)),
              elements=st.floats(allow_nan=True, allow_infinity=True, width=32)))
def test_check_array_rejects_non_finite_and_keeps_finite_values(a):
    if np.all(np.isfinite(a)):
        np.testing.assert_array_equal(check_array(a, "X", ndim=2), a)
    else:
        with pytest.raises(InputError, match="NaN or infinite"):
            check_array(a, "X", ndim=2)


@FAST
@given(st.integers(1, 6), st.integers(0, 3), st.sampled_from([np.nan, np.inf, -np.inf, 1.0]))
def test_check_model_output_wants_one_finite_number_per_input(n, extra, poison):
    out = np.linspace(0.0, 1.0, n + extra)
    out[-1] = poison
    if extra == 0 and np.isfinite(poison):
        assert check_model_output(out[:, None], n).shape == (n,)
    else:
        with pytest.raises(InputError, match="one score per row|NaN or infinite"):
            check_model_output(out, n)


@FAST
@given(st.lists(st.booleans(), min_size=1, max_size=8), st.integers(0, 2))
def test_check_mask_needs_one_flag_per_position(flags, surplus):
    length = len(flags) - surplus
    if surplus == 0:
        np.testing.assert_array_equal(check_mask(flags, length), flags)
    else:
        with pytest.raises(InputError, match="boolean mask of length"):
            check_mask(flags, length)


@FAST
@given(st.lists(st.integers(-3, 30), max_size=6))
def test_check_ids_accepts_non_negative_ids_in_the_vocabulary(ids):
    if ids and all(0 <= i < 20 for i in ids):
        assert check_ids(ids, vocabulary_size=20) == ids
    else:
        with pytest.raises(InputError):
            check_ids(ids, vocabulary_size=20)


# ---------------------------------------------------------------- axioms

def quadratic(d: int, data: st.DataObject) -> tuple[np.ndarray, np.ndarray, NumpyAdapter]:
    A = data.draw(arrays(np.float64, (d, d), elements=small))
    b = data.draw(arrays(np.float64, (d,), elements=small))
    f = lambda X: np.einsum("ni,ij,nj->n", X, A, X) + X @ b  # noqa: E731
    grad = lambda X: X @ (A + A.T) + b  # noqa: E731
    return A, b, NumpyAdapter(f, grad)


@FAST
@given(st.integers(1, 5), st.integers(1, 4), st.integers(2, 8), st.data())
def test_integrated_gradients_completeness(d, n, steps, data):
    _, _, model = quadratic(d, data)
    X = data.draw(arrays(np.float64, (n, d), elements=small))
    base = data.draw(arrays(np.float64, (d,), elements=small))
    attr, gap = integrated_gradients(model, X, base, steps=steps, return_delta=True)
    scale = 1.0 + np.abs(model(X)).max() + np.abs(model(base[None])).max()
    assert np.all(np.abs(gap) <= 1e-9 * scale)


def polynomial(d: int, data: st.DataObject, ignore: int | None = None):
    """f(x) = sum_i a_i x_i + sum_{i<j} c_ij x_i x_j + e x_0 x_1 x_2 (feature ``ignore`` unused)."""
    a = data.draw(arrays(np.float64, (d,), elements=small))
    C = np.triu(data.draw(arrays(np.float64, (d, d), elements=small)), 1)
    e = data.draw(small) if d >= 3 else 0.0
    if ignore is not None:
        a[ignore] = 0.0
        C[ignore, :] = C[:, ignore] = 0.0
        if ignore < 3:
            e = 0.0

    def f(X: np.ndarray) -> np.ndarray:
        out = X @ a + np.einsum("ni,ij,nj->n", X, C, X)
        return out + (e * X[:, 0] * X[:, 1] * X[:, 2] if d >= 3 else 0.0)

    return f


@FAST
@given(st.integers(1, 6), st.integers(1, 3), st.integers(1, 3), st.data())
def test_shapley_efficiency(d, n, k, data):
    f = polynomial(d, data)
    X = data.draw(arrays(np.float64, (n, d), elements=small))
    B = data.draw(arrays(np.float64, (k, d), elements=small))
    res = exact_shapley(f, X, B)
    np.testing.assert_allclose(res.values.sum(axis=1), f(X) - f(B).mean(), atol=1e-9)
    assert res.efficiency_gap.max() < 1e-9


@FAST
@given(st.integers(2, 6), st.integers(1, 3), st.data())
def test_shapley_symmetry(d, k, data):
    """Features 0 and 1 enter f only through x0 + x1 and x0 * x1: interchangeable."""
    g = polynomial(d, data)
    s = data.draw(small)

    def f(X: np.ndarray) -> np.ndarray:
        pair = np.column_stack([X[:, 0] + X[:, 1], X[:, 0] * X[:, 1], X[:, 2:]])
        return g(pair) + s * X[:, 0] * X[:, 1]

    x = data.draw(arrays(np.float64, (1, d), elements=small))
    x[:, 1] = x[:, 0]
    B = data.draw(arrays(np.float64, (k, d), elements=small))
    B[:, 1] = B[:, 0]
    res = exact_shapley(f, x, B)
    assert abs(res.values[0, 0] - res.values[0, 1]) <= 1e-9 * (1 + np.abs(res.values).max())


@FAST
@given(st.integers(1, 6), st.integers(1, 3), st.integers(1, 3), st.data())
def test_shapley_dummy(d, n, k, data):
    ignore = data.draw(st.integers(0, d - 1))
    f = polynomial(d, data, ignore=ignore)
    X = data.draw(arrays(np.float64, (n, d), elements=small))
    B = data.draw(arrays(np.float64, (k, d), elements=small))
    res = exact_shapley(f, X, B)
    assert np.all(np.abs(res.values[:, ignore]) <= 1e-9 * (1 + np.abs(res.values).max()))
