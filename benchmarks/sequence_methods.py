"""Explanation methods for id-sequence models, in the harness's ``method(model, seq)`` form.

A :class:`~benchmarks.harness.SequenceModel` for these methods carries in ``extra``:

* ``attentions(seq) -> (layers, heads, T, T)``;
* ``adapter_for(T)`` -> a gradient adapter of the explained score over ``(n, T, d)``
  embeddings, ``embed(seq) -> (T, d)`` and ``baseline(seq) -> (T, d)``;
* ``attention_row``: which query row explains the score (``-1``: the last position, as
  in a causal recommender; ``"mean"``: the average over positions, for mean pooling).

Each method returns one value per position, ``(T,)``.
"""

from __future__ import annotations

import zlib

import numpy as np

from benchmarks.harness import SequenceMethod, SequenceModel
from ecomxai.explain.attention import attention_rollout, head_average
from ecomxai.explain.counterfactual import leave_one_out
from ecomxai.explain.gradients import gradient_x_input, integrated_gradients


def _row(matrix: np.ndarray, model: SequenceModel) -> np.ndarray:
    which = model.extra.get("attention_row", -1)
    return matrix.mean(axis=0) if which == "mean" else matrix[which]


def attention_last_layer(model: SequenceModel, seq: list[int]) -> np.ndarray:
    """Head-averaged attention of the last layer from the explaining query row."""
    return _row(head_average(model.extra["attentions"](seq))[-1], model)


def attention_rollout_method(model: SequenceModel, seq: list[int]) -> np.ndarray:
    """Attention rollout (Abnar & Zuidema, 2020) from the explaining query row."""
    return _row(attention_rollout(model.extra["attentions"](seq)), model)


def _embedding_inputs(model: SequenceModel, seq: list[int]) -> tuple:
    emb = model.extra["embed"](seq)[None]
    return model.extra["adapter_for"](len(seq)), emb, model.extra["baseline"](seq)[None]


def integrated_gradients_method(steps: int) -> SequenceMethod:
    """Integrated gradients over the position embeddings, summed over dimensions."""
    def method(model: SequenceModel, seq: list[int]) -> np.ndarray:
        adapter, emb, base = _embedding_inputs(model, seq)
        return integrated_gradients(adapter, emb, base, steps=steps)[0].sum(axis=-1)
    return method


def gradient_x_input_method(model: SequenceModel, seq: list[int]) -> np.ndarray:
    """Gradient x input embedding, :math:`e_t^\\top \\partial f / \\partial e_t` (no baseline:
    the book's one definition, as in the BERT chapter's ``token_attributions``)."""
    adapter, emb, _ = _embedding_inputs(model, seq)
    return gradient_x_input(adapter, emb)[0].sum(axis=-1)


def leave_one_out_method(model: SequenceModel, seq: list[int]) -> np.ndarray:
    """Score drop when one position is removed (or replaced by ``extra['replace_with']``)."""
    drops = leave_one_out(model.score_fn, seq, replace_with=model.extra.get("replace_with"))
    fixed = model.extra.get("fixed")
    if fixed is not None:
        drops = np.where(fixed(seq), 0.0, drops)
    return drops


def random_method(model: SequenceModel, seq: list[int]) -> np.ndarray:
    """Control: Gaussian noise seeded by the sequence."""
    return np.random.default_rng(zlib.crc32(np.asarray(seq, np.int64).tobytes())).normal(
        size=len(seq))


def standard_methods(steps: int) -> dict[str, SequenceMethod]:
    """Attention, rollout, gradients, leave-one-out and the random control."""
    return {
        "attention_last_layer": attention_last_layer,
        "attention_rollout": attention_rollout_method,
        "gradient_x_input": gradient_x_input_method,
        "integrated_gradients": integrated_gradients_method(steps),
        "leave_one_out": leave_one_out_method,
        "random": random_method,
    }
