"""The Chinese edition (zh-CN): assemble its sources, report and record translation state.

The Chinese edition shares everything but prose with the English book. Its committed
sources live in ``zh/``:

* ``zh/_config.yml``: settings merged over the English ``_config.yml`` (``language: zh_CN``,
  title, execution off, the language switch);
* ``zh/_toc.yml``: the same documents as ``_toc.yml`` with Chinese captions;
* ``zh/<doc>.md``: a translated chapter, e.g. ``zh/book/why-explain.md``; its front matter
  records the English file it translates and that file's git blob hash at translation time::

      ---
      zh-source: book/why-explain.md
      zh-source-blob: 3b18e512dba79e4c8300dd08aeb37f6ba0bda0a6
      ---

* ``zh/<doc>.rst``: a translated reStructuredText page (the API reference, ``book/api/*.rst``),
  with the same front matter; ``assemble`` strips it and writes the rest as the page's
  ``.rst`` source (titles and prose in Chinese, ``ecomxai-modules`` directives unchanged);
* ``zh/notebooks/<stem>.md``: the Chinese markdown cells of one notebook, keyed by cell id,
  each with the SHA-1 of the English cell it translates::

      <!-- zh-cell id=5e2c... source-sha1=9f1a... -->
      中文段落……

``assemble`` writes the buildable edition into ``_build/zh_src`` (git-ignored): translated
chapters as they are; notebooks generated from the committed ``notebooks/*.ipynb`` with
their markdown cells replaced (code, outputs and glue untouched, never executed); every
page without a translation generated from its English source under the banner
"本章尚未翻译，以下为英文原文". ``status`` reports translated / stale / untranslated pages
and cells; ``--record <page>`` re-records the hashes once a translation is brought up to
date; ``diff <page>`` shows what changed in the English source since it was translated.

    python scripts/zh_sync.py assemble
    python scripts/zh_sync.py status
    python scripts/zh_sync.py diff book/why-explain.md
    python scripts/zh_sync.py --record book/why-explain.md
    python scripts/zh_sync.py --record notebooks/01_glass_box_vs_black_box.ipynb
"""

from __future__ import annotations

import argparse
import copy
import difflib
import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ZH = ROOT / "zh"
OUT = ROOT / "_build" / "zh_src"
BANNER_TITLE = "本章尚未翻译"
BANNER = "本章尚未翻译，以下为英文原文"
FRONT = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.S)
CELL_MARK = re.compile(r"^<!-- zh-cell id=(?P<id>\S+) source-sha1=(?P<sha>[0-9a-f]+) -->\n", re.M)
#: linked into the assembled tree (shared, never copied)
SHARED = ["src", "scripts", "book/_static", "book/references.bib"]


# ----------------------------------------------------------------------------- hashes
def blob_sha(data: bytes) -> str:
    """The git blob hash of ``data`` (``git hash-object``), so old sources stay findable."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def cell_sha(source: str) -> str:
    """SHA-1 of one English markdown cell's source text."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()


def _text(value: str | list[str]) -> str:
    return "".join(value) if isinstance(value, list) else value


