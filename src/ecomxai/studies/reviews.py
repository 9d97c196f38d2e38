r"""Case study: attention and gradients in a BERT review classifier, and in search (document 002).

The pipelines of the BERT chapter for any model with the
:class:`~ecomxai.studies.protocols.TextClassifier` protocol -- the book's fine-tuned
MiniLM (:class:`ecomxai.models.text.ReviewClassifier`) or yours; a PyTorch module that
maps word embeddings to a logit and attention maps becomes one through
:class:`TorchTextClassifier`.

* :func:`explain_tokens` -- every token-attribution method for one sequence, validated;
* :func:`attention_summary` -- last-layer attention and rollout per token;
* :func:`ig_gap_table` -- IG's completeness gap by step count and quadrature rule;
* :func:`token_faithfulness_study` -- the token-attribution table: every method on many
  texts, scored by ERASER comprehensiveness and sufficiency;
* :func:`explain_search_match` -- integrated gradients of a query-title cosine
  similarity, split between query and title tokens.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from ecomxai.evaluate.token_faithfulness import faithfulness_table, rank_agreement
from ecomxai.explain.adapters import TorchAdapter
from ecomxai.explain.attention import attention_rollout, head_average
from ecomxai.explain.gradients import integrated_gradients
from ecomxai.explain.token_attribution import (
    METHODS, SIGNED_METHODS, integrated_gradients_tokens, token_attributions,
)
from ecomxai.studies.protocols import ModelProtocolError, TextClassifier
from ecomxai.validation import InputError, check_int, check_model_output
from ecomxai.validation import check_ids as _check_ids

__all__ = ["TorchTextClassifier", "check_ids", "explain_tokens", "attention_summary",
           "ig_gap_table", "TokenFaithfulness", "token_faithfulness_study", "SearchMatch",
           "explain_search_match"]


class TorchTextClassifier:
    """A :class:`~ecomxai.studies.protocols.TextClassifier` from any PyTorch text model.

    Parameters
    ----------
    forward_embeds
        ``emb (n, T, d) -> (logits (n,), attentions)``: the model from word embeddings on,
        where ``attentions`` is a tensor ``(layers, n, heads, T, T)`` or a sequence of
        ``(n, heads, T, T)`` tensors (as ``transformers`` returns them).
    embedding
        The word-embedding layer, ``ids (n, T) -> (n, T, d)`` (e.g. ``nn.Embedding``).
    special_ids
        Ids never erased and given zero attribution (``[CLS]``, ``[SEP]``, ...).
    pad_id
        Id whose embedding is the integrated-gradients baseline at content positions.
    max_length
        Longest sequence the model accepts.
    """

    def __init__(self, forward_embeds: Callable[[Any], tuple[Any, Any]],
                 embedding: Callable[[Any], Any], *, special_ids: Sequence[int] = (),
                 pad_id: int = 0, max_length: int = 512) -> None:
        if not callable(forward_embeds) or not callable(embedding):
            raise ModelProtocolError("forward_embeds and embedding must be callables "
                                     "(torch modules)")
        self.forward_embeds = forward_embeds
        self.embedding = embedding
        self.special_ids = {int(i) for i in special_ids}
        self.pad_id = int(pad_id)
        self.max_length = int(max_length)

    def _ids(self, ids: Sequence[int]) -> Any:
        import torch  # noqa: PLC0415

        return torch.as_tensor([check_ids(ids, max_length=self.max_length, min_length=1)])

    def _logits(self, emb: Any) -> Any:
        logits, _ = self.forward_embeds(emb)
        return logits.reshape(emb.shape[0])

    def logits_ids(self, batch: Sequence[Sequence[int]]) -> np.ndarray:
        import torch  # noqa: PLC0415

        if len(batch) == 0:
            raise InputError("the batch is empty")
        out = np.empty(len(batch))
        by_length: dict[int, list[int]] = {}
        for k, seq in enumerate(batch):  # equal lengths together: no padding needed
            by_length.setdefault(len(seq), []).append(k)
        with torch.no_grad():
            for rows in by_length.values():
                ids = torch.cat([self._ids(batch[k]) for k in rows])
                out[rows] = self._logits(self.embedding(ids)).double().numpy()
        return out

    def proba_ids(self, batch: Sequence[Sequence[int]]) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits_ids(batch)))

    def attentions(self, ids: Sequence[int]) -> np.ndarray:
        import torch  # noqa: PLC0415

        with torch.no_grad():
            _, att = self.forward_embeds(self.embedding(self._ids(ids)))
        return np.stack([np.asarray(a[0].double().numpy()) for a in att])

    def word_embeddings(self, ids: Sequence[int]) -> np.ndarray:
        import torch  # noqa: PLC0415

        with torch.no_grad():
            return self.embedding(self._ids(ids))[0].double().numpy()

    def pad_baseline(self, ids: Sequence[int]) -> np.ndarray:
        return self.word_embeddings([i if int(i) in self.special_ids else self.pad_id
                                     for i in ids])

    def embedding_model(self, length: int) -> Callable[[Any], Any]:
        def f(emb: Any) -> Any:
            if emb.ndim != 3 or emb.shape[1] != length:
                raise InputError(f"expected embeddings (n, {length}, d), got {tuple(emb.shape)}")
            return self._logits(emb)
        return f

    def fixed_mask(self, ids: Sequence[int]) -> np.ndarray:
        return np.array([int(i) in self.special_ids for i in ids], dtype=bool)


def _check_model(model: Any) -> TextClassifier:
    if not isinstance(model, TextClassifier):
        needed = ("logits_ids", "proba_ids", "attentions", "word_embeddings", "pad_baseline",
                  "embedding_model", "fixed_mask")
        raise ModelProtocolError(f"{type(model).__name__} is not a TextClassifier: it lacks "
                                 f"{[m for m in needed if not hasattr(model, m)]}; wrap a PyTorch "
                                 "model in ecomxai.studies.reviews.TorchTextClassifier")
    return model


def check_ids(ids: Sequence[int], *, max_length: int | None = None, min_length: int = 3
              ) -> list[int]:
    """Token ids of one text as a list of ints, validated.

    Raises
    ------
    InputError
        (a ``ValueError``) if ``ids`` is not a 1-D sequence of integer ids, is shorter
        than ``min_length`` (a special token at each end and one token to explain), or
        longer than ``max_length`` (shorten the text or truncate it when encoding).
    """
    if isinstance(ids, np.ndarray) and ids.ndim != 1:
        raise InputError(f"token ids must be a 1-D sequence, got shape {ids.shape}; explain "
                         "one text at a time")
    out = _check_ids(ids, "token ids", min_length=min_length)
    if max_length is not None and len(out) > max_length:
        raise InputError(f"the text has {len(out)} tokens, more than max_length={max_length}; "
                         "shorten it or encode it with truncation")
    return out


def explain_tokens(model: TextClassifier, ids: Sequence[int], *,
                   methods: Sequence[str] = METHODS, ig_steps: int = 32,
                   lime_samples: int = 200, shap_evals: int = 200, seed: int = 0
                   ) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Every requested token-attribution method for one sequence (validated inputs).

    See :func:`ecomxai.explain.token_attribution.token_attributions` for the methods.
    Returns ``({method: (T,) scores}, {"ig_gap": ...})``.

    Raises
    ------
    ValueError
        Bad ids (see :func:`check_ids`), unknown methods, non-positive budgets, or a model
        that returns scores of the wrong shape or non-finite scores.
    """
    model = _check_model(model)
    ids = check_ids(ids, max_length=getattr(model, "max_length", None))
    ig_steps = check_int(ig_steps, "ig_steps", minimum=2)
    lime_samples = check_int(lime_samples, "lime_samples", minimum=2)
    shap_evals = check_int(shap_evals, "shap_evals", minimum=2)
    check_model_output(model.logits_ids([ids]), 1, "logits_ids", unit="sequence")
    scores, info = token_attributions(model, ids, methods=methods, ig_steps=ig_steps,
                                      lime_samples=lime_samples, shap_evals=shap_evals,
                                      seed=seed)
    return {m: check_model_output(v, len(ids), f"the {m!r} attributions", unit="token")
            for m, v in scores.items()}, info


