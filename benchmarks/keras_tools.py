"""Framework helpers for the sanity check: re-initialise named layers, then restore them."""

from __future__ import annotations

import contextlib
import copy
from typing import Any, Iterator, Sequence

import numpy as np


@contextlib.contextmanager
def keras_layers_randomised(model: Any, layer_names: Sequence[str], seed: int = 0
                            ) -> Iterator[Any]:
    """Temporarily replace the kernels of the named Keras layers by Glorot-uniform draws
    (their default initialiser) and their biases by zeros; restore on exit."""
    rng = np.random.default_rng(seed)
    layers = [model.get_layer(name) for name in layer_names]
    saved = [[w.numpy().copy() for w in layer.weights] for layer in layers]
    try:
        for layer in layers:
            for w in layer.weights:
                value = w.numpy()
                if value.ndim >= 2:
                    fan_in, fan_out = value.shape[-2], value.shape[-1]
                    limit = np.sqrt(6.0 / (fan_in + fan_out))
                    w.assign(rng.uniform(-limit, limit, value.shape).astype(value.dtype))
                else:
                    w.assign(np.zeros_like(value))
        yield model
    finally:
        for layer, values in zip(layers, saved):
            for w, v in zip(layer.weights, values):
                w.assign(v)


def torch_randomised_copy(module: Any, prefixes: Sequence[str], seed: int = 0) -> Any:
    """A deep copy of a PyTorch module whose sub-modules named by ``prefixes`` are
    re-initialised with their own ``reset_parameters`` (PyTorch's default init).

    A prefix may join several with ``|`` (``"encoder.layer.4|encoder.layer.5"``) to
    randomise a group of layers as one step."""
    import torch  # noqa: PLC0415

    clone = copy.deepcopy(module)
    torch.manual_seed(seed)
    prefixes = [p for group in prefixes for p in group.split("|")]
    for name, sub in clone.named_modules():
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            if hasattr(sub, "reset_parameters"):
                sub.reset_parameters()
    clone.eval()
    return clone
