"""Sphinx extension: every page links to the same page in the book's other language.

The English book is built into ``_build/html`` and the Chinese edition (``zh/``, assembled by
``scripts/zh_sync.py``) into ``_build/html/zh`` with the same document names, so the
counterpart of ``book/mathematics`` is ``zh/book/mathematics.html`` from the English book and
``../book/mathematics.html`` from the Chinese one. The configuration value
``ecomxai_counterpart`` names the other edition's root relative to this one's root::

    ecomxai_counterpart: {prefix: "zh/", label: "中文版", hreflang: "zh-CN"}

On ``html-page-context`` a small link (``a.ecomxai-lang-switch``) is put at the top of the
article body of every document page, and an ``<link rel="alternate" hreflang=...>`` in its
head; the browser test follows the links both ways.
"""

from __future__ import annotations

from html import escape
from typing import Any


def counterpart_url(pagename: str, prefix: str) -> str:
    """Relative URL from page ``pagename`` to the same page under ``prefix``."""
    return "../" * pagename.count("/") + prefix + pagename + ".html"


def add_switch(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    other = app.config.ecomxai_counterpart
    if not other or doctree is None or "body" not in context:
        return
    url = escape(counterpart_url(pagename, other["prefix"]), quote=True)
    lang = escape(other.get("hreflang", ""), quote=True)
    title = escape(other.get("title", ""), quote=True)
    link = (f'<p class="ecomxai-lang-switch" style="text-align:right;font-size:0.9em;margin:0">'
            f'<a class="ecomxai-lang-switch" href="{url}" hreflang="{lang}" lang="{lang}" '
            f'title="{title}">{escape(other["label"])}</a></p>\n')
    context["body"] = link + context["body"]
    context["metatags"] = context.get("metatags", "") + \
        f'\n<link rel="alternate" hreflang="{lang}" href="{url}" />'


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("ecomxai_counterpart", {}, "html")
    app.connect("html-page-context", add_switch)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
