"""Figures for explaining a sequential recommender (matplotlib only; no model, no data).

* :func:`plot_history_heatmap` -- attention (or any per-position weights) over a user's
  history, one row per layer/head/method, item titles on the axis;
* :func:`plot_rank_changes` -- the counterfactual: rank of the recommended item once each
  history item is removed;
* :func:`plot_position_scores` -- several explanations of one recommendation side by side,
  the planted cause marked;
* :func:`plot_model_comparison` -- a metric of several recommenders as bars.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["shorten", "plot_history_heatmap", "plot_rank_changes", "plot_position_scores",
           "plot_model_comparison"]


def shorten(label: str, width: int = 28) -> str:
    """Cut a long title to ``width`` characters with an ellipsis."""
    label = str(label)
    return label if len(label) <= width else label[: width - 1] + "\u2026"


def _check_labels(values: np.ndarray, labels: Sequence[str], what: str) -> None:
    if values.shape[-1] != len(labels):
        raise ValueError(f"{what}: {values.shape[-1]} positions but {len(labels)} labels")


def plot_history_heatmap(weights: np.ndarray, row_labels: Sequence[str],
                         item_labels: Sequence[str], *, title: str = "",
                         ax: plt.Axes | None = None, cmap: str = "viridis") -> plt.Axes:
    """Heat map of per-position weights ``(rows, T)`` over a history of ``T`` items.

    Each row is annotated with its values (two decimals), so the figure can be read
    without the colour bar.
    """
    W = np.asarray(weights, dtype=float)
    if W.ndim != 2 or W.shape[0] != len(row_labels):
        raise ValueError(f"weights must be (rows, T) with one row label per row; got {W.shape}")
    _check_labels(W, item_labels, "plot_history_heatmap")
    if ax is None:
        _, ax = plt.subplots(figsize=(1.0 + 0.75 * W.shape[1], 0.9 + 0.45 * W.shape[0]))
    im = ax.imshow(W, cmap=cmap, aspect="auto", vmin=0.0, vmax=max(float(W.max()), 1e-12))
    ax.set_xticks(range(W.shape[1]), [shorten(t, 22) for t in item_labels], rotation=60,
                  ha="right", fontsize=8)
    ax.set_yticks(range(W.shape[0]), list(row_labels), fontsize=8)
    for (r, c), v in np.ndenumerate(W):
        ax.text(c, r, f"{v:.2f}", ha="center", va="center", fontsize=6.5,
                color="white" if v < 0.6 * W.max() else "black")
    ax.figure.colorbar(im, ax=ax, fraction=0.025, pad=0.01)
    ax.set_title(title, fontsize=10)
    return ax


def plot_rank_changes(item_labels: Sequence[str], rank_without: Sequence[float],
                      base_rank: float, target_label: str, *,
                      ax: plt.Axes | None = None) -> plt.Axes:
    """Horizontal bars: rank of the recommended item without each history item.

    The dashed line marks the rank with the full history; bars to its right are items
    whose removal pushes the recommendation down (log scale, rank 1 on the left).
    """
    r = np.asarray(rank_without, dtype=float)
    _check_labels(r, item_labels, "plot_rank_changes")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 0.9 + 0.32 * len(r)))
    colours = np.where(r > base_rank, "tab:red", np.where(r < base_rank, "tab:green", "grey"))
    y = np.arange(len(r))
    ax.barh(y, r, color=colours, left=0)
    ax.axvline(base_rank, ls="--", color="black", lw=1, label=f"full history: rank {base_rank:g}")
    ax.set_yticks(y, [shorten(t) for t in item_labels], fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel(f"rank of '{shorten(target_label, 40)}' without this history item")
    ax.legend(loc="lower right", fontsize=8)
    return ax


def plot_position_scores(scores: Mapping[str, Sequence[float]], item_labels: Sequence[str], *,
                         highlight: int | None = None, ax: plt.Axes | None = None,
                         title: str = "") -> plt.Axes:
    """Grouped bars of several explanations per history position.

    Each method's scores are divided by their largest absolute value, so methods on
    different scales (attention weights, IG in logit units, score drops) share one axis.
    ``highlight`` marks a position (the planted cause) with a shaded band.
    """
    frame = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in scores.items()})
    _check_labels(frame.to_numpy().T, item_labels, "plot_position_scores")
    scaled = frame / frame.abs().max().replace(0.0, 1.0)
    if ax is None:
        _, ax = plt.subplots(figsize=(1.2 + 0.7 * len(frame), 3.2))
    width = 0.8 / scaled.shape[1]
    x = np.arange(len(frame))
    for k, col in enumerate(scaled.columns):
        ax.bar(x + (k - (scaled.shape[1] - 1) / 2) * width, scaled[col], width, label=col)
    if highlight is not None:
        ax.axvspan(highlight - 0.45, highlight + 0.45, color="gold", alpha=0.3, zorder=0,
                   label="planted cause")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(x, [shorten(t, 18) for t in item_labels], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("score / max |score|")
    ax.legend(fontsize=7, ncol=2)
    ax.set_title(title, fontsize=10)
    return ax


def plot_model_comparison(table: pd.DataFrame, metric: str, *,
                          ax: plt.Axes | None = None) -> plt.Axes:
    """Bars of ``table[metric]`` (rows: models), values written on the bars."""
    if metric not in table.columns:
        raise ValueError(f"metric {metric!r} not in the table; choose from {list(table.columns)}")
    if ax is None:
        _, ax = plt.subplots(figsize=(4.5, 2.8))
    values = table[metric].astype(float)
    bars = ax.bar([str(i) for i in table.index], values, color="tab:blue")
    ax.bar_label(bars, fmt="%.3f", fontsize=8)
    ax.set_ylabel(metric)
    ax.set_ylim(0, values.max() * 1.2 if values.max() > 0 else 1)
    return ax
