"""ERASER comprehensiveness / sufficiency on score functions whose answer is known."""

import numpy as np
import pytest

from ecomxai.evaluate.faithfulness import (
    comprehensiveness, erasure_scores, sufficiency, top_k_positions,
)

# A "model" whose score is the fraction of the ids 7 it sees: id 7 is the only evidence.
def evidence_score(batch):
    return np.array([sum(t == 7 for t in s) / 2.0 for s in batch])


SEQ = [1, 7, 2, 3, 7, 4, 5, 6, 8, 9]
TRUTH = np.array([0, 1, 0, 0, 1, 0, 0, 0, 0, 0], float)


def test_perfect_explanation_is_comprehensive_and_sufficient():
    res = erasure_scores(evidence_score, SEQ, TRUTH, fractions=(0.1, 0.2, 0.5))
    # 10% -> 1 token erased (one of the two 7s): drop 0.5; 20% and 50% erase both: drop 1
    np.testing.assert_allclose(res.per_bin_comprehensiveness, [0.5, 1.0, 1.0])
    assert res.comprehensiveness == pytest.approx(2.5 / 3)
    # keeping the top 20% / 50% keeps both 7s: no drop; keeping 10% keeps one: drop .5
    np.testing.assert_allclose(res.per_bin_sufficiency, [0.5, 0.0, 0.0])


def test_reversed_explanation_scores_worse():
    good = erasure_scores(evidence_score, SEQ, TRUTH)
    bad = erasure_scores(evidence_score, SEQ, -TRUTH)
    assert good.comprehensiveness > bad.comprehensiveness
    assert good.sufficiency < bad.sufficiency


def test_fixed_positions_are_never_erased_and_replacement_keeps_length():
    seen = []

    def spy(batch):
        seen.extend(batch)
        return evidence_score(batch)

    fixed = [True] + [False] * 8 + [True]
    comprehensiveness(spy, SEQ, TRUTH, fixed=fixed, replace_with=0)
    assert all(len(s) == len(SEQ) and s[0] == 1 and s[-1] == 9 for s in seen)
    assert sufficiency(evidence_score, SEQ, TRUTH, fixed=fixed) == pytest.approx(
        erasure_scores(evidence_score, SEQ, TRUTH, fixed=fixed).sufficiency)


def test_top_k_positions_by_magnitude():
    attr = np.array([0.1, -3.0, 2.0, 0.0])
    assert list(top_k_positions(attr, 1)) == [2]
    assert list(top_k_positions(attr, 1, by_magnitude=True)) == [1]


@pytest.mark.parametrize("bad, match", [
    (([], []), "empty"),
    (([1, 2], [1.0]), "one value per position"),
    (([1, 2], [np.nan, 1.0]), "NaN"),
])
def test_clear_errors(bad, match):
    seq, attr = bad
    with pytest.raises(ValueError, match=match):
        erasure_scores(evidence_score, seq, np.asarray(attr, float))


def test_score_fn_shape_is_checked():
    with pytest.raises(ValueError, match="one score per sequence"):
        erasure_scores(lambda b: np.zeros(2), SEQ, TRUTH)
