r"""Case study: why did the Transformer recommender recommend this item? (document 001)

The pipelines of the recommender chapter, for any model with the
:class:`~ecomxai.studies.protocols.SequentialRecommender` protocol: the book's SASRec
(:class:`ecomxai.models.seqrec.SeqRec`) or yours.

* :func:`explain_recommendation` -- four explanations of one recommendation, one row per
  history position (attention, rollout, integrated gradients, leave-one-out);
* :func:`most_fragile_recommendation` -- the user whose top recommendation moves furthest
  when one history item is removed (the chapter's worked example);
* :func:`scoring_attention_rows` -- the attention of the scoring position, per head and
  summarised, for a heat map;
* :func:`planted_cause_recovery` -- how often each explanation finds the planted cause of
  synthetic sessions (:mod:`ecomxai.data.sessions`);
* :func:`sessions_config`, :func:`train_sessions_recommender` -- the planted-cause sessions,
  split and the SASRec trained on them, shared by notebook 05 and the benchmark;
* :func:`reference_card` -- the benchmark's quality card (``make bench``) as a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ecomxai.evaluate.ground_truth import spearman_agreement
from ecomxai.explain.adapters import TorchAdapter
from ecomxai.explain.attention import attention_rollout, head_average
from ecomxai.explain.counterfactual import leave_one_out_sequences, rank_of
from ecomxai.explain.gradients import integrated_gradients
from ecomxai.data.sessions import Sessions, make_sessions
from ecomxai.models.seqrec import SeqRecConfig, TrainedSeqRec, train_seqrec
from ecomxai.studies.protocols import ModelProtocolError, SequentialRecommender
from ecomxai.validation import InputError, UnknownIdError, check_ids, check_int, check_model_output

__all__ = [
    "EXPLANATIONS",
    "check_history",
    "check_item",
    "target_adapter",
    "top_recommendation",
    "explain_recommendation",
    "most_fragile_recommendation",
    "scoring_attention_rows",
    "CauseRecovery",
    "planted_cause_recovery",
    "sessions_config",
    "SessionsCase",
    "train_sessions_recommender",
    "REFERENCE_CARD_COLUMNS",
    "reference_card",
]

#: The explanation columns of :func:`explain_recommendation` that score history positions.
EXPLANATIONS: tuple[str, ...] = ("attention_last", "rollout", "ig", "loo_drop")


def _check_model(model: Any) -> SequentialRecommender:
    if not isinstance(model, SequentialRecommender):
        missing = [m for m in ("n_items", "max_len", "score_items", "attention_maps",
                               "history_embeddings", "scores_from_embeddings")
                   if not hasattr(model, m)]
        raise ModelProtocolError(f"{type(model).__name__} is not a SequentialRecommender: it "
                                 f"lacks {missing}; see ecomxai.studies.protocols")
    return model


def check_history(model: SequentialRecommender, history: Sequence[int], *,
                  min_length: int = 1) -> list[int]:
    """The last ``model.max_len`` items of ``history`` as ints, validated.

    Raises
    ------
    InputError
        (a ``ValueError``) if the history is not a sequence of integer ids or has fewer
        than ``min_length`` items.
    UnknownIdError
        (a ``LookupError``) if an item id lies outside ``0 .. n_items - 1``.
    """
    if isinstance(history, np.ndarray) and history.ndim != 1:
        raise InputError(f"a history is a 1-D sequence of item ids, got shape "
                         f"{history.shape}; explain one history at a time")
    hist = check_ids(history, "history", min_length=min_length,
                     vocabulary_size=int(model.n_items))
    return hist[-int(model.max_len):]


def check_item(model: SequentialRecommender, item: int) -> int:
    """``item`` as an int; :class:`~ecomxai.validation.UnknownIdError` if it is unknown."""
    return check_ids([item], "item", vocabulary_size=int(model.n_items))[0]


def _scores(model: SequentialRecommender, histories: list[list[int]]) -> np.ndarray:
    """``model.score_items`` with its output checked: finite, ``(n, n_items)``."""
    return check_model_output(model.score_items(histories), len(histories),
                              "score_items", width=int(model.n_items), unit="history")


def _maps(model: SequentialRecommender, hist: list[int]) -> np.ndarray:
    """``model.attention_maps`` checked: ``(layers, heads, T, T)``, finite."""
    maps = np.asarray(model.attention_maps(hist), dtype=np.float64)
    T = len(hist)
    if maps.ndim != 4 or maps.shape[2:] != (T, T) or not np.all(np.isfinite(maps)):
        raise InputError(f"attention_maps must return finite weights of shape (layers, heads, "
                         f"{T}, {T}) for a history of {T} items, got {maps.shape}")
    return maps


def target_adapter(model: SequentialRecommender, item: int) -> TorchAdapter:
    """Gradient adapter of ``item``'s score over the history embeddings ``(n, T, d)``."""
    item = check_item(model, item)
    return TorchAdapter(lambda e: model.scores_from_embeddings(e), output_index=item)


