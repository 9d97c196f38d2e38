"""The package's layers hold (pyproject.toml, [tool.importlinter]): studies on top, models
above data above runtime, and explain/evaluate/viz never import a model, a data set or a
study -- checked on every import, lazy ones inside functions included."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-1000:]
    assert "0 broken" in run.stdout


def test_contracts_cover_every_subpackage():
    text = (ROOT / "pyproject.toml").read_text()
    packages = {p.name for p in (ROOT / "src" / "ecomxai").iterdir()
                if p.is_dir() and (p / "__init__.py").exists()}
    packages |= {p.stem for p in (ROOT / "src" / "ecomxai").glob("*.py") if p.stem != "__init__"}
    named = {name for name in packages if f'"ecomxai.{name}"' in text}
    assert named == packages, f"place these in an import contract: {sorted(packages - named)}"
