"""The notebooks' rules for portable checks, guarded numbers and figures.

The rules (every notebook follows them; a new notebook too)
-----------------------------------------------------------
1. **A ``# NBVAL_CHECK_OUTPUT`` cell shows only what holds on any CPU**: counts, labels,
   verdicts (``True``/``False``), numbers rounded far coarser than their cross-CPU noise.
   nbval compares its output text exactly, and a model trained on another CPU (other
   PyTorch/oneDNN/MKL kernels, other thread counts, other BLAS) ends with slightly
   different weights. The marker must be a comment line of its own (nbval ignores
   ``x  # NBVAL_CHECK_OUTPUT``).
2. **No ``glue(`` in a checked cell**: a glue record holds the value at full precision.
3. **Every number a chapter quotes is asserted** in the notebook that glues it, in an
   unchecked cell: glue it with :func:`ecomxai.checks.glue_close` (asserts, then glues;
   :func:`ecomxai.checks.glue_between` for timings), or assert it with
   :func:`ecomxai.checks.assert_close` / ``assert_between`` and ``what="<glue key>"``;
   the key is a string literal::

       glue_close("sales_mlp_test_r2", float(test["r2"]), 0.868, atol=0.004)

   Tables quoted with ``{glue}`` are asserted on their numeric columns. Keys glued in a
   loop are asserted together with a pattern, ``what="comprehensiveness_*"`` (fnmatch),
   on the array they come from. The tolerance is a
   little above the spread measured between a native run and an "another CPU" run
   (``make nbval-portable``: portable PyTorch kernels, AVX2-limited MKL/oneDNN, one thread,
   cold model cache) and the committed outputs of an AVX2 machine; counts are exact.
4. **Figures are real images**: kernels draw with the inline backend (never
   ``MPLBACKEND=Agg``), so a notebook whose code draws holds ``image/png`` outputs and every
   ``{glue}``/``{glue:figure}`` figure key of a chapter is an ``image/png`` glue record in
   the committed notebook.

Point the tests at other copies (e.g. a notebook executed into /tmp) with
``ECOMXAI_NOTEBOOKS=/tmp/x/04_mlp_sales.ipynb:/tmp/x/05_....ipynb``, or run this file as a
script with notebook paths as arguments to print every violation.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
CHECK_MARKER = "NBVAL_CHECK_OUTPUT"
ASSERTIONS = {"assert_close", "assert_between"}
GLUE_AND_ASSERT = {"glue_close", "glue_between"}
GLUE_CALL = re.compile(r"\bglue(?:_close|_between)?\s*\(")
RECORD = "application/papermill.record/"

# {glue:text}`../notebooks/x.ipynb::key:.3f`, {glue}`key`, {glue:figure}`key` (roles)
ROLE = re.compile(r"\{glue(?::(?P<kind>[a-z]+))?\}`(?P<body>[^`]+)`")
# ```{glue} key  /  :::{glue:figure} ../notebooks/x.ipynb::key   (directives)
DIRECTIVE = re.compile(r"^\s*(?:```+|:::+)\{glue(?::(?P<kind>[a-z]+))?\}\s+(?P<body>\S+)",
                       re.MULTILINE)


def notebook_paths() -> list[Path]:
    """The notebooks to check: ``$ECOMXAI_NOTEBOOKS`` (os.pathsep-separated) or the book's."""
    env = os.environ.get("ECOMXAI_NOTEBOOKS")
    if env:
        return [Path(p) for p in env.split(os.pathsep) if p]
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


@lru_cache(maxsize=None)
def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(path: Path) -> list[tuple[int, str, list[dict]]]:
    return [(i, "".join(c["source"]), c.get("outputs", []))
            for i, c in enumerate(_load(path)["cells"]) if c["cell_type"] == "code"]


def is_checked(source: str) -> bool:
    """True when nbval reads the cell as checked (a comment line ``# NBVAL_CHECK_OUTPUT``)."""
    return any(line.strip().startswith("#") and line.strip().lstrip("#").strip() == CHECK_MARKER
               for line in source.splitlines())


