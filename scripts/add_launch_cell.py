"""Put the hidden setup cell first in every notebook (idempotent).

``python scripts/add_launch_cell.py [notebooks/X.ipynb ...]`` (default: all notebooks).

The cell (id ``launch-setup``, tag ``remove-cell`` so the book hides it, ``# NBVAL_SKIP``
so nbval skips it) does nothing where ``ecomxai`` is importable, which is every run of
``make notebooks``, ``make book`` and Binder. Opened in a bare Python 3.11 Jupyter, it
installs the pinned environment and the package from the repository; on any other Python
(Colab's, for instance) it stops with an explanation instead of installing a mismatched
stack. Each notebook is changed by one quick read-modify-write, touching only this cell.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CELL_ID = "launch-setup"
REPO = "https://github.com/ecomxai/ecomxai-book"
RAW = "https://raw.githubusercontent.com/ecomxai/ecomxai-book/main"
SOURCE = f"""# NBVAL_SKIP
# Setup outside the book's environment (hidden in the book; a no-op where ecomxai is installed)
import importlib.util, subprocess, sys
if importlib.util.find_spec("ecomxai") is None:
    if sys.version_info[:2] != (3, 11):
        raise RuntimeError("ecomxai needs Python 3.11 (this is %d.%d): use Binder or a local "
                           "install, see the README" % sys.version_info[:2])
    pip = [sys.executable, "-m", "pip", "install", "-q"]
    from urllib.request import urlopen
    reqs = urlopen("{RAW}/requirements.txt").read().decode()
    torch = next(l.split()[0] for l in reqs.splitlines() if l.startswith("torch=="))
    subprocess.run(pip + [torch, "--index-url", "https://download.pytorch.org/whl/cpu"], check=True)
    subprocess.run(pip + ["-r", "{RAW}/requirements.txt"], check=True)
    subprocess.run(pip + ["--no-deps", "-r", "{RAW}/requirements-nodeps.txt"], check=True)
    subprocess.run(pip + ["--no-deps", "git+{REPO}"], check=True)"""


def launch_cell() -> dict:
    return {"cell_type": "code", "execution_count": None, "id": CELL_ID,
            "metadata": {"tags": ["remove-cell"]}, "outputs": [],
            "source": SOURCE.splitlines(keepends=True)}


def apply(path: Path) -> bool:
    """Insert or refresh the cell; True if the file changed."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = nb["cells"]
    existing = [i for i, c in enumerate(cells) if c.get("id") == CELL_ID]
    if existing:
        cell = cells[existing[0]]
        if "".join(cell["source"]) == SOURCE and cell["metadata"].get("tags") == ["remove-cell"]:
            return False
        cell["source"] = launch_cell()["source"]
        cell["metadata"]["tags"] = ["remove-cell"]
    else:
        # after the title cell, so the page title stays the notebook's first element
        first = cells[0] if cells else None
        at = 1 if first and first["cell_type"] == "markdown" and \
            "".join(first["source"]).lstrip().startswith("# ") else 0
        cells.insert(at, launch_cell())
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for p in paths:
        print(("added/updated " if apply(p) else "unchanged     ") + p.name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
