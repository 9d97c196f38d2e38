"""The accuracy-readability trade-off of glass boxes and black boxes (chapter 1)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["plot_accuracy_vs_readability"]


def plot_accuracy_vs_readability(models: pd.DataFrame, trees: pd.DataFrame | None = None,
                                 *, bayes_r2: float | None = None,
                                 ax: plt.Axes | None = None) -> plt.Axes:
    """Scatter test R² against the numbers a reader must read per prediction (log scale).

    Parameters
    ----------
    models
        Index = model label; columns ``test_r2`` and ``numbers_to_read_per_prediction``.
    trees
        Optional depth sweep (index = depth; columns ``leaves``, ``test_r2``), drawn as a
        line: the glass box's frontier.
    bayes_r2
        Best achievable R² (drawn as a dashed line) when the data are synthetic.
    """
    for col in ("test_r2", "numbers_to_read_per_prediction"):
        if col not in models:
            raise ValueError(f"models lacks the column {col!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.0))
    if trees is not None and len(trees):
        ax.plot(trees.index.to_numpy() + 1, trees["test_r2"], "o-", color="tab:green",
                alpha=0.6, label="trees of depth 1..{} (rules read = depth + 1)".format(
                    int(trees.index.max())))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for i, (label, row) in enumerate(models.iterrows()):
        ax.scatter(row["numbers_to_read_per_prediction"], row["test_r2"], s=70, zorder=3,
                   color=colors[i % len(colors)], label=str(label))
    if bayes_r2 is not None:
        ax.axhline(bayes_r2, ls="--", color="grey", lw=1, label=f"Bayes-optimal R² = {bayes_r2:.2f}")
    ax.set_xscale("log")
    ax.set_xlabel("numbers or rules a reader must follow per prediction (log scale)")
    ax.set_ylabel("test R²")
    ax.set_ylim(min(0.0, float(np.nanmin(models["test_r2"]))), 1.0)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    return ax
