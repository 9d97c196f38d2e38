"""Measured reading and notebook time per course session (writes book/course.md's table).

``python scripts/course_times.py``          rewrite the table between the markers in
                                            book/course.md (quick read-modify-write)
``python scripts/course_times.py --print``  print it

Reading time: words of the chapter's prose (code blocks, roles' targets and URLs left out)
at 200 words per minute. Notebook time: wall clock of the committed notebook's last full
run, from the cells' execution timestamps (``metadata.execution``, written by nbconvert),
from the first cell's start to the last cell's end; models come from the cache, so a first
run that trains them takes longer. Exercises: those whose solution is code (executed by
tests/test_book_solutions.py), those marked conceptual, and the autograded assignment.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WPM = 200
START, END = "<!-- course-times:start -->", "<!-- course-times:end -->"
# session -> (chapters, notebooks, assignment)
SESSIONS = {
    1: (["why-explain", "mathematics"],
        ["01_glass_box_vs_black_box", "02_formulas_checked", "02b_errata_checked"], None),
    2: (["network-by-hand"], ["03_scratch_network"], None),
    3: (["mlp-sales"], ["04_mlp_sales"], "01_mlp_sales"),
    4: (["transformer-recommender"], ["05_transformer_recommender"], "02_transformer_recommender"),
    5: (["bert"], ["06a_bert_attention", "06b_bert_gradients"], "03_bert"),
    6: (["explainer-network"], ["07_explainer_network"], "04_explainer_network"),
    7: (["evaluating"], ["08_benchmark"], "05_evaluating"),
    8: (["outlook"], [], "06_outlook"),
}


def prose_words(text: str) -> int:
    text = re.sub(r"(?ms)^(`{3,}|~{3,})\s*(python|py|bash|text|\{code-cell\}).*?^\1\s*$", " ", text)
    text = re.sub(r"(?m)^    .*$", " ", text)                        # indented code
    text = re.sub(r"\{[a-z:-]+\}`([^`<]*)(<[^>]*>)?`", r"\1", text)   # roles: keep the text
    text = re.sub(r"https?://\S+", " ", text)
    return len(re.findall(r"[A-Za-z0-9][\w'’.-]*", text)) + len(re.findall(r"[\u4e00-\u9fff]", text)) // 2


def notebook_seconds(name: str) -> float | None:
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    stamps = []
    for cell in nb["cells"]:
        ex = cell.get("metadata", {}).get("execution", {})
        for key in ("iopub.execute_input", "shell.execute_reply"):
            if key in ex:
                stamps.append(datetime.fromisoformat(ex[key].replace("Z", "+00:00")))
    return (max(stamps) - min(stamps)).total_seconds() if stamps else None


def exercises(chapter: str) -> tuple[list[str], list[str]]:
    """(code, conceptual) solution labels of a chapter."""
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    code, concept = [], []
    for m in re.finditer(r"(?m)^(`{3,}|:{3,})\{solution\}\s*(\S+)\n:class:([^\n]*)\n(.*?)^\1\s*$",
                         text, flags=re.S):
        (concept if "conceptual" in m.group(3).split() else code).append(m.group(2))
    return code, concept


def assignment_questions(name: str) -> int:
    src = (ROOT / "assignments" / "src" / f"{name}.py").read_text(encoding="utf-8")
    return len(re.findall(r"(?m)^# # BEGIN QUESTION$", src))


def table() -> tuple[str, dict[int, dict[str, float]]]:
    rows, data = [], {}
    head = ("| session | reading | words | reading time | notebooks | notebook run time "
            "| exercises: code / conceptual | autograded |\n|---|---|---|---|---|---|---|---|")
    for s, (chapters, notebooks, assignment) in SESSIONS.items():
        words = sum(prose_words((ROOT / "book" / f"{c}.md").read_text(encoding="utf-8"))
                    for c in chapters)
        secs = [notebook_seconds(n) for n in notebooks]
        run = sum(x for x in secs if x is not None)
        code = [x for c in chapters for x in exercises(c)[0]]
        concept = [x for c in chapters for x in exercises(c)[1]]
        auto = f"`{assignment}` ({assignment_questions(assignment)} questions)" if assignment else "--"
        nbs = ", ".join(f"{{doc}}`{n} <../notebooks/{n}>`" for n in notebooks) or "--"
        reading = ", ".join(f"{{doc}}`{c}`" for c in chapters)
        run_text = f"{run / 60:.1f} min" if notebooks else "--"
        rows.append(f"| {s} | {reading} | {words:,} | {words / WPM:.0f} min | {nbs} | {run_text} "
                    f"| {len(code)} / {len(concept)} | {auto} |")
        data[s] = {"words": words, "reading_min": words / WPM, "notebook_min": run / 60}
    total_w = sum(d["words"] for d in data.values())
    total_n = sum(d["notebook_min"] for d in data.values())
    rows.append(f"| all | | {total_w:,} | {total_w / WPM:.0f} min | | {total_n:.1f} min | | |")
    return head + "\n" + "\n".join(rows), data


def main() -> int:
    text, _ = table()
    if "--print" in sys.argv:
        print(text)
        return 0
    path = ROOT / "book" / "course.md"
    page = path.read_text(encoding="utf-8")
    a, b = page.index(START) + len(START), page.index(END)
    path.write_text(page[:a] + "\n" + text + "\n" + page[b:], encoding="utf-8")
    print("book/course.md: session table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
