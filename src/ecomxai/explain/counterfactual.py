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

from ecomxai.validation import (InputError, UnknownIdError, check_callable, check_ids, check_int,
                                check_model_output, check_vector)


__all__ = ["leave_one_out_sequences", "leave_one_out", "rank_of"]


def leave_one_out_sequences(sequence: Sequence[int], replace_with: int | None = None
                            ) -> list[list[int]]:
    """The ``T`` perturbed copies of ``sequence``, one per position."""
    seq = check_ids(sequence, "sequence")
    if replace_with is None:
        return [seq[:t] + seq[t + 1:] for t in range(len(seq))]
    filler = check_int(replace_with, "replace_with", minimum=0)
    return [seq[:t] + [filler] + seq[t + 1:] for t in range(len(seq))]


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
    check_callable(score_fn, "score_fn")
    variants = leave_one_out_sequences(sequence, replace_with)
    batch = [check_ids(sequence)] + variants
    scores = check_model_output(score_fn(batch), len(batch), "score_fn", unit="sequence")
    return scores[0] - scores[1:]


def rank_of(scores: np.ndarray, item: int, exclude: Sequence[int] = ()) -> int:
    """1-based rank of ``item`` in ``scores`` (higher is better), ignoring ``exclude``."""
    s = check_vector(scores, "scores", finite=False).copy()
    if np.isnan(s).any():
        raise InputError("scores contain NaN; rank only finite (or -inf) scores")
    item = check_int(item, "item", minimum=None)
    if not 0 <= item < len(s):
        raise UnknownIdError(f"item id {item} is outside the catalogue of {len(s)} items")
    ex = [e for e in check_ids(exclude, "exclude", min_length=0, vocabulary_size=len(s))
          if e != item]
    s[ex] = -np.inf
    return int(np.sum(s > s[item])) + 1
