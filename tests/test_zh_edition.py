"""The Chinese edition (zh/) stays whole, in sync with the English book, and really Chinese.

* **Sync.** Every translated page records the git blob hash of the English file it
  translates (front matter ``zh-source-blob``), every translated notebook cell the SHA-1 of
  its English cell (``zh/notebooks/<stem>.md``). When an English source changes after its
  translation, ``test_translations_are_in_sync`` fails and prints the English diff and the
  command that re-records the hash once the translation is updated
  (``python scripts/zh_sync.py --record <page>``).
* **Parity.** A Chinese page quotes exactly the glue keys (numbers and figures from the
  notebooks) and shows exactly the figures and diagrams of its English page; a translated
  notebook cell, those of its English cell.
* **Whole.** ``zh/_toc.yml`` lists the English documents; the assembled edition has every
  page, untranslated ones under the banner, notebooks with the committed code and outputs.
* **Chinese.** Every page and notebook cell has a translation; at least 90 % of prose paragraphs are mostly Chinese (CJK
  characters at least half of the letters, once code, math, roles such as glued numbers and
  citations, and URLs are removed), and no paragraph is identical to its English source.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import zh_sync  # noqa: E402

MIN_CHINESE_SHARE = 0.90

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN = re.compile(r"[A-Za-z]")
GLUE_ROLE = re.compile(r"\{glue(?::[a-z]+)?\}`(?P<ref>[^`]+)`")
GLUE_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{glue(?::[a-z]+)?\}\s+(?P<key>\S+)", re.M)
FIGURE_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{(?P<name>figure|image|graphviz)\}\s*(?P<arg>\S*)", re.M)
MD_IMAGE = re.compile(r"!\[[^\]]*\]\((?P<path>[^)\s]+)")
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,}|:{3,})(?P<info>.*)$")
ROLE = re.compile(r"\{[a-z:-]+\}`[^`]*`")
CODE = re.compile(r"(`+).+?\1")
INLINE_MATH = re.compile(r"\$[^$]+\$")
URL = re.compile(r"https?://\S+")
RST_DIRECTIVE = re.compile(r"^\.\. [a-z-]+::")
PROSE_DIRECTIVES = ("{admonition}", "{exercise}", "{solution}", "{note}", "{tip}", "{warning}",
                    "{important}", "{glossary}", "{dropdown}", "{seealso}", "{hint}", "{caution}")


def glue_keys(text: str) -> Counter:
    """Glue keys a MyST text quotes, as ``notebook::key`` (format specs dropped)."""
    keys: Counter = Counter()
    text = re.sub(r"`\{[a-z:-]+\}`", "", text)  # a role's name quoted as code is no glue
    for match in GLUE_ROLE.finditer(text):
        ref = match["ref"]
        path, _, key = ref.rpartition("::")
        keys[f"{path}::{key.split(':')[0]}"] += 1
    for match in GLUE_DIRECTIVE.finditer(text):
        keys[match["key"]] += 1
    return keys


def figures(text: str) -> Counter:
    """Figures a MyST text shows: figure/image directives, Markdown images, graphviz diagrams."""
    found: Counter = Counter()
    for match in FIGURE_DIRECTIVE.finditer(text):
        found[f"{match['name']} {match['arg']}".strip()] += 1
    for match in MD_IMAGE.finditer(text):
        found[f"image {match['path']}"] += 1
    return found


def prose_paragraphs(text: str) -> list[str]:
    """Paragraphs of running text: code, math blocks, labels and directive options removed."""
    _, text = zh_sync.split_front(text)
    kept: list[str] = []
    code_fence: str | None = None
    in_math = False
    glossary: str | None = None  # the fence of a {glossary}: its term names are not prose
    for line in text.splitlines():
        fence = FENCE.match(line)
        if glossary and not code_fence:
            if fence and fence["fence"] == glossary and not fence["info"].strip():
                glossary = None
            elif line.strip() and not line[0].isspace() and not line.startswith(":"):
                kept.append("")  # a term name (both languages' names are kept for links)
                continue
        if fence and fence["info"].strip().startswith("{glossary}"):
            glossary = fence["fence"]
        if code_fence:
            if fence and fence["fence"][0] == code_fence[0] and len(fence["fence"]) >= len(code_fence) \
                    and not fence["info"].strip():
                code_fence = None
            continue
        if line.strip().startswith("$$"):
            in_math = not in_math if line.strip().count("$$") == 1 else in_math
            kept.append("")
            continue
        if in_math:
            continue
        if fence:
            info = fence["info"].strip()
            if info and not info.startswith(PROSE_DIRECTIVES) and not (fence["fence"][0] == ":" and not info.startswith("{")):
                code_fence = fence["fence"]
            kept.append("")
            continue
        stripped = line.strip()
        if re.fullmatch(r"\(\S+\)=", stripped) or re.match(r"^:[a-z_-]+:", stripped) \
                or RST_DIRECTIVE.match(stripped):
            kept.append("")
            continue
        kept.append(line)
    paragraphs = re.split(r"\n\s*\n", "\n".join(kept))
    # an indented code block (every line indented four spaces) is code, not prose
    return [p.strip() for p in paragraphs if p.strip()
            and not all(re.match(r"^(?: {4}|\t)", line) for line in p.strip("\n").splitlines() if line.strip())]


def letters(paragraph: str) -> tuple[int, int]:
    """(CJK characters, Latin letters) of a paragraph's prose."""
    prose = URL.sub(" ", INLINE_MATH.sub(" ", CODE.sub(" ", ROLE.sub(" ", paragraph))))
    return len(CJK.findall(prose)), len(LATIN.findall(prose))