def attention_summary(model: TextClassifier, ids: Sequence[int]) -> dict[str, np.ndarray]:
    """Per token: last-layer attention (heads and query positions averaged) and rollout."""
    model = _check_model(model)
    ids = check_ids(ids, max_length=getattr(model, "max_length", None))
    stack = np.asarray(model.attentions(ids))
    if stack.ndim != 4 or stack.shape[2:] != (len(ids), len(ids)):
        raise InputError(f"attentions must be (layers, heads, {len(ids)}, {len(ids)}), "
                         f"got {stack.shape}")
    return {"last-layer attention": head_average(stack)[-1].mean(axis=0),
            "rollout": attention_rollout(stack).mean(axis=0)}


def ig_gap_table(model: TextClassifier, sequences: Sequence[Sequence[int]], *,
                 steps: Sequence[int] = (4, 8, 16, 32),
                 rules: Sequence[str] = ("riemann_left", "gausslegendre")) -> pd.DataFrame:
    """Largest absolute IG completeness gap (logit units) per step count and rule."""
    model = _check_model(model)
    if len(sequences) == 0:
        raise InputError("give at least one token sequence")
    seqs = [check_ids(s) for s in sequences]
    rows = []
    for n in steps:
        for rule in rules:
            gaps = [abs(integrated_gradients_tokens(model, s, steps=int(n), method=rule)[1])
                    for s in seqs]
            rows.append({"steps": int(n), "method": rule, "max |gap| (logit)": max(gaps)})
    return pd.DataFrame(rows).pivot(index="steps", columns="method")


