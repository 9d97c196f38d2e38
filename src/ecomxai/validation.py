"""Input checks shared by every public function of :mod:`ecomxai.explain` and
:mod:`ecomxai.evaluate` (and the case studies).

Every check raises :class:`InputError` -- a :class:`ValueError`, so ``except ValueError``
keeps working -- with a message that names the argument, says what was wrong and what to
pass instead. Unknown ids raise :class:`UnknownIdError`, which is also a
:class:`LookupError`. The checks cover the three places bad values enter an explanation:

* the caller's arrays and sequences (:func:`check_array`, :func:`check_vector`,
  :func:`check_ids`, :func:`check_mask`);
* the caller's parameters, including those passed through to ``shap`` and ``lime``
  (:func:`check_int`, :func:`check_float`, :func:`check_choice`);
* what the caller's *model* returns (:func:`check_model_output`): a model that answers
  NaN, infinity or the wrong number of values would otherwise yield a silently wrong
  explanation several calls later.

This module imports only NumPy, so every layer of the package may use it.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable, Iterable

import numpy as np

__all__ = [
    "InputError",
    "UnknownIdError",
    "check_callable",
    "check_array",
    "check_vector",
    "check_int",
    "check_float",
    "check_choice",
    "check_ids",
    "check_mask",
    "check_model_output",
    "checked_model",
]


class InputError(ValueError):
    """Bad input to a public function of ``ecomxai``; the message says what to pass."""


class UnknownIdError(InputError, LookupError):
    """An item, token or feature id outside the range the model knows."""


def check_callable(f: Any, name: str = "f") -> Callable[..., Any]:
    """Return ``f`` if it is callable, else raise :class:`InputError`."""
    if not callable(f):
        raise InputError(f"{name} must be a function (model or score function), got "
                         f"{type(f).__name__}; pass e.g. model.predict, not its output")
    return f


def _numeric(values: Any, name: str) -> np.ndarray:
    if isinstance(values, (str, bytes)):
        raise InputError(f"{name} must be numeric, got a string")
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise InputError(f"{name} must be a numeric array, got {type(values).__name__}; "
                         "convert it with np.asarray(..., dtype=float)") from err
    return arr


def check_array(values: Any, name: str = "X", *, ndim: int | None = None,
                min_ndim: int | None = None, min_rows: int = 1, finite: bool = True
                ) -> np.ndarray:
    """Validate a numeric array and return it as ``float64``.

    Parameters
    ----------
    values
        Anything :func:`numpy.asarray` turns into a float array.
    name
        Argument name used in the message.
    ndim, min_ndim
        Exact or minimal number of dimensions (rows first).
    min_rows
        Minimal length of the first axis.
    finite
        Reject NaN and infinite values.

    Raises
    ------
    InputError
        If the values are not numeric, have the wrong number of dimensions, too few rows,
        or hold NaN or infinities.
    """
    arr = _numeric(values, name)
    if ndim is not None and arr.ndim != ndim:
        hint = "; for a single example use X[None, :]" if ndim == 2 and arr.ndim == 1 else ""
        raise InputError(f"{name} must have {ndim} dimensions, got shape {arr.shape}{hint}")
    if min_ndim is not None and arr.ndim < min_ndim:
        raise InputError(
            f"{name} must have at least {min_ndim} dimensions (rows first), got shape "
            f"{arr.shape}; for a single example use X[None, :]"
        )
    if min_rows and (arr.ndim == 0 or arr.shape[0] < min_rows):
        raise InputError(f"{name} has {0 if arr.ndim == 0 else arr.shape[0]} rows; pass at "
                         f"least {min_rows}")
    if finite and not np.all(np.isfinite(arr)):
        raise InputError(f"{name} contains NaN or infinite values; impute or drop them first")
    return arr


def check_vector(values: Any, name: str = "values", *, size: int | None = None,
                 min_size: int = 1, finite: bool = True) -> np.ndarray:
    """Validate a 1-D numeric vector (a column or a row is flattened) of ``size`` values."""
    arr = _numeric(values, name)
    if arr.ndim > 1 and sum(s > 1 for s in arr.shape) > 1:
        raise InputError(f"{name} must be a vector, got shape {arr.shape}")
    arr = arr.ravel()
    if size is not None and arr.size != size:
        raise InputError(f"{name} must hold {size} values, got {arr.size}")
    if arr.size < min_size:
        raise InputError(f"{name} must hold at least {min_size} values, got {arr.size}")
    if finite and not np.all(np.isfinite(arr)):
        raise InputError(f"{name} contains NaN or infinite values")
    return arr


def check_int(value: Any, name: str, *, minimum: int | None = 1,
              maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` in ``[minimum, maximum]``.

    Rejects booleans, non-integral floats and strings: a sample count of ``2.5`` or
    ``"200"`` is a mistake, not a request.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise InputError(f"{name} must be an integer, got {value!r}")
    v = int(value)
    if minimum is not None and v < minimum:
        raise InputError(f"{name} must be at least {minimum}, got {v}")
    if maximum is not None and v > maximum:
        raise InputError(f"{name} must be at most {maximum}, got {v}")
    return v


def check_float(value: Any, name: str, *, minimum: float | None = None,
                maximum: float | None = None, strict_min: bool = False,
                strict_max: bool = False) -> float:
    """Return ``value`` as a finite ``float`` in the given (open or closed) interval."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InputError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    if not np.isfinite(v):
        raise InputError(f"{name} must be finite, got {v}")
    if minimum is not None and (v <= minimum if strict_min else v < minimum):
        raise InputError(f"{name} must be {'>' if strict_min else '>='} {minimum}, got {v}")
    if maximum is not None and (v >= maximum if strict_max else v > maximum):
        raise InputError(f"{name} must be {'<' if strict_max else '<='} {maximum}, got {v}")
    return v


