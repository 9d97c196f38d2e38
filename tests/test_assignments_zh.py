"""The Chinese instructions of the assignments (assignments/zh/) cannot drift silently.

* **Sync.** Every markdown cell of every master ``assignments/src/NN_name.py`` has a
  Chinese block in ``assignments/zh/NN_name.md`` that records the SHA-1 of the English text
  it translates; when an English instruction changes, or a markdown cell is added, removed
  or moved, ``test_chinese_instructions_are_in_sync`` fails, prints the English diff and the
  command that re-records the hash (``python assignments/zh_instructions.py --record NN_name``).
* **Same questions.** A Chinese instruction names the same variables, functions, code and
  formulas (every inline code span and every ``$...$``) and the same book exercises as its
  English cell.
* **Same grading.** The Chinese student notebook is the English one with the markdown text
  replaced, nothing else (checked on a real ``otter assign`` build of one assignment), so the
  English autograder bundle grades it identically.
* **Chinese.** At least 90 % of the paragraphs are mostly Chinese, none copied from the English.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "assignments" / "src"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


zh = _load("zh_instructions", ROOT / "assignments" / "zh_instructions.py")
build = zh._build_module()
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_zh_edition import _norm, letters, prose_paragraphs  # noqa: E402

ASSIGNMENTS = sorted(p.stem for p in SRC.glob("[0-9]*.py"))
CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
MATH = re.compile(r"\$[^$]+\$")
EXERCISE = re.compile(r"\b(?:tr-)?ex-[\w-]+")


def pairs() -> list[tuple[str, str, str]]:
    """(where, English cell, Chinese cell) of every markdown cell with a Chinese block."""
    out = []
    for name in ASSIGNMENTS:
        english = zh.english_cells((SRC / f"{name}.py").read_text(encoding="utf-8"))
        chinese = zh.read(zh.ZH / f"{name}.md")
        out += [(f"{name} cell {n}", english[n - 1], chinese[n][1])
                for n in sorted(chinese) if n <= len(english)]
    return out


def test_chinese_instructions_are_in_sync() -> None:
    items = zh.state()
    assert len(items) >= 6 * 5, "the masters' markdown cells were not found"
    problems = [i for i in items if i.state != "translated"]
    assert not problems, (
        f"{len(problems)} Chinese instruction(s) of the assignments are missing or translate an "
        "English text that has changed since:\n\n" + "\n\n".join(zh.explain(i) for i in problems))


def test_chinese_instructions_ask_the_same_questions() -> None:
    lost = []
    for where, en, cn in pairs():
        for what, pattern in (("code", CODE_SPAN), ("math", MATH), ("exercise", EXERCISE)):
            found = lambda text: {m.group(0).strip() for m in pattern.finditer(text)}  # noqa: E731
            missing = found(en) - found(cn)
            if missing:
                lost.append(f"{where}: {what} of the English missing in the Chinese: {sorted(missing)}")
    assert not lost, "\n".join(lost)


def test_chinese_instructions_are_chinese_and_nowhere_copied() -> None:
    """The measure of tests/test_zh_edition.py: CJK at least half of a paragraph's letters."""
    paragraphs = [(where, p, {_norm(q) for q in prose_paragraphs(en)})
                  for where, en, cn in pairs() for p in prose_paragraphs(cn) if sum(letters(p))]
    assert len(paragraphs) >= 39, f"only {len(paragraphs)} paragraphs: the measure is broken"
    english = [f"{w}: {p[:80]!r}" for w, p, _ in paragraphs if letters(p)[0] < 0.5 * sum(letters(p))]
    copied = [f"{w}: {p[:80]!r}" for w, p, en in paragraphs if _norm(p) in en]
    assert len(english) <= 0.1 * len(paragraphs), "mostly English:\n  " + "\n  ".join(english)
    assert not copied, "identical to the English:\n  " + "\n  ".join(copied)


def test_a_changed_english_instruction_is_caught(tmp_path: Path) -> None:
    """Edit, insert or drop an English markdown cell: the state says stale or orphan."""
    src, zdir = tmp_path / "src", tmp_path / "zh"
    src.mkdir()
    shutil.copytree(zh.ZH, zdir)
    text = (SRC / "01_mlp_sales.py").read_text(encoding="utf-8")
    (src / "01_mlp_sales.py").write_text(text, encoding="utf-8")
    assert {i.state for i in zh.state(src, zdir)} == {"translated"}
    (src / "01_mlp_sales.py").write_text(text.replace("is exactly zero", "is zero"), encoding="utf-8")
    assert [(i.n, i.state) for i in zh.state(src, zdir) if i.state != "translated"] == [(2, "stale")]
    extra = text.replace("# %% [raw]\n# # BEGIN QUESTION\n# name: q1",
                         "# %% [markdown]\n# A new hint.\n\n# %% [raw]\n# # BEGIN QUESTION\n# name: q1", 1)
    (src / "01_mlp_sales.py").write_text(extra, encoding="utf-8")
    assert {i.state for i in zh.state(src, zdir)} >= {"stale", "untranslated"}
    (zdir / "01_mlp_sales.md").write_text(
        (zdir / "01_mlp_sales.md").read_text(encoding="utf-8") + "\n<!-- zh-cell id=9 source-sha1=0 -->\n多余\n",
        encoding="utf-8")
    (src / "01_mlp_sales.py").write_text(text, encoding="utf-8")
    assert [(i.n, i.state) for i in zh.state(src, zdir) if i.state != "translated"] == [(9, "orphan")]


def test_the_chinese_notebook_differs_in_markdown_text_only(tmp_path: Path) -> None:
    """A real build of one assignment (otter assign, no grading): Chinese text, same everything else."""
    pytest.importorskip("otter")
    build.build_one(SRC / "01_mlp_sales.py", out=tmp_path)
    english = nbformat.read(tmp_path / "01_mlp_sales" / "student" / "01_mlp_sales.ipynb", as_version=4)
    chinese = nbformat.read(tmp_path / "zh" / "01_mlp_sales" / "student" / "01_mlp_sales.ipynb", as_version=4)
    assert chinese.metadata == english.metadata and len(chinese.cells) == len(english.cells)
    blocks = zh.read(zh.ZH / "01_mlp_sales.md")
    n = 0
    for en, cn in zip(english.cells, chinese.cells):
        assert {k: v for k, v in en.items() if k != "source"} == {k: v for k, v in cn.items() if k != "source"}
        if en.cell_type == "markdown":
            n += 1
            assert cn.source == blocks[n][1], f"markdown cell {n} is not its Chinese text"
        else:
            assert cn.source == en.source
    assert n == len(blocks)
    # a stale translation falls back to the English text under a note (and the build says so)
    stale = tmp_path / "zh_stale"
    stale.mkdir()
    (stale / "01_mlp_sales.md").write_text(
        (zh.ZH / "01_mlp_sales.md").read_text(encoding="utf-8").replace("source-sha1=", "source-sha1=0", 1),
        encoding="utf-8")
    fallback, pending = zh.translate(english, "01_mlp_sales", zh_dir=stale)
    first = next(c for c in fallback.cells if c.cell_type == "markdown")
    assert pending == [1] and first.source.startswith(zh.PENDING) and first.source.endswith(
        next(c for c in english.cells if c.cell_type == "markdown").source)


def test_the_chinese_course_page_links_the_chinese_assignments() -> None:
    page = (ROOT / "zh" / "book" / "course.md").read_text(encoding="utf-8")
    assert "_build/assignments/zh/NN_name/student/NN_name.ipynb" in page
    for name in ASSIGNMENTS:
        assert f"`{name}`" in page, name
