"""One small adapter between a trained model and every gradient method.

Gradient explainers in :mod:`ecomxai.explain.gradients` never know which framework
trained the model. They need two things of it, for a batch of float inputs ``X`` of any
shape ``(n, ...)``:

* ``model(X)`` -- one scalar output per row, shape ``(n,)``;
* ``model.gradient(X)`` -- :math:`\\partial f(x_r) / \\partial x_r` for every row ``r``,
  same shape as ``X``.

:class:`KerasAdapter` and :class:`TorchAdapter` provide both for TensorFlow/Keras and
PyTorch models (or any differentiable callable of those frameworks);
:class:`NumpyAdapter` wraps a NumPy function with a hand-written gradient (the book's
scratch network). Inputs that are token or item *ids* are not differentiable: wrap the
part of the model that starts at the embeddings instead (see the BERT and recommender
chapters).
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, runtime_checkable

import numpy as np

from ecomxai.validation import InputError, check_array, check_callable, check_int

__all__ = ["GradientModel", "KerasAdapter", "TorchAdapter", "NumpyAdapter", "check_inputs"]


@runtime_checkable
class GradientModel(Protocol):
    """What a gradient method needs of a model: scalar outputs and input gradients."""

    def __call__(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - protocol
        ...

    def gradient(self, X: np.ndarray) -> np.ndarray:  # pragma: no cover - protocol
        ...


def check_inputs(X: Any, *, name: str = "X", min_ndim: int = 2) -> np.ndarray:
    """Validate a batch of float inputs and return it as a float64 array.

    Raises
    ------
    ecomxai.validation.InputError
        If ``X`` is not numeric, has fewer than ``min_ndim`` dimensions, has no rows, or
        holds NaN or infinite values.
    """
    return check_array(X, name, min_ndim=min_ndim)


def _check_output_index(output_index: Any) -> int | None:
    return None if output_index is None else check_int(output_index, "output_index", minimum=0)


def _checked(values: Any, n: int, what: str) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise InputError(f"the model's {what} holds {int(np.sum(~np.isfinite(arr)))} NaN or "
                         "infinite values; check the model and the input scale")
    if what == "output" and arr.shape != (n,):
        raise InputError(f"the model must give one output per row: ({n},), got {arr.shape}")
    return arr


def _select_output(out: np.ndarray, output_index: int | None, n: int) -> np.ndarray:
    out = np.asarray(out)
    if out.ndim == 1:
        if output_index not in (None, 0):
            raise InputError(f"model has a single output; output_index={output_index} is invalid")
        return out
    flat = out.reshape(n, -1)
    if flat.shape[1] == 1 and output_index in (None, 0):
        return flat[:, 0]
    if output_index is None:
        raise InputError(
            f"model returns {flat.shape[1]} outputs per row; pass output_index to choose one"
        )
    if not 0 <= output_index < flat.shape[1]:
        raise InputError(f"output_index={output_index} out of range for {flat.shape[1]} outputs")
    return flat[:, output_index]


class KerasAdapter:
    """Gradients of a Keras/TensorFlow model through ``tf.GradientTape``.

    Parameters
    ----------
    model
        A Keras model or any callable mapping a ``tf.Tensor`` of shape ``(n, ...)`` to
        outputs of shape ``(n,)``, ``(n, 1)`` or ``(n, k)``.
    output_index
        Which output to explain when the model has several (e.g. a class logit).
    batch_size
        Rows per forward/backward pass.
    """

    def __init__(self, model: Callable[..., Any], output_index: int | None = None,
                 batch_size: int = 4096) -> None:
        check_callable(model, "model")
        self.output_index = _check_output_index(output_index)
        self.batch_size = check_int(batch_size, "batch_size")
        import tensorflow as tf  # noqa: PLC0415 - optional framework

        self._tf = tf
        self.model = model

    def _forward(self, x: Any) -> Any:
        tf = self._tf
        out = self.model(x, training=False) if hasattr(self.model, "layers") else self.model(x)
        out = tf.reshape(out, (tf.shape(x)[0], -1))
        col = 0 if self.output_index is None else self.output_index
        if out.shape[1] is not None and out.shape[1] > 1 and self.output_index is None:
            raise InputError(
                f"model returns {out.shape[1]} outputs per row; pass output_index to choose one"
            )
        return out[:, col]

    def __call__(self, X: np.ndarray) -> np.ndarray:
        X = check_inputs(X)
        tf = self._tf
        parts = [self._forward(tf.constant(X[i:i + self.batch_size], tf.float32)).numpy()
                 for i in range(0, len(X), self.batch_size)]
        return _checked(np.concatenate(parts), len(X), "output")

    def gradient(self, X: np.ndarray) -> np.ndarray:
        X = check_inputs(X)
        tf = self._tf
        grads = []
        for i in range(0, len(X), self.batch_size):
            x = tf.constant(X[i:i + self.batch_size], tf.float32)
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = self._forward(x)
            grads.append(tape.gradient(y, x).numpy())
        return _checked(np.concatenate(grads), len(X), "gradient")


class TorchAdapter:
    """Gradients of a PyTorch model (or differentiable function) through autograd.

    Parameters
    ----------
    model
        ``torch.nn.Module`` or callable mapping a float tensor ``(n, ...)`` to outputs of
        shape ``(n,)``, ``(n, 1)`` or ``(n, k)``. Modules are put in ``eval()`` mode.
    output_index
        Which output to explain when the model has several.
    batch_size
        Rows per forward/backward pass.
    dtype
        Tensor dtype fed to the model (``torch.float32`` unless the model is float64).
    """

    def __init__(self, model: Callable[..., Any], output_index: int | None = None,
                 batch_size: int = 1024, dtype: Any = None) -> None:
        check_callable(model, "model")
        self.output_index = _check_output_index(output_index)
        self.batch_size = check_int(batch_size, "batch_size")
        import torch  # noqa: PLC0415 - optional framework

        self._torch = torch
        self.model = model
        if isinstance(model, torch.nn.Module):
            model.eval()
        self.dtype = dtype or torch.float32

    def _forward(self, x: Any) -> Any:
        out = self.model(x)
        n = x.shape[0]
        out = out.reshape(n, -1)
        if out.shape[1] > 1 and self.output_index is None:
            raise InputError(
                f"model returns {out.shape[1]} outputs per row; pass output_index to choose one"
            )
        return out[:, 0 if self.output_index is None else self.output_index]

    def __call__(self, X: np.ndarray) -> np.ndarray:
        X = check_inputs(X)
        torch = self._torch
        with torch.no_grad():
            parts = [self._forward(torch.as_tensor(X[i:i + self.batch_size], dtype=self.dtype))
                     .detach().cpu().numpy() for i in range(0, len(X), self.batch_size)]
        return _checked(np.concatenate(parts), len(X), "output")

    def gradient(self, X: np.ndarray) -> np.ndarray:
        X = check_inputs(X)
        torch = self._torch
        grads = []
        for i in range(0, len(X), self.batch_size):
            x = torch.as_tensor(X[i:i + self.batch_size], dtype=self.dtype).requires_grad_(True)
            y = self._forward(x)
            (g,) = torch.autograd.grad(y.sum(), x)
            grads.append(g.detach().cpu().numpy())
        return _checked(np.concatenate(grads), len(X), "gradient")


class NumpyAdapter:
    """Wrap a NumPy model ``f`` and its hand-written input gradient ``grad``.

    ``f(X)`` returns ``(n,)`` or ``(n, 1)``; ``grad(X)`` returns an array shaped like ``X``.
    """

    def __init__(self, f: Callable[[np.ndarray], np.ndarray],
                 grad: Callable[[np.ndarray], np.ndarray]) -> None:
        self.f = check_callable(f, "f")
        self.grad = check_callable(grad, "grad")

    def __call__(self, X: np.ndarray) -> np.ndarray:
        X = check_inputs(X)
        return _checked(_select_output(self.f(X), None, len(X)), len(X), "output")

    def gradient(self, X: np.ndarray) -> np.ndarray:
        X = check_inputs(X)
        g = np.asarray(self.grad(X), dtype=np.float64)
        if g.shape != X.shape:
            raise InputError(f"grad returned shape {g.shape}, expected {X.shape}")
        return _checked(g, len(X), "gradient")