def explain_recommendation(model: SequentialRecommender, history: Sequence[int], item: int,
                           *, ig_steps: int = 64, titles: Sequence[str] | None = None
                           ) -> pd.DataFrame:
    r"""Why ``item`` after ``history``? One row per history position, four explanations.

    Columns

    * ``attention_last`` -- head-averaged attention of the last layer from the final
      position (whose state scores the item) to each history position;
    * ``rollout`` -- the final row of attention rollout :cite:`abnar2020quantifying`;
    * ``ig`` -- integrated gradients :cite:`sundararajan2017axiomatic` of the item's score
      w.r.t. each history item's embedding, summed over the embedding dimensions
      (baseline: the zero vector of the padding item);
    * ``loo_drop`` -- counterfactual score drop :math:`f(s) - f(s_{\setminus t})` when the
      item at position :math:`t` is deleted;
    * ``rank_without`` -- rank of ``item`` among all items outside the history once the
      item at :math:`t` is deleted (``rank`` attribute: the rank with the full history).

    The frame's ``attrs`` hold ``rank``, ``score`` and ``ig_gap`` (the completeness gap of
    IG, :math:`\sum_t \mathrm{IG}_t - (f(x) - f(0))`).

    Parameters
    ----------
    model
        A :class:`~ecomxai.studies.protocols.SequentialRecommender`.
    history
        Item ids, oldest first (at least 2; only the last ``model.max_len`` are read).
    item
        The recommended item to explain.
    ig_steps
        Integration steps of integrated gradients (at least 2).
    titles
        Optional item titles indexed by item id (adds a ``title`` column).

    Raises
    ------
    ValueError
        Too short a history, or ``ig_steps < 2``.
    LookupError
        An unknown item id (in ``history`` or ``item``), or ``titles`` too short.
    """
    model = _check_model(model)
    hist = check_history(model, history, min_length=2)
    item = check_item(model, item)
    ig_steps = check_int(ig_steps, "ig_steps", minimum=2)
    if titles is not None and len(titles) < model.n_items:
        raise UnknownIdError(f"titles has {len(titles)} entries; give one per item "
                          f"({model.n_items})")
    maps = _maps(model, hist)
    attention_last = head_average(maps)[-1, -1]
    rollout = attention_rollout(maps)[-1]
    emb = model.history_embeddings(hist)[None]
    ig, gap = integrated_gradients(target_adapter(model, item), emb, 0.0, steps=ig_steps,
                                   return_delta=True)
    variants = leave_one_out_sequences(hist)
    scores = _scores(model, [hist] + variants)
    drops = scores[0, item] - scores[1:, item]
    ranks_without = [rank_of(scores[1 + t], item, exclude=variants[t])
                     for t in range(len(hist))]
    frame = pd.DataFrame({
        "item": hist,
        "attention_last": attention_last,
        "rollout": rollout,
        "ig": ig[0].sum(axis=1),
        "loo_drop": drops,
        "rank_without": ranks_without,
    })
    if titles is not None:
        frame.insert(1, "title", [str(titles[h]) for h in hist])
    frame.attrs.update(rank=rank_of(scores[0], item, exclude=hist),
                       score=float(scores[0, item]), ig_gap=float(gap[0]))
    return frame


def top_recommendation(model: SequentialRecommender, history: Sequence[int]) -> int:
    """The best-scored item that is not in ``history``."""
    hist = check_history(model, history)
    scores = _scores(model, [hist])[0]
    scores[np.asarray(hist)] = -np.inf
    return int(np.argmax(scores))