def _parse(source: str) -> ast.Module | None:
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def _call_name(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else (
        func.attr if isinstance(func, ast.Attribute) else None)


# --- rule 1 and 2 -----------------------------------------------------------------------

def ignored_markers(paths: list[Path]) -> list[str]:
    """Cells with ``NBVAL_CHECK_OUTPUT`` that nbval does not read as a marker."""
    return [f"{p.name} cell {i}" for p in paths for i, src, _ in _code_cells(p)
            if CHECK_MARKER in src and not is_checked(src)]


def glue_in_checked_cells(paths: list[Path]) -> list[str]:
    """Checked cells that call ``glue(`` or hold a glue record."""
    found = []
    for p in paths:
        for i, src, outputs in _code_cells(p):
            records = any(k.startswith(RECORD) for o in outputs for k in o.get("data", {}))
            if is_checked(src) and (GLUE_CALL.search(src) or records):
                found.append(f"{p.name} cell {i}")
    return found


# --- rule 3 -------------------------------------------------------------------------------

def quoted_keys() -> dict[str, set[tuple[str, str]]]:
    """Glue keys quoted by the chapters: ``{key: {(notebook name or "", kind), ...}}``."""
    keys: dict[str, set[tuple[str, str]]] = {}
    for md in sorted(BOOK.glob("*.md")):
        text = md.read_text(encoding="utf-8")
        for pattern in (ROLE, DIRECTIVE):
            for m in pattern.finditer(text):
                body, kind = m.group("body"), m.group("kind") or "any"
                notebook = ""
                if "::" in body:
                    ref, body = body.split("::", 1)
                    notebook = Path(ref).name
                key = body.split(":", 1)[0] if kind == "text" else body
                keys.setdefault(key, set()).add((notebook, kind))
    return keys


def glued_keys(path: Path) -> dict[str, dict]:
    """Keys glued by a notebook: from its glue records, else from ``glue("key", ...)`` calls."""
    keys: dict[str, dict] = {}
    for i, src, outputs in _code_cells(path):
        for o in outputs:
            name = o.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                keys[name] = {"cell": i, "data": o.get("data", {})}
        tree = _parse(src)
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.Call) and _call_name(node) in {"glue", *GLUE_AND_ASSERT} and \
                    node.args and \
                    isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                keys.setdefault(node.args[0].value, {"cell": i, "data": {}})
    return keys


def asserted_keys(path: Path) -> dict[str, list[int]]:
    """Keys asserted by ``assert_close``/``assert_between`` (``what="key"``) or by
    ``glue_close``/``glue_between`` (first argument), with the cells holding them (checked
    cells excluded: they may not glue, and an assertion there hides nothing)."""
    keys: dict[str, list[int]] = {}
    for i, src, _ in _code_cells(path):
        tree = _parse(src)
        if tree is None or is_checked(src):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _call_name(node) in GLUE_AND_ASSERT and \
                    node.args and isinstance(node.args[0], ast.Constant):
                keys.setdefault(str(node.args[0].value), []).append(i)
            if isinstance(node, ast.Call) and _call_name(node) in ASSERTIONS:
                for kw in node.keywords:
                    if kw.arg == "what" and isinstance(kw.value, ast.Constant):
                        keys.setdefault(str(kw.value.value), []).append(i)
    return keys


def _is_figure(record: dict) -> bool:
    plain = "".join(record.get(RECORD + "text/plain", ""))
    return RECORD + "image/png" in record or plain.lstrip("'\"").startswith(("<Figure", "<Axes"))


def _owner(key: str, refs: set[tuple[str, str]], paths: list[Path]) -> list[Path]:
    named = {nb for nb, _ in refs if nb}
    if named:
        return [p for p in paths if p.name in named]
    return [p for p in paths if key in glued_keys(p)]


def unasserted_quoted_keys(paths: list[Path]) -> list[str]:
    """Quoted keys (figures aside) that the notebook gluing them does not assert."""
    problems = []
    for key, refs in sorted(quoted_keys().items()):
        for p in _owner(key, refs, paths):
            glued = glued_keys(p)
            if key not in glued:
                problems.append(f"{p.name}: {key} is quoted by a chapter but never glued")
            elif not _is_figure(glued[key]["data"]) and not any(
                    fnmatch.fnmatchcase(key, what) for what in asserted_keys(p)):
                problems.append(f"{p.name}: {key} is quoted but not asserted (glue_close("
                                f"{key!r}, ...) or assert_close(..., what={key!r}) in an "
                                "unchecked cell)")
    return problems


# --- rule 4 -------------------------------------------------------------------------------

DRAWING_METHODS = {"plot", "barh", "bar", "scatter", "imshow", "hist", "pcolormesh", "matshow",
                   "subplots", "figure"}


def _viz_names(path: Path) -> set[str]:
    """Names a notebook imports from ``ecomxai.viz`` (modules or functions)."""
    names: set[str] = set()
    for _, src, _ in _code_cells(path):
        tree = _parse(src)
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ecomxai.viz"):
                names |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module == "ecomxai":
                names |= {a.asname or a.name for a in node.names if a.name == "viz"}
    return names


def _draws(node: ast.Call, viz: set[str]) -> bool:
    func, attrs = node.func, []
    while isinstance(func, ast.Attribute):
        attrs.append(func.attr)
        func = func.value
    root = func.id if isinstance(func, ast.Name) else ""
    return (root in ("plt", *viz) or root.startswith("plot_")
            or bool(attrs) and (attrs[0] in DRAWING_METHODS or "plot" in attrs[1:]))


