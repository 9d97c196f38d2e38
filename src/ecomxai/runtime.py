"""Runtime environment shared by every part of the book.

Three concerns live here and nowhere else:

* **Offline and quiet.** :func:`configure_environment` sets ``HF_HUB_OFFLINE``,
  ``TRANSFORMERS_OFFLINE`` and TensorFlow's log level *before* TensorFlow or
  ``transformers`` are imported. It runs when :mod:`ecomxai` is imported, so the first
  line of every notebook (``import ecomxai``) is enough.
* **Determinism.** :func:`seed_everything` seeds Python, NumPy, TensorFlow (with op
  determinism) and PyTorch.
* **An artifact cache.** :func:`cached` trains a model once and reloads it on every later
  run; the key is a hash of the training configuration, so changing any hyper-parameter
  retrains. The cache lives in ``<project>/.cache/ecomxai`` (git-ignored) or in
  ``$ECOMXAI_CACHE_DIR``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any, Callable, TypeVar

import numpy as np

__all__ = [
    "DEFAULT_SEED",
    "QUIET_OFFLINE_ENV",
    "configure_environment",
    "seed_everything",
    "project_root",
    "cache_dir",
    "config_hash",
    "artifact_path",
    "cached",
    "clear_cache",
]

DEFAULT_SEED = 42

#: Environment variables that make the Hugging Face stack offline and TensorFlow silent.
QUIET_OFFLINE_ENV: dict[str, str] = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
    "TOKENIZERS_PARALLELISM": "false",
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "ABSL_MIN_LOG_LEVEL": "3",
    "KERAS_BACKEND": "tensorflow",
    "PYTHONHASHSEED": str(DEFAULT_SEED),
}

T = TypeVar("T")


def configure_environment() -> None:
    """Make the process offline and quiet before heavy frameworks are imported.

    Sets every variable in :data:`QUIET_OFFLINE_ENV` that the user has not set already
    (an explicit user setting wins), silences the Python loggers of TensorFlow, absl and
    ``transformers``, and filters the framework warnings that carry no information for a
    reader. Safe to call many times.
    """
    for key, value in QUIET_OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    for name in ("tensorflow", "absl", "transformers", "h5py", "numba", "shap", "matplotlib"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", message=".*oneDNN.*")
    warnings.filterwarnings("ignore", message=".*IProgress not found.*")
    if "tensorflow" in sys.modules:  # imported before ecomxai: quieten what we still can
        sys.modules["tensorflow"].get_logger().setLevel(logging.ERROR)


def seed_everything(seed: int = DEFAULT_SEED, *, deterministic_ops: bool = True) -> int:
    """Seed every random number generator the book uses.

    Parameters
    ----------
    seed
        Non-negative integer seed, applied to :mod:`random`, NumPy's legacy global state,
        TensorFlow/Keras and PyTorch (whichever of the two are installed).
    deterministic_ops
        Also ask TensorFlow (``enable_op_determinism``) and PyTorch
        (``use_deterministic_algorithms``) for deterministic kernels, so a re-run gives
        the same numbers bit for bit on the same machine.

    Returns
    -------
    int
        The seed, so a notebook can write ``SEED = seed_everything(0)``.
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    seed = int(seed)
    configure_environment()
    random.seed(seed)
    np.random.seed(seed % 2**32)
    try:
        import tensorflow as tf  # noqa: PLC0415 (optional, heavy)

        tf.keras.utils.set_random_seed(seed)
        if deterministic_ops:
            tf.config.experimental.enable_op_determinism()
    except ImportError:  # pragma: no cover - TensorFlow is part of the pinned set
        pass
    try:
        import torch  # noqa: PLC0415

        torch.manual_seed(seed)
        if deterministic_ops:
            torch.use_deterministic_algorithms(True, warn_only=True)
    except ImportError:  # pragma: no cover
        pass
    return seed


def project_root(start: Path | None = None) -> Path | None:
    """Return the folder holding this project's ``pyproject.toml``, searching upwards.

    Returns ``None`` when ``ecomxai`` is used outside the book's repository.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and 'name = "ecomxai"' in candidate.read_text(errors="ignore"):
            return folder
    package_root = Path(__file__).resolve().parents[2]  # src/ecomxai/runtime.py -> root
    if (package_root / "pyproject.toml").is_file():
        return package_root
    return None


def cache_dir() -> Path:
    """Folder of the artifact cache, created on demand.

    ``$ECOMXAI_CACHE_DIR`` if set, else ``<project>/.cache/ecomxai``, else
    ``~/.cache/ecomxai``.
    """
    env = os.environ.get("ECOMXAI_CACHE_DIR")
    if env:
        path = Path(env)
    else:
        root = project_root()
        path = (root / ".cache" / "ecomxai") if root else Path.home() / ".cache" / "ecomxai"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _canonical(value: Any) -> Any:
    """Turn a configuration into something ``json.dumps`` can hash reproducibly."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, np.ndarray):
        return {"ndarray": hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest(),
                "shape": list(value.shape), "dtype": str(value.dtype)}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "__dataclass_fields__"):
        return {"dataclass": type(value).__name__,
                **{f: _canonical(getattr(value, f)) for f in value.__dataclass_fields__}}
    raise TypeError(
        f"cannot hash a configuration value of type {type(value).__name__}; "
        "use numbers, strings, lists, dicts, dataclasses or NumPy arrays"
    )


def config_hash(config: dict[str, Any], length: int = 12) -> str:
    """Short SHA-256 of a JSON-canonical configuration (key order does not matter)."""
    blob = json.dumps(_canonical(config), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:length]


def artifact_path(name: str, config: dict[str, Any]) -> Path:
    """Folder for the artifact ``name`` trained with ``config`` (not created)."""
    if not name or any(sep in name for sep in "/\\") or name.startswith("."):
        raise ValueError(f"artifact name must be a plain folder name, got {name!r}")
    return cache_dir() / f"{name}-{config_hash(config)}"


def cached(
    name: str,
    config: dict[str, Any],
    build: Callable[[], T],
    save: Callable[[T, Path], None],
    load: Callable[[Path], T],
) -> tuple[T, bool]:
    """Build an artifact once, then load it on every later call with the same config.

    Parameters
    ----------
    name
        Folder-safe name of the artifact, e.g. ``"sales_mlp"``.
    config
        Everything that determines the artifact (data sizes, seeds, hyper-parameters).
        Its hash is part of the folder name, so any change rebuilds.
    build
        Trains and returns the artifact.
    save, load
        Write the artifact into a folder / read it back from that folder.

    Returns
    -------
    (artifact, from_cache)
        ``from_cache`` is ``True`` when nothing was trained.
    """
    target = artifact_path(name, config)
    done = target / ".complete"
    if done.is_file():
        try:
            return load(target), True
        except Exception as err:  # a stale or truncated artifact: rebuild it
            warnings.warn(f"cache entry {target} could not be loaded ({err}); rebuilding",
                          stacklevel=2)
            shutil.rmtree(target, ignore_errors=True)
    artifact = build()
    staging = target.with_name(target.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    save(artifact, staging)
    (staging / "config.json").write_text(json.dumps(_canonical(config), indent=1, sort_keys=True))
    (staging / ".complete").write_text("ok\n")
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return artifact, False


def clear_cache(name: str | None = None) -> int:
    """Delete cached artifacts (all, or those whose name is ``name``); return how many."""
    removed = 0
    for entry in cache_dir().iterdir():
        if entry.is_dir() and (name is None or entry.name.rsplit("-", 1)[0] == name):
            shutil.rmtree(entry)
            removed += 1
    return removed
