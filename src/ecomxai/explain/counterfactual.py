r"""Counterfactual (occlusion) explanations of sequences: remove one element, re-score.

For a sequence :math:`s = (s_1, \dots, s_T)` (history items or tokens) and a score
function :math:`f`, the leave-one-out importance of position :math:`t` is

.. math::

   \Delta_t = f(s) - f(s_{\setminus t}),

where :math:`s_{\setminus t}` drops :math:`s_t` (``replace_with=None``) or replaces it by a
neutral id such as ``[MASK]`` or padding. It is the "model dissection" of the source
documents done per input: it needs no gradients and no access to the model's inside,
and it answers the question a shopper asks: *without this item, would I still see that
recommendation?*
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

__all__ = ["leave_one_out_sequences", "leave_one_out", "rank_of"]


def leave_one_out_sequences(sequence: Sequence[int], replace_with: int | None = None
                            ) -> list[list[int]]:
    """The ``T`` perturbed copies of ``sequence``, one per position."""
    seq = [int(s) for s in sequence]
    if not seq:
        raise ValueError("the sequence is empty; there is nothing to remove")
    if replace_with is None:
        return [seq[:t] + seq[t + 1:] for t in range(len(seq))]
    return [seq[:t] + [int(replace_with)] + seq[t + 1:] for t in range(len(seq))]


def leave_one_out(score_fn: Callable[[list[list[int]]], np.ndarray],
                  sequence: Sequence[int], *, replace_with: int | None = None) -> np.ndarray:
    r"""Leave-one-out importance :math:`\Delta_t = f(s) - f(s_{\setminus t})` per position.

    Parameters
    ----------
    score_fn
        Maps a list of sequences to one score each (e.g. the logit of the recommended
        item, or a class probability).
    sequence
        Item or token ids.
    replace_with
        ``None`` deletes the element; an id replaces it (keeps positions aligned).

    Returns
    -------
    numpy.ndarray
        ``(T,)`` score drops; positive means the element supported the score.
    """
    variants = leave_one_out_sequences(sequence, replace_with)
    scores = np.asarray(score_fn([list(map(int, sequence))] + variants), dtype=np.float64)
    if scores.shape != (len(variants) + 1,):
        raise ValueError(f"score_fn must return one score per sequence, got {scores.shape}")
    return scores[0] - scores[1:]


def rank_of(scores: np.ndarray, item: int, exclude: Sequence[int] = ()) -> int:
    """1-based rank of ``item`` in ``scores`` (higher is better), ignoring ``exclude``."""
    s = np.asarray(scores, dtype=np.float64).copy()
    if not 0 <= item < len(s):
        raise LookupError(f"item id {item} is outside the catalogue of {len(s)} items")
    ex = [int(e) for e in exclude if int(e) != item]
    s[ex] = -np.inf
    return int(np.sum(s > s[item])) + 1
