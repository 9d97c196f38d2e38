"""Token presence masks: the plumbing shared by the perturbation explainers of sequences.

LIME (:mod:`ecomxai.explain.lime_text`) and partition SHAP
(:mod:`ecomxai.explain.shap_text`) both explain one id sequence
:math:`s = (s_1, \\dots, s_T)` by scoring copies in which some tokens are absent. A few
positions (``[CLS]``, ``[SEP]``) are *fixed*: always present, never explained. The other,
*free* positions are the players; a presence vector :math:`z \\in \\{0, 1\\}^{|F|}` over
them selects the sequence

.. math::

   s_z = (s_t : t \\text{ fixed or } z_{\\pi(t)} = 1) ,

where :math:`\\pi` numbers the free positions. Removing a token deletes it (the sequence
gets shorter), as in the occlusion and ERASER measures of the book.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

import numpy as np

from ecomxai.validation import (InputError, check_callable, check_ids, check_mask,
                                check_model_output)

__all__ = ["TokenMask"]

ScoreFn = Callable[[list[list[int]]], np.ndarray]


@dataclass(frozen=True)
class TokenMask:
    """One explained sequence, its fixed positions and its free players.

    Build it with :meth:`TokenMask.of`, which validates the inputs.

    Attributes
    ----------
    sequence
        The token ids.
    fixed
        ``(T,)`` booleans: positions always present.
    free
        Indices of the non-fixed positions, in order (the players).
    """

    sequence: tuple[int, ...]
    fixed: np.ndarray
    free: np.ndarray

    @classmethod
    def of(cls, sequence: Sequence[int], fixed: Sequence[bool] | None = None) -> TokenMask:
        """Validate ``sequence`` and ``fixed`` and number the free positions.

        Raises
        ------
        InputError
            If the sequence is empty or not integer ids, if ``fixed`` is not a boolean
            mask of the same length, or if every position is fixed.
        """
        seq = check_ids(sequence, "sequence")
        keep = check_mask(fixed, len(seq), "fixed")
        free = np.flatnonzero(~keep)
        if free.size == 0:
            raise InputError("every position is fixed; there is nothing to explain "
                             "(leave at least one token free)")
        return cls(tuple(seq), keep, free)

    def __len__(self) -> int:
        return len(self.sequence)

    def keep_positions(self, present: Iterable[int]) -> list[int]:
        """The sequence with the fixed positions and the positions in ``present``."""
        chosen = set(int(t) for t in present)
        return [s for t, s in enumerate(self.sequence) if self.fixed[t] or t in chosen]

    def from_presence(self, presence: Any) -> list[list[int]]:
        """One sequence per row of a presence matrix ``(m, |F|)`` (values > 0.5 mean present)."""
        rows = np.atleast_2d(np.asarray(presence, dtype=np.float64))
        if rows.shape[1] != self.free.size:
            raise InputError(f"presence rows must have {self.free.size} columns (one per free "
                             f"position), got {rows.shape}")
        return [self.keep_positions(self.free[row > 0.5]) for row in rows]

    def score(self, score_fn: ScoreFn, batch: list[list[int]]) -> np.ndarray:
        """``score_fn(batch)`` checked: one finite number per sequence."""
        check_callable(score_fn, "score_fn")
        return check_model_output(score_fn(batch), len(batch), "score_fn", unit="sequence")
