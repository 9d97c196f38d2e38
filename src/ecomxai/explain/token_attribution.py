r"""Every token-attribution method of the BERT chapter, for one sequence, in one call.

The model is any object with the small interface :class:`TokenModel` (the book's
``ReviewClassifier`` has it), so this module imports no model. For one token sequence
:math:`x = (x_1, \dots, x_T)` with word embeddings :math:`e_t \in \mathbb R^{384}` and
explained score :math:`z` (a logit), the methods give one number per token:

==============  =================================================================
``attention``   last layer, heads averaged, averaged over query positions:
                :math:`\frac1T \sum_i \bar A^{(L)}_{it}`
``rollout``     the same average of attention rollout :math:`\frac1T\sum_i R_{it}`
``saliency``    :math:`\lVert \partial z / \partial e_t \rVert_2`
``gradxinput``  :math:`\sum_k e_{tk}\, \partial z / \partial e_{tk}`
``ig``          :math:`\sum_k \mathrm{IG}_{tk}` with a ``[PAD]`` baseline
``occlusion``   :math:`z(x) - z(x_{\setminus t})` (delete token :math:`t`)
``lime``        LIME weight of token :math:`t` on :math:`P(\text{class})`
``shap``        partition-SHAP (Owen) value of token :math:`t` on :math:`z`
==============  =================================================================

Mean over query positions is the attention that reaches the mean-pooled output the head
reads. ``[CLS]`` and ``[SEP]`` are *fixed*: they get 0 in the perturbation methods and are
never erased by the faithfulness measures.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, Sequence

import numpy as np

from ecomxai.explain.adapters import TorchAdapter
from ecomxai.explain.attention import attention_rollout, head_average
from ecomxai.explain.counterfactual import leave_one_out
from ecomxai.explain.gradients import integrated_gradients, saliency
from ecomxai.explain.lime_text import lime_token_attributions
from ecomxai.explain.shap_text import shap_token_attributions
from ecomxai.validation import InputError, check_choice, check_ids, check_int


__all__ = ["TokenModel", "METHODS", "SIGNED_METHODS", "token_attributions",
           "integrated_gradients_tokens"]

#: Method names in the order the book reports them.
METHODS: tuple[str, ...] = ("attention", "rollout", "saliency", "gradxinput", "ig",
                            "occlusion", "lime", "shap")
#: Methods whose sign says for/against the explained class (the others are magnitudes).
SIGNED_METHODS: frozenset[str] = frozenset({"gradxinput", "ig", "occlusion", "lime", "shap"})


class TokenModel(Protocol):
    """What the token methods need of a text classifier."""

    def attentions(self, ids: Sequence[int]) -> np.ndarray: ...  # (L, H, T, T)
    def word_embeddings(self, ids: Sequence[int]) -> np.ndarray: ...  # (T, d)
    def pad_baseline(self, ids: Sequence[int]) -> np.ndarray: ...  # (T, d)
    def embedding_model(self, length: int) -> Any: ...  # torch module (n, T, d) -> (n,)
    def logits_ids(self, batch: Sequence[Sequence[int]]) -> np.ndarray: ...
    def proba_ids(self, batch: Sequence[Sequence[int]]) -> np.ndarray: ...
    def fixed_mask(self, ids: Sequence[int]) -> np.ndarray: ...


def _check_model(model: Any) -> None:
    missing = [m for m in ("attentions", "word_embeddings", "pad_baseline", "embedding_model",
                           "logits_ids", "proba_ids", "fixed_mask") if not hasattr(model, m)]
    if missing:
        raise InputError(f"model lacks {missing} of the TokenModel protocol; wrap your "
                         "classifier in a class with these methods (see TokenModel)")


def integrated_gradients_tokens(model: TokenModel, ids: Sequence[int], *, steps: int = 32,
                                method: str = "gausslegendre"
                                ) -> tuple[np.ndarray, float]:
    """Per-token IG (summed over embedding dimensions) and the signed completeness gap."""
    _check_model(model)
    ids = check_ids(ids, "ids")
    steps = check_int(steps, "steps")
    adapter = TorchAdapter(model.embedding_model(len(ids)), batch_size=64)
    x = model.word_embeddings(ids)[None]
    base = model.pad_baseline(ids)[None]
    attr, gap = integrated_gradients(adapter, x, base, steps=steps, method=method,
                                     return_delta=True)
    return attr[0].sum(axis=-1), float(gap[0])


def token_attributions(
    model: TokenModel,
    ids: Sequence[int],
    *,
    methods: Sequence[str] = METHODS,
    ig_steps: int = 32,
    lime_samples: int = 200,
    shap_evals: int = 200,
    seed: int = 0,
) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Attributions of every requested method for one token sequence.

    Parameters
    ----------
    model
        A :class:`TokenModel`; gradient methods explain its logit.
    ids
        Token ids with ``[CLS]`` and ``[SEP]``.
    methods
        Subset of :data:`METHODS`.
    ig_steps, lime_samples, shap_evals
        Budgets of integrated gradients, LIME and SHAP.
    seed
        LIME's random state.

    Returns
    -------
    (dict, dict)
        ``{method: (T,) scores}`` and diagnostics (``ig_gap``: IG's signed completeness
        gap in logit units).
    """
    if isinstance(methods, str):
        methods = (check_choice(methods, METHODS, "method"),)
    unknown = set(methods) - set(METHODS)
    if unknown:
        raise InputError(f"unknown methods {sorted(unknown)}; choose from {METHODS}")
    _check_model(model)
    ids = check_ids(ids, "ids")
    if len(ids) < 3:
        raise InputError("need at least one token between [CLS] and [SEP]")
    for value, name in ((ig_steps, "ig_steps"), (lime_samples, "lime_samples"),
                        (shap_evals, "shap_evals")):
        check_int(value, name, minimum=2 if name != "ig_steps" else 1)
    check_int(seed, "seed", minimum=0)
    fixed = model.fixed_mask(ids)
    out: dict[str, np.ndarray] = {}
    info: dict[str, float] = {}
    if {"attention", "rollout"} & set(methods):
        stack = model.attentions(ids)
        if "attention" in methods:
            out["attention"] = head_average(stack)[-1].mean(axis=0)
        if "rollout" in methods:
            out["rollout"] = attention_rollout(stack).mean(axis=0)
    if {"saliency", "gradxinput"} & set(methods):
        adapter = TorchAdapter(model.embedding_model(len(ids)), batch_size=64)
        x = model.word_embeddings(ids)[None]
        grad = saliency(adapter, x, absolute=False)[0]  # one backward pass serves both
        if "saliency" in methods:
            out["saliency"] = np.linalg.norm(grad, axis=-1)
        if "gradxinput" in methods:
            out["gradxinput"] = (grad * x[0]).sum(axis=-1)  # = gradient_x_input, zero baseline
    if "ig" in methods:
        out["ig"], info["ig_gap"] = integrated_gradients_tokens(model, ids, steps=ig_steps)
    logit_fn: Callable[[list[list[int]]], np.ndarray] = model.logits_ids
    if "occlusion" in methods:
        occ = leave_one_out(logit_fn, ids)
        out["occlusion"] = np.where(fixed, 0.0, occ)
    if "lime" in methods:
        out["lime"] = lime_token_attributions(model.proba_ids, ids, fixed=fixed,
                                              num_samples=lime_samples, random_state=seed)
    if "shap" in methods:
        out["shap"] = shap_token_attributions(logit_fn, ids, fixed=fixed, max_evals=shap_evals)
    return {m: out[m] for m in methods}, info
