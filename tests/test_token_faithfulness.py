"""ERASER over many texts with the predicted-class convention, and rank agreement."""

import numpy as np
import pytest

from ecomxai.evaluate.token_faithfulness import faithfulness_table, rank_agreement

GOOD, BAD = 7, 3   # id 7 pushes towards the positive class, id 3 away from it


def proba(batch):
    return np.array([np.clip(0.5 + 0.3 * (GOOD in s) - 0.3 * (BAD in s), 0, 1) for s in batch])


SEQS = [[101, 5, GOOD, 6, 102], [101, BAD, 5, 6, 102]]   # predicted positive / negative
FIXED = [np.array([1, 0, 0, 0, 1], bool)] * 2


def test_signed_truth_beats_its_reverse_for_both_predicted_classes():
    truth = [{"m": np.array([0, 0, 1.0, 0, 0])}, {"m": np.array([0, -1.0, 0, 0, 0])}]
    flipped = [{"m": -a["m"]} for a in truth]
    good = faithfulness_table(proba, SEQS, truth, FIXED, signed_methods=["m"])
    bad = faithfulness_table(proba, SEQS, flipped, FIXED, signed_methods=["m"])
    assert good.loc["m", "comprehensiveness"] > bad.loc["m", "comprehensiveness"]
    assert good.loc["m", "sufficiency"] < bad.loc["m", "sufficiency"]
    # top-1 of 3 free tokens (every bin erases 1 or 2): removing the evidence drops 0.3
    assert good.loc["m", "comprehensiveness"] == pytest.approx(0.3)


def test_rank_agreement():
    a = [np.array([0, 1, 2, 3, 0.0])] * 2
    assert rank_agreement(a, a, FIXED) == pytest.approx(1.0)
    assert rank_agreement(a, [-x for x in a], FIXED) == pytest.approx(-1.0)
    assert rank_agreement(a, [-x for x in a], FIXED, absolute_second=True) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        rank_agreement([], [], [])