def check_choice(value: Any, choices: Iterable[Any], name: str) -> Any:
    """Return ``value`` if it is one of ``choices``."""
    options = tuple(choices)
    try:
        ok = value in options
    except TypeError:
        ok = False
    if not ok:
        raise InputError(f"unknown {name} {value!r}; choose one of {options}")
    return value


def check_ids(sequence: Any, name: str = "sequence", *, min_length: int = 1,
              vocabulary_size: int | None = None) -> list[int]:
    """A sequence of non-negative integer ids (tokens, items) as a list of ``int``."""
    if isinstance(sequence, (str, bytes)) or not isinstance(sequence, Iterable) and \
            not isinstance(sequence, np.ndarray):
        raise InputError(f"{name} must be a sequence of integer ids, got "
                         f"{type(sequence).__name__}; tokenise the text first")
    # arrays and tensors: their Python values (``tolist`` of a 1-D tensor gives ints)
    items = sequence.tolist() if hasattr(sequence, "tolist") else list(sequence)
    out = []
    for s in items:
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, numbers.Integral):
            raise InputError(f"{name} must hold integer ids, got {s!r}")
        if s < 0:
            raise UnknownIdError(f"{name} holds the negative id {int(s)}; ids start at 0")
        if vocabulary_size is not None and s >= vocabulary_size:
            raise UnknownIdError(f"{name} holds the id {int(s)}, outside the vocabulary of "
                                 f"{vocabulary_size}")
        out.append(int(s))
    if len(out) < min_length:
        what = "the sequence is empty; there is nothing to explain" if not out else \
            f"{name} has {len(out)} ids; need at least {min_length}"
        raise InputError(what)
    return out


def check_mask(mask: Any, length: int, name: str = "fixed") -> np.ndarray:
    """A boolean mask of ``length`` positions (``None`` means all ``False``)."""
    if mask is None:
        return np.zeros(length, dtype=bool)
    arr = np.asarray(mask)
    if arr.dtype != bool:
        if arr.dtype.kind not in "iuf" or not np.all(np.isin(arr, (0, 1))):
            raise InputError(f"{name} must be a boolean mask (True/False per position), got "
                             f"dtype {arr.dtype}")
        arr = arr.astype(bool)
    if arr.shape != (length,):
        raise InputError(f"{name} must be a boolean mask of length {length}, got shape "
                         f"{arr.shape}")
    return arr


def check_model_output(output: Any, n: int, name: str = "the model function", *,
                       width: int | None = None, unit: str = "row") -> np.ndarray:
    """Validate what a model (or score) function returned for ``n`` inputs.

    Parameters
    ----------
    output
        The return value: ``(n,)`` or ``(n, 1)`` numbers (``(n, width)`` if ``width``).
    n
        Number of inputs the function was given.
    name
        What to call the function in the message.
    width
        Expected number of columns; ``None`` for one number per input.
    unit
        What one input is called in the message (``"row"``, ``"sequence"``).

    Returns
    -------
    numpy.ndarray
        ``(n,)`` (or ``(n, width)``) ``float64`` values.

    Raises
    ------
    InputError
        If the output is not numeric, has the wrong shape, or holds NaN or infinities.
    """
    try:
        arr = np.asarray(output, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise InputError(f"{name} must return numbers, got {type(output).__name__}") from err
    if width is None:
        if arr.ndim == 2 and arr.shape[1] == 1:
            arr = arr[:, 0]
        if arr.shape != (n,):
            raise InputError(f"{name} must return one score per {unit} (one number per {unit},"
                             f" shape ({n},)), got shape {arr.shape}; pick the explained "
                             "output column")
    elif arr.shape != (n, width):
        raise InputError(f"{name} must return shape ({n}, {width}), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = int(np.sum(~np.isfinite(arr)))
        raise InputError(f"{name} returned {bad} NaN or infinite values; check the model "
                         "(overflow, division by zero, unscaled inputs) before explaining it")
    return arr


def checked_model(f: Any, name: str = "f") -> Callable[[Any], np.ndarray]:
    """Wrap a model function so that each call's output passes :func:`check_model_output`.

    The wrapper returns ``(len(X),)`` floats; use it where a third-party library (``shap``,
    ``lime``) calls the model, so a bad answer fails with our message, not deep inside it.
    """
    check_callable(f, name)

    def fn(X: Any) -> np.ndarray:
        return check_model_output(f(X), len(X), f"{name} (the model function)")

    return fn

