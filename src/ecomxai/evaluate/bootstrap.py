r"""Bootstrap intervals and verdicts: how sure is a benchmark figure, and is a difference real?

A benchmark figure is a mean over the :math:`n` inputs that were explained,
:math:`\bar m = \frac1n \sum_r m_r`. The *percentile bootstrap* :cite:`efron1993introduction`
resamples the inputs with replacement :math:`B` times and reads the interval off the
resampled means:

.. math::

   \bar m^{*(b)} = \frac1n \sum_{r=1}^n m_{I_{br}}, \quad I_{br} \sim \mathcal U\{1..n\},
   \qquad \mathrm{CI}_{95} = \bigl[q_{0.025}(\bar m^{*}),\ q_{0.975}(\bar m^{*})\bigr].

Two methods explained on the *same* inputs are compared by the **paired** bootstrap of the
per-input differences :math:`d_r = m^A_r - m^B_r` (the same resampled indices for both),
which removes the between-input variance the two share. The verdict is computed, never
typed:

* ``"A beats B"`` if the interval of :math:`\bar d` lies entirely on A's better side,
* ``"B beats A"`` if it lies entirely on B's,
* ``"no detectable difference"`` if it contains 0.

The sanity check's verdict (:func:`sanity_verdict`) is the one rule the benchmark's table,
the chapters and the errata use.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Literal, Sequence

import numpy as np

from ecomxai.validation import InputError, check_array, check_callable, check_float, check_int

__all__ = [
    "Interval",
    "Comparison",
    "bootstrap_ci",
    "bootstrap_statistic",
    "paired_difference",
    "sanity_verdict",
    "UNCHANGED_SIMILARITY",
    "DEFAULT_RESAMPLES",
]

#: Resamples per interval; the Monte Carlo error of a 95% percentile bound is well under
#: the interval's width at this size.
DEFAULT_RESAMPLES = 2000

#: Sanity rule: an explanation whose similarity to the trained model's stays at or above
#: this value when the top layer is randomised did not notice the change.
UNCHANGED_SIMILARITY = 0.95

Verdict = Literal["A beats B", "B beats A", "no detectable difference"]


@dataclass(frozen=True)
class Interval:
    """A mean over ``n`` inputs and its bootstrap 95% interval."""

    value: float
    low: float
    high: float
    n: int

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)

    def contains(self, x: float) -> bool:
        """Whether ``x`` lies inside the closed interval."""
        return bool(self.low <= x <= self.high)


@dataclass(frozen=True)
class Comparison:
    """Paired bootstrap of the mean difference A - B and the computed verdict."""

    a: str
    b: str
    difference: float
    low: float
    high: float
    n: int
    higher_is_better: bool
    verdict: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    @property
    def sentence(self) -> str:
        """The verdict with the names filled in: ``"IG beats attention"``."""
        if self.verdict == "A beats B":
            return f"{self.a} beats {self.b}"
        if self.verdict == "B beats A":
            return f"{self.b} beats {self.a}"
        return f"no detectable difference between {self.a} and {self.b}"


def _clean(values: object, name: str) -> np.ndarray:
    v = check_array(values, name, min_rows=0, finite=False).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0:
        raise InputError(f"{name}: no finite values to bootstrap; explain at least one input")
    return v


def _indices(n: int, resamples: int, seed: int) -> np.ndarray:
    resamples = check_int(resamples, "resamples (too few give no 95% interval)", minimum=100)
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    return rng.integers(0, n, size=(resamples, n))


def _bounds(stats: np.ndarray, level: float) -> tuple[float, float]:
    level = check_float(level, "level", minimum=0.0, maximum=1.0, strict_min=True,
                        strict_max=True)
    alpha = (1 - level) / 2
    lo, hi = np.quantile(stats, [alpha, 1 - alpha])
    return float(lo), float(hi)


def bootstrap_ci(values: object, *, resamples: int = DEFAULT_RESAMPLES, level: float = 0.95,
                 seed: int = 0) -> Interval:
    r"""Mean of the finite ``values`` and its percentile-bootstrap interval.

    Parameters
    ----------
    values
        One number per input (NaN / inf entries, e.g. inputs a metric skips, are dropped
        and not counted in ``n``).
    resamples, level, seed
        :math:`B`, the coverage and the seed of the resampling (fixed: the same data give
        the same interval on any machine).
    """
    v = _clean(values, "values")
    means = v[_indices(len(v), resamples, seed)].mean(axis=1)
    lo, hi = _bounds(means, level)
    return Interval(float(v.mean()), lo, hi, int(len(v)))


def bootstrap_statistic(n: int, statistic: Callable[[np.ndarray], float], *,
                        resamples: int = 500, level: float = 0.95, seed: int = 0
                        ) -> Interval:
    r"""Interval of any statistic of ``n`` inputs: ``statistic(indices) -> float``.

    For figures that are not a mean of per-input numbers (e.g. the rank agreement of a
    *global* importance computed from all rows): the statistic is recomputed on each
    resample of the row indices. ``value`` is the statistic on all rows.
    """
    n = check_int(n, "n")
    check_callable(statistic, "statistic")
    stats = np.array([statistic(idx) for idx in _indices(n, resamples, seed)], dtype=float)
    stats = stats[np.isfinite(stats)]
    lo, hi = _bounds(stats, level) if stats.size else (float("nan"), float("nan"))
    return Interval(float(statistic(np.arange(n))), lo, hi, int(n))


def paired_difference(a: object, b: object, *, names: Sequence[str] = ("A", "B"),
                      higher_is_better: bool = True, resamples: int = DEFAULT_RESAMPLES,
                      level: float = 0.95, seed: int = 0) -> Comparison:
    r"""Paired bootstrap interval of :math:`\overline{a - b}` and the verdict.

    Parameters
    ----------
    a, b
        Per-input values of two methods on the *same* inputs, in the same order; pairs
        where either is not finite are dropped.
    names
        Display names of A and B for :attr:`Comparison.sentence`.
    higher_is_better
        Direction of the metric (``False`` for deletion AUC, sensitivity, sanity
        similarity).
    """
    x = check_array(a, "a", min_rows=0, finite=False).ravel()
    y = check_array(b, "b", min_rows=0, finite=False).ravel()
    if x.shape != y.shape:
        raise InputError(f"paired values need equal lengths, got {x.shape} and {y.shape}; "
                         "explain the same inputs with both methods")
    keep = np.isfinite(x) & np.isfinite(y)
    d = _clean((x - y)[keep], "paired differences")
    means = d[_indices(len(d), resamples, seed)].mean(axis=1)
    lo, hi = _bounds(means, level)
    better_a = lo > 0 if higher_is_better else hi < 0
    better_b = hi < 0 if higher_is_better else lo > 0
    verdict: Verdict = ("A beats B" if better_a else "B beats A" if better_b
                        else "no detectable difference")
    return Comparison(str(names[0]), str(names[1]), float(d.mean()), lo, hi, int(len(d)),
                      bool(higher_is_better), verdict)


def sanity_verdict(top_layer: Interval, all_layers: Interval, *, threshold: float = 0.5,
                   unchanged: float = UNCHANGED_SIMILARITY) -> str:
    r"""The randomisation sanity check's verdict, from two intervals of similarity.

    Let :math:`s_1` be the rank similarity between the explanations of the trained model
    and of the model whose *top* (output) layer alone was re-initialised -- the first step
    of the cascade :cite:`adebayo2018sanity` -- and :math:`s_L` the similarity once every
    listed layer is random. An explanation that explains *this model's* prediction must
    move in both cases:

    * ``"fails"`` if :math:`s_1` is detectably unchanged (its interval's lower bound
      :math:`\ge` ``unchanged``) or :math:`s_L` is detectably at or above :math:`\tau`
      (lower bound :math:`\ge` ``threshold``);
    * ``"passes"`` if the upper bounds are below ``unchanged`` and :math:`\tau` respectively;
    * ``"inconclusive"`` otherwise (the sample is too small to tell).

    Attention weights are computed below a classification head, so randomising the head
    leaves them identical (:math:`s_1 = 1`): they fail, whatever the full cascade does.
    """
    if not (isinstance(top_layer, Interval) and isinstance(all_layers, Interval)):
        raise InputError("top_layer and all_layers must be Interval objects (from "
                         "bootstrap_ci of the two similarities)")
    threshold = check_float(threshold, "threshold")
    unchanged = check_float(unchanged, "unchanged")
    if top_layer.low >= unchanged or all_layers.low >= threshold:
        return "fails"
    if top_layer.high < unchanged and all_layers.high < threshold:
        return "passes"
    return "inconclusive"
