r"""SHAP for token sequences: shap's Partition explainer over token presence.

A token's Shapley value :cite:`lundberg2017unified` averages its marginal contribution
over coalitions of the other tokens,

.. math::

   \phi_t = \sum_{S \subseteq F \setminus \{t\}} \frac{|S|!\,(|F| - |S| - 1)!}{|F|!}
            \bigl(f(S \cup \{t\}) - f(S)\bigr),

where :math:`f(S)` is the model's score on the sequence that keeps only the tokens in
:math:`S` (plus ``[CLS]``/``[SEP]``). Exact values need :math:`2^{|F|}` model calls. Like
shap's own ``Text`` masker, this adapter restricts the coalitions to a hierarchy of
*contiguous spans* (a balanced binary tree over positions) and runs
``shap.PartitionExplainer``, which computes the Owen values of that hierarchy in
:math:`O(|F|)` to :math:`O(|F|^2)` calls. They keep *efficiency*,
:math:`\sum_t \phi_t = f(F) - f(\varnothing)`, and equal the Shapley values when the score is
additive over tokens. Removing a token deletes it, as in the occlusion and ERASER
measures of the book.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ecomxai.explain.token_mask import TokenMask
from ecomxai.validation import check_callable, check_int

__all__ = ["contiguous_linkage", "shap_token_attributions"]


def contiguous_linkage(n: int) -> np.ndarray:
    """Linkage matrix (SciPy format) of a balanced binary tree over ``n`` adjacent positions.

    Neighbours merge first (``[0, 1]``, ``[2, 3]``, ...), then neighbouring pairs, and so
    on; row ``r`` creates cluster ``n + r`` at height equal to its level.
    """
    n = check_int(n, "n", minimum=2)  # a hierarchy needs at least 2 positions
    level = [(i, 1) for i in range(n)]
    rows: list[list[float]] = []
    height = 0
    while len(level) > 1:
        height += 1
        merged = []
        for i in range(0, len(level) - 1, 2):
            (a, sa), (b, sb) = level[i], level[i + 1]
            rows.append([a, b, float(height), sa + sb])
            merged.append((n + len(rows) - 1, sa + sb))
        if len(level) % 2:
            merged.append(level[-1])
        level = merged
    return np.asarray(rows, dtype=np.float64)


def shap_token_attributions(
    score_fn: Callable[[list[list[int]]], np.ndarray],
    sequence: Sequence[int],
    *,
    fixed: Sequence[bool] | None = None,
    max_evals: int = 200,
) -> np.ndarray:
    """Owen (partition SHAP) value of every token of one sequence.

    Parameters
    ----------
    score_fn
        Maps a list of id sequences to the explained score (a probability or logit),
        shape ``(m,)``.
    sequence
        Token ids of the explained input.
    fixed
        Positions always present (``[CLS]``, ``[SEP]``); they get value 0.
    max_evals
        Budget of model calls for ``shap.PartitionExplainer``; it stops refining the
        hierarchy when the budget is spent (the result is then coarser, not wrong:
        efficiency still holds).

    Returns
    -------
    numpy.ndarray
        ``(T,)`` values with :math:`\\sum_t \\phi_t = f(\\text{all}) - f(\\text{fixed only})`.

    Raises
    ------
    ecomxai.validation.InputError
        Empty sequence, a bad ``fixed`` mask, ``max_evals < 2``, or a ``score_fn`` that
        does not return one finite number per sequence.
    """
    mask = TokenMask.of(sequence, fixed)
    check_callable(score_fn, "score_fn")
    budget = check_int(max_evals, "max_evals", minimum=2)
    free = mask.free
    values = np.zeros(len(mask))
    if len(free) == 1:  # one player: its value is the whole difference
        full, empty = mask.score(score_fn, [list(mask.sequence), mask.keep_positions(())])
        values[free[0]] = full - empty
        return values
    import shap  # noqa: PLC0415 - optional heavy import

    def model(presence: np.ndarray) -> np.ndarray:
        batch = mask.from_presence(presence)
        return mask.score(score_fn, batch)

    masker = shap.maskers.Partition(np.zeros((1, len(free))),
                                    clustering=contiguous_linkage(len(free)))
    explainer = shap.PartitionExplainer(model, masker)
    result = explainer(np.ones((1, len(free))), max_evals=budget,
                       batch_size=budget, silent=True)  # few, large model calls
    values[free] = np.asarray(result.values, dtype=np.float64).reshape(-1)
    return values