def _norm(paragraph: str) -> str:
    return " ".join(paragraph.split())


def edition_pairs() -> list[tuple[str, str, str]]:
    """(where, English text, Chinese text) of every page and notebook cell of the book."""
    pairs = []
    for doc in zh_sync.toc_docs():
        src = zh_sync.english_source(doc)
        zh = zh_sync.zh_page(src)
        if src.suffix == ".ipynb":
            english = zh_sync.notebook_markdown(src)
            cells = zh_sync.read_cells(zh)
            pairs += [(f"{doc} cell {cid}", english[cid], cells[cid][1]) for cid in english
                      if cid in cells]
        elif zh.exists():
            pairs.append((doc, src.read_text(encoding="utf-8"), zh.read_text(encoding="utf-8")))
    return pairs


def test_every_page_and_cell_has_a_chinese_counterpart() -> None:
    """Every document of the book and every markdown cell of every notebook is translated."""
    missing = []
    for doc in zh_sync.toc_docs():
        src = zh_sync.english_source(doc)
        zh = zh_sync.zh_page(src)
        if src.suffix == ".ipynb":
            lost = sorted(zh_sync.notebook_markdown(src).keys() - zh_sync.read_cells(zh).keys())
            if lost:
                missing.append(f"{doc}: markdown cells {lost} ({zh.relative_to(ROOT)})")
        elif not zh.exists():
            missing.append(f"{doc}: no {zh.relative_to(ROOT)}")
    assert not missing, "untranslated:\n  " + "\n  ".join(missing)


def test_translations_are_in_sync() -> None:
    report = zh_sync.state()
    problems = report.by_state("stale") + report.by_state("orphan")
    assert report.by_state("translated"), "no translated page or cell at all"
    assert not problems, (
        f"{len(problems)} Chinese page(s)/cell(s) translate an English text that has changed "
        "since:\n\n" + "\n\n".join(zh_sync.explain(item) for item in problems))


def test_zh_toc_lists_the_english_documents() -> None:
    assert zh_sync.toc_docs(ROOT / "zh" / "_toc.yml") == zh_sync.toc_docs()


