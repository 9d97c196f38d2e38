"""How many figures each built page should show, read from the sources and committed notebooks.

The browser test compares these counts with what Chromium actually shows. Nothing here is
hard-coded: re-running a notebook with more (or fewer) plots changes the expectation.

A page's expected figures are

* **notebook pages** (``notebooks/X.html``): every output of a code cell that holds an
  ``image/*`` bundle (inline matplotlib plots, displayed or glued-and-displayed figures), in
  cells not tagged ``remove-output``/``remove-cell``; an output whose only content is a
  matplotlib repr (``<Figure size ...>``) counts too, as a **lost figure**: the notebook drew
  it but the kernel did not render it (e.g. ``MPLBACKEND=Agg``), so the page cannot show it;
* **chapter pages** (``book/X.html``): every ``{glue}``/``{glue:any}`` directive whose key
  holds an image in the notebook its ``:doc:`` option names, or a matplotlib repr there (a
  lost glued figure); in notebooks also ``{glue:figure}`` (myst-nb glues a figure from the
  same document only); ``{figure}``/``{image}``
  directives and Markdown images ``![..](..)``;
* on both: every ``{graphviz}`` directive is one SVG diagram.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

GLUE_PREFIX = "application/papermill.record/"
REMOVE_TAGS = {"remove-output", "remove_output", "remove-cell", "remove_cell"}
FIGURE_REPR = re.compile(r"^<Figure size ")
FENCE = re.compile(r"^\s*(`{3,}|:{3,})\{(?P<name>[a-z:-]+)\}\s*(?P<arg>\S*)")
OPTION = re.compile(r"^\s*:(?P<key>[a-z_-]+):\s*(?P<value>.*?)\s*$")
MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]+\)")
CODE_SPAN = re.compile(r"(`+).+?\1")
CODE_FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
GLUE_DIRECTIVES = {"glue", "glue:any", "glue:figure"}
CODE_DIRECTIVES = ("{code-block}", "{code}", "{code-cell}", "{sourcecode}")


@dataclass
class Expected:
    """Figures one page should show: raster/vector images and graphviz SVG diagrams."""

    images: int = 0
    diagrams: int = 0
    sources: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"images": self.images, "diagrams": self.diagrams, "sources": self.sources,
                "lost_figures": self.lost}


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


def _bundle_kind(data: dict) -> str:
    """'image', 'lost' (a matplotlib repr without an image) or 'other' for one mime bundle."""
    if any(k.startswith("image/") for k in data):
        return "image"
    if FIGURE_REPR.match(_text(data.get("text/plain", "")).strip()):
        return "lost"
    return "other"


def _cells(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text(encoding="utf-8"))["cells"]


def _shown(cell: dict) -> bool:
    return not REMOVE_TAGS & set(cell.get("metadata", {}).get("tags", []))


def glue_kinds(notebook: Path) -> dict[str, str]:
    """Every glue key of a committed notebook -> 'image', 'lost' or 'other' (last one wins)."""
    kinds: dict[str, str] = {}
    for cell in _cells(notebook):
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                data = {k.removeprefix(GLUE_PREFIX): v for k, v in output.get("data", {}).items()}
                kinds[name] = _bundle_kind(data)
    return kinds


def _markdown_figures(text: str, here: Path, default_doc: Path | None, root: Path,
                      expected: Expected) -> None:
    """Add the figures a MyST text asks for (glue, graphviz, figure/image, Markdown images)."""
    lines = text.splitlines()
    open_fences: list[str] = []  # directive fences we are inside
    in_code: str | None = None  # the fence of the plain code block we are in

    def closes(fence: re.Match, opened: str) -> bool:
        return (fence["fence"][0] == opened[0] and len(fence["fence"]) >= len(opened)
                and not fence["info"].strip())

    for i, line in enumerate(lines):
        fence = CODE_FENCE.match(line)
        if in_code:
            if fence and closes(fence, in_code):
                in_code = None
            continue
        if fence:
            if open_fences and closes(fence, open_fences[-1]):
                open_fences.pop()
                continue
            info = fence["info"].strip()
            if info.startswith("{") and not info.startswith(CODE_DIRECTIVES):
                open_fences.append(fence["fence"])
            elif fence["fence"][0] != ":" or info.startswith(CODE_DIRECTIVES):
                in_code = fence["fence"]  # a code listing: no figures in it
                continue
        expected.images += len(MD_IMAGE.findall(CODE_SPAN.sub("", line)))
        match = FENCE.match(line)
        if not match:
            continue
        name, arg = match["name"], match["arg"]
        if name == "graphviz":
            expected.diagrams += 1
            expected.sources.append(f"graphviz diagram (line {i + 1})")
        elif name in ("figure", "image"):
            expected.images += 1
            expected.sources.append(f"{name} {arg}")
        elif name in GLUE_DIRECTIVES:
            doc, key = None, arg
            for option in lines[i + 1:]:
                opt = OPTION.match(option)
                if not opt:
                    break
                if opt["key"] == "doc" and name != "glue:figure":
                    doc = opt["value"]  # myst-nb 1.x: only {glue}/{glue:any} take :doc:
            notebook = (here / doc).resolve() if doc else default_doc
            if notebook is None or not notebook.exists():
                continue  # not a notebook glue: the build itself reports an unknown key
            kind = glue_kinds(notebook).get(key, "other")
            if kind in ("image", "lost"):
                expected.images += 1
                where = notebook.relative_to(root).as_posix()
                expected.sources.append(f"glued {key} ({where})")
                if kind == "lost":
                    expected.lost.append(f"glued {key}: {where} holds no image for it")


def expected_for_source(source: Path, root: Path) -> Expected:
    """Figures the page built from ``source`` (a chapter ``.md`` or a notebook) should show."""
    expected = Expected()
    if source.suffix == ".ipynb":
        for n, cell in enumerate(_cells(source)):
            if cell["cell_type"] == "markdown":
                _markdown_figures(_text(cell["source"]), source.parent, source, root, expected)
                continue
            if cell["cell_type"] != "code" or not _shown(cell):
                continue
            for output in cell.get("outputs", []):
                kind = _bundle_kind(output.get("data", {}))
                if kind in ("image", "lost"):
                    expected.images += 1
                    expected.sources.append(f"cell {n} output")
                    if kind == "lost":
                        expected.lost.append(f"cell {n}: a figure with no image output")
    else:
        _markdown_figures(source.read_text(encoding="utf-8"), source.parent, None, root,
                          expected)
    return expected


#: The Chinese edition is built into ``_build/html/zh`` from sources that
#: ``scripts/zh_sync.py`` assembles in ``_build/zh_src`` (same layout as the English book).
ZH_PREFIX, ZH_SOURCES = "zh/", Path("_build") / "zh_src"


def source_of(page: str, root: Path) -> Path | None:
    """The source file of a built page (``book/x.html`` -> ``book/x.md``), or None."""
    if page.startswith(ZH_PREFIX):
        root, page = root / ZH_SOURCES, page.removeprefix(ZH_PREFIX)
    stem = root / page.removesuffix(".html")
    for suffix in (".md", ".ipynb"):
        if stem.with_suffix(suffix).exists():
            return stem.with_suffix(suffix)
    return None


def expected_figures(pages: list[str], root: Path) -> dict[str, Expected]:
    """Expected figures for every built page that has a source (others expect none)."""
    out = {}
    for page in pages:
        source = source_of(page, root)
        out[page] = expected_for_source(source, root) if source else Expected()
    return out
