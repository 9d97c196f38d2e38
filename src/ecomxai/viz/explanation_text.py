r"""The explanation a shopper sees: a recommendation's top reasons in plain words.

An attribution vector :math:`\phi(x)` in log-odds is turned into one sentence: the
:math:`k` features with the largest :math:`|\phi_i(x)|`, each as a phrase and its signed
contribution, e.g. ``"matches your preferred category +0.31, price ¥129 -0.15"``. The
phrases come from the caller (this module knows no data set).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["top_reasons", "shopper_explanation"]


def top_reasons(reasons: Sequence[tuple[str, float]], k: int = 3, *,
                min_abs: float = 0.0) -> list[tuple[str, float]]:
    """The ``k`` (phrase, contribution) pairs with the largest absolute contribution.

    Parameters
    ----------
    reasons
        One ``(phrase, contribution)`` per feature.
    k
        How many reasons to keep (at most ``len(reasons)``).
    min_abs
        Drop reasons whose absolute contribution is below this (noise a shopper should
        not be shown).
    """
    if not reasons:
        raise ValueError("reasons is empty: pass one (phrase, contribution) per feature")
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= len(reasons):
        raise ValueError(f"k must be an integer in 1..{len(reasons)}, got {k!r}")
    values = np.array([float(c) for _, c in reasons])
    if not np.all(np.isfinite(values)):
        raise ValueError("contributions contain NaN or infinite values")
    order = np.argsort(-np.abs(values), kind="stable")[:k]
    return [(str(reasons[i][0]), float(values[i])) for i in order
            if abs(values[i]) >= min_abs]


def shopper_explanation(reasons: Sequence[tuple[str, float]], k: int = 3, *,
                        min_abs: float = 0.0, digits: int = 2,
                        intro: str = "Recommended because: ") -> str:
    """One sentence with the top-``k`` reasons and their signed contributions.

    >>> shopper_explanation([("a brand you bought before", 0.31), ("price ¥90", -0.12),
    ...                      ("listed on weekday 2", 0.01)], k=2)
    'Recommended because: a brand you bought before +0.31, price ¥90 −0.12'
    """
    top = top_reasons(reasons, k, min_abs=min_abs)
    if not top:
        return intro + "no single feature stands out"
    parts = [f"{phrase} {'+' if c >= 0 else '−'}{abs(c):.{digits}f}" for phrase, c in top]
    return intro + ", ".join(parts)