def most_fragile_recommendation(model: SequentialRecommender,
                                histories: Sequence[Sequence[int]], *,
                                n_users: int = 100) -> tuple[int, int, int]:
    """Among the first ``n_users`` histories, the one whose top item falls furthest.

    For each history the top recommendation (outside the history) is found, then every
    history item is deleted in turn; the worst rank the top item reaches is its
    fragility. Returns ``(user index, top item, worst rank)`` of the most fragile user.
    """
    model = _check_model(model)
    n_users = check_int(n_users, "n_users", minimum=1)
    if len(histories) == 0:
        raise InputError("histories is empty; give at least one history")
    best = (-1, -1, -1)
    for u in range(min(int(n_users), len(histories))):
        hist = check_history(model, histories[u], min_length=2)
        top = top_recommendation(model, hist)
        variants = leave_one_out_sequences(hist)
        worst = max(rank_of(s, top, exclude=v)
                    for s, v in zip(_scores(model, variants), variants))
        if worst > best[2]:
            best = (u, top, worst)
    return best


def scoring_attention_rows(model: SequentialRecommender, history: Sequence[int], *,
                           last: int = 15) -> tuple[np.ndarray, list[str]]:
    """Attention of the scoring position to the ``last`` most recent history items.

    Returns ``(rows, labels)``: one row per layer and head, then the last layer's head
    average and the attention rollout, each over the ``last`` most recent positions.
    """
    model = _check_model(model)
    hist = check_history(model, history)
    last = check_int(last, "last", minimum=1)
    maps = _maps(model, hist)
    cut = slice(-int(last), None)
    L, H = maps.shape[:2]
    rows = [maps[l, h, -1, cut] for l in range(L) for h in range(H)]
    labels = [f"layer {l + 1} head {h + 1}" for l in range(L) for h in range(H)]
    rows += [head_average(maps)[-1, -1, cut], attention_rollout(maps)[-1, cut]]
    return np.array(rows), labels + ["last layer, head average", "rollout"]


@dataclass
class CauseRecovery:
    """Result of :func:`planted_cause_recovery`.

    Attributes
    ----------
    hit_rate
        ``{method: share of sessions whose top position is the planted cause}``.
    hits
        ``{method: per-session 0/1 hits}``.
    spearman_with_counterfactual
        Mean Spearman correlation of attention and of IG with the leave-one-out drops.
    ig_gaps
        Absolute IG completeness gap of every session.
    chance
        Hit rate of a random position, :math:`\\frac1n\\sum 1/T_k`.
    """

    hit_rate: dict[str, float]
    hits: dict[str, list[int]] = field(repr=False)
    spearman_with_counterfactual: dict[str, float]
    ig_gaps: np.ndarray = field(repr=False)
    chance: float = float("nan")


def planted_cause_recovery(model: SequentialRecommender, histories: Sequence[Sequence[int]],
                           targets: Sequence[int], cause_positions: Sequence[int], *,
                           ig_steps: int = 64) -> CauseRecovery:
    """Explain every session's target and check which position each method ranks first.

    Parameters
    ----------
    histories, targets, cause_positions
        Sessions with a planted cause: the item at ``cause_positions[k]`` of
        ``histories[k]`` is the only evidence for ``targets[k]``.
    """
    model = _check_model(model)
    if not len(histories) == len(targets) == len(cause_positions) or len(histories) == 0:
        raise InputError("histories, targets and cause_positions must be non-empty and "
                         "of equal length")
    hits: dict[str, list[int]] = {m: [] for m in EXPLANATIONS}
    rho_att, rho_ig, gaps = [], [], []
    for h, y, p in zip(histories, targets, cause_positions):
        if not 0 <= int(p) < len(h):
            raise InputError(f"cause position {p} lies outside a history of length {len(h)}")
        frame = explain_recommendation(model, h, int(y), ig_steps=ig_steps)
        gaps.append(abs(frame.attrs["ig_gap"]))
        offset = len(h) - len(frame)          # histories longer than max_len are cut
        for m in EXPLANATIONS:
            hits[m].append(int(int(np.argmax(frame[m].to_numpy())) + offset == int(p)))
        rho_att.append(spearman_agreement(frame["attention_last"], frame["loo_drop"]))
        rho_ig.append(spearman_agreement(frame["ig"], frame["loo_drop"]))
    return CauseRecovery(
        hit_rate={m: float(np.mean(v)) for m, v in hits.items()}, hits=hits,
        spearman_with_counterfactual={"attention_last": float(np.mean(rho_att)),
                                      "ig": float(np.mean(rho_ig))},
        ig_gaps=np.asarray(gaps), chance=float(np.mean([1 / len(h) for h in histories])))


