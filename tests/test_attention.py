"""explain.attention: row-stochastic checks, head averaging, rollout by hand, errors."""

import numpy as np
import pytest

from ecomxai.explain.attention import (
    as_attention_stack, attention_rollout, check_row_stochastic, head_average,
)

# layer 1 has two heads whose average is [[1, 0], [.5, .5]]; layer 2 one head
LAYER1 = np.array([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [1.0, 0.0]]])
LAYER2 = np.array([[[1.0, 0.0], [0.2, 0.8]]])


def test_rollout_on_a_hand_computed_two_layer_case():
    # mixed1 = I/2 + A1/2 = [[1, 0], [.25, .75]]; mixed2 = [[1, 0], [.1, .9]]
    # R = mixed2 @ mixed1 = [[1, 0], [.1 + .9 * .25, .9 * .75]] = [[1, 0], [.325, .675]]
    stack = np.stack([LAYER1, np.concatenate([LAYER2, LAYER2])])  # (2 layers, 2 heads, 2, 2)
    np.testing.assert_allclose(attention_rollout(stack), [[1.0, 0.0], [0.325, 0.675]])
    # residual_weight 0 is the plain product of the head averages
    np.testing.assert_allclose(attention_rollout(stack, residual_weight=0.0),
                               [[1, 0], [0.2 + 0.8 * 0.5, 0.8 * 0.5]])


def test_rows_sum_to_one_for_random_softmax_attention():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 4, 6, 6))
    causal = np.triu(np.ones((6, 6), bool), 1)
    logits[..., causal] = -np.inf
    att = np.exp(logits - logits.max(-1, keepdims=True))
    att /= att.sum(-1, keepdims=True)
    assert check_row_stochastic(att) < 1e-12
    assert check_row_stochastic(head_average(att)) < 1e-12
    roll = attention_rollout(att)
    assert check_row_stochastic(roll) < 1e-12
    # causal attention stays causal under rollout (lower-triangular)
    assert np.allclose(roll[causal], 0.0)


def test_head_average_and_stack_shapes():
    per_layer = [LAYER1, np.concatenate([LAYER2, LAYER2])[None]]  # (1, H, T, T) as in HF
    stack = as_attention_stack(per_layer)
    assert stack.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(head_average(stack)[0], [[1, 0], [0.5, 0.5]])
    assert as_attention_stack(np.eye(3)[None]).shape == (1, 1, 3, 3)


def test_validation_errors():
    with pytest.raises(ValueError, match="no attention"):
        as_attention_stack([])
    with pytest.raises(ValueError, match="shape"):
        as_attention_stack(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="NaN"):
        as_attention_stack(np.full((1, 1, 2, 2), np.nan))
    with pytest.raises(ValueError, match="sum to 1"):
        check_row_stochastic(np.array([[0.5, 0.4]]))
    with pytest.raises(ValueError, match="non-negative"):
        check_row_stochastic(np.array([[1.5, -0.5]]))
    with pytest.raises(ValueError, match="residual_weight"):
        attention_rollout(LAYER1[None], residual_weight=1.0)