def test_glue_keys_and_figures_match_the_english_pages() -> None:
    """Each translated page or cell quotes the same glue keys and shows the same figures."""
    mismatches = []
    for doc in zh_sync.toc_docs():
        src = zh_sync.english_source(doc)
        zh = zh_sync.zh_page(src)
        if src.suffix == ".ipynb":
            english = zh_sync.notebook_markdown(src)
            pairs = [(f"{doc} cell {cid}", english.get(cid, ""), body)
                     for cid, (_, body) in zh_sync.read_cells(zh).items()]
        elif zh.exists():
            pairs = [(doc, src.read_text(encoding="utf-8"), zh.read_text(encoding="utf-8"))]
        else:
            continue
        for where, en, cn in pairs:
            for what, measure in (("glue keys", glue_keys), ("figures", figures)):
                if measure(en) != measure(cn):
                    extra, lost = measure(cn) - measure(en), measure(en) - measure(cn)
                    mismatches.append(f"{where}: {what} only in Chinese {dict(extra)}, "
                                      f"only in English {dict(lost)}")
    assert not mismatches, "\n".join(mismatches)


def test_the_edition_is_mostly_chinese_and_nowhere_copied() -> None:
    counted = chinese = 0
    english_only: list[str] = []
    copied: list[str] = []
    for where, en, cn in edition_pairs():
        english = {_norm(p) for p in prose_paragraphs(en)}
        for paragraph in prose_paragraphs(cn):
            n_cjk, n_latin = letters(paragraph)
            if n_cjk + n_latin == 0:
                continue
            counted += 1
            if n_cjk >= 0.5 * (n_cjk + n_latin):
                chinese += 1
            else:
                english_only.append(f"{where}: {paragraph[:90]!r}")
            if _norm(paragraph) in english and n_cjk < 0.5 * (n_cjk + n_latin):
                copied.append(f"{where}: {paragraph[:90]!r}")
    assert counted > 600, f"only {counted} prose paragraphs found in the edition: the measure is broken"
    share = chinese / counted
    assert share >= MIN_CHINESE_SHARE, (
        f"{share:.1%} of {counted} paragraphs are mostly Chinese (need "
        f"{MIN_CHINESE_SHARE:.0%}); e.g.\n  " + "\n  ".join(english_only[:20]))
    assert not copied, "paragraphs identical to their English source:\n  " + "\n  ".join(copied)


def test_the_measure_tells_chinese_from_english() -> None:
    """The paragraph measure itself: code, math and roles do not count; prose does."""
    assert letters("积分梯度满足完备性 {cite}`sundararajan2017axiomatic` `integrated_gradients` $x_i$") == (9, 0)
    assert letters("Integrated gradients satisfy completeness.")[0] == 0
    text = "# 标题\n\n(label)=\n正文，含 $x$。\n\n```python\nprint('code')\n```\n\n$$\na = b\n$$ (eq)\n\n:::{note}\n:class: tip\n注意\n:::\n"
    assert prose_paragraphs(text) == ["# 标题", "正文，含 $x$。", "注意"]
    glossary = "```{glossary}\n:sorted:\n\n积分梯度\nintegrated gradients\n  一种归因方法。\n```\n"
    assert prose_paragraphs(glossary) == ["一种归因方法。"]
    assert prose_paragraphs(".. ecomxai-modules:: ecomxai.data\n   :members:\n\n正文") == ["正文"]
    assert prose_paragraphs("正文\n\n    import numpy as np\n    x = np.ones(3)\n") == ["正文"]
    assert glue_keys("{glue:text}`../notebooks/a.ipynb::k:.2f` and {glue:text}`../notebooks/a.ipynb::k`") \
        == Counter({"../notebooks/a.ipynb::k": 2})


