"""LIME over token positions (lime's own LimeTextExplainer underneath)."""

import numpy as np
import pytest

from ecomxai.explain.lime_text import lime_token_attributions

WEIGHTS = {7: 0.30, 3: -0.20, 9: 0.10}
SEQ = [101, 5, 7, 3, 8, 9, 2, 102]
FIXED = np.array([True] + [False] * 6 + [True])


def additive_score(batch):
    return np.array([0.4 + sum(WEIGHTS.get(t, 0.0) for t in s) for s in batch])


def test_recovers_an_additive_model_and_is_deterministic():
    a = lime_token_attributions(additive_score, SEQ, fixed=FIXED, num_samples=300)
    b = lime_token_attributions(additive_score, SEQ, fixed=FIXED, num_samples=300)
    np.testing.assert_array_equal(a, b)
    truth = np.array([WEIGHTS.get(t, 0.0) for t in SEQ])
    np.testing.assert_allclose(a, truth, atol=0.02)   # ridge shrinks a little
    assert a[0] == a[-1] == 0.0


def test_seed_changes_the_sample():
    noisy = lambda b: additive_score(b) + 0.05 * np.array([len(s) % 3 for s in b])  # noqa: E731
    a = lime_token_attributions(noisy, SEQ, fixed=FIXED, num_samples=50, random_state=0)
    b = lime_token_attributions(noisy, SEQ, fixed=FIXED, num_samples=50, random_state=1)
    assert not np.allclose(a, b)


def test_removed_tokens_are_deleted_and_fixed_kept():
    seen = []

    def spy(batch):
        seen.extend(batch)
        return additive_score(batch)

    lime_token_attributions(spy, SEQ, fixed=FIXED, num_samples=20)
    assert seen[0] == SEQ
    assert all(s[0] == 101 and s[-1] == 102 and len(s) <= len(SEQ) for s in seen)


@pytest.mark.parametrize("kwargs, match", [
    (dict(sequence=[]), "empty"),
    (dict(sequence=[101, 102], fixed=[True, True]), "fixed"),
    (dict(sequence=SEQ, num_samples=1), "num_samples"),
])
def test_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        lime_token_attributions(additive_score, **kwargs)
