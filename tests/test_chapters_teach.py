"""Chapters that teach: a summary before the exercises, glossary terms linked at first use."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("link_glossary_terms",
                                               ROOT / "scripts" / "link_glossary_terms.py")
glossary_links = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(glossary_links)
CHAPTERS = glossary_links.CHAPTERS
ENTRIES = glossary_links.glossary_entries()


def test_every_chapter_of_the_toc_is_checked():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    chapters = re.findall(r"- file: book/([\w-]+)", toc)
    back_matter = {"index", "course", "glossary", "sources", "errata", "bibliography", "api"}
    assert set(chapters) - back_matter == set(CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_a_summary_comes_right_before_the_exercises(chapter):
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert "Summary" in headings and "Exercises" in headings, headings
    assert headings.index("Exercises") == headings.index("Summary") + 1, headings
    summary = text.split("\n## Summary\n", 1)[1].split("\n## Exercises\n", 1)[0]
    assert len(re.findall(r"^- ", summary, flags=re.M)) >= 3, "a summary has at least 3 points"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_glossary_terms_link_at_first_use(chapter):
    text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
    unlinked = [f"line {i + 1}: {ENTRIES[k][0]!r}"
                for k, (i, _, _, ok) in glossary_links.first_uses(text, ENTRIES).items() if not ok]
    assert not unlinked, ("first uses not linked to the glossary (run "
                          f"python scripts/link_glossary_terms.py): {unlinked}")


def test_every_term_link_points_at_a_glossary_entry():
    names = {t.lower() for e in ENTRIES for t in e}
    for chapter in CHAPTERS:
        text = (ROOT / "book" / f"{chapter}.md").read_text(encoding="utf-8")
        for m in glossary_links.TERM_ROLE.finditer(text):
            target = (m.group(2) or m.group(1)).strip().lower()
            assert target in names, f"{chapter}.md: {{term}} {target!r} is not in the glossary"


def test_the_checker_catches_an_unlinked_first_use():
    text = "Integrated gradients are complete.\n\nLater {term}`integrated gradients` again.\n"
    uses = glossary_links.first_uses(text, ENTRIES)
    k = next(k for k, e in enumerate(ENTRIES) if e[0] == "integrated gradients")
    assert uses[k][0] == 0 and not uses[k][3]
    linked, n = glossary_links.link(text, ENTRIES)
    assert n >= 1 and linked.startswith("{term}`Integrated gradients <integrated gradients>`")


@pytest.mark.parametrize("jargon", ["planted truth", "Bayes-optimal R²", "interventional",
                                    "glued", "Gauss-Legendre", "explainer network"])
def test_the_books_jargon_has_a_glossary_entry(jargon):
    forms = {f.lower() for e in ENTRIES for f in glossary_links.forms(e)}
    assert jargon.lower() in forms
