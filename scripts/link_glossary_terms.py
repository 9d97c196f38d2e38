"""Link every glossary term at its first use in each chapter (idempotent).

``python scripts/link_glossary_terms.py``          rewrite the chapters (quick read-modify-write)
``python scripts/link_glossary_terms.py --check``  list unlinked first uses, exit 1 if any

A term's first use is its first occurrence in a chapter's running prose: paragraphs and
lists outside fenced blocks (code, directives), headings, tables, inline code, math,
roles and link texts. It counts as linked when a ``{term}`` role pointing at the entry
(any of its English or Chinese forms) comes first, or when the first use is bold
(``**term**``: the chapter defines it there). Otherwise the first use is wrapped in
``{term}`text <entry>```. Forms of an entry: its English term lines without a trailing
parenthesis, plus an acronym given in that parenthesis, e.g. "multilayer perceptron" and
"MLP"; plurals match. Everyday words that are glossary entries only for the articles'
sake are not required (``EVERYDAY``).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ["why-explain", "mathematics", "network-by-hand", "mlp-sales",
            "transformer-recommender", "bert", "explainer-network", "evaluating", "outlook"]
EVERYDAY = {"trust", "recall", "parameters", "convergence", "visualisation", "transparency",
            "fairness", "mask", "token", "neuron", "gradient", "normalisation", "encoder",
            "explainability", "interpretability", "epoch", "data cleaning", "heat map",
            "baseline", "bias", "error", "accuracy", "time series", "user feedback",
            "user history", "item features", "search ranking", "price prediction",
            "regulation and compliance", "data mining", "image recognition", "mean",
            "personalised recommendation", "binary classification", "probability distribution",
            "supervised learning", "unlabelled data", "text classification", "model compression",
            "feature selection", "feature extraction", "feature engineering", "data preprocessing",
            "hidden layer", "loss function", "learning rate", "batch size", "linear model",
            "decision rule", "neural network", "deep learning", "machine learning",
            "artificial intelligence", "AI", "ML", "DL", "embedding", "dense layer", "dropout",
            "model explainability", "stability", "Transformer", "recommender system",
            "e-commerce search and recommendation", "decision tree", "tokenizer", "sigmoid",
            "softmax", "fine-tuning", "pre-training", "parameter initialisation", "chain rule",
            "forward propagation", "activation", "activation function", "hidden state",
            "cosine similarity", "feature importance", "feature weight"}
SKIP_LINE = re.compile(r"^\s*(#|\||:|<|\$\$|!\[|\[\^|\{(?![\w:-]+\}`))")
FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})")
# spans inside a line that are never prose: roles, inline code, math, link texts/targets
PROTECT = re.compile(r"\{[a-z:-]+\}`[^`]*`|``.*?``|`[^`]*`|\$[^$]+\$|\[[^\]]*\]\([^)]*\)|<[^>]+>")
TERM_ROLE = re.compile(r"\{term\}`([^`<]*?)(?:\s*<([^>]+)>)?`")
BOLD = re.compile(r"\*\*([^*]+)\*\*")


def glossary_entries() -> list[list[str]]:
    """Each entry's term lines (English and Chinese forms), in file order."""
    text = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    body = text[text.index("```{glossary}"):].splitlines()[1:]
    entries, current = [], []
    for line in body:
        if line.startswith("```"):
            break
        if line and not line.startswith((" ", ":")):
            current.append(line.strip())
        elif current:
            entries.append(current)
            current = []
    return entries


def forms(entry: list[str]) -> list[str]:
    out = []
    for term in entry:
        if re.search(r"[\u4e00-\u9fff]", term):
            continue
        m = re.fullmatch(r"(.*?)\s*\(([^)]*)\)", term)
        base = m.group(1) if m else term
        if base not in EVERYDAY:
            out.append(base)
        if m and re.fullmatch(r"[A-Z][A-Za-z]{1,5}", m.group(2)) and m.group(2) not in EVERYDAY:
            out.append(m.group(2))
    return out


def _pattern(form: str) -> re.Pattern[str]:
    flags = 0 if form.isupper() or form[:1].isupper() else re.IGNORECASE
    body = re.escape(form).replace(r"\ ", r"[\s]+")
    return re.compile(rf"(?<![\w-]){body}(?:s|es)?(?![\w-])", flags)


def prose_lines(lines: list[str]) -> list[int]:
    """Indices of lines that are running prose."""
    out, fence, math = [], None, False
    for i, line in enumerate(lines):
        if not fence and line.strip().startswith("$$"):
            # a display-math block: "$$" alone (or opening a multi-line block) toggles
            if not (line.strip().endswith("$$") and len(line.strip()) > 2):
                math = not math
            continue
        if math:
            continue
        m = FENCE.match(line)
        if fence:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and line.strip() == m.group(1):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        if line.startswith("    ") or SKIP_LINE.match(line) or not line.strip():
            continue
        out.append(i)
    return out


def first_uses(text: str, entries: list[list[str]]):
    """Per entry: (line, start, end, linked) of its first use, or None."""
    lines = text.splitlines()
    patterns = [(k, _pattern(f)) for k, e in enumerate(entries) for f in forms(e)]
    names = [{t.lower() for t in e} for e in entries]
    found: dict[int, tuple[int, int, int, bool]] = {}
    for i in prose_lines(lines):
        line = lines[i]
        protected = [(m.start(), m.end()) for m in PROTECT.finditer(line)]
        # links already there
        for m in TERM_ROLE.finditer(line):
            target = (m.group(2) or m.group(1)).strip().lower()
            for k, n in enumerate(names):
                if target in n and k not in found:
                    found[k] = (i, m.start(), m.end(), True)
        bold = [(m.start(), m.end()) for m in BOLD.finditer(line)]
        hits = []
        for k, pat in patterns:
            for m in pat.finditer(line):
                if any(a <= m.start() < b for a, b in protected):
                    continue
                hits.append((m.start(), -(m.end() - m.start()), m.end(), k))
        hits.sort()
        taken_until = -1
        for start, _, end, k in hits:      # longest match wins at overlapping places
            if start < taken_until:
                continue
            taken_until = end
            if k not in found:
                found[k] = (i, start, end, any(a <= start < b for a, b in bold))
    return found


def link(text: str, entries: list[list[str]]) -> tuple[str, int]:
    lines = text.splitlines(keepends=True)
    todo = sorted(((i, s, e, k) for k, (i, s, e, ok) in first_uses(text, entries).items()
                   if not ok), reverse=True)
    for i, s, e, k in todo:
        line = lines[i]
        target = next(t for t in entries[k] if not re.search(r"[\u4e00-\u9fff]", t))
        word = line[s:e]
        role = f"{{term}}`{word}`" if word == target else f"{{term}}`{word} <{target}>`"
        lines[i] = line[:s] + role + line[e:]
    return "".join(lines), len(todo)


def main() -> int:
    entries = glossary_entries()
    check = "--check" in sys.argv
    missing = 0
    for chapter in CHAPTERS:
        path = ROOT / "book" / f"{chapter}.md"
        text = path.read_text(encoding="utf-8")
        new, n = link(text, entries)
        missing += n
        if check:
            for k, (i, s, e, ok) in first_uses(text, entries).items():
                if not ok:
                    print(f"{chapter}.md:{i + 1}: first use of {entries[k][0]!r} is not linked")
        elif n:
            path.write_text(new, encoding="utf-8")
            print(f"{chapter}.md: linked {n} first uses")
    return 1 if check and missing else 0


if __name__ == "__main__":
    sys.exit(main())
