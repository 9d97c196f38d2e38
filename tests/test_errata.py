"""The errata page quotes the source documents faithfully, and the book cites every reference.

Every erratum of ``book/errata.md`` is a ``:::{admonition}`` of class ``erratum`` with four
definition-list fields: ``原文`` (one or more lines ``<doc> §<section> 「quote」``),
``What is wrong``, ``Correct`` and ``Shown in``. The quotes are checked against the Chinese
texts in ``<repo>/../shared/seeds`` (or ``$ECOMXAI_SEEDS``); the texts are not redistributed
with the book, so those checks skip, with the reason, where the folder is absent.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
ERRATA = BOOK / "errata.md"
SEEDS = Path(os.environ.get("ECOMXAI_SEEDS", ROOT.parent / "shared" / "seeds"))

FIELDS = ("原文", "What is wrong", "Correct", "Shown in")
ADMONITION = re.compile(r"^:::\{admonition\} (?P<key>(?:\d{3}|X)\.\d+) — (?P<title>.+?)\n"
                        r"(?P<body>.*?)^:::$", re.S | re.M)
QUOTE = re.compile(r"^: (?P<doc>\d{3}) §(?P<section>\d+(?:\.\d+)*) 「(?P<quote>.+?)」\s*$", re.M)
HEADING = re.compile(r"^(?P<hashes>#+)\s*(?P<number>\d+(?:\.\d+)*)\.?\s")
CJK = re.compile(r"[\u4e00-\u9fff]")
CELL_LINK = re.compile(r"\{ref\}`[^`]+`|\{doc\}`[^`]*notebooks/[^`]+`|\{glue:[a-z]+\}`[^`]+`")


def errata() -> list[dict[str, str]]:
    """Every erratum of the page: key, title, and the text of each field."""
    entries = []
    for m in ADMONITION.finditer(ERRATA.read_text(encoding="utf-8")):
        body, fields = m["body"], {}
        for name in FIELDS:
            f = re.search(rf"^{re.escape(name)}\n(?P<text>(?:^: .*\n(?:^  .*\n)*)+)", body, re.M)
            fields[name] = f["text"] if f else ""
        entries.append({"key": m["key"], "title": m["title"], "body": body, **fields})
    return entries


def seed_text(doc: str) -> str:
    files = sorted(SEEDS.glob(f"{doc}_*.txt"))
    assert len(files) == 1, f"expected one text for document {doc} in {SEEDS}, found {files}"
    return files[0].read_text(encoding="utf-8")


def section(text: str, number: str) -> str:
    """The text of section ``number`` (e.g. "4.1"), subsections included."""
    lines, out, inside = text.splitlines(), [], False
    for line in lines:
        h = HEADING.match(line)
        if h:
            n = h["number"]
            if n == number:
                inside = True
            elif inside and not n.startswith(number + "."):
                break
        if inside:
            out.append(line)
    assert out, f"section §{number} not found"
    return "\n".join(out)


def strip_code(quote: str) -> str:
    return quote[1:-1] if len(quote) > 1 and quote[0] == quote[-1] == "`" else quote


ENTRIES = errata()
QUOTES = [(e["key"], q["doc"], q["section"], strip_code(q["quote"]))
          for e in ENTRIES for q in QUOTE.finditer(e["原文"])]


def test_page_has_errata_for_every_document():
    keys = [e["key"] for e in ENTRIES]
    assert len(keys) == len(set(keys)), "duplicate erratum numbers"
    for doc in ("000", "001", "002", "003", "004", "X"):
        assert sum(k.startswith(doc + ".") for k in keys) >= 3, doc
    assert len(keys) >= 55


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["key"] for e in ENTRIES])
def test_every_erratum_has_all_fields(entry):
    for name in FIELDS:
        assert entry[name].strip(), f"{entry['key']}: field {name!r} is missing or empty"
    assert QUOTE.search(entry["原文"]), f"{entry['key']}: 原文 needs '<doc> §<section> 「quote」'"
    assert len(entry["Correct"].strip()) > 10, f"{entry['key']}: no correction"
    assert CELL_LINK.search(entry["Shown in"]), f"{entry['key']}: no link to a notebook cell"
    doc = entry["key"].split(".")[0]
    if doc != "X":
        assert all(q["doc"] == doc for q in QUOTE.finditer(entry["原文"])), \
            f"{entry['key']} quotes another document"


@pytest.mark.parametrize("key, doc, number, quote", QUOTES,
                         ids=[f"{k}-{i}" for i, (k, *_rest) in enumerate(QUOTES)])
def test_quote_occurs_in_the_named_section(key, doc, number, quote):
    if not SEEDS.is_dir():
        pytest.skip(f"the source documents are not here ({SEEDS}); set ECOMXAI_SEEDS")
    text = section(seed_text(doc), number)
    assert quote in text, f"{key}: quote not found verbatim in document {doc} §{number}"
    whole_line = any(line.strip() == quote for line in text.splitlines())
    assert len(CJK.findall(quote)) >= 10 or whole_line, \
        f"{key}: quote at least 10 Chinese characters, or a whole formula or code line"


def test_cell_links_point_at_existing_labels():
    labels = set()
    for path in list((ROOT / "notebooks").glob("*.ipynb")) + list(BOOK.glob("*.md")):
        labels |= set(re.findall(r"\(([A-Za-z0-9_-]+)\)=", path.read_text(encoding="utf-8")))
    missing = {(e["key"], ref) for e in ENTRIES
               for ref in re.findall(r"\{ref\}`(?:[^`<]*<)?([^`>]+)>?`", e["Shown in"])
               if ref not in labels}
    assert not missing, f"links to labels that do not exist: {sorted(missing)}"


def _bib_keys() -> list[str]:
    return re.findall(r"^@\w+\{([^,\s]+),", (BOOK / "references.bib").read_text(encoding="utf-8"),
                      re.M)


def test_every_reference_is_cited():
    text = "\n".join(p.read_text(encoding="utf-8") for p in BOOK.glob("*.md"))
    cited = set()
    for group in re.findall(r"\{cite(?::[a-z]+)?\}`([^`]+)`", text):
        cited |= {k.strip() for k in group.split(",")}
    keys = _bib_keys()
    assert keys, "no entries in book/references.bib"
    uncited = sorted(set(keys) - cited)
    assert not uncited, f"bibliography entries cited nowhere in book/*.md: {uncited}"
    unknown = sorted(cited - set(keys))
    assert not unknown, f"cited keys missing from book/references.bib: {unknown}"


def test_sources_page_titles_come_from_the_texts():
    rows = re.findall(r"^\| (\d{3}) \| (.+?) \| (.+?) \|", (BOOK / "sources.md").read_text(
        encoding="utf-8"), re.M)
    assert [r[0] for r in rows[:5]] == ["000", "001", "002", "003", "004"], rows[:5]
    if not SEEDS.is_dir():
        pytest.skip(f"the source documents are not here ({SEEDS}); set ECOMXAI_SEEDS")
    for doc, title, where in rows[:5]:
        text = seed_text(doc)
        quoted = re.findall(r"《(.+?)》|「(.+?)」", title + " " + where)
        assert quoted, f"document {doc}: no title or quotation on the sources page"
        for a, b in quoted:
            assert (a or b) in text, f"document {doc}: {(a or b)!r} is not in the text"


def test_new_errata_demonstrations_hold():
    """The functions behind notebook 02b: the document's version fails, the correction works."""
    import numpy as np

    from ecomxai.formulas import attention, backprop, dnn, linear, recommend

    assert linear.listing_activation_plot_000(np.ones((10, 32)))["listing_error"]
    with pytest.raises(ValueError, match="n_samples, n_units"):
        linear.listing_activation_plot_000(np.ones(32))
    mixing = recommend.batch_first_mixing_001()
    assert mixing["default"] > 1e-3 and mixing["batch_first"] < 1e-12
    assert recommend.collate_unpadded_001()["padded_shape"] == (2, 5)
    assert recommend.bce_shape_001()["listing_error"].startswith("ValueError")
    shape = attention.gradient_importance_shape_002()
    assert shape["listing_shape"] != (shape["tokens"],) == shape["per_token_shape"]
    assert dnn.symbol_roles_003()["formula_reading_error"].startswith("ValueError")
    leak = dnn.explainer_loss_leak_003()
    assert leak["as printed"] > 0 and leak["detached"] == 0.0
    out = backprop.output_layer_error_004()
    assert out["document_error"] and abs(out["delta_L"] - out["finite_difference"]) < 1e-6
    upd = backprop.listing_update_shapes_004()
    assert len(upd["listing_errors"]) == 2 and upd["max_fd_deviation"] < 1e-5
