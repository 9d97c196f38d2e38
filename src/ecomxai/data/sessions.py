r"""Synthetic shopping sessions with a PLANTED cause for the last purchase.

Real click logs never say *why* a shopper bought an item, so an explanation of a
recommendation cannot be checked on them. Here the cause is planted. The catalogue holds
``len(pairs)`` cause -> effect pairs (a phone causes a phone case, a printer an ink
cartridge, ...) and ``n_fillers`` unrelated items. A session is

.. math::

   (x_1, \dots, x_T, y), \qquad x_{p} = c, \quad y = \operatorname{effect}(c),
   \quad x_t \sim \mathrm{Uniform}(\text{fillers}) \ (t \ne p),

with the cause :math:`c` at a uniformly drawn position :math:`p` among :math:`T - 1`
distractors, and the effect as the item to predict. Every filler is equally likely
everywhere, so the only evidence for :math:`y` in the history is :math:`x_p`: a faithful
explanation of the prediction ":math:`y` next" must rank position :math:`p` first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["CAUSE_EFFECT_PAIRS", "Sessions", "make_sessions"]

#: Cause -> effect pairs of the synthetic shop (the cause makes the effect likely next).
CAUSE_EFFECT_PAIRS: tuple[tuple[str, str], ...] = (
    ("phone", "phone case"),
    ("laptop", "laptop bag"),
    ("camera", "memory card"),
    ("coffee machine", "coffee beans"),
    ("printer", "ink cartridge"),
    ("tent", "sleeping bag"),
    ("game console", "controller"),
    ("bicycle", "helmet"),
    ("tennis racket", "tennis balls"),
    ("baby stroller", "rain cover"),
    ("electric toothbrush", "brush heads"),
    ("aquarium", "fish food"),
)


@dataclass
class Sessions:
    """Sessions with their planted causes.

    Attributes
    ----------
    histories
        One ``int64`` array per session, the items before the target.
    targets
        The effect item of every session, ``(n,)``.
    cause_positions
        Position :math:`p` of the planted cause in each history, ``(n,)``.
    item_names
        Name of every item id (causes first, then effects, then fillers).
    causes, effects
        Item ids of the causes and of their effects (``effects[k]`` follows ``causes[k]``).
    """

    histories: list[np.ndarray]
    targets: np.ndarray
    cause_positions: np.ndarray
    item_names: np.ndarray
    causes: np.ndarray
    effects: np.ndarray

    @property
    def n_items(self) -> int:
        """Catalogue size."""
        return len(self.item_names)

    def __len__(self) -> int:
        return len(self.histories)

    def sequences(self) -> list[np.ndarray]:
        """Full sessions (history followed by target), for next-item training."""
        return [np.append(h, t) for h, t in zip(self.histories, self.targets)]

    def subset(self, index: slice | np.ndarray) -> "Sessions":
        """The sessions selected by ``index`` (same catalogue)."""
        idx = np.arange(len(self))[index]
        return Sessions([self.histories[i] for i in idx], self.targets[idx],
                        self.cause_positions[idx], self.item_names, self.causes, self.effects)


def make_sessions(n_sessions: int = 4000, *, min_history: int = 4, max_history: int = 10,
                  n_fillers: int = 60, seed: int = 0) -> Sessions:
    """Draw sessions with a planted cause among filler distractors.

    Parameters
    ----------
    n_sessions
        Number of sessions.
    min_history, max_history
        Each history length :math:`T` is uniform on ``[min_history, max_history]``.
    n_fillers
        Number of distractor items; each history uses distinct fillers.
    seed
        Seed of the generator (same seed, same sessions).
    """
    if n_sessions < 1:
        raise ValueError("n_sessions must be >= 1")
    if not 2 <= min_history <= max_history:
        raise ValueError("need 2 <= min_history <= max_history")
    if n_fillers < max_history - 1:
        raise ValueError(f"n_fillers={n_fillers} is too small for histories of "
                         f"{max_history} distinct items; use at least {max_history - 1}")
    n_pairs = len(CAUSE_EFFECT_PAIRS)
    causes = np.arange(n_pairs)
    effects = np.arange(n_pairs, 2 * n_pairs)
    fillers = np.arange(2 * n_pairs, 2 * n_pairs + n_fillers)
    names = ([c for c, _ in CAUSE_EFFECT_PAIRS] + [e for _, e in CAUSE_EFFECT_PAIRS]
             + [f"filler {k:02d}" for k in range(n_fillers)])
    rng = np.random.default_rng(seed)
    histories, targets, positions = [], [], []
    for _ in range(n_sessions):
        length = int(rng.integers(min_history, max_history + 1))
        pair = int(rng.integers(n_pairs))
        history = rng.choice(fillers, size=length, replace=False)
        p = int(rng.integers(length))
        history[p] = causes[pair]
        histories.append(history.astype(np.int64))
        targets.append(effects[pair])
        positions.append(p)
    return Sessions(histories, np.asarray(targets, dtype=np.int64),
                    np.asarray(positions, dtype=np.int64), np.array(names, dtype=object),
                    causes, effects)
