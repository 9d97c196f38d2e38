"""ecomxai.runtime: offline/quiet environment, seeding, the artifact cache."""

import os
import random
import subprocess
import sys

import numpy as np
import pytest

from ecomxai import runtime


def test_import_sets_offline_and_quiet_environment_before_frameworks():
    code = ("import sys, os; import ecomxai; "
            "assert 'tensorflow' not in sys.modules and 'transformers' not in sys.modules; "
            "print(os.environ['HF_HUB_OFFLINE'], os.environ['TRANSFORMERS_OFFLINE'], "
            "os.environ['TF_CPP_MIN_LOG_LEVEL'])")
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "TF_CPP_MIN_LOG_LEVEL")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)
    assert out.stdout.split() == ["1", "1", "3"]


def test_user_setting_wins(monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")
    runtime.configure_environment()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"


def test_seed_everything_makes_random_numpy_torch_and_tf_repeat():
    import tensorflow as tf
    import torch

    def draw():
        return (random.random(), np.random.rand(), torch.rand(1).item(),
                float(tf.random.uniform(())))

    runtime.seed_everything(7)
    first = draw()
    runtime.seed_everything(7)
    assert draw() == first
    runtime.seed_everything(8)
    assert draw() != first


@pytest.mark.parametrize("bad", [-1, 1.5, "3", True])
def test_seed_everything_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="non-negative integer"):
        runtime.seed_everything(bad)


def test_config_hash_ignores_key_order_and_sees_values():
    a = runtime.config_hash({"lr": 0.01, "layers": [64, 32], "x": np.arange(3)})
    b = runtime.config_hash({"x": np.arange(3), "layers": [64, 32], "lr": 0.01})
    assert a == b
    assert a != runtime.config_hash({"lr": 0.02, "layers": [64, 32], "x": np.arange(3)})
    assert a != runtime.config_hash({"lr": 0.01, "layers": [64, 32], "x": np.arange(4)})


def test_config_hash_rejects_unhashable_values():
    with pytest.raises(TypeError, match="cannot hash"):
        runtime.config_hash({"model": object()})


def test_cache_builds_once_then_loads(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOMXAI_CACHE_DIR", str(tmp_path))
    calls = []

    def build():
        calls.append(1)
        return np.arange(5.0)

    def save(arr, folder):
        np.save(folder / "a.npy", arr)

    def load(folder):
        return np.load(folder / "a.npy")

    first, hit1 = runtime.cached("toy", {"n": 5}, build, save, load)
    second, hit2 = runtime.cached("toy", {"n": 5}, build, save, load)
    assert (hit1, hit2) == (False, True) and len(calls) == 1
    np.testing.assert_array_equal(first, second)
    _, hit3 = runtime.cached("toy", {"n": 6}, build, save, load)   # new config retrains
    assert hit3 is False and len(calls) == 2
    assert runtime.clear_cache("toy") == 2
    assert not any(tmp_path.iterdir())


def test_cache_rebuilds_a_broken_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOMXAI_CACHE_DIR", str(tmp_path))
    save = lambda arr, folder: np.save(folder / "a.npy", arr)  # noqa: E731
    runtime.cached("toy", {}, lambda: np.ones(2), save, lambda f: np.load(f / "a.npy"))
    (runtime.artifact_path("toy", {}) / "a.npy").write_bytes(b"garbage")
    with pytest.warns(UserWarning, match="rebuilding"):
        arr, hit = runtime.cached("toy", {}, lambda: np.ones(2), save,
                                  lambda f: np.load(f / "a.npy"))
    assert hit is False and arr.tolist() == [1.0, 1.0]


@pytest.mark.parametrize("name", ["", "a/b", ".hidden"])
def test_artifact_names_are_plain(name):
    with pytest.raises(ValueError, match="plain folder name"):
        runtime.artifact_path(name, {})


def test_default_cache_is_inside_the_project_and_git_ignored(monkeypatch):
    monkeypatch.delenv("ECOMXAI_CACHE_DIR", raising=False)
    root = runtime.project_root()
    assert root is not None
    assert runtime.cache_dir() == root / ".cache" / "ecomxai"
    assert ".cache/" in (root / ".gitignore").read_text().split()