@dataclass
class TokenFaithfulness:
    """Result of :func:`token_faithfulness_study`.

    Attributes
    ----------
    table
        Per method: ERASER ``comprehensiveness`` and ``sufficiency`` (means) and their
        standard errors.
    attributions
        One ``{method: (T,) scores}`` per text.
    fixed
        Boolean masks of the never-erased tokens of each text.
    ig_gaps
        Absolute IG completeness gap of each text (logit units).
    attention_ig_spearman
        Mean Spearman correlation of attention with :math:`|IG|` over the free tokens.
    seconds
        Wall-clock time of the study.
    """

    table: pd.DataFrame
    attributions: list[dict[str, np.ndarray]] = field(repr=False)
    fixed: list[np.ndarray] = field(repr=False)
    ig_gaps: np.ndarray
    attention_ig_spearman: float
    seconds: float


def token_faithfulness_study(model: TextClassifier, sequences: Sequence[Sequence[int]], *,
                             methods: Sequence[str] = METHODS, ig_steps: int = 32,
                             lime_samples: int = 200, shap_evals: int = 200, seed: int = 0
                             ) -> TokenFaithfulness:
    """The token-attribution table: explain every text with every method, then erase.

    Each method's scores are judged by ERASER comprehensiveness (probability drop when
    the top tokens are deleted) and sufficiency (drop when only they are kept)
    :cite:`deyoung2020eraser`, toward the predicted class. ``methods`` must include
    ``attention`` and ``ig`` for :attr:`TokenFaithfulness.attention_ig_spearman`.
    """
    model = _check_model(model)
    if len(sequences) == 0:
        raise InputError("give at least one token sequence")
    start = time.perf_counter()
    seqs = [check_ids(s, max_length=getattr(model, "max_length", None)) for s in sequences]
    fixed = [model.fixed_mask(s) for s in seqs]
    explained = [explain_tokens(model, s, methods=methods, ig_steps=ig_steps,
                                lime_samples=lime_samples, shap_evals=shap_evals, seed=seed)
                 for s in seqs]
    attributions = [scores for scores, _ in explained]
    gaps = np.array([abs(info.get("ig_gap", np.nan)) for _, info in explained])
    table = faithfulness_table(model.proba_ids, seqs, attributions, fixed,
                               signed_methods=SIGNED_METHODS)
    rho = (rank_agreement([a["attention"] for a in attributions],
                          [a["ig"] for a in attributions], fixed, absolute_second=True)
           if {"attention", "ig"} <= set(methods) else float("nan"))
    return TokenFaithfulness(table, attributions, fixed, gaps, float(rho),
                             time.perf_counter() - start)


@dataclass
class SearchMatch:
    """Integrated gradients of one query-title similarity (:func:`explain_search_match`)."""

    query_tokens: list[str]
    query_ig: np.ndarray
    title_tokens: list[str]
    title_ig: np.ndarray
    query_gap: float
    title_gap: float


def explain_search_match(search: Any, query: str, title: str, *, steps: int = 32
                         ) -> SearchMatch:
    r"""Which query and title tokens make the cosine similarity :math:`s(q, d)`?

    Integrated gradients run twice over the concatenated word embeddings: once with the
    query replaced by ``[PAD]`` embeddings (the title kept), once the other way round, so
    the query tokens' attributions sum to :math:`s(q, d) - s(\text{pad}, d)` and the
    title's to :math:`s(q, d) - s(q, \text{pad})`.

    ``search`` needs ``pair_inputs``, ``similarity_model``, ``pad_baseline``,
    ``word_embeddings`` and ``tokens`` (:class:`ecomxai.models.search.BiEncoderSearch`).
    """
    for name in ("pair_inputs", "similarity_model", "pad_baseline", "word_embeddings",
                 "tokens"):
        if not hasattr(search, name):
            raise ModelProtocolError(f"{type(search).__name__} lacks {name}(); see "
                                     "ecomxai.models.search.BiEncoderSearch for the interface")
    steps = check_int(steps, "steps", minimum=2)
    q_ids, t_ids, pair_x = search.pair_inputs(query, title)
    model = TorchAdapter(search.similarity_model(len(q_ids), len(t_ids)))
    q_base = np.concatenate([search.pad_baseline(q_ids), search.word_embeddings(t_ids)])
    t_base = np.concatenate([search.word_embeddings(q_ids), search.pad_baseline(t_ids)])
    ig_q, gap_q = integrated_gradients(model, pair_x[None], q_base[None], steps=int(steps),
                                       return_delta=True)
    ig_t, gap_t = integrated_gradients(model, pair_x[None], t_base[None], steps=int(steps),
                                       return_delta=True)
    nq = len(q_ids)
    return SearchMatch(search.tokens(q_ids), ig_q[0, :nq].sum(-1), search.tokens(t_ids),
                       ig_t[0, nq:].sum(-1), float(gap_q[0]), float(gap_t[0]))
