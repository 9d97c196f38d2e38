"""Partition SHAP over tokens: exact on additive scores, efficient on any score."""

import numpy as np
import pytest
from scipy.cluster.hierarchy import is_valid_linkage

from ecomxai.explain.shap_text import contiguous_linkage, shap_token_attributions

WEIGHTS = {7: 0.30, 3: -0.20, 9: 0.10}
SEQ = [101, 5, 7, 3, 8, 9, 2, 102]
FIXED = np.array([True] + [False] * 6 + [True])


def additive_score(batch):
    return np.array([0.4 + sum(WEIGHTS.get(t, 0.0) for t in s) for s in batch])


def interacting_score(batch):  # 7 only counts when 3 is absent: not additive
    return np.array([0.2 + 0.5 * (7 in s) * (3 not in s) + 0.1 * (9 in s) for s in batch])


def test_additive_score_gives_exact_shapley_values():
    values = shap_token_attributions(additive_score, SEQ, fixed=FIXED, max_evals=200)
    np.testing.assert_allclose(values, [WEIGHTS.get(t, 0.0) for t in SEQ], atol=1e-9)


def test_efficiency_holds_with_interactions():
    values = shap_token_attributions(interacting_score, SEQ, fixed=FIXED, max_evals=100)
    full, empty = interacting_score([SEQ, [101, 102]])
    assert values.sum() == pytest.approx(full - empty, abs=1e-9)
    assert values[0] == values[-1] == 0.0


def test_single_free_token():
    values = shap_token_attributions(additive_score, [101, 7, 102], fixed=[True, False, True])
    np.testing.assert_allclose(values, [0.0, 0.3, 0.0])


@pytest.mark.parametrize("n", [2, 5, 8, 13])
def test_linkage_is_valid_and_contiguous(n):
    z = contiguous_linkage(n)
    assert is_valid_linkage(z) and z[-1, 3] == n


def test_errors():
    with pytest.raises(ValueError, match="empty"):
        shap_token_attributions(additive_score, [])
    with pytest.raises(ValueError, match="fixed"):
        shap_token_attributions(additive_score, [101, 102], fixed=[True, True])
