"""Assertions that guard the numbers a chapter quotes, with an explicit tolerance.

Every number the book's text quotes is glued by a notebook (``myst_nb.glue``) and asserted
there. A number computed on another CPU, with other BLAS kernels or another thread count,
differs in its last bits, and a model trained there ends with slightly different weights;
so the assertion states how far the value may move:

.. math::

   |v - e| \\le \\mathrm{atol} + \\mathrm{rtol}\\,|e|

for the value :math:`v` and the expected value :math:`e`, element by element for arrays.
The tolerance is set from the spread measured between a native run and an "another CPU"
run (portable PyTorch kernels, other thread counts, a cold model cache) and is not wider
than that spread needs.

The convention the unit tests read (``tests/test_notebook_rules.py``): a notebook glues a
quoted number with :func:`glue_close` (assert, then ``myst_nb.glue``), or asserts it with
:func:`assert_close` whose ``what=`` is the glue key, as string literals, in an unchecked
cell (a glue record holds full precision, which no ``# NBVAL_CHECK_OUTPUT`` cell may show)::

    glue_close("sales_mlp_test_r2", float(test["r2"]), 0.868, atol=0.004)

Timings and other machine-bound numbers get a range instead (:func:`assert_between`,
:func:`glue_between`). Only NumPy is imported at module level (``myst_nb`` on first glue).
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

import numpy as np

__all__ = ["assert_close", "assert_between", "glue_close", "glue_between"]

V = TypeVar("V")


def _as_float_array(value: Any, name: str, what: str) -> np.ndarray:
    """Convert a number, sequence, NumPy array or pandas object to a float array."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{what}: {name} must be a number or an array of numbers, got {value!r}")
    if hasattr(value, "to_numpy"):  # pandas Series / DataFrame
        value = value.to_numpy()
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise TypeError(f"{what}: {name} must be numeric, got {type(value).__name__} "
                        f"({err})") from err


def _check_tolerance(rtol: float, atol: float, what: str) -> None:
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if not isinstance(tol, (int, float)) or isinstance(tol, bool) or not math.isfinite(tol) \
                or tol < 0:
            raise ValueError(f"{what}: {name} must be a finite number >= 0, got {tol!r}")


def _check_what(what: Any) -> None:
    if not isinstance(what, str) or not what:
        raise ValueError("what= must name the checked quantity (its glue key), "
                         f"got {what!r}")


def assert_close(value: V, expected: Any, *, rtol: float = 0.0, atol: float = 0.0,
                 what: str) -> V:
    """Assert that ``value`` equals ``expected`` within an explicit tolerance.

    Passes when :math:`|v - e| \\le \\mathrm{atol} + \\mathrm{rtol}\\,|e|` holds for every
    element (NaN matches NaN, an infinity only the same infinity). With both tolerances 0
    the values must be equal: use that for counts.

    Parameters
    ----------
    value
        The computed number, array, pandas Series or DataFrame (the value that is glued).
    expected
        The expected value, same shape as ``value`` (a scalar is broadcast).
    rtol, atol
        Relative and absolute tolerance, both >= 0; set them from the measured cross-CPU
        spread, a little above it.
    what
        What is checked: the glue key of the value, so a test can find the assertion.

    Returns
    -------
    value
        ``value`` itself, unchanged, so the call can wrap the argument of ``glue``.

    Raises
    ------
    AssertionError
        When a value is outside the tolerance; the message names ``what``, the value, the
        expected value, the allowed and the actual difference.
    ValueError
        When ``what`` is empty or a tolerance is negative or not finite.
    TypeError
        When ``value`` or ``expected`` is not numeric.
    """
    _check_what(what)
    _check_tolerance(rtol, atol, what)
    got = _as_float_array(value, "value", what)
    want = _as_float_array(expected, "expected", what)
    try:
        got_b, want_b = np.broadcast_arrays(got, want)
    except ValueError as err:
        raise AssertionError(f"{what}: shape {got.shape} does not match the expected shape "
                             f"{want.shape}") from err
    with np.errstate(invalid="ignore"):
        diff = np.abs(got_b - want_b)
        allowed = atol + rtol * np.abs(want_b)
        same_nan = np.isnan(got_b) & np.isnan(want_b)
        same_inf = np.isinf(got_b) & (got_b == want_b)
        ok = same_nan | same_inf | (diff <= allowed)
    if not bool(np.all(ok)):
        bad = np.flatnonzero(~ok.ravel())
        i = int(bad[0])
        where = "" if got_b.ndim == 0 else (
            f" at {len(bad)} of {ok.size} positions, first at flat index {i}")
        g, w = float(got_b.ravel()[i]), float(want_b.ravel()[i])
        raise AssertionError(
            f"{what}: got {g!r}, expected {w!r} within atol={atol:g} + rtol={rtol:g}*|expected|"
            f" (allowed {allowed.ravel()[i]:.3g}, off by {diff.ravel()[i]:.3g}){where}. "
            "If the computation changed on purpose, update the expected value; if only the "
            "machine changed, the tolerance is too tight for it.")
    return value


def assert_between(value: V, low: float, high: float, *, what: str) -> V:
    """Assert ``low <= value <= high`` for a scalar or for every element of an array.

    For numbers bound to the machine (timings, speed-ups) where only an order of magnitude
    is portable, and for one-sided claims the text makes ("above 0.9").

    Parameters
    ----------
    value
        The computed number or array.
    low, high
        Inclusive bounds; use ``-math.inf`` or ``math.inf`` for a one-sided check.
    what
        What is checked: the glue key of the value.

    Returns
    -------
    value
        ``value`` itself, unchanged.

    Raises
    ------
    AssertionError
        When a value is NaN or outside ``[low, high]``.
    ValueError
        When ``what`` is empty or ``low > high``.
    """
    _check_what(what)
    if not low <= high:
        raise ValueError(f"{what}: low must be <= high, got low={low!r}, high={high!r}")
    got = _as_float_array(value, "value", what)
    ok = (got >= low) & (got <= high)  # NaN compares False
    if not bool(np.all(ok)):
        i = int(np.flatnonzero(~np.atleast_1d(ok).ravel())[0])
        raise AssertionError(f"{what}: got {float(np.atleast_1d(got).ravel()[i])!r}, expected a value "
                             f"in [{low!r}, {high!r}]")
    return value


def _glue(key: str, value: Any) -> None:
    from myst_nb import glue  # noqa: PLC0415 (only notebooks glue)

    glue(key, value, display=False)


def glue_close(key: str, value: V, expected: Any, *, rtol: float = 0.0,
               atol: float = 0.0) -> V:
    """Assert ``value`` with :func:`assert_close` (``what=key``), then glue it as ``key``.

    For an unchecked notebook cell: the glue record holds the value at full precision.

    Parameters
    ----------
    key
        The glue key the chapters quote.
    value, expected, rtol, atol
        As in :func:`assert_close`.

    Returns
    -------
    value
        ``value`` itself, unchanged.
    """
    assert_close(value, expected, rtol=rtol, atol=atol, what=key)
    _glue(key, value)
    return value


def glue_between(key: str, value: V, low: float, high: float) -> V:
    """Assert ``low <= value <= high`` with :func:`assert_between`, then glue ``value``.

    Parameters
    ----------
    key
        The glue key the chapters quote.
    value, low, high
        As in :func:`assert_between`.

    Returns
    -------
    value
        ``value`` itself, unchanged.
    """
    assert_between(value, low, high, what=key)
    _glue(key, value)
    return value
