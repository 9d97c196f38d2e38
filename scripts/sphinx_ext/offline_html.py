"""Sphinx extension: keep the built book working offline and free of script errors.

Registered from ``_config.yml`` (``sphinx.local_extensions``). Two fixes, both on
``html-page-context`` so they touch only the rendered page:

1. Sphinx 7.4 lists an inline script twice when an extension adds it with
   ``app.add_js_file(None, body=...)`` during the read phase (the registry stores the file
   name ``None``, the builder ``''``, so its duplicate check misses). sphinx-thebe does this,
   and the second ``const THEBE_JS_URL`` is a ``SyntaxError`` on every page. We drop exact
   duplicates.
2. Scripts from a CDN (myst-nb adds require.js and the ipywidgets embed manager from
   jsdelivr/cdnjs when a notebook stored widget state, e.g. a tqdm bar) cannot load offline
   and would fail on every such page; we drop ``http(s)://`` scripts. Widgets then show
   their plain-text fallback, which is what a static book can honestly show.

And one on ``config-inited``:

3. pydata-sphinx-theme (under sphinx-book-theme) logs ``console.error("Got invalid theme
   mode: ")`` on a reader's first visit unless ``default_mode`` is set; we default it to
   ``auto`` (follow the system's light/dark setting), keeping any explicit choice.

And one for the PDF (``doctree-resolved``, LaTeX builder only):

4. A notebook figure pasted into a chapter with ``{glue}`` keeps a path relative to the
   notebook (``../<hash>.png``) that the LaTeX builder cannot find; we point such images at
   the file the environment recorded under the same name.
"""

from __future__ import annotations

from typing import Any


def _key(script: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    filename = str(getattr(script, "filename", script) or "")
    attributes = getattr(script, "attributes", {}) or {}
    return filename, tuple(sorted((k, str(v)) for k, v in attributes.items()))


def _is_remote(script: Any) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    return filename.startswith(("http://", "https://", "//"))


def clean_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Remove duplicate inline scripts and CDN scripts from one page's script list."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    kept = []
    for script in scripts:
        key = _key(script)
        if key in seen or _is_remote(script):
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def default_theme_mode(app: Any, config: Any) -> None:
    """Give the theme a valid colour mode so a first visit logs no console error."""
    context = dict(config.html_context or {})
    if not context.get("default_mode"):
        context["default_mode"] = "auto"
    config.html_context = context


def fix_glued_image_paths(app: Any, doctree: Any, docname: str) -> None:
    """LaTeX only: re-point images whose URI is unknown to a known image of the same name."""
    if getattr(app.builder, "format", "") != "latex":
        return
    from docutils import nodes

    by_name: dict[str, str] = {}
    for known in app.env.images:
        by_name.setdefault(known.rsplit("/", 1)[-1], known)
    for image in doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if "://" in uri or uri in app.env.images:
            continue
        known = by_name.get(uri.rsplit("/", 1)[-1])
        if known:
            image["uri"] = known
            image["candidates"] = {"*": known}


def setup(app: Any) -> dict[str, Any]:
    app.connect("doctree-resolved", fix_glued_image_paths)
    app.connect("config-inited", default_theme_mode, priority=900)
    app.connect("html-page-context", clean_scripts, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
