"""Grade the built assignments three ways (``make test-assignments``, part of ``make test``).

For every assignment built by ``assignments/build.py`` the autograder bundle (public and
hidden tests) grades, without Docker (otter's ``otter run``):

reference  the instructor's solution notebook: every question must earn full marks;
blank      the student notebook as handed out: every question must earn nothing;
wrong      the student notebook with a plausible wrong answer in every answer cell
           (e.g. a cross-entropy in bits where nats are asked): every question must lose
           marks, so no test is hollow.

The questions of an assignment are independent (each answer is computed from the setup
cell only), so one wrong notebook per assignment tests every question's wrong answer.
The Chinese student notebook of each assignment (``_build/assignments/zh/``) is checked
against the English one without grading it: the same cells, metadata and public tests, only
the markdown text differs, so the same bundle grades it exactly like the English one.
Exits non-zero and names the question when any expectation fails.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "assignments"
MODES = ("reference", "blank", "wrong")


def _submission(name: str, mode: str) -> Path:
    return {"reference": OUT / name / "autograder" / f"{name}.ipynb",
            "blank": OUT / name / "student" / f"{name}.ipynb",
            "wrong": OUT / name / "wrong.ipynb"}[mode]


def grade(job: tuple[str, str]) -> dict[str, object]:
    """Scores per question of one submission: ``{question: (score, possible)}``."""
    from otter.run import main as otter_run

    name, mode = job
    bundle = sorted((OUT / name / "autograder").glob(f"{name}-autograder_*.zip"))[-1]
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        results = otter_run(str(_submission(name, mode)), autograder=str(bundle),
                            output_dir=None, no_logo=True)
    scores = {q: (float(r.score), float(r.possible)) for q, r in results.results.items()}
    return {"assignment": name, "mode": mode, "scores": scores,
            "seconds": time.perf_counter() - start}


def check(result: dict[str, object], questions: list[str]) -> list[str]:
    """What went against expectations in one graded submission."""
    name, mode, scores = result["assignment"], result["mode"], result["scores"]
    problems = []
    if sorted(scores) != sorted(questions):
        problems.append(f"{name} {mode}: graded {sorted(scores)}, expected {questions}")
    for q, (score, possible) in scores.items():
        if mode == "reference" and score != possible:
            problems.append(f"{name} {q}: the reference solution scores {score}/{possible}")
        if mode == "blank" and score != 0:
            problems.append(f"{name} {q}: the blank notebook scores {score}/{possible}")
        if mode == "wrong" and score >= possible:
            problems.append(f"{name} {q}: the wrong answer earns full marks {score}/{possible}")
    return problems


def check_chinese(name: str) -> list[str]:
    """The Chinese student notebook differs from the English one in markdown text only."""
    import nbformat

    english = nbformat.read(OUT / name / "student" / f"{name}.ipynb", as_version=4)
    path = OUT / "zh" / name / "student" / f"{name}.ipynb"
    if not path.exists():
        return [f"{name}: no Chinese student notebook ({path.relative_to(ROOT)})"]
    chinese = nbformat.read(path, as_version=4)
    problems = []
    if chinese.metadata != english.metadata or len(chinese.cells) != len(english.cells):
        problems.append(f"{name}: the Chinese notebook's metadata or number of cells differ")
    for i, (en, zh) in enumerate(zip(english.cells, chinese.cells)):
        same = {k: v for k, v in en.items() if k != "source"} == {k: v for k, v in zh.items() if k != "source"}
        if not same or (en.cell_type != "markdown" and en.source != zh.source):
            problems.append(f"{name} cell {i}: the Chinese notebook differs beyond markdown text")
    return problems


def main() -> int:
    index = json.loads((OUT / "index.json").read_text())
    if sys.argv[1:]:  # grade only the named assignments
        index = [a for a in index if a["assignment"] in sys.argv[1:]]
    questions = {a["assignment"]: a["questions"] for a in index}
    jobs = [(a["assignment"], mode) for a in index for mode in MODES]
    start = time.perf_counter()
    workers = int(os.environ.get("ASSIGNMENT_WORKERS", "2"))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(grade, jobs))
    problems = [p for name in questions for p in check_chinese(name)]
    print(f">> Chinese student notebooks: {len(questions)} checked, "
          f"{'identical to the English ones but for the instructions' if not problems else 'DIFFERENT'}")
    print(f"{'assignment':<28}{'questions':>10}  reference  blank  wrong   seconds")
    for name, qs in questions.items():
        row = {r["mode"]: r for r in results if r["assignment"] == name}
        for r in row.values():
            problems += check(r, qs)
        cells = []
        for mode in MODES:
            s = row[mode]["scores"]
            ok = {"reference": sum(a == b for a, b in s.values()),
                  "blank": sum(a == 0 for a, _ in s.values()),
                  "wrong": sum(a < b for a, b in s.values())}[mode]
            cells.append(f"{ok}/{len(qs)}")
        secs = sum(r["seconds"] for r in row.values())
        print(f"{name:<28}{len(qs):>10}  {cells[0]:>9}  {cells[1]:>5}  {cells[2]:>5}  {secs:8.1f}")
    total = sum(len(q) for q in questions.values())
    print(f">> {len(questions)} assignments, {total} questions graded 3 ways in "
          f"{time.perf_counter() - start:.0f} s (reference: full marks, blank: none, wrong: "
          "less than full)")
    for p in problems:
        print("!!", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
