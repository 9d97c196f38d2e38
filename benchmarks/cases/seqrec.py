"""Case: document 001's Transformer recommender (SASRec-style, PyTorch) on sessions with a
planted cause: the only evidence for the next item is one history item."""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from benchmarks.harness import Profile, SequenceCase, SequenceModel
from benchmarks.keras_tools import torch_randomised_copy
from benchmarks.sequence_methods import standard_methods

N_SESSIONS = 2300


def _config(n_items: int, seed: int, epochs: int) -> Any:
    from ecomxai.studies.recommender import sessions_config  # noqa: PLC0415

    # notebook 05's configuration: the full run loads the notebook's cached model
    return sessions_config(n_items, seed=seed, epochs=epochs)


def _factory(model: Any, sessions: Any, neutral: int) -> Callable[[int], SequenceModel]:
    """``k -> SequenceModel`` explaining the score of session ``k``'s planted target.

    Erased history items are replaced by ``neutral``, a filler item: fillers carry no
    evidence for any target by construction, and the history keeps its length."""
    from ecomxai.studies.recommender import target_adapter  # noqa: PLC0415

    model.eval()

    def make(k: int) -> SequenceModel:
        target = int(sessions.targets[k])

        def score_fn(batch: list[list[int]]) -> np.ndarray:
            return model.score_items(batch)[:, target]

        def embed(seq: list[int]) -> np.ndarray:
            return model.history_embeddings(seq)

        def adapter_for(length: int) -> Any:
            return target_adapter(model, target)

        return SequenceModel(score_fn, {
            "attentions": model.attention_maps, "embed": embed, "adapter_for": adapter_for,
            "baseline": lambda seq: np.zeros((len(seq), model.config.d_model)),
            "attention_row": -1, "replace_with": neutral,
        })
    return make


def build(profile: Profile) -> SequenceCase:
    from ecomxai.models.seqrec import train_seqrec  # noqa: PLC0415
    from ecomxai.studies.recommender import train_sessions_recommender  # noqa: PLC0415

    full = profile.name == "full"  # reduced: fewer sessions, fewer epochs (quick, cold cache)
    n_sessions, epochs = (N_SESSIONS, 12) if full else (600, 3)
    case = train_sessions_recommender(n_sessions, 300 if full else 50, epochs=epochs,
                                      progress=False)   # notebook 05's sessions and model
    sessions, train, test, model = case.sessions, case.train, case.test, case.trained.model
    hits = [int(np.argmax(s) == t) for s, t in zip(
        model.score_items([list(h) for h in test.histories]), test.targets)]
    fillers = np.setdiff1d(np.arange(sessions.n_items),
                           np.concatenate([sessions.causes, sessions.effects]))
    neutral = int(fillers[0])
    make = _factory(model, test, neutral)

    @contextlib.contextmanager
    def randomised(layers: Sequence[str]) -> Iterator[Callable[[int], SequenceModel]]:
        yield _factory(torch_randomised_copy(model, layers, seed=1), test, neutral)

    def retrained() -> Callable[[int], SequenceModel]:
        other = train_seqrec("seqrec_sessions", train.sequences(),
                             _config(sessions.n_items, 1, epochs), progress=False)
        return _factory(other.model, test, neutral)

    def truth(k: int) -> np.ndarray:
        t = np.zeros(len(test.histories[k]))
        t[int(test.cause_positions[k])] = 1.0
        return t

    def stability_fixed(k: int) -> np.ndarray:
        return truth(k).astype(bool)  # the noise swaps a filler, never the cause

    n_layers = model.config.n_layers
    return SequenceCase(
        name="transformer_recommender",
        description="SASRec-style causal Transformer (PyTorch, 2 layers x 2 heads) on "
                    "sessions whose next item has one planted cause in the history "
                    "(document 001)",
        framework="pytorch",
        sequences=[[int(i) for i in h] for h in test.histories],
        model_for=make,
        methods=standard_methods(profile.ig_steps),
        layers=tuple(f"blocks.{i}" for i in reversed(range(n_layers))) + ("item_embedding",),
        randomised=randomised,
        vocabulary=fillers.tolist(),
        replace_with=neutral,
        retrained=retrained,
        truth=truth,
        truth_name="planted cause position (one per session)",
        stability_fixed=stability_fixed,
        unit="item",
        notes={"test_hit_rate_at_1": round(float(np.mean(hits)), 4),
               "explained_score": "logit of the planted effect item",
               "erasure": "erased items are replaced by a filler item (no evidence)"},
    )
