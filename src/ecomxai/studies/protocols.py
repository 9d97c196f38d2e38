r"""What a study needs of a model: three small protocols, so readers can bring their own.

The case studies of the book (:mod:`ecomxai.studies`) never ask which class a model is.
They call a handful of methods, listed here as :class:`typing.Protocol` classes, so any
object with those methods -- the book's models or yours -- can be explained the same way.
``isinstance(obj, SequentialRecommender)`` checks that the methods exist (not their
signatures); the study functions check what the methods return.

* :class:`SequentialRecommender` -- a next-item recommender over item ids
  ``0 .. n_items - 1`` (the book's :class:`ecomxai.models.seqrec.SeqRec`, or your SASRec).
* :class:`TextClassifier` -- a binary text classifier over token ids whose gradients can be
  taken at the word embeddings (the book's :class:`ecomxai.models.text.ReviewClassifier`;
  :class:`ecomxai.studies.reviews.TorchTextClassifier` turns any PyTorch module that maps
  embeddings to a logit and attention maps into one).
* :class:`TabularModel` -- a regression or scoring model on feature rows: a plain function
  :math:`f: \mathbb R^{n \times d} \to \mathbb R^{n}`, or an object with ``predict`` (and,
  for the gradient methods, a framework ``network`` to wrap in an adapter).
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, Sequence, runtime_checkable

import numpy as np

from ecomxai.validation import InputError

__all__ = ["SequentialRecommender", "TextClassifier", "TabularModel", "TabularFunction",
           "ModelProtocolError"]


class ModelProtocolError(InputError, TypeError):
    """A model lacks what a study needs of it (the message names the missing methods).

    An :class:`~ecomxai.validation.InputError` (so a ``ValueError``) and a ``TypeError``.
    """


#: A model-agnostic tabular model: rows ``(n, d)`` in, one score per row ``(n,)`` out.
TabularFunction = Callable[[np.ndarray], np.ndarray]


@runtime_checkable
class SequentialRecommender(Protocol):
    r"""A next-item recommender that can be explained from outside.

    Item ids run from 0 to ``n_items - 1``; a history is a sequence of item ids, oldest
    first. With item embeddings :math:`E` and user state :math:`u = M(s_1, \dots, s_T)`,
    the score of item :math:`i` is :math:`u^\top E_i` (any score works, as long as
    :meth:`scores_from_embeddings` computes the same score differentiably).

    Attributes
    ----------
    n_items : int
        Number of items in the catalogue.
    max_len : int
        Longest history the model reads; longer histories keep their last ``max_len`` items.
    """

    n_items: int
    max_len: int

    def score_items(self, histories: Sequence[Sequence[int]]) -> np.ndarray:
        """Scores of every item after every history, shape ``(n_histories, n_items)``."""
        ...

    def attention_maps(self, history: Sequence[int]) -> np.ndarray:
        """Attention weights for one history, shape ``(layers, heads, T, T)``.

        Row ``T - 1`` (the last position) is the position whose state scores the items;
        each row sums to 1.
        """
        ...

    def history_embeddings(self, history: Sequence[int]) -> np.ndarray:
        """Item embeddings of the history, shape ``(T, d)`` (input of the gradient methods)."""
        ...

    def scores_from_embeddings(self, emb: Any) -> Any:
        """Scores ``(B, n_items)`` from history embeddings ``(B, T, d)``, differentiable.

        Takes and returns framework tensors (PyTorch): integrated gradients run through it.
        The all-zero embedding is the baseline (the padding item).
        """
        ...


@runtime_checkable
class TextClassifier(Protocol):
    r"""A binary text classifier over token ids, explained at its word embeddings.

    Token ids include the special tokens (``[CLS]``, ``[SEP]``) that :meth:`fixed_mask`
    marks: they are never deleted and get zero attribution. The explained score is the
    logit :math:`z`, :math:`P(\text{class 1}) = \sigma(z)`.
    """

    def logits_ids(self, batch: Sequence[Sequence[int]]) -> np.ndarray:
        """Logits ``(n,)`` for a batch of token-id sequences (may differ in length)."""
        ...

    def proba_ids(self, batch: Sequence[Sequence[int]]) -> np.ndarray:
        """Probabilities of class 1, ``(n,)``."""
        ...

    def attentions(self, ids: Sequence[int]) -> np.ndarray:
        """Attention weights of one sequence, ``(layers, heads, T, T)``, rows summing to 1."""
        ...

    def word_embeddings(self, ids: Sequence[int]) -> np.ndarray:
        """Word embeddings ``(T, d)`` of the tokens (where gradients are taken)."""
        ...

    def pad_baseline(self, ids: Sequence[int]) -> np.ndarray:
        """Baseline embeddings ``(T, d)`` for integrated gradients (e.g. ``[PAD]`` tokens)."""
        ...

    def embedding_model(self, length: int) -> Any:
        """A PyTorch callable from embeddings ``(n, length, d)`` to logits ``(n,)``."""
        ...

    def fixed_mask(self, ids: Sequence[int]) -> np.ndarray:
        """Boolean ``(T,)``: True at tokens that must never be erased (special tokens)."""
        ...


@runtime_checkable
class TabularModel(Protocol):
    """A tabular model as the studies take it: ``predict`` on raw feature rows.

    A plain function ``f(X) -> y`` works wherever a study asks for a
    :data:`TabularFunction`; an object with :meth:`predict` (and optionally a ``network``
    attribute, a Keras or PyTorch model on the same rows, for gradient-based explainers)
    works wherever a study asks for a :class:`TabularModel`.
    """

    def predict(self, X: np.ndarray) -> np.ndarray:
        """One prediction per row: ``(n, d)`` in, ``(n,)`` out."""
        ...
