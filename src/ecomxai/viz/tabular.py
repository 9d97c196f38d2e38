"""Figures for tabular models: importance bars, scores against a planted truth,
hidden-activation heat maps, PD/ICE curves, and why raw weights mislead.

Every function takes plain arrays / pandas objects and returns the matplotlib
``Figure``; nothing here knows a model or a data set.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

__all__ = [
    "importance_bars",
    "method_vs_truth",
    "activation_heatmap",
    "unit_feature_heatmap",
    "pdp_ice_plot",
    "raw_weights_mislead",
    "feature_distributions",
    "correlation_heatmap",
]


def importance_bars(table: pd.DataFrame, *, truth_column: str = "truth",
                    title: str = "Global importance (each column sums to 1)") -> Figure:
    """Grouped horizontal bars: one group per feature, one bar per method column.

    ``table`` is indexed by feature; the ``truth_column`` (if present) is drawn in black.
    """
    if table.empty:
        raise ValueError("table is empty; pass a features x methods DataFrame")
    cols = list(table.columns)
    n_f, n_m = table.shape
    fig, ax = plt.subplots(figsize=(8, 0.45 * n_f * max(1, n_m / 3) + 1.5))
    height = 0.8 / n_m
    y = np.arange(n_f)
    cmap = plt.get_cmap("tab10")
    for k, col in enumerate(cols):
        color = "black" if col == truth_column else cmap(k % 10)
        ax.barh(y + k * height, table[col].to_numpy(), height=height, label=col, color=color)
    ax.set_yticks(y + 0.4 - height / 2)
    ax.set_yticklabels(table.index)
    ax.invert_yaxis()
    ax.set_xlabel("share of total importance")
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def method_vs_truth(scores: pd.DataFrame, *, global_column: str = "spearman",
                    local_column: str = "local_spearman") -> Figure:
    """Two panels: global Spearman agreement and mean local agreement per method.

    ``scores`` is indexed by method (as :func:`ecomxai.evaluate.ground_truth.scores_table`
    returns); methods without local values show no bar in the right panel.
    """
    if global_column not in scores:
        raise ValueError(f"scores lack a {global_column!r} column")
    fig, axes = plt.subplots(1, 2, figsize=(10, 0.4 * len(scores) + 1.8), sharey=True)
    order = scores.sort_values(global_column, ascending=True)
    y = np.arange(len(order))
    axes[0].barh(y, order[global_column], color="tab:blue")
    axes[0].set_yticks(y)
    axes[0].set_yticklabels(order.index)
    axes[0].axvline(0.9, color="grey", ls="--", lw=1)
    axes[0].set_xlim(-1, 1)
    axes[0].set_title("global: Spearman with planted importance")
    if local_column in order:
        axes[1].barh(y, order[local_column].fillna(0.0), color="tab:orange")
        for yy, v in zip(y, order[local_column]):
            if np.isnan(v):
                axes[1].text(0.02, yy, "global only", va="center", fontsize=8, color="grey")
    axes[1].set_xlim(-1, 1)
    axes[1].set_title("local: mean per-product Spearman")
    for ax in axes:
        ax.axvline(0, color="black", lw=0.8)
    fig.tight_layout()
    return fig


def activation_heatmap(activations: np.ndarray, sort_by: np.ndarray, *,
                       sort_label: str = "price", layer: str = "hidden layer",
                       clip_quantile: float = 0.95) -> Figure:
    """Heat map of hidden activations, rows (products) sorted by ``sort_by``.

    Each unit (column) is divided by its ``clip_quantile`` quantile and clipped at 1, so a
    few extreme products do not wash out the picture; units are ordered by their rank
    correlation with ``sort_by`` (negative on the left, positive on the right). Units that
    never fire (dead units) are drawn grey and counted in the axis label.
    """
    H = np.asarray(activations, dtype=np.float64)
    s = np.asarray(sort_by, dtype=np.float64).ravel()
    if H.ndim != 2 or s.shape != (H.shape[0],):
        raise ValueError(f"activations (n, units) and sort_by (n,) must match; got {H.shape}, "
                         f"{s.shape}")
    if not 0 < clip_quantile <= 1:
        raise ValueError(f"clip_quantile must lie in (0, 1], got {clip_quantile}")
    rows = np.argsort(s, kind="stable")
    dead = H.max(axis=0) <= 0
    scale = np.quantile(H, clip_quantile, axis=0)
    scale = np.where(scale > 0, scale, np.maximum(H.max(axis=0), 1e-12))
    Z = np.clip(H / scale, 0.0, 1.0)
    rank_s = np.argsort(np.argsort(s))
    rank_h = np.argsort(np.argsort(H, axis=0), axis=0)
    with np.errstate(invalid="ignore"):
        corr = np.array([np.corrcoef(rank_s, rank_h[:, u])[0, 1] if not dead[u] and
                         np.ptp(H[:, u]) > 0 else 0.0 for u in range(H.shape[1])])
    cols = np.argsort(np.nan_to_num(corr), kind="stable")
    Z = np.ma.masked_array(Z[rows][:, cols], mask=np.broadcast_to(dead[cols], Z.shape))
    cmap = plt.get_cmap("magma").copy()
    cmap.set_bad("lightgrey")
    fig, ax = plt.subplots(figsize=(9, 4.5))
    im = ax.imshow(Z, aspect="auto", cmap=cmap, interpolation="nearest", vmin=0, vmax=1)
    ax.set_xlabel(f"units of {layer}, ordered by correlation with {sort_label}"
                  + (f"  (grey: {int(dead.sum())} dead)" if dead.any() else ""))
    ax.set_ylabel(f"products, sorted by {sort_label} (low at top)")
    fig.colorbar(im, ax=ax, label=f"activation / unit's {clip_quantile:.0%} quantile")
    ax.set_title(f"{layer}: activations of held-out products")
    fig.tight_layout()
    return fig


def unit_feature_heatmap(correlation: np.ndarray, feature_names: Sequence[str], *,
                         layer: str = "hidden layer") -> Figure:
    """Correlation of every hidden unit (columns) with every input feature (rows)."""
    C = np.asarray(correlation, dtype=np.float64)
    if C.ndim != 2 or C.shape[0] != len(feature_names):
        raise ValueError("correlation must be (features, units) with one name per feature")
    fig, ax = plt.subplots(figsize=(9, 3.6))
    im = ax.imshow(np.nan_to_num(C), aspect="auto", cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_yticks(range(len(feature_names)))
    ax.set_yticklabels(feature_names)
    ax.set_xlabel(f"unit of {layer}")
    fig.colorbar(im, ax=ax, label="correlation")
    ax.set_title(f"Which {layer} units track which features")
    fig.tight_layout()
    return fig


def pdp_ice_plot(grid: np.ndarray, ice: np.ndarray, *, feature: str, n_curves: int = 50,
                 truth: np.ndarray | None = None, ax: plt.Axes | None = None,
                 seed: int = 0, log_x: bool = False) -> Figure:
    """ICE curves (thin) and their average, the partial dependence (thick).

    ``truth`` (optional, same length as ``grid``) draws the planted dependence dashed.
    """
    g = np.asarray(grid, dtype=np.float64).ravel()
    I = np.asarray(ice, dtype=np.float64)
    if I.ndim != 2 or I.shape[1] != g.size:
        raise ValueError(f"ice must be (n, {g.size}), got {I.shape}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 3.6))
    else:
        fig = ax.figure
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(I), size=min(n_curves, len(I)), replace=False)
    for r in pick:
        ax.plot(g, I[r], color="tab:blue", alpha=0.15, lw=0.8)
    ax.plot(g, I.mean(axis=0), color="tab:red", lw=2.5, label="partial dependence")
    if truth is not None:
        ax.plot(g, np.asarray(truth, dtype=np.float64).ravel(), "k--", lw=1.5,
                label="planted (mean over products)")
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(feature)
    ax.set_ylabel("predicted units sold")
    ax.legend(fontsize=8)
    ax.set_title(f"PD and ICE: {feature}")
    return fig


def raw_weights_mislead(table: pd.DataFrame, *, truth_column: str = "truth") -> Figure:
    """One panel per column of ``table`` (features x readings), truth in the first panel.

    Meant for: planted truth; first-layer weights on standardised inputs; the same
    weights per raw unit; the document's :math:`\\omega_i`; a behavioural method.
    """
    cols = [truth_column] + [c for c in table.columns if c != truth_column]
    fig, axes = plt.subplots(1, len(cols), figsize=(2.6 * len(cols), 3.8), sharey=True)
    y = np.arange(len(table))
    for ax, col in zip(np.atleast_1d(axes), cols):
        vals = table[col].to_numpy(dtype=np.float64)
        ax.barh(y, vals, color="black" if col == truth_column else "tab:purple")
        ax.set_title(col, fontsize=9)
        ax.axvline(0, color="grey", lw=0.6)
    axes[0].set_yticks(y)
    axes[0].set_yticklabels(table.index)
    axes[0].invert_yaxis()
    fig.suptitle("Same model, different readings: structure is not importance", fontsize=10)
    fig.tight_layout()
    return fig


def feature_distributions(frame: pd.DataFrame, *, bins: int = 30) -> Figure:
    """A histogram per column (log scale for heavy-tailed positive columns)."""
    n = frame.shape[1]
    cols = 4
    rows = int(np.ceil(n / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 2.2 * rows))
    for ax, name in zip(axes.ravel(), frame.columns):
        v = frame[name].to_numpy(dtype=np.float64)
        ax.hist(v, bins=bins if len(np.unique(v)) > bins else len(np.unique(v)) * 2,
                color="tab:grey")
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def correlation_heatmap(frame: pd.DataFrame, *, method: str = "spearman") -> Figure:
    """Rank-correlation matrix of the columns, annotated."""
    C = frame.corr(method=method).to_numpy()
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    im = ax.imshow(C, cmap="RdBu_r", vmin=-1, vmax=1)
    ax.set_xticks(range(len(frame.columns)))
    ax.set_xticklabels(frame.columns, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(frame.columns)))
    ax.set_yticklabels(frame.columns, fontsize=8)
    for i in range(len(C)):
        for j in range(len(C)):
            ax.text(j, i, f"{C[i, j]:.2f}", ha="center", va="center", fontsize=6)
    fig.colorbar(im, ax=ax, label=f"{method} correlation")
    fig.tight_layout()
    return fig
