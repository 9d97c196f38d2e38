"""Bootstrap intervals, paired differences and the sanity verdict rule."""

import numpy as np
import pytest

from ecomxai.evaluate.bootstrap import (Interval, bootstrap_ci, bootstrap_statistic,
                                        paired_difference, sanity_verdict)


def test_interval_covers_the_mean_and_shrinks_with_n():
    rng = np.random.default_rng(0)
    small = bootstrap_ci(rng.normal(1.0, 1.0, 25))
    large = bootstrap_ci(rng.normal(1.0, 1.0, 2500))
    assert small.low < small.value < small.high and small.n == 25
    assert large.high - large.low < (small.high - small.low) / 5
    assert large.contains(1.0)


def test_interval_is_deterministic_and_drops_nan():
    v = np.array([0.1, 0.5, np.nan, 0.9, 0.3])
    a, b = bootstrap_ci(v), bootstrap_ci(v)
    assert a == b and a.n == 4 and a.value == pytest.approx(0.45)


def test_coverage_is_close_to_95_percent():
    rng = np.random.default_rng(1)
    hits = sum(bootstrap_ci(rng.exponential(1.0, 60), resamples=500, seed=s).contains(1.0)
               for s in range(200))
    assert 0.85 <= hits / 200 <= 0.99


def test_statistic_interval_of_a_non_mean():
    x = np.arange(50, dtype=float)
    out = bootstrap_statistic(len(x), lambda idx: float(np.median(x[idx])))
    assert out.value == pytest.approx(24.5) and out.low < 24.5 < out.high


def test_paired_difference_detects_a_shift_that_unpaired_noise_hides():
    rng = np.random.default_rng(2)
    base = rng.normal(0, 5, 100)                  # large between-input spread
    a, b = base + 0.3 + rng.normal(0, 0.1, 100), base
    c = paired_difference(a, b, names=("A", "B"))
    assert c.verdict == "A beats B" and c.low > 0 and c.sentence == "A beats B"
    lower = paired_difference(a, b, names=("A", "B"), higher_is_better=False)
    assert lower.verdict == "B beats A"
    same = paired_difference(base + rng.normal(0, 0.1, 100), base, names=("A", "B"))
    assert same.verdict == "no detectable difference"
    assert same.sentence == "no detectable difference between A and B"


def test_paired_difference_rejects_unpaired_input():
    with pytest.raises(ValueError, match="equal lengths"):
        paired_difference([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="no finite"):
        bootstrap_ci([np.nan])


def test_sanity_verdict_rule():
    unchanged = Interval(1.0, 1.0, 1.0, 20)
    moved = Interval(0.3, 0.2, 0.4, 20)
    assert sanity_verdict(unchanged, moved) == "fails"        # blind to the top layer
    assert sanity_verdict(moved, Interval(0.8, 0.7, 0.9, 20)) == "fails"
    assert sanity_verdict(moved, moved) == "passes"
    assert sanity_verdict(moved, Interval(0.45, 0.35, 0.55, 20)) == "inconclusive"
