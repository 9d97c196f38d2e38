r"""Faithfulness of token attributions over many texts: ERASER per method, and agreement.

For each text the explained class is the one the model *predicts* (the ERASER
convention :cite:`deyoung2020eraser`): its probability :math:`m(x)` is the score, and
signed attributions are turned around for texts predicted as the other class, so "high"
always means "evidence for the predicted class". Unsigned methods (attention, rollout,
saliency) cannot say *for which* class a token speaks; they are ranked as they are.

Agreement between two methods is the Spearman rank correlation over the non-fixed tokens
of each text, averaged over texts.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from ecomxai.evaluate.faithfulness import ERASER_BINS, erasure_scores
from ecomxai.validation import (InputError, check_callable, check_mask, check_model_output,
                                check_vector)


__all__ = ["faithfulness_table", "rank_agreement"]


def faithfulness_table(
    proba_fn: Callable[[list[list[int]]], np.ndarray],
    sequences: Sequence[Sequence[int]],
    attributions: Sequence[Mapping[str, np.ndarray]],
    fixed: Sequence[np.ndarray],
    *,
    signed_methods: Sequence[str] = (),
    fractions: Sequence[float] = ERASER_BINS,
) -> pd.DataFrame:
    """Mean comprehensiveness and sufficiency of each method over the texts.

    Parameters
    ----------
    proba_fn
        Id sequences -> probability of the positive class, ``(m,)``.
    sequences
        Token ids of each text.
    attributions
        One ``{method: (T,) scores}`` mapping per text (same methods for all).
    fixed
        Boolean masks of positions never erased (``[CLS]``, ``[SEP]``).
    signed_methods
        Methods whose scores are signed toward the positive class.
    fractions
        ERASER bins.

    Returns
    -------
    pandas.DataFrame
        Index: methods; columns ``comprehensiveness``, ``sufficiency`` (means) and their
        standard errors ``comp_se``, ``suff_se``.
    """
    check_callable(proba_fn, "proba_fn")
    if not (len(sequences) == len(attributions) == len(fixed)) or not sequences:
        raise InputError("sequences, attributions and fixed must be non-empty and equally long")
    if not all(isinstance(a, Mapping) for a in attributions) or not attributions[0]:
        raise InputError("attributions must hold one {method: scores} mapping per text")
    methods = list(attributions[0])
    comp: dict[str, list[float]] = {m: [] for m in methods}
    suff: dict[str, list[float]] = {m: [] for m in methods}
    signed = set(signed_methods)
    for seq, attr, keep in zip(sequences, attributions, fixed):
        memo: dict[tuple[int, ...], float] = {}  # methods often erase the same tokens

        def cached_proba(batch: list[list[int]]) -> np.ndarray:
            todo = list({tuple(s) for s in batch if tuple(s) not in memo})
            if todo:
                fresh = check_model_output(proba_fn([list(s) for s in todo]), len(todo),
                                           "proba_fn", unit="sequence")
                memo.update(zip(todo, fresh))
            return np.array([memo[tuple(s)] for s in batch])

        positive = float(cached_proba([list(seq)])[0]) >= 0.5

        def score(batch: list[list[int]], positive: bool = positive) -> np.ndarray:
            p = cached_proba(batch)
            return p if positive else 1.0 - p

        for m in methods:
            a = np.asarray(attr[m], dtype=np.float64)
            if m in signed and not positive:
                a = -a
            res = erasure_scores(score, seq, a, fractions=fractions, fixed=keep)
            comp[m].append(res.comprehensiveness)
            suff[m].append(res.sufficiency)
    n = len(sequences)
    return pd.DataFrame({
        "comprehensiveness": [np.mean(comp[m]) for m in methods],
        "sufficiency": [np.mean(suff[m]) for m in methods],
        "comp_se": [np.std(comp[m], ddof=1) / np.sqrt(n) if n > 1 else np.nan for m in methods],
        "suff_se": [np.std(suff[m], ddof=1) / np.sqrt(n) if n > 1 else np.nan for m in methods],
    }, index=pd.Index(methods, name="method"))


def rank_agreement(first: Sequence[np.ndarray], second: Sequence[np.ndarray],
                   fixed: Sequence[np.ndarray], *, absolute_second: bool = False) -> float:
    """Mean Spearman correlation between two attributions over the free tokens of each text.

    ``absolute_second=True`` compares with :math:`|a|` of the second method (use it when
    the first method is unsigned, like attention).
    """
    if not (len(first) == len(second) == len(fixed)) or not first:
        raise InputError("the three lists must be non-empty and equally long")
    rhos = []
    for a, b, keep in zip(first, second, fixed):
        a = check_vector(a, "first")
        free = ~check_mask(keep, a.size, "fixed")
        x = a[free]
        y = check_vector(b, "second", size=a.size)[free]
        y = np.abs(y) if absolute_second else y
        if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
            continue
        rhos.append(spearmanr(x, y).statistic)
    if not rhos:
        raise InputError("no text had at least 3 free tokens with varying scores")
    return float(np.mean(rhos))