def test_assembled_edition_is_whole(tmp_path: Path) -> None:
    """Every document exists; untranslated pages carry the banner; notebooks keep code and outputs."""
    out = tmp_path / "zh_src"
    zh_sync.assemble(out)
    config = yaml.safe_load((out / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"]["config"]["language"] == "zh_CN"
    assert config["execute"]["execute_notebooks"] == "off"
    assert "积分梯度" in (out / "jieba_glossary.txt").read_text(encoding="utf-8")
    for doc in zh_sync.toc_docs():
        src = zh_sync.english_source(doc)
        built = out / src.relative_to(ROOT)
        assert built.exists(), f"{doc} missing from the assembled Chinese edition"
        text = built.read_text(encoding="utf-8")
        translated = zh_sync.zh_page(src).exists()
        assert (zh_sync.BANNER in text) != translated, f"{doc}: banner {'on a translated' if translated else 'missing on an untranslated'} page"
        if src.suffix == ".ipynb":
            en_cells = json.loads(src.read_text(encoding="utf-8"))["cells"]
            zh_cells = json.loads(text)["cells"]
            assert [c["id"] for c in en_cells] == [c["id"] for c in zh_cells]
            for en, cn in zip(en_cells, zh_cells):
                if en["cell_type"] == "code":
                    assert en == cn, f"{doc}: code cell {en['id']} changed in the Chinese edition"


TERM_ROLE = re.compile(r"\{term\}`(?P<body>[^`]+)`")


def glossary_entries(path: Path) -> list[set[str]]:
    """The term names of every entry of a glossary page (one set per entry)."""
    text = path.read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    entries: list[set[str]] = []
    current: set[str] = set()
    for line in block.splitlines():
        if not line.strip() or line.startswith(":"):
            if current:
                entries.append(current)
            current = set()
        elif not line[0].isspace():
            current.add(line.strip())
        elif current:
            entries.append(current)
            current = set()
    if current:
        entries.append(current)
    return entries


def test_chinese_terms_come_from_the_glossary() -> None:
    """Every Chinese glossary link shows a Chinese name of the entry it points to.

    The Chinese glossary is the one source of terminology: it keeps every English and Chinese
    name of the English glossary's entries (so links from either edition resolve), and a page
    that writes ``{term}`忠实度 <faithfulness>``` must show a name of that very entry.
    """
    en_entries = glossary_entries(ROOT / "book" / "glossary.md")
    zh_entries = glossary_entries(ROOT / "zh" / "book" / "glossary.md")
    zh_names = set().union(*zh_entries)
    lost = sorted(set().union(*en_entries) - zh_names)
    assert not lost, f"terms of the English glossary missing from the Chinese one: {lost}"
    entry_of = {name: entry for entry in zh_entries for name in entry}
    wrong = []
    sources = [p for p in (ROOT / "zh").rglob("*.md")]
    for path in sources:
        for match in TERM_ROLE.finditer(path.read_text(encoding="utf-8")):
            body = match["body"]
            shown, _, target = body.rpartition(" <") if body.endswith(">") else (body, "", body)
            target = target.rstrip(">") if body.endswith(">") else target
            if target not in entry_of:
                wrong.append(f"{path.relative_to(ROOT)}: {body!r} links to no glossary entry")
            elif CJK.search(shown) and shown.strip() not in entry_of[target]:
                wrong.append(f"{path.relative_to(ROOT)}: shows {shown!r} for the entry "
                             f"{sorted(entry_of[target])}")
    assert not wrong, "\n".join(wrong)


def test_sphinx_helpers_of_the_edition() -> None:
    """The language link's URL, and line joining of wrapped Chinese (scripts/sphinx_ext)."""
    sys.path.insert(0, str(ROOT / "scripts" / "sphinx_ext"))
    import cjk_text
    import lang_switch

    assert lang_switch.counterpart_url("book/mathematics", "zh/") == "../zh/book/mathematics.html"
    assert lang_switch.counterpart_url("book/api/data", "../") == "../../../book/api/data.html"
    assert lang_switch.counterpart_url("genindex", "zh/") == "zh/genindex.html"
    assert cjk_text.join_cjk_lines("公式，\n  并把 ecomxai\n中的 x\ny 和\n对照") == "公式，并把 ecomxai\n中的 x\ny 和对照"
    from docutils import nodes

    # MyST keeps a wrapped line as a separate soft-break text node; code keeps its breaks
    doc = nodes.document(None, None)
    para = nodes.paragraph()
    para += [nodes.Text("每个公式，"), nodes.Text("\n"), nodes.Text("并把 x"), nodes.Text("\n"),
             nodes.Text("y 和"), nodes.Text("\n"), nodes.strong(text="对照")]
    code = nodes.literal_block()
    code += nodes.Text("中\n文")
    doc += [para, code]
    cjk_text.unwrap(None, doc)
    assert (para.astext(), code.astext()) == ("每个公式，并把 x\ny 和对照", "中\n文")
