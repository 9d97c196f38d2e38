r"""Attention heat maps with matplotlib: one head, all heads of a layer, averages, rollout.

Row :math:`i` of an attention map is the distribution with which query token :math:`i`
mixes the value vectors of the key tokens :math:`j` (columns); every row sums to 1. The
figures put queries on the y axis and keys on the x axis, both labelled with the tokens.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

__all__ = ["plot_attention_map", "plot_head_grid", "plot_layer_maps"]


def _check_map(matrix: np.ndarray, tokens: Sequence[str]) -> np.ndarray:
    arr = np.asarray(matrix, dtype=np.float64)
    if arr.ndim != 2 or arr.shape != (len(tokens), len(tokens)):
        raise ValueError(
            f"attention map must be ({len(tokens)}, {len(tokens)}) for {len(tokens)} tokens, "
            f"got {arr.shape}"
        )
    return arr


def plot_attention_map(matrix: np.ndarray, tokens: Sequence[str], *, ax: Any = None,
                       title: str | None = None, cmap: str = "viridis",
                       colorbar: bool = True, vmax: float | None = None) -> Any:
    """Heat map of one ``(T, T)`` attention matrix with token labels; returns the axes."""
    import matplotlib.pyplot as plt  # noqa: PLC0415

    arr = _check_map(matrix, tokens)
    if ax is None:
        size = max(3.5, 0.28 * len(tokens) + 1.5)
        _, ax = plt.subplots(figsize=(size + 0.8, size))
    image = ax.imshow(arr, cmap=cmap, vmin=0.0, vmax=vmax if vmax is not None else arr.max())
    ax.set_xticks(range(len(tokens)), tokens, rotation=90, fontsize=8)
    ax.set_yticks(range(len(tokens)), tokens, fontsize=8)
    ax.set_xlabel("key (attended to)")
    ax.set_ylabel("query (attending)")
    if title:
        ax.set_title(title, fontsize=10)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    return ax


def plot_head_grid(layer_attention: np.ndarray, tokens: Sequence[str], *, layer: int,
                   columns: int = 4, cmap: str = "viridis") -> Any:
    """All heads of one layer, ``(heads, T, T)``, in a grid; returns the figure.

    Tick labels are drawn on the first column and last row only.
    """
    import matplotlib.pyplot as plt  # noqa: PLC0415

    arr = np.asarray(layer_attention, dtype=np.float64)
    if arr.ndim != 3:
        raise ValueError(f"layer attention must be (heads, T, T), got {arr.shape}")
    heads = arr.shape[0]
    rows = int(np.ceil(heads / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(2.6 * columns, 2.6 * rows), squeeze=False)
    for h, ax in enumerate(axes.flat):
        if h >= heads:
            ax.axis("off")
            continue
        _check_map(arr[h], tokens)
        ax.imshow(arr[h], cmap=cmap, vmin=0.0, vmax=1.0)
        ax.set_title(f"layer {layer}, head {h}", fontsize=8)
        first_col, last_row = h % columns == 0, h // columns == rows - 1
        ax.set_yticks(range(len(tokens)), tokens if first_col else [], fontsize=5)
        ax.set_xticks(range(len(tokens)), tokens if last_row else [], fontsize=5, rotation=90)
    fig.tight_layout()
    return fig


def plot_layer_maps(maps: np.ndarray, tokens: Sequence[str], *,
                    titles: Sequence[str] | None = None, columns: int = 4,
                    cmap: str = "viridis") -> Any:
    """Several ``(T, T)`` maps side by side (e.g. head averages per layer, rollout)."""
    import matplotlib.pyplot as plt  # noqa: PLC0415

    arr = np.asarray(maps, dtype=np.float64)
    if arr.ndim != 3:
        raise ValueError(f"maps must be (k, T, T), got {arr.shape}")
    k = arr.shape[0]
    titles = list(titles) if titles is not None else [f"map {i}" for i in range(k)]
    if len(titles) != k:
        raise ValueError(f"{k} maps but {len(titles)} titles")
    columns = min(columns, k)
    rows = int(np.ceil(k / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(3.2 * columns, 3.2 * rows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        if i >= k:
            ax.axis("off")
            continue
        plot_attention_map(arr[i], tokens, ax=ax, title=titles[i], cmap=cmap, colorbar=False)
        ax.tick_params(labelsize=6)
        ax.set_xlabel("")
        ax.set_ylabel("")
    fig.tight_layout()
    return fig
