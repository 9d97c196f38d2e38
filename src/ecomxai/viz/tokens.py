r"""Static HTML token highlighting: one coloured box per token, no scripts.

Each token gets a background whose colour says the sign of its attribution (green: for
the explained class, red: against) and whose opacity says its size relative to the
largest magnitude in the row,

.. math::

   \text{opacity}_t = \frac{|a_t|}{\max_s |a_s|} .

The output is a plain HTML string with inline CSS (no JavaScript, no CDN), so it shows
in Jupyter (``IPython.display.HTML``), in the built book, and on a repository page.
"""

from __future__ import annotations

import html
from typing import Mapping, Sequence

import numpy as np

__all__ = ["token_spans", "highlight_tokens", "highlight_table"]

_POSITIVE = (22, 163, 74)   # green
_NEGATIVE = (220, 38, 38)   # red


def _check(tokens: Sequence[str], scores: np.ndarray) -> np.ndarray:
    arr = np.asarray(scores, dtype=np.float64)
    if arr.shape != (len(tokens),):
        raise ValueError(f"need one score per token: {len(tokens)} tokens, scores {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("scores contain NaN or infinite values")
    return arr


def token_spans(tokens: Sequence[str], scores: np.ndarray, *, scale: float | None = None,
                merge_wordpieces: bool = True) -> str:
    """The ``<span>`` elements of one row of tokens (no wrapper).

    Parameters
    ----------
    tokens
        Token strings; WordPiece continuations start with ``##``.
    scores
        One attribution per token.
    scale
        Magnitude that maps to full opacity (default: the row's largest ``|score|``).
    merge_wordpieces
        Draw ``##`` pieces attached to the previous token (no gap, no ``##``).
    """
    arr = _check(tokens, scores)
    top = float(np.max(np.abs(arr))) if scale is None else float(scale)
    top = top if top > 0 else 1.0
    parts = []
    for token, value in zip(tokens, arr):
        rgb = _POSITIVE if value >= 0 else _NEGATIVE
        alpha = min(1.0, abs(value) / top)
        glued = merge_wordpieces and token.startswith("##")
        text = token[2:] if glued else token
        margin = "0 0 0 0" if glued else "0 0 0 3px"
        parts.append(
            f'<span title="{html.escape(token)}: {value:+.3g}" style="background:'
            f"rgba({rgb[0]},{rgb[1]},{rgb[2]},{alpha:.2f});padding:1px 1px;margin:{margin};"
            f'border-radius:3px;line-height:1.9">{html.escape(text)}</span>'
        )
    return "".join(parts)


def highlight_tokens(tokens: Sequence[str], scores: np.ndarray, *, title: str | None = None,
                     scale: float | None = None) -> str:
    """One highlighted text as an HTML ``<div>`` (optionally headed by ``title``)."""
    head = f"<b>{html.escape(title)}</b><br>" if title else ""
    return (f'<div style="font-family:monospace;font-size:0.9em;margin:4px 0">{head}'
            f"{token_spans(tokens, scores, scale=scale)}</div>")


def highlight_table(tokens: Sequence[str], rows: Mapping[str, np.ndarray]) -> str:
    """An HTML table: one highlighted row of the same tokens per method.

    Each row is scaled by its own largest magnitude, since methods differ in units.
    A legend explains the colours.
    """
    if not rows:
        raise ValueError("pass at least one row of scores")
    body = "".join(
        f'<tr><td style="text-align:right;padding-right:8px;vertical-align:top">'
        f"<b>{html.escape(name)}</b></td><td style=\"text-align:left\">"
        f"{token_spans(tokens, scores)}</td></tr>"
        for name, scores in rows.items()
    )
    legend = ('<caption style="caption-side:bottom;font-size:0.8em">green: supports the '
              "explained class; red: speaks against it; opacity: share of the row's largest "
              "magnitude</caption>")
    return (f'<table style="font-family:monospace;font-size:0.85em;border-collapse:collapse">'
            f"{legend}{body}</table>")
