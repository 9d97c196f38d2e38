"""Sphinx extension for the Chinese edition: no stray spaces where a source line wraps.

Chinese is written without spaces, but a MyST paragraph wrapped over several source lines
keeps its line breaks in the document tree, and a browser shows each as a space
("公式， 并把"). On ``doctree-read`` this joins a line break (and the indentation around
it) that stands between two CJK characters or CJK punctuation, in running text only: code,
literal blocks, math and raw HTML are left alone. A break next to a Latin word stays a
space, as it should. Registered only by ``zh/_config.yml``.
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes

CJK = "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
WRAP = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")
SKIP = (nodes.literal_block, nodes.literal, nodes.math, nodes.math_block, nodes.raw,
        nodes.comment, nodes.FixedTextElement)


def join_cjk_lines(text: str) -> str:
    """Remove the line breaks a wrapped source leaves between two CJK characters."""
    return WRAP.sub("", text)


def _skipped(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if isinstance(parent, SKIP):
            return True
        parent = parent.parent
    return False


CJK_CHAR = re.compile(rf"[{CJK}]")


def _is_cjk(char: str) -> bool:
    return bool(char) and bool(CJK_CHAR.match(char))


def unwrap(app: Any, doctree: nodes.document) -> None:
    """Join wrapped lines inside a text node, and MyST's soft breaks (a text node "\\n")."""
    for text in list(doctree.findall(nodes.Text)):
        parent = text.parent
        if parent is None or _skipped(text):
            continue
        raw = text.astext()
        # Text nodes are strings: find this one by identity (list.index compares values)
        i = next(k for k, child in enumerate(parent.children) if child is text)
        if raw.strip() == "" and "\n" in raw:  # a soft line break between two nodes
            before = parent[i - 1].astext() if i > 0 else ""
            after = parent[i + 1].astext() if i + 1 < len(parent) else ""
            joined = "" if _is_cjk(before[-1:]) and _is_cjk(after[:1]) else raw
        else:
            joined = join_cjk_lines(raw)
        if joined != raw:
            new = nodes.Text(joined)
            new.parent = parent
            parent.children[i] = new


def setup(app: Any) -> dict[str, Any]:
    app.connect("doctree-read", unwrap)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