def sessions_config(n_items: int, *, seed: int = 0, epochs: int = 12) -> SeqRecConfig:
    """The SASRec configuration of the planted-cause sessions (notebook 05, benchmark)."""
    n_items = check_int(n_items, "n_items", minimum=1)
    seed = check_int(seed, "seed", minimum=0)
    epochs = check_int(epochs, "epochs", minimum=0)
    return SeqRecConfig(n_items=n_items, max_len=10, d_model=32, n_heads=2, n_layers=2,
                        dropout=0.1, epochs=epochs, batch_size=64, lr=3e-3, seed=seed)


@dataclass
class SessionsCase:
    """Planted-cause sessions, their train/test split and the SASRec trained on them."""

    sessions: Sessions
    train: Sessions
    test: Sessions
    trained: TrainedSeqRec


def train_sessions_recommender(n_sessions: int = 2300, n_test: int = 300, *, epochs: int = 12,
                               seed: int = 0, data_seed: int = 0, progress: bool = True
                               ) -> SessionsCase:
    """Make ``n_sessions`` sessions, hold out the last ``n_test``, train (or load) SASRec.

    The model is cached under ``seqrec_sessions`` (:func:`ecomxai.models.seqrec.train_seqrec`),
    so notebook 05 and the benchmark's full profile share one trained model.
    """
    n_sessions = check_int(n_sessions, "n_sessions", minimum=2)
    n_test = check_int(n_test, "n_test", minimum=1, maximum=n_sessions - 1)
    sessions = make_sessions(n_sessions, seed=data_seed)
    train = sessions.subset(slice(0, n_sessions - n_test))
    test = sessions.subset(slice(n_sessions - n_test, None))
    trained = train_seqrec("seqrec_sessions", train.sequences(),
                           sessions_config(sessions.n_items, seed=seed, epochs=epochs),
                           progress=progress)
    return SessionsCase(sessions, train, test, trained)


#: The columns of :func:`reference_card`, in the order the chapter shows them.
REFERENCE_CARD_COLUMNS: tuple[str, ...] = (
    "seeds", "ndcg10_full", "ndcg10_full_sd", "ndcg10_full_ci95", "hr10_full", "hr10_full_sd",
    "ndcg10_sampled100", "hr10_sampled100", "train_cpu_seconds")


def reference_card(quality: dict[str, Any]) -> pd.DataFrame:
    r"""The recommender's quality card from ``benchmarks/results/seqrec_quality.json``.

    One row per model (ours, the reference SASRec, the co-occurrence and popularity
    baselines), indexed by model name. ``ndcg10_full`` is the seed mean of

    .. math:: \mathrm{NDCG@10} = \frac{1}{|U|} \sum_{u \in U}
              \frac{\mathbb{1}[r_u \le 10]}{\log_2(r_u + 1)},

    with :math:`r_u` the full-ranking rank of user :math:`u`'s held-out item;
    ``ndcg10_full_ci95`` is the bootstrap 95% interval over users, shown as ``"low-high"``.

    Parameters
    ----------
    quality : dict
        The parsed JSON written by ``make bench`` (its ``"card"`` entry is used).

    Returns
    -------
    pandas.DataFrame
        The columns :data:`REFERENCE_CARD_COLUMNS`, numbers unrounded.

    Raises
    ------
    InputError
        When ``quality`` has no card or a card row lacks a column; re-run ``make bench``.
    """
    rows = quality.get("card") if isinstance(quality, dict) else None
    if not rows:
        raise InputError("quality has no 'card' entry: pass the parsed "
                         "benchmarks/results/seqrec_quality.json written by `make bench`")
    needed = ("model", *REFERENCE_CARD_COLUMNS)
    for row in rows:
        missing = [c for c in needed if c not in row]
        if missing:
            raise InputError(f"card row {row.get('model', '?')!r} lacks {missing}: "
                             "re-run `make bench` to rewrite seqrec_quality.json")
    card = pd.DataFrame(rows).set_index("model")
    card["ndcg10_full_ci95"] = card["ndcg10_full_ci95"].map(lambda ci: f"{ci[0]:.3f}-{ci[1]:.3f}")
    return card[list(REFERENCE_CARD_COLUMNS)]
