"""Unit tests of expected_figures: the figure counts the browser test holds each page to."""

from __future__ import annotations

import json
from pathlib import Path

from expected_figures import expected_for_source, glue_kinds, source_of

PNG = {"image/png": "iVBORw0KGgo=", "text/plain": ["<Figure size 640x480 with 1 Axes>"]}
FIG_REPR = {"text/plain": ["<Figure size 640x480 with 1 Axes>"]}


def _output(data: dict, glue: str | None = None, display: bool = True) -> dict:
    out = {"output_type": "display_data", "metadata": {}, "data": data}
    if glue:
        prefix = "" if display else "application/papermill.record/"
        out["data"] = {prefix + k: v for k, v in data.items()}
        out["metadata"] = {"scrapbook": {"name": glue, "mime_prefix": prefix}}
    return out


def _notebook(path: Path, cells: list[dict]) -> Path:
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))
    return path


def _code(*outputs: dict, tags: list[str] | None = None) -> dict:
    return {"cell_type": "code", "metadata": {"tags": tags or []}, "source": "",
            "outputs": list(outputs)}


def test_notebook_page_counts_shown_images_and_lost_figures(tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "n.ipynb", [
        _code(_output(PNG)),                                    # an inline plot
        _code(_output(PNG), tags=["remove-output"]),            # not shown
        _code(_output(PNG, glue="fig_a", display=False)),       # glued, hidden here
        _code(_output(PNG, glue="fig_b")),                      # glued and displayed
        _code(_output(FIG_REPR)),                               # lost: Agg backend
        _code(_output({"text/plain": ["<matplotlib.image.AxesImage at 0x7f>"]}),
              _output(PNG)),                                    # imshow: one figure
        _code(_output({"text/plain": ["0.5"]}, glue="x", display=False)),
        {"cell_type": "markdown", "metadata": {}, "source": "```{glue:figure} fig_a\n```\n"},
    ])
    expected = expected_for_source(nb, tmp_path)
    assert expected.images == 5  # inline, displayed glue, lost repr, imshow, glue:figure
    assert len(expected.lost) == 1 and "cell 4" in expected.lost[0]
    assert glue_kinds(nb) == {"fig_a": "image", "fig_b": "image", "x": "other"}


def test_chapter_counts_glued_figures_diagrams_and_images(tmp_path: Path) -> None:
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "book").mkdir()
    _notebook(tmp_path / "notebooks" / "n.ipynb", [
        _code(_output(PNG, glue="fig_ok", display=False)),
        _code(_output(FIG_REPR, glue="fig_agg", display=False)),
        _code(_output({"text/html": ["<table/>"]}, glue="table", display=False)),
    ])
    chapter = tmp_path / "book" / "ch.md"
    chapter.write_text(
        "# Chapter\n\n"
        "```{glue} fig_ok\n:doc: ../notebooks/n.ipynb\n```\n\n"
        ":::{glue:any} fig_agg\n:doc: ../notebooks/n.ipynb\n:::\n\n"
        "```{glue} table\n:doc: ../notebooks/n.ipynb\n```\n\n"
        "```{graphviz}\ndigraph { a -> b }\n```\n\n"
        "![a picture](pic.png) and {glue:text}`../notebooks/n.ipynb::x:.2f`\n"
        "quoted, not shown: `![x](y.png)`\n\n"
        "````markdown\n```{glue} fig_ok\n:doc: ../notebooks/n.ipynb\n```\n![x](y.png)\n````\n"
    )
    expected = expected_for_source(chapter, tmp_path)
    assert (expected.images, expected.diagrams) == (3, 1)  # fig_ok, fig_agg (lost), pic.png
    assert expected.lost == ["glued fig_agg: notebooks/n.ipynb holds no image for it"]


def test_pages_map_to_their_sources(tmp_path: Path) -> None:
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "a.md").write_text("# A\n")
    assert source_of("book/a.html", tmp_path) == tmp_path / "book" / "a.md"
    assert source_of("genindex.html", tmp_path) is None