def draws(path: Path) -> bool:
    """True when the notebook's code calls matplotlib (``plt.*``, ``.plot``, ``ax.barh``, ...),
    a ``plot_*`` function or anything imported from ``ecomxai.viz`` (strings do not count)."""
    viz = _viz_names(path)
    for _, src, _ in _code_cells(path):
        tree = _parse(src)
        if tree and any(isinstance(n, ast.Call) and _draws(n, viz) for n in ast.walk(tree)):
            return True
    return False


def image_count(path: Path) -> int:
    """``image/png`` outputs of a notebook, glue records included."""
    return sum(1 for _, _, outputs in _code_cells(path) for o in outputs
               for k in o.get("data", {}) if k in ("image/png", RECORD + "image/png"))


def missing_figures(paths: list[Path]) -> list[str]:
    """Drawing notebooks without images, and chapter figure keys that are not images."""
    problems = [f"{p.name}: its code draws but it holds no image/png output (was it run "
                "with MPLBACKEND=Agg?)" for p in paths if draws(p) and image_count(p) == 0]
    for key, refs in sorted(quoted_keys().items()):
        kinds = {kind for _, kind in refs}
        if not kinds & {"any", "figure"}:
            continue
        for p in _owner(key, refs, paths):
            record = glued_keys(p).get(key, {}).get("data", {})
            wants_image = "figure" in kinds or _is_figure(record) or not record
            if wants_image and RECORD + "image/png" not in record and \
                    RECORD + "text/html" not in record:
                problems.append(f"{p.name}: figure {key} used by a chapter is not an "
                                "image/png glue record")
    return problems


# --- the tests ----------------------------------------------------------------------------

NOTEBOOKS = notebook_paths()


def test_chapters_quote_glue_keys_and_the_parser_finds_them():
    keys = quoted_keys()
    assert len(keys) > 50, len(keys)
    assert any(kind == "any" for refs in keys.values() for _, kind in refs)


def test_check_markers_are_comment_lines_nbval_reads():
    assert ignored_markers(NOTEBOOKS) == []


def test_no_glue_in_checked_cells():
    assert glue_in_checked_cells(NOTEBOOKS) == []


def test_every_quoted_number_is_asserted_with_a_tolerance():
    assert unasserted_quoted_keys(NOTEBOOKS) == []


def test_drawing_notebooks_hold_images_and_glued_figures_are_images():
    assert missing_figures(NOTEBOOKS) == []


def test_rules_detect_violations(tmp_path):
    """The checks can fail: a crafted notebook breaks every rule."""
    def cell(src, outputs=()):
        return {"cell_type": "code", "source": src, "outputs": list(outputs),
                "metadata": {}, "execution_count": None}
    figure = {"output_type": "display_data", "metadata": {"scrapbook": {"name": "fig_x"}},
              "data": {RECORD + "text/plain": "<Figure size 640x480 with 1 Axes>"}}
    nb = {"cells": [cell("x = 1  # NBVAL_CHECK_OUTPUT"),
                    cell("# NBVAL_CHECK_OUTPUT\nglue('k', 0.5, display=False)"),
                    cell("import matplotlib.pyplot as plt\nfig, ax = plt.subplots()"),
                    cell("print('plt.bar(tokens) in a string does not draw')"),
                    cell("glue('fig_x', fig, display=False)", [figure]),
                    cell("# NBVAL_CHECK_OUTPUT\nassert_close(1, 1, what='k')"),
                    cell("# NBVAL_CHECK_OUTPUT\nglue_close('j', 1, 1)")],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "bad.ipynb"
    path.write_text(json.dumps(nb))
    assert ignored_markers([path]) == ["bad.ipynb cell 0"]
    assert glue_in_checked_cells([path]) == ["bad.ipynb cell 1", "bad.ipynb cell 6"]
    assert draws(path) and image_count(path) == 0
    assert asserted_keys(path) == {}  # the only assertion sits in a checked cell
    assert "holds no image/png" in missing_figures([path])[0]
    text_only = tmp_path / "text.ipynb"
    text_only.write_text(json.dumps(dict(nb, cells=[nb["cells"][3]])))
    assert not draws(text_only)


if __name__ == "__main__":  # python tests/test_notebook_rules.py notebooks/04_mlp_sales.ipynb
    chosen = [Path(p) for p in sys.argv[1:]] or NOTEBOOKS
    report = {"ignored markers": ignored_markers(chosen),
              "glue in checked cells": glue_in_checked_cells(chosen),
              "quoted but not asserted": unasserted_quoted_keys(chosen),
              "figures": missing_figures(chosen)}
    for title, items in report.items():
        print(f"{title}: {len(items)}")
        for item in items:
            print("  ", item)
    sys.exit(1 if any(report.values()) else 0)
