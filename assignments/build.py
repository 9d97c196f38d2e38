"""Build the autograded assignments (``make assignments``).

Each ``assignments/src/NN_name.py`` is an otter-grader master notebook written as plain
text: cells start with a line ``# %%`` (code), ``# %% [markdown]`` or ``# %% [raw]``
(their lines lose the leading ``# ``), and ``# %% [wrong qN]`` holds a plausible wrong
answer to question ``qN`` that replaces its solution cell in the "wrong" notebook used by
``assignments/grade.py``. Wrong cells never reach otter.

Output, all under ``_build/assignments/`` (git-ignored):

``NN_name/student/``      the student notebook (no solutions; public tests in its metadata,
                          so ``grader.check("q1")`` works offline);
``NN_name/autograder/``   the reference notebook and ``NN_name-autograder_*.zip``, the bundle
                          with the hidden tests that the instructor keeps;
``NN_name/wrong.ipynb``   the reference with every solution cell replaced by its wrong answer;
``zh/NN_name/student/``   the same student notebook with its instructions in Chinese
                          (``assignments/zh/NN_name.md``, see ``assignments/zh_instructions.py``): only
                          the markdown cells differ, so the same autograder bundle grades it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "assignments" / "src"
OUT = ROOT / "_build" / "assignments"
CELL = re.compile(r"^# %%(?: \[(markdown|raw|wrong (q\d+))\])?\s*$")


def parse(text: str) -> tuple[list[nbformat.NotebookNode], dict[str, str]]:
    """Cells of the master notebook and the wrong answers, ``{question: code}``."""
    cells, wrong = [], {}
    kind, qname, lines = None, None, []

    def flush() -> None:
        if kind is None:
            return
        body = "\n".join(lines).strip("\n")
        if kind in ("markdown", "raw"):
            body = "\n".join(re.sub(r"^# ?", "", ln) for ln in body.splitlines())
            make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_raw_cell
            cells.append(make(body))
        elif kind == "wrong":
            if qname in wrong:
                raise ValueError(f"two wrong answers for {qname}")
            wrong[qname] = body
        else:
            cells.append(nbformat.v4.new_code_cell(body))

    for line in text.splitlines():
        m = CELL.match(line)
        if m:
            flush()
            kind = "wrong" if m.group(2) else (m.group(1) or "code")
            qname, lines = m.group(2), []
        else:
            lines.append(line)
    flush()
    return cells, wrong


def questions(cells: list[nbformat.NotebookNode]) -> list[str]:
    """Question names in order, checking one answer cell (with ``# SOLUTION`` markers) each."""
    names, answers = [], {}
    question = None
    for cell in cells:
        src = cell.source.strip()
        if cell.cell_type == "raw" and src.startswith("# BEGIN QUESTION"):
            question = re.search(r"name:\s*(\S+)", src).group(1)
            names.append(question)
        elif cell.cell_type == "raw" and src.startswith(("# BEGIN TESTS", "# END QUESTION")):
            question = None
        elif question and cell.cell_type == "code" and "SOLUTION" in src:
            answers[question] = answers.get(question, 0) + 1
    for q in names:
        if answers.get(q) != 1:
            raise ValueError(f"{q}: exactly one answer cell with # SOLUTION markers, got {answers.get(q)}")
    return names


def build_one(src: Path, out: Path = OUT) -> dict[str, object]:
    from otter.assign import main as otter_assign  # imported here: parse() stays light

    name = src.stem
    cells, wrong = parse(src.read_text(encoding="utf-8"))
    names = questions(cells)
    if sorted(wrong) != sorted(names):
        raise ValueError(f"{src.name}: wrong answers for {sorted(wrong)}, questions {names}")
    dest = out / name
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    master = nbformat.v4.new_notebook(cells=cells)
    master.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    master_path = out / "masters" / f"{name}.ipynb"
    master_path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(master, master_path)
    with contextlib.redirect_stdout(io.StringIO()):
        otter_assign(str(master_path), str(dest), no_pdfs=True, no_run_tests=True)
    # a "wrong" submission: the student notebook with each answer cell (tagged
    # otter_answer_cell, one per question, in order) holding the plausible wrong answer
    student = nbformat.read(dest / "student" / f"{name}.ipynb", as_version=4)
    answer_cells = [c for c in student.cells
                    if "otter_answer_cell" in c.get("metadata", {}).get("tags", [])]
    if len(answer_cells) != len(names):
        raise ValueError(f"{src.name}: {len(answer_cells)} answer cells for {len(names)} questions")
    for cell, q in zip(answer_cells, names):
        cell.source = wrong[q]
    nbformat.write(student, dest / "wrong.ipynb")
    # the Chinese student notebook: the English one with its markdown cells in Chinese
    import zh_instructions

    english = nbformat.read(dest / "student" / f"{name}.ipynb", as_version=4)
    chinese, pending = zh_instructions.translate(english, name)
    (out / "zh" / name / "student").mkdir(parents=True, exist_ok=True)
    nbformat.write(chinese, out / "zh" / name / "student" / f"{name}.ipynb")
    for n in pending:
        print(f"!! {name}: Chinese instruction {n} is missing or stale, the English text stands in "
              f"(python assignments/zh_instructions.py diff {name})")
    return {"assignment": name, "questions": names}


def main() -> None:
    sources = sorted(SRC.glob("[0-9]*.py"))
    if not sources:
        raise SystemExit(f"no assignment sources in {SRC}")
    shutil.rmtree(OUT / "zh", ignore_errors=True)
    index = [build_one(s) for s in sources]
    (OUT / "index.json").write_text(json.dumps(index, indent=1) + "\n")
    n = sum(len(a["questions"]) for a in index)
    print(f">> {len(index)} assignments, {n} autograded questions -> {OUT.relative_to(ROOT)}/ "
          f"(Chinese student notebooks in {(OUT / 'zh').relative_to(ROOT)}/)")
    for a in index:
        print(f"   {a['assignment']}: {len(a['questions'])} questions")


if __name__ == "__main__":
    main()
