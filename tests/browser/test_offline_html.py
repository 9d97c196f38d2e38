"""Unit tests of the offline_html Sphinx extension (scripts/sphinx_ext)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from sphinx.builders.html._assets import _JavaScript

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts" / "sphinx_ext"))
import offline_html  # noqa: E402


def test_duplicate_inline_scripts_and_cdn_scripts_are_dropped() -> None:
    thebe = "const THEBE_JS_URL = 'x'"
    scripts = [
        _JavaScript("_static/doctools.js", priority=200),
        _JavaScript(None, body=thebe),  # as the registry stores it
        _JavaScript("", body=thebe),  # as the builder stores the same script
        _JavaScript("https://cdn.jsdelivr.net/npm/require.js"),
        _JavaScript("_static/mathjax/tex-mml-chtml.js", defer="defer"),
    ]
    context = {"script_files": scripts}
    offline_html.clean_scripts(None, "page", "page.html", context, None)
    kept = [(str(s.filename or ""), s.attributes.get("body")) for s in context["script_files"]]
    assert kept == [
        ("_static/doctools.js", None),
        ("", thebe),
        ("_static/mathjax/tex-mml-chtml.js", None),
    ]


def test_default_theme_mode_keeps_an_explicit_choice() -> None:
    config = SimpleNamespace(html_context={})
    offline_html.default_theme_mode(None, config)
    assert config.html_context["default_mode"] == "auto"
    config = SimpleNamespace(html_context={"default_mode": "dark"})
    offline_html.default_theme_mode(None, config)
    assert config.html_context["default_mode"] == "dark"


def test_glued_images_are_repointed_for_latex_only() -> None:
    from docutils import nodes

    known = "_build/jupyter_execute/abc123.png"
    env = SimpleNamespace(images={known: (set(), "abc123.png")})

    def doctree_with(uri: str) -> nodes.document:
        tree = nodes.paragraph()
        tree += nodes.image(uri=uri, candidates={"*": uri})
        return tree

    latex = SimpleNamespace(builder=SimpleNamespace(format="latex"), env=env)
    tree = doctree_with("../abc123.png")
    offline_html.fix_glued_image_paths(latex, tree, "book/page")
    image = next(iter(tree.findall(nodes.image)))
    assert image["uri"] == known and image["candidates"] == {"*": known}

    html = SimpleNamespace(builder=SimpleNamespace(format="html"), env=env)
    tree = doctree_with("../abc123.png")
    offline_html.fix_glued_image_paths(html, tree, "book/page")
    assert next(iter(tree.findall(nodes.image)))["uri"] == "../abc123.png"
