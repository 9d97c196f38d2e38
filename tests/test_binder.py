"""The Binder configuration installs exactly the book's pins, the --no-deps wheels and the package.

``binder/postBuild`` is executed with a stand-in ``python`` that records its arguments, so
the test checks what the script would really install, not what it looks like.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(path: Path) -> set[str]:
    out = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.add(line.lower())
    return out


def _recorded_installs(tmp_path: Path) -> list[list[str]]:
    log = tmp_path / "calls.log"
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python").write_text(f'#!/bin/bash\nprintf "%q " "$@" >> {log}\necho >> {log}\n')
    (fake / "python").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"}
    subprocess.run(["bash", str(ROOT / "binder" / "postBuild")], check=True, env=env,
                   cwd=tmp_path)
    calls = [shlex.split(line) for line in log.read_text().splitlines() if line.strip()]
    return [c[3:] for c in calls if c[:3] == ["-m", "pip", "install"]]


def test_postbuild_installs_exactly_the_pins(tmp_path):
    installs = _recorded_installs(tmp_path)
    normal, nodeps = set(), set()
    editable = []
    for args in installs:
        target = nodeps if "--no-deps" in args else normal
        it = iter(a for a in args if a not in ("--no-cache-dir", "--no-deps"))
        for a in it:
            if a == "--index-url":
                assert next(it) == "https://download.pytorch.org/whl/cpu"
            elif a == "-r":
                target |= _pins(ROOT / next(it))
            elif a == "-e":
                editable.append((next(it), args))
            else:
                assert re.fullmatch(r"[\w.-]+==[\w.+-]+", a), f"unpinned install: {a}"
                target.add(a.lower())
    assert normal == _pins(ROOT / "requirements.txt")
    assert nodeps == _pins(ROOT / "requirements-nodeps.txt")
    assert [e for e, _ in editable] == ["."] and "--no-deps" in editable[0][1]
    # torch first, from the CPU index, before anything can pull another torch build
    assert any(a.startswith("torch==") for a in installs[0]) and "--index-url" in installs[0]


def test_binder_python_matches_the_package():
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    text = (ROOT / "pyproject.toml").read_text()
    low = re.search(r'requires-python = ">=(\d+\.\d+)', text).group(1)
    assert runtime == f"python-{low}"
    # nothing else in binder/ may install a second, different environment first
    assert {p.name for p in (ROOT / "binder").iterdir()} == {"postBuild", "runtime.txt"}


def test_colab_is_not_offered():
    config = (ROOT / "_config.yml").read_text()
    assert "colab_url" not in config, "Colab runs another Python than 3.11: see README"
    assert "binderhub_url: https://mybinder.org" in config


def _launch_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("add_launch_cell",
                                                  ROOT / "scripts" / "add_launch_cell.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_notebook_starts_with_the_hidden_setup_cell(tmp_path):
    import json
    import shutil

    launch = _launch_module()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert code and code[0].get("id") == launch.CELL_ID, f"{path.name}: run scripts/add_launch_cell.py"
        assert code[0]["metadata"]["tags"] == ["remove-cell"]
        assert "".join(code[0]["source"]).startswith("# NBVAL_SKIP")
        copy = tmp_path / path.name
        shutil.copy(path, copy)
        assert launch.apply(copy) is False, f"{path.name}: the setup cell is out of date"


def test_the_setup_cell_is_a_no_op_where_ecomxai_is_installed(monkeypatch):
    launch = _launch_module()
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    exec(compile(launch.SOURCE, "launch-setup", "exec"), {})
    assert calls == []
