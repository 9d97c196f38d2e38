"""Case: document 002's BERT classifier -- MiniLM-L6 fine-tuned on fine-food reviews
(PyTorch, :mod:`ecomxai.models.text`). No planted truth: real reviews.

Each review is explained for its predicted class: the score is the logit of that class
(:math:`\\pm z`). Erasure deletes tokens; ``[CLS]`` and ``[SEP]`` are always kept and get
zero attribution, so every method ranks the same erasable positions.
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from benchmarks.harness import Profile, SequenceCase, SequenceMethod, SequenceModel
from benchmarks.keras_tools import torch_randomised_copy
from benchmarks.sequence_methods import standard_methods

MIN_TOKENS, MAX_TOKENS = 10, 40
#: reviews explained (faithfulness, timing) and, of those, entering the noise and sanity checks
N_REVIEWS, N_STABILITY = 100, 20


def _factory(clf: Any, signs: dict[int, float], sequences: list[list[int]]
             ) -> Callable[[int], SequenceModel]:
    from ecomxai.explain.adapters import TorchAdapter  # noqa: PLC0415

    clf.eval()

    def make(k: int) -> SequenceModel:
        sign = signs[k]

        def score_fn(batch: list[list[int]]) -> np.ndarray:
            return sign * clf.logits_ids(batch)

        def adapter_for(length: int) -> Any:
            emb_model = clf.embedding_model(length)
            return TorchAdapter(lambda e: sign * emb_model(e))

        return SequenceModel(score_fn, {
            "attentions": clf.attentions, "embed": clf.word_embeddings,
            "baseline": clf.pad_baseline, "adapter_for": adapter_for,
            "attention_row": "mean", "replace_with": None, "fixed": clf.fixed_mask,
        })
    return make


def _masked(method: SequenceMethod, fixed: Callable[[list[int]], np.ndarray]
            ) -> SequenceMethod:
    def wrapped(model: SequenceModel, seq: list[int]) -> np.ndarray:
        return np.where(fixed(seq), 0.0, method(model, seq))
    return wrapped


def build(profile: Profile) -> SequenceCase:
    from ecomxai.data.reviews import load_reviews  # noqa: PLC0415
    from ecomxai.models.text import FineTuneConfig, load_or_fine_tune  # noqa: PLC0415

    # full: the chapter's classifier (cached by notebook 06); reduced: a 2-batch fine-tune
    config = FineTuneConfig() if profile.name == "full" else FineTuneConfig(n_train=32)
    result = load_or_fine_tune(config, progress=False)
    clf = result.classifier
    texts = load_reviews(config.n_train, seed=0).test_texts
    sequences: list[list[int]] = []
    longest = MAX_TOKENS if profile.name == "full" else 16
    for text in texts:
        ids = clf.encode(text)
        if profile.name != "full" and len(ids) > longest:  # reduced: cut short, keep [SEP]
            ids = ids[:longest - 1] + ids[-1:]
        if MIN_TOKENS <= len(ids) <= longest:
            sequences.append(ids)
        if len(sequences) >= (N_REVIEWS if profile.name == "full" else 4):
            break
    logits = clf.logits_ids(sequences)
    signs = {k: (1.0 if z >= 0 else -1.0) for k, z in enumerate(logits)}
    make = _factory(clf, signs, sequences)
    special = clf.special_ids
    vocabulary = [i for i in range(1000, 30_000) if i not in special]

    @contextlib.contextmanager
    def randomised(layers: Sequence[str]) -> Iterator[Callable[[int], SequenceModel]]:
        yield _factory(torch_randomised_copy(clf, layers, seed=1), signs, sequences)

    n_layers = clf.encoder.config.num_hidden_layers
    # randomise in four steps: the head, then the encoder two layers at a time (top first)
    pairs = [(i, i + 1) for i in range(n_layers - 2, -1, -2)]
    layers = ("head",) + tuple(
        "|".join(f"encoder.encoder.layer.{j}" for j in pair) for pair in pairs)
    if profile.name != "full":
        layers = layers[:2]
    methods = {k: _masked(m, clf.fixed_mask) for k, m in
               standard_methods(min(profile.ig_steps, 16)).items()}
    return SequenceCase(
        name="bert_classifier",
        description="MiniLM-L6 (6-layer BERT) fine-tuned as a review classifier "
                    "(document 002); real reviews, no planted truth",
        framework="pytorch",
        sequences=sequences,
        model_for=make,
        methods=methods,
        layers=layers,
        randomised=randomised,
        vocabulary=vocabulary,
        fixed=clf.fixed_mask,
        replace_with=None,
        retrained=None,
        truth=None,
        unit="token",
        notes={"explained_score": "logit of the predicted class",
               "seed_stability": "not run: a second fine-tuning of MiniLM costs minutes",
               "tokens": [MIN_TOKENS, MAX_TOKENS]},
        n_explain=N_REVIEWS if profile.name == "full" else 1,
        n_stability=N_STABILITY if profile.name == "full" else 1,
    )
