"""The course page tells the truth: measured times, every chapter and exercise, a setup session."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("course_times", ROOT / "scripts" / "course_times.py")
course_times = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(course_times)
PAGE = (ROOT / "book" / "course.md").read_text(encoding="utf-8")


def _table_rows(text: str) -> dict[str, list[str]]:
    if course_times.START in text:
        text = text.split(course_times.START, 1)[1].split(course_times.END, 1)[0]
    block = text
    rows = {}
    for line in block.strip().splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells
    return rows


def test_the_session_table_is_measured_and_up_to_date():
    """Reading within 10 % (chapters change), notebook time within a factor 2 (CPUs differ)."""
    fresh, data = course_times.table()
    page, new = _table_rows(PAGE), _table_rows(fresh)
    assert set(page) == set(new), "run python scripts/course_times.py"
    for s, d in data.items():
        words = int(page[str(s)][2].replace(",", ""))
        assert abs(words - d["words"]) <= 0.1 * d["words"], f"session {s}: run scripts/course_times.py"
        if d["notebook_min"]:
            minutes = float(page[str(s)][5].split()[0])
            assert d["notebook_min"] / 2 <= minutes <= 2 * d["notebook_min"] + 0.1, s
        assert page[str(s)][6:] == new[str(s)][6:], f"session {s}: exercises changed"


def test_every_chapter_and_notebook_belongs_to_a_session():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    chapters = set(re.findall(r"- file: book/([\w-]+)", toc)) - {
        "index", "course", "glossary", "sources", "errata", "bibliography", "api"}
    notebooks = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    planned_ch = {c for ch, _, _ in course_times.SESSIONS.values() for c in ch}
    planned_nb = {n for _, nbs, _ in course_times.SESSIONS.values() for n in nbs}
    assert planned_ch == chapters and planned_nb == notebooks


def test_every_exercise_is_set_and_every_assignment_is_listed():
    labels = set()
    for md in (ROOT / "book").glob("*.md"):
        labels |= set(re.findall(r"(?m)^```\{exercise\}.*\n:label: (\S+)",
                                 md.read_text(encoding="utf-8")))
    labels |= set(re.findall(r"(?m)^`{3,}\{exercise\}.*\n:label: (\S+)",
                             "\n".join(p.read_text(encoding="utf-8")
                                       for p in (ROOT / "book").glob("*.md"))))
    referenced = set(re.findall(r"\{ref\}`([\w-]+)`", PAGE))
    assert labels and labels <= referenced, sorted(labels - referenced)
    assert referenced <= labels | {"ch-course"}, sorted(referenced - labels)
    for src in (ROOT / "assignments" / "src").glob("*.py"):
        assert f"`{src.stem}`" in PAGE, src.stem


def test_setup_session_rubric_and_milestones():
    for needed in ("Session 0", "WSL", "conda", "mirrors.tuna.tsinghua.edu.cn", "macOS",
                   "## Grading rubric", "Milestone 1", "Example topics", "autograded"):
        assert needed in PAGE, needed
    assert "every exercise can be checked by running code" not in PAGE
