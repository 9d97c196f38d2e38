r"""Two non-neural next-item baselines every sequential recommender must beat.

* :class:`PopularityRecommender` scores item :math:`i` by its interaction count
  :math:`c_i` in the training sequences, the same list for everybody.
* :class:`CooccurrenceRecommender` scores item :math:`j` by how often it followed the
  user's *last* item :math:`a` within ``window`` steps in the training sequences,

  .. math::

     s(j \mid a) = \#\{(t, \delta) : s_t = a,\ s_{t+\delta} = j,\ 1 \le \delta \le w\}
                   + \varepsilon\, c_j ,

  with a tiny popularity term :math:`\varepsilon c_j` (:math:`\varepsilon` below one
  co-occurrence) that only breaks ties.

Both share the recommender API of :class:`ecomxai.models.seqrec.SeqRec`:
``score_items(histories) -> (n, n_items)``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["PopularityRecommender", "CooccurrenceRecommender"]


def _check_sequences(sequences: Sequence[Sequence[int]], n_items: int) -> list[np.ndarray]:
    if n_items < 1:
        raise ValueError("n_items must be positive")
    seqs = [np.asarray(s, dtype=np.int64) for s in sequences]
    if not seqs:
        raise ValueError("no training sequences given")
    for s in seqs:
        if s.size and (s.min() < 0 or s.max() >= n_items):
            raise LookupError(f"item ids must lie in 0..{n_items - 1}")
    return seqs


class PopularityRecommender:
    """Most-popular baseline: :math:`s(i) = c_i`, the training interaction count."""

    def __init__(self, n_items: int) -> None:
        self.n_items = int(n_items)
        self.counts = np.zeros(self.n_items)

    def fit(self, sequences: Sequence[Sequence[int]]) -> "PopularityRecommender":
        """Count interactions per item."""
        seqs = _check_sequences(sequences, self.n_items)
        self.counts = np.bincount(np.concatenate(seqs), minlength=self.n_items).astype(float)
        return self

    def score_items(self, histories: Sequence[Sequence[int]]) -> np.ndarray:
        """``(n, n_items)`` scores; identical rows (the history does not matter)."""
        return np.tile(self.counts, (len(histories), 1))


class CooccurrenceRecommender:
    """Last-item co-occurrence baseline (successor counts within a window).

    Parameters
    ----------
    n_items
        Catalogue size.
    window
        :math:`w`: item :math:`j` counts as following :math:`a` if it comes at most
        ``window`` positions later.
    """

    def __init__(self, n_items: int, window: int = 1) -> None:
        if window < 1:
            raise ValueError("window must be >= 1")
        self.n_items = int(n_items)
        self.window = int(window)
        self.transitions = np.zeros((self.n_items, self.n_items))
        self.popularity = np.zeros(self.n_items)

    def fit(self, sequences: Sequence[Sequence[int]]) -> "CooccurrenceRecommender":
        """Count ordered pairs ``(s_t, s_{t+delta})`` for ``1 <= delta <= window``."""
        seqs = _check_sequences(sequences, self.n_items)
        T = np.zeros((self.n_items, self.n_items))
        for s in seqs:
            for d in range(1, self.window + 1):
                if len(s) > d:
                    np.add.at(T, (s[:-d], s[d:]), 1.0)
        self.transitions = T
        self.popularity = np.bincount(np.concatenate(seqs), minlength=self.n_items).astype(float)
        return self

    def score_items(self, histories: Sequence[Sequence[int]]) -> np.ndarray:
        """``(n, n_items)``: co-occurrence with the last history item, popularity tie-break."""
        last = []
        for h in histories:
            if len(h) == 0:
                raise ValueError("a history is empty; the co-occurrence baseline needs a last item")
            last.append(int(h[-1]))
        last_arr = np.asarray(last)
        if last_arr.min() < 0 or last_arr.max() >= self.n_items:
            raise LookupError(f"item ids must lie in 0..{self.n_items - 1}")
        eps = 0.5 / (self.popularity.max() + 1.0)
        return self.transitions[last_arr] + eps * self.popularity[None, :]
