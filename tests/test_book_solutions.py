"""Every exercise solution of the book either runs or says it is conceptual.

A ``{solution}`` directive of sphinx-exercise in ``book/*.md`` holds code (a fenced
``python`` block or an indented block) or is marked ``:class: dropdown conceptual`` and
holds none. Each code solution is executed here, in a fresh namespace, exactly as printed;
solutions that continue a notebook start from :mod:`ecomxai.studies.notebook_state` or
rebuild the notebook's state themselves (trained models come from the shared cache).
"""

from __future__ import annotations

import contextlib
import io
import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OPEN = re.compile(r"^(`{3,}|:{3,})\{solution\}\s*(\S*)\s*$")

# solutions that train a model or load pretrained weights (a few CPU seconds or more)
SLOW = {"ex-mlp-sales-3", "tr-ex-sampled", "tr-ex-replace", "ex-bert-1", "ex-bert-2",
        "ex-explainer-network-1", "ex-explainer-network-2", "ex-explainer-network-4",
        "ex-outlook-4", "ex-nbh-2", "ex-eval-2"}


def solutions() -> list[dict[str, object]]:
    """Every solution directive: chapter, label, classes and code blocks."""
    found = []
    for md in sorted((ROOT / "book").glob("*.md")):
        lines = md.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            m = OPEN.match(lines[i])
            if not m:
                i += 1
                continue
            fence, label = m.group(1), m.group(2)
            j = i + 1
            while not re.fullmatch(re.escape(fence) + r"\s*", lines[j]):
                j += 1
            body = lines[i + 1:j]
            classes = next((ln.split(":", 2)[2].split() for ln in body
                            if ln.startswith(":class:")), [])
            found.append({"chapter": md.stem, "label": label, "classes": classes,
                          "code": code_blocks(body)})
            i = j + 1
    return found


def code_blocks(body: list[str]) -> list[str]:
    """Fenced python blocks (``` or ~~~) and indented (4-space) blocks of a directive body."""
    blocks, i = [], 0
    while i < len(body):
        fence = re.match(r"^(`{3,}|~{3,})\s*(python|py|\{code-cell\}.*)?\s*$", body[i])
        if fence and fence.group(2):
            j = i + 1
            while not body[j].startswith(fence.group(1)):
                j += 1
            blocks.append("\n".join(body[i + 1:j]))
            i = j + 1
        elif body[i].startswith("    ") and (i == 0 or not body[i - 1].strip()
                                              or body[i - 1].startswith(":")):
            j = i
            while j < len(body) and (body[j].startswith("    ") or not body[j].strip()):
                j += 1
            blocks.append(textwrap.dedent("\n".join(body[i:j])))
            i = j
        else:
            i += 1
    return blocks


ALL = solutions()
CODE = [s for s in ALL if s["code"]]


def test_the_parser_finds_the_solutions():
    assert len(ALL) >= 30, len(ALL)
    assert len(CODE) >= 15, [s["label"] for s in CODE]
    assert len({s["label"] for s in ALL}) == len(ALL), "solution labels must be unique"


@pytest.mark.parametrize("sol", ALL, ids=[s["label"] for s in ALL])
def test_a_solution_is_code_or_marked_conceptual(sol):
    conceptual = "conceptual" in sol["classes"]
    if sol["code"]:
        assert not conceptual, f"{sol['label']} holds code but is marked conceptual"
    else:
        assert conceptual, (f"{sol['label']} ({sol['chapter']}.md) has no code block: add the "
                            "code, or mark it ':class: dropdown conceptual'")


def _params():
    for s in CODE:
        marks = [pytest.mark.slow] if s["label"] in SLOW else []
        yield pytest.param(s, id=s["label"], marks=marks)


@pytest.mark.parametrize("sol", list(_params()))
def test_code_solution_runs(sol, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    source = "\n\n".join(sol["code"])
    namespace = {"__name__": f"solution_{sol['label'].replace('-', '_')}"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(source, f"<{sol['chapter']}.md: {sol['label']}>", "exec"), namespace)
    assert out.getvalue().strip(), f"{sol['label']} printed nothing: a solution shows its result"
