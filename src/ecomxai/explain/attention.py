r"""Attention maps as explanations: validation, head averaging, rollout.

A self-attention layer mixes token (or item) representations with a row-stochastic
matrix per head,

.. math::

   A = \operatorname{softmax}\!\Bigl(\frac{Q K^\top}{\sqrt{d_k}}\Bigr), \qquad
   \textstyle\sum_j A_{ij} = 1 ,

computed from learned projections :math:`Q = XW_Q`, :math:`K = XW_K`
:cite:`vaswani2017attention`. Raw attention of one layer ignores the residual stream and
the other layers; *attention rollout* :cite:`abnar2020quantifying` composes the layers,
adding the identity for the residual connection:

.. math::

   \tilde A^{(l)} = \tfrac12 \bar A^{(l)} + \tfrac12 I, \qquad
   R = \tilde A^{(L)} \tilde A^{(L-1)} \cdots \tilde A^{(1)},

where :math:`\bar A^{(l)}` is the head average of layer :math:`l`. Whether attention
*explains* a prediction is an empirical question :cite:`jain2019attention`; the book
measures it against counterfactuals and integrated gradients.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ecomxai.validation import InputError, check_array, check_float


__all__ = ["as_attention_stack", "check_row_stochastic", "head_average", "attention_rollout"]


def as_attention_stack(attentions: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
    """Stack per-layer attention into ``(layers, heads, T, T)``.

    Accepts a list of per-layer arrays ``(heads, T, T)`` or ``(1, heads, T, T)`` (as
    ``transformers`` returns them for one example) or one array of 3 or 4 dimensions
    (a 3-D array is read as ``(layers, T, T)`` with one head).
    """
    if isinstance(attentions, (list, tuple)):
        if not attentions:
            raise InputError("no attention layers given")
        layers = [check_array(a, "attention layer", min_rows=0, finite=False)
                  for a in attentions]
        layers = [a[0] if a.ndim == 4 and a.shape[0] == 1 else a for a in layers]
        if len({a.shape for a in layers}) != 1:
            raise InputError(f"attention layers differ in shape: {[a.shape for a in layers]}; "
                             "pass the layers of one example")
        arr = np.stack(layers)
    else:
        arr = check_array(attentions, "attention", min_rows=0, finite=False)
    if arr.ndim == 3:
        arr = arr[:, None]
    if arr.ndim != 4 or arr.shape[-1] != arr.shape[-2]:
        raise InputError(
            f"attention must have shape (layers, heads, T, T); got {arr.shape}"
        )
    if not np.all(np.isfinite(arr)):
        raise InputError("attention contains NaN or infinite values")
    return arr


def check_row_stochastic(attention: np.ndarray, atol: float = 1e-4) -> float:
    """Return the largest deviation of a row sum from 1; raise if above ``atol``.

    Padded positions masked *as queries* may hold all-zero rows; pass only real tokens.
    """
    atol = check_float(atol, "atol", minimum=0.0)
    arr = check_array(attention, "attention", min_ndim=2, min_rows=0)
    if np.any(arr < -atol):
        raise InputError("attention weights must be non-negative")
    dev = float(np.max(np.abs(arr.sum(axis=-1) - 1.0)))
    if dev > atol:
        raise InputError(f"attention rows do not sum to 1 (max deviation {dev:.2e})")
    return dev


def head_average(attentions: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
    """Mean over heads: ``(layers, heads, T, T) -> (layers, T, T)``."""
    return as_attention_stack(attentions).mean(axis=1)


def attention_rollout(attentions: np.ndarray | Sequence[np.ndarray], *,
                      residual_weight: float = 0.5) -> np.ndarray:
    r"""Attention rollout across layers (Abnar & Zuidema, 2020).

    Parameters
    ----------
    attentions
        ``(layers, heads, T, T)`` or a per-layer list, lowest layer first.
    residual_weight
        Weight :math:`\lambda` of the identity in :math:`\lambda I + (1-\lambda)\bar A`;
        0.5 as in the paper.

    Returns
    -------
    numpy.ndarray
        ``(T, T)`` row-stochastic matrix; row ``i`` says how much each input position
        flows into position ``i`` of the last layer.
    """
    residual_weight = check_float(residual_weight, "residual_weight", minimum=0.0, maximum=1.0,
                                  strict_max=True)
    layers = head_average(attentions)
    eye = np.eye(layers.shape[-1])
    rollout = eye
    for a in layers:
        mixed = residual_weight * eye + (1.0 - residual_weight) * a
        mixed = mixed / mixed.sum(axis=-1, keepdims=True)
        rollout = mixed @ rollout
    return rollout