# ----------------------------------------------------------------------------- sources
def toc_docs(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """Every document of a table of contents, in order (``book/index``, ...)."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    docs = [data["root"]]

    def walk(items: list[dict]) -> None:
        for item in items or []:
            if "file" in item:
                docs.append(item["file"])
            walk(item.get("sections", []))
            walk(item.get("chapters", []))

    walk(data.get("parts", []))
    walk(data.get("chapters", []))
    return docs


def english_source(doc: str) -> Path:
    for suffix in (".md", ".ipynb", ".rst"):
        if (ROOT / (doc + suffix)).exists():
            return ROOT / (doc + suffix)
    raise LookupError(f"{doc} of _toc.yml has no source file")


def split_front(text: str) -> tuple[dict, str]:
    match = FRONT.match(text)
    if not match:
        return {}, text
    return yaml.safe_load(match["yaml"]) or {}, text[match.end():]


def read_cells(path: Path) -> dict[str, tuple[str, str]]:
    """cell id -> (recorded English sha, Chinese text) of one notebook translation file."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    marks = list(CELL_MARK.finditer(text))
    cells = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        cells[m["id"]] = (m["sha"], text[m.end():end].strip("\n"))
    return cells


def write_cells(path: Path, cells: dict[str, tuple[str, str]]) -> None:
    parts = [f"<!-- zh-cell id={cid} source-sha1={sha} -->\n{body.strip()}\n"
             for cid, (sha, body) in cells.items()]
    path.write_text("\n".join(parts), encoding="utf-8")


def notebook_markdown(nb_path: Path) -> dict[str, str]:
    """cell id -> source of every markdown cell of an English notebook, in order."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return {c["id"]: _text(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"}


# ----------------------------------------------------------------------------- state
@dataclass
class Item:
    """Translation state of one page or one notebook cell."""

    page: str           # English source path, e.g. book/why-explain.md
    cell: str | None    # notebook cell id, or None for a whole page
    state: str          # "translated", "stale", "untranslated" or "orphan"
    detail: str = ""


@dataclass
class Report:
    items: list[Item] = field(default_factory=list)

    def by_state(self, state: str) -> list[Item]:
        return [i for i in self.items if i.state == state]


def zh_page(doc_source: Path) -> Path:
    """The Chinese counterpart of an English source (a reStructuredText page stays .rst)."""
    rel = doc_source.relative_to(ROOT)
    if rel.suffix == ".ipynb":
        return ZH / "notebooks" / (rel.stem + ".md")
    if rel.suffix == ".rst":
        return ZH / rel
    return ZH / rel.with_suffix(".md")


def state(root: Path = ROOT) -> Report:
    """Compare every Chinese page and cell with the English source it records."""
    report = Report()
    for doc in toc_docs():
        src = english_source(doc)
        rel = src.relative_to(ROOT).as_posix()
        zh = zh_page(src)
        if src.suffix == ".ipynb":
            english = notebook_markdown(src)
            cells = read_cells(zh)
            for cid, source in english.items():
                if cid not in cells:
                    report.items.append(Item(rel, cid, "untranslated"))
                elif cells[cid][0] != cell_sha(source):
                    report.items.append(Item(rel, cid, "stale", cells[cid][0]))
                else:
                    report.items.append(Item(rel, cid, "translated"))
            for cid in cells.keys() - english.keys():
                report.items.append(Item(rel, cid, "orphan", "no such markdown cell in English"))
            continue
        if not zh.exists():
            report.items.append(Item(rel, None, "untranslated"))
            continue
        meta, _ = split_front(zh.read_text(encoding="utf-8"))
        if meta.get("zh-source") != rel:
            report.items.append(Item(rel, None, "stale", f"front matter zh-source is {meta.get('zh-source')!r}"))
        elif meta.get("zh-source-blob") != blob_sha(src.read_bytes()):
            report.items.append(Item(rel, None, "stale", str(meta.get("zh-source-blob"))))
        else:
            report.items.append(Item(rel, None, "translated"))
    return report


def _git(*args: str) -> str | None:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None


def _old_cell(page: str, cid: str, sha: str, limit: int = 200) -> str | None:
    """The English cell ``cid`` as it was when its hash was ``sha``, from git history."""
    commits = _git("log", f"-{limit}", "--format=%H", "--", page) or ""
    for commit in commits.split():
        text = _git("show", f"{commit}:{page}")
        if not text:
            continue
        try:
            cells = json.loads(text)["cells"]
        except (ValueError, KeyError):
            continue
        for c in cells:
            if c.get("id") == cid and cell_sha(_text(c["source"])) == sha:
                return _text(c["source"])
    return None


def explain(item: Item) -> str:
    """What changed in the English source of a stale item, and what to do about it."""
    src = ROOT / item.page
    if item.state == "orphan":
        return (f"{item.page} cell {item.cell}: translated, but the English notebook has no "
                f"markdown cell with this id any more: delete it from {zh_page(src).relative_to(ROOT)}")
    if item.cell is None:
        old = _git("cat-file", "-p", item.detail) if re.fullmatch(r"[0-9a-f]{40}", item.detail) else None
        new = src.read_text(encoding="utf-8")
        where = zh_page(src).relative_to(ROOT)
    else:
        old = _old_cell(item.page, item.cell, item.detail)
        new = notebook_markdown(src)[item.cell]
        where = f"{zh_page(src).relative_to(ROOT)} (cell {item.cell})"
    head = (f"{item.page}{' cell ' + item.cell if item.cell else ''}: the English source changed "
            f"after it was translated; update {where}, then run "
            f"`python scripts/zh_sync.py --record {item.page}`")
    if old is None:
        return head + "\n  (the translated English version is not in git history; current text:)\n" + \
            "\n".join("    " + line for line in new.splitlines()[:20])
    diff = difflib.unified_diff(old.splitlines(), new.splitlines(), "English as translated",
                                "English now", lineterm="", n=1)
    return head + "\n" + "\n".join("    " + line for line in diff)


def record(page: str) -> list[str]:
    """Re-record the English hashes of one translated page (or every translated cell)."""
    src = ROOT / page
    zh = zh_page(src)
    if not zh.exists():
        raise LookupError(f"{page} has no translation ({zh.relative_to(ROOT)} does not exist)")
    if src.suffix == ".ipynb":
        english = notebook_markdown(src)
        cells = read_cells(zh)
        unknown = sorted(cells.keys() - english.keys())
        if unknown:
            raise LookupError(f"{zh.relative_to(ROOT)}: cells {unknown} are not in {page}; delete them first")
        ordered = {cid: (cell_sha(english[cid]), cells[cid][1]) for cid in english if cid in cells}
        write_cells(zh, ordered)
        return [f"{page}: recorded {len(ordered)} cell hashes"]
    text = zh.read_text(encoding="utf-8")
    meta, body = split_front(text)
    meta = {"zh-source": page, "zh-source-blob": blob_sha(src.read_bytes())}
    zh.write_text("---\n" + "".join(f"{k}: {v}\n" for k, v in meta.items()) + "---\n" + body,
                  encoding="utf-8")
    return [f"{page}: recorded blob {meta['zh-source-blob']}"]


# ----------------------------------------------------------------------------- assemble
def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _write(path: Path, data: str | bytes) -> None:
    """Write only when the content changed, so Sphinx rebuilds only what changed."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and path.read_bytes() == raw:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)


def english_url(doc: str) -> str:
    """Relative link from a Chinese page to its English counterpart."""
    return "../" * (doc.count("/") + 1) + doc + ".html"


def banner(doc: str) -> str:
    return (f'<div class="admonition warning zh-untranslated">\n'
            f'<p class="admonition-title">{BANNER_TITLE}</p>\n'
            f'<p>{BANNER}（<a href="{english_url(doc)}">English version</a>）。'
            f'翻译进度见 <code>python scripts/zh_sync.py status</code>。</p>\n</div>\n')


def _after_title(text: str, insert: str) -> str:
    """Insert below the first Markdown heading (the page title)."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return "".join(lines[:i + 1]) + "\n" + insert + "\n" + "".join(lines[i + 1:])
    return insert + "\n" + text


def _after_rst_title(text: str, html: str) -> str:
    """Insert a raw-HTML block below the first reStructuredText title."""
    lines = text.splitlines(keepends=True)
    block = "\n.. raw:: html\n\n" + "".join("   " + l + "\n" for l in html.splitlines()) + "\n"
    for i in range(len(lines) - 1):
        under = lines[i + 1].strip()
        if lines[i].strip() and under and set(under) <= set("=-~^*#") and len(under) >= len(lines[i].strip()):
            return "".join(lines[:i + 2]) + block + "".join(lines[i + 2:])
    return block + text


def glossary_dictionary() -> str:
    """A jieba user dictionary of the glossary's Chinese terms (search finds 积分梯度 whole)."""
    page = ZH / "book" / "glossary.md"
    text = (page if page.exists() else ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    block = text.split("```{glossary}", 1)[-1].split("\n```", 1)[0]
    words = {line.strip() for line in block.splitlines()
             if line.strip() and not line[0].isspace() and not line.startswith(":")
             and re.search(r"[\u4e00-\u9fff]", line) and " " not in line.strip()}
    return "".join(f"{w} 100 n\n" for w in sorted(words))


def assemble(out: Path = OUT) -> dict[str, int]:
    """Write the buildable Chinese edition into ``out``; return counts by kind of page."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {"translated": 0, "generated_untranslated": 0, "notebooks": 0}
    en_config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    zh_config = yaml.safe_load((ZH / "_config.yml").read_text(encoding="utf-8"))
    config = _merge(en_config, zh_config)
    dict_path = out / "jieba_glossary.txt"
    _write(dict_path, glossary_dictionary())
    config.setdefault("sphinx", {}).setdefault("config", {})["html_search_options"] = {"dict": str(dict_path)}
    config["execute"]["execute_notebooks"] = "off"
    config["execute"].pop("cache", None)
    _write(out / "_config.yml", "# generated by scripts/zh_sync.py from _config.yml + zh/_config.yml\n"
           + yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    _write(out / "_toc.yml", (ZH / "_toc.yml").read_bytes())
    if toc_docs(ZH / "_toc.yml") != toc_docs():
        raise ValueError("zh/_toc.yml must list the same documents, in the same order, as _toc.yml")
    for shared in SHARED:
        link = out / shared
        if not link.is_symlink():
            link.parent.mkdir(parents=True, exist_ok=True)
            if link.exists():
                raise FileExistsError(f"{link} exists and is not a link: remove {out}")
            link.symlink_to(os.path.relpath(ROOT / shared, link.parent))
    for doc in toc_docs():
        src = english_source(doc)
        rel = src.relative_to(ROOT)
        zh = zh_page(src)
        if src.suffix == ".ipynb":
            nb = json.loads(src.read_text(encoding="utf-8"))
            cells = read_cells(zh)
            for cell in nb["cells"]:
                if cell["cell_type"] == "markdown" and cell["id"] in cells:
                    cell["source"] = cells[cell["id"]][1]
            if not cells:
                first = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
                first["source"] = _after_title(_text(first["source"]), banner(doc))
                counts["generated_untranslated"] += 1
            counts["notebooks"] += 1
            _write(out / rel, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        elif zh.exists():
            _write(out / rel, split_front(zh.read_text(encoding="utf-8"))[1])
            counts["translated"] += 1
        elif src.suffix == ".rst":
            _write(out / rel, _after_rst_title(src.read_text(encoding="utf-8"), banner(doc)))
            counts["generated_untranslated"] += 1
        else:
            _write(out / rel, _after_title(src.read_text(encoding="utf-8"), banner(doc)))
            counts["generated_untranslated"] += 1
    return counts


# ----------------------------------------------------------------------------- CLI
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="status", choices=["status", "assemble", "diff"])
    parser.add_argument("page", nargs="?", help="English source, e.g. book/why-explain.md (diff)")
    parser.add_argument("--record", metavar="PAGE", action="append",
                        help="re-record the English hashes of PAGE once its translation is up to date")
    args = parser.parse_args(argv)
    if args.record:
        for page in args.record:
            print("\n".join(record(page)))
        return 0
    if args.command == "assemble":
        print(">> zh edition assembled in", OUT.relative_to(ROOT), assemble())
        return 0
    report = state()
    if args.command == "diff":
        for item in report.items:
            if item.page == args.page and item.state in ("stale", "orphan"):
                print(explain(item))
        return 0
    pages: dict[str, dict[str, int]] = {}
    for item in report.items:
        pages.setdefault(item.page, {}).setdefault(item.state, 0)
        pages[item.page][item.state] += 1
    for page, counts in pages.items():
        print(f"{page:52s} " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    total = {s: len(report.by_state(s)) for s in ("translated", "stale", "untranslated", "orphan")}
    print(">> pages and cells:", total)
    for item in report.by_state("stale") + report.by_state("orphan"):
        print(explain(item))
    return 1 if total["stale"] or total["orphan"] else 0


if __name__ == "__main__":
    sys.exit(main())
