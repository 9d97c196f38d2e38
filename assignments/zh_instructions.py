"""Chinese instructions of the assignments: keep them, check them, put them in the notebooks.

The Chinese student notebooks (``_build/assignments/zh/NN_name/student/NN_name.ipynb``) are
the English ones built by ``assignments/build.py`` with every markdown cell replaced by its
Chinese text; code cells, public tests in the metadata and the autograder bundle are the
English ones, so questions, tests and grading are identical in both languages.

``assignments/zh/NN_name.md`` holds the Chinese text of every markdown cell of the master
``assignments/src/NN_name.py``, in order, one block per cell, headed by the cell's position
among the master's markdown cells (1-based) and the SHA-1 of the English text it
translates::

    <!-- zh-cell id=2 source-sha1=9f1a... -->
    **第 1 题**　……

When an English instruction changes (or a markdown cell is added, removed or moved), its
hash no longer matches: ``tests/test_assignments_zh.py`` fails and names the cell, the
build puts the English text with a note in place of the out-of-date Chinese one and says
so, and ``diff`` shows what changed in the English since the translation::

    python assignments/zh_instructions.py status
    python assignments/zh_instructions.py diff 01_mlp_sales
    # ...update assignments/zh/01_mlp_sales.md, then
    python assignments/zh_instructions.py --record 01_mlp_sales
"""

from __future__ import annotations

import argparse
import copy
import difflib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = HERE / "src"
ZH = HERE / "zh"
# the book's Chinese edition keeps notebook prose in the same format, keyed by cell id;
# here the key is the cell's position among the master's markdown cells
sys.path.insert(0, str(ROOT / "scripts"))
from zh_sync import _git, cell_sha, read_cells, write_cells  # noqa: E402

PENDING = "> （本段中文说明尚未随英文原文更新，以下为英文原文。）\n\n"


def _build_module():
    """assignments/build.py under a name of its own (``build`` is also a PyPA package)."""
    name = "ecomxai_assignments_build"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "build.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def english_cells(text: str) -> list[str]:
    """The markdown cells of a master notebook's text, in order."""
    cells, _ = _build_module().parse(text)
    return [c.source for c in cells if c.cell_type == "markdown"]


def read(path: Path) -> dict[int, tuple[str, str]]:
    """position -> (recorded English sha, Chinese text) of one translation file."""
    return {int(n): cell for n, cell in read_cells(path).items()}


def write(path: Path, cells: dict[int, tuple[str, str]]) -> None:
    write_cells(path, {str(n): cell for n, cell in sorted(cells.items())})


@dataclass
class Item:
    """Translation state of one markdown cell of one assignment."""

    assignment: str
    n: int
    state: str      # "translated", "stale", "untranslated" or "orphan"
    recorded: str = ""


def state(src_dir: Path = SRC, zh_dir: Path = ZH) -> list[Item]:
    items = []
    for src in sorted(src_dir.glob("[0-9]*.py")):
        english = english_cells(src.read_text(encoding="utf-8"))
        chinese = read(zh_dir / f"{src.stem}.md")
        for n, text in enumerate(english, 1):
            if n not in chinese:
                items.append(Item(src.stem, n, "untranslated"))
            elif chinese[n][0] != cell_sha(text):
                items.append(Item(src.stem, n, "stale", chinese[n][0]))
            else:
                items.append(Item(src.stem, n, "translated"))
        items += [Item(src.stem, n, "orphan") for n in sorted(chinese.keys() - range(1, len(english) + 1))]
    return items


def _old_text(assignment: str, sha: str, limit: int = 200) -> str | None:
    """The English markdown cell whose hash was ``sha``, from git history."""
    page = f"assignments/src/{assignment}.py"
    for commit in (_git("log", f"-{limit}", "--format=%H", "--", page) or "").split():
        text = _git("show", f"{commit}:{page}")
        for cell in english_cells(text) if text else []:
            if cell_sha(cell) == sha:
                return cell
    return None


def explain(item: Item, src_dir: Path = SRC) -> str:
    """What to do about a cell that is not translated, and what changed in its English."""
    where = f"assignments/zh/{item.assignment}.md"
    english = english_cells((src_dir / f"{item.assignment}.py").read_text(encoding="utf-8"))
    if item.state == "orphan":
        return (f"{item.assignment} markdown cell {item.n}: translated, but the English master has only "
                f"{len(english)} markdown cells: delete or renumber the block in {where}")
    head = (f"{item.assignment} markdown cell {item.n}: {item.state}; write its Chinese in {where} "
            f"(block id={item.n}), then run `python assignments/zh_instructions.py --record {item.assignment}`")
    new = english[item.n - 1]
    old = _old_text(item.assignment, item.recorded) if item.state == "stale" else None
    if old is None:
        return head + "\n  English now:\n" + "\n".join("    " + line for line in new.splitlines())
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), "English as translated",
                                "English now", lineterm="", n=1)
    return head + "\n" + "\n".join("    " + line for line in diff)


def record(assignment: str, src_dir: Path = SRC, zh_dir: Path = ZH) -> str:
    """Re-record the English hashes of every translated cell of one assignment."""
    path = zh_dir / f"{assignment}.md"
    english = english_cells((src_dir / f"{assignment}.py").read_text(encoding="utf-8"))
    chinese = read(path)
    if not chinese:
        raise LookupError(f"{path} holds no translated cell")
    extra = sorted(chinese.keys() - range(1, len(english) + 1))
    if extra:
        raise LookupError(f"{path}: blocks {extra} have no English markdown cell; delete them first")
    write(path, {n: (cell_sha(english[n - 1]), body) for n, (_, body) in chinese.items()})
    return f"{assignment}: recorded {len(chinese)} of {len(english)} cell hashes"


def translate(notebook: nbformat.NotebookNode, assignment: str,
              zh_dir: Path = ZH) -> tuple[nbformat.NotebookNode, list[int]]:
    """A copy of ``notebook`` with its markdown cells in Chinese, and the cells left English.

    Only the markdown cells' text changes. A cell without an up-to-date translation keeps
    its English text under a note (the test suite fails on it; the build says so).
    """
    chinese = read(zh_dir / f"{assignment}.md")
    out = copy.deepcopy(notebook)
    pending = []
    markdown = [c for c in out.cells if c.cell_type == "markdown"]
    for n, cell in enumerate(markdown, 1):
        sha, body = chinese.get(n, ("", ""))
        if sha == cell_sha(cell.source):
            cell.source = body
        else:
            cell.source = PENDING + cell.source
            pending.append(n)
    return out, pending


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="status", choices=["status", "diff"])
    parser.add_argument("assignment", nargs="?", help="e.g. 01_mlp_sales (diff)")
    parser.add_argument("--record", metavar="ASSIGNMENT", action="append",
                        help="re-record the English hashes once its Chinese text is up to date")
    args = parser.parse_args(argv)
    if args.record:
        for name in args.record:
            print(record(name))
        return 0
    items = state()
    if args.command == "diff":
        for item in items:
            if item.assignment == args.assignment and item.state != "translated":
                print(explain(item))
        return 0
    counts: dict[str, dict[str, int]] = {}
    for item in items:
        counts.setdefault(item.assignment, {}).setdefault(item.state, 0)
        counts[item.assignment][item.state] += 1
    for name, c in counts.items():
        print(f"{name:30s} " + ", ".join(f"{k} {s}" for s, k in sorted(c.items())))
    problems = [i for i in items if i.state != "translated"]
    for item in problems:
        print(explain(item))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
