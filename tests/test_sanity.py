"""Model-parameter randomisation on a tiny two-layer model with hand-made weights."""

import numpy as np
import pytest

from ecomxai.evaluate.sanity import (
    cascading_randomisation, independent_randomisation, passes_sanity_check,
    randomisation_similarity,
)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(8, 6))
TRAINED = {"out": RNG.normal(size=4), "hidden": RNG.normal(size=(6, 4))}


def weights(randomised):
    rng = np.random.default_rng(123)
    w = dict(TRAINED)
    for name in randomised:
        w[name] = rng.normal(size=TRAINED[name].shape)
    return w


def gradient_explainer(randomised):
    """Gradient of the linear model f(x) = x @ hidden @ out: depends on the weights."""
    w = weights(randomised)
    return np.broadcast_to(w["hidden"] @ w["out"], X.shape).copy()


def input_only_explainer(randomised):
    """An 'explanation' that ignores the model: |x| (an edge detector, in image terms)."""
    return np.abs(X)


def test_model_dependent_explanation_passes():
    res = cascading_randomisation(gradient_explainer, ["out", "hidden"])
    assert res.mode == "cascading" and res.layers == ("out", "hidden")
    assert res.final_similarity < 0.5 and res.passed
    assert res.as_dict()["passed"] is True


def test_model_independent_explanation_fails_every_schedule():
    for run in (cascading_randomisation, independent_randomisation):
        res = run(input_only_explainer, ["out", "hidden"])
        np.testing.assert_allclose(res.rank_correlation, 1.0)
        np.testing.assert_allclose(res.top_k_overlap, 1.0)
        assert not res.passed


def test_independent_schedule_and_original_argument():
    calls = []

    def spy(randomised):
        calls.append(tuple(randomised))
        return gradient_explainer(randomised)

    independent_randomisation(spy, ["out", "hidden"], original=gradient_explainer(()))
    assert calls == [("out",), ("hidden",)]
    calls.clear()
    cascading_randomisation(spy, ["out", "hidden"])
    assert calls == [(), ("out",), ("out", "hidden")]


def test_similarity_and_rule():
    A = RNG.normal(size=(3, 5))
    assert randomisation_similarity(A, A) == (pytest.approx(1.0), pytest.approx(1.0))
    assert passes_sanity_check(0.2) and not passes_sanity_check(0.5)
    with pytest.raises(ValueError, match="same inputs"):
        randomisation_similarity(A, A[:2])
    with pytest.raises(ValueError, match="at least one layer"):
        cascading_randomisation(gradient_explainer, [])
