r"""A one-hidden-layer ReLU network written by hand in NumPy (document 004, §4-5).

The network maps a batch :math:`X \in \mathbb{R}^{n \times d}` (one example per row) to
one real number per row:

.. math::

   Z_1 = X W_1 + \mathbf{1} b_1^\top, \qquad H = \operatorname{ReLU}(Z_1), \qquad
   \hat{y} = H W_2 + b_2 ,

with :math:`W_1 \in \mathbb{R}^{d \times h}`, :math:`W_2 \in \mathbb{R}^{h \times 1}`.
The output is *linear*: document 004 puts a ReLU on the regression output too, which can
only predict values :math:`\geq 0` and stops learning once its input turns negative.

For the loss :math:`L = \frac{1}{n}\sum_r (\hat{y}_r - y_r)^2` back-propagation is

.. math::

   \Delta_2 = \tfrac{2}{n}(\hat{y} - y), \quad
   \frac{\partial L}{\partial W_2} = H^\top \Delta_2, \quad
   \frac{\partial L}{\partial b_2} = \mathbf{1}^\top \Delta_2, \quad
   \Delta_1 = (\Delta_2 W_2^\top) \odot \mathbb{1}[Z_1 > 0], \quad
   \frac{\partial L}{\partial W_1} = X^\top \Delta_1, \quad
   \frac{\partial L}{\partial b_1} = \mathbf{1}^\top \Delta_1 .

Everything is float64 so that a central-difference gradient check reaches ~1e-9.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

__all__ = [
    "Params",
    "ForwardCache",
    "FitHistory",
    "init_params",
    "relu",
    "relu_derivative",
    "forward",
    "mse_loss",
    "backward",
    "input_gradient",
    "SGD",
    "Adam",
    "ScratchNet",
    "numeric_gradients",
    "max_relative_error",
    "tensorflow_gradients",
    "torch_gradients",
    "first_layer_importance",
]

#: Parameters of the network by name: ``W1 (d, h)``, ``b1 (h,)``, ``W2 (h, 1)``, ``b2 (1,)``.
Params = dict[str, np.ndarray]
PARAM_NAMES = ("W1", "b1", "W2", "b2")


@dataclass(frozen=True)
class ForwardCache:
    """What the backward pass needs from the forward pass (one batch)."""

    X: np.ndarray       # (n, d) inputs
    Z1: np.ndarray      # (n, h) hidden pre-activations
    H: np.ndarray       # (n, h) hidden activations, ReLU(Z1)
    y_hat: np.ndarray   # (n,)   predictions


@dataclass
class FitHistory:
    """Per-epoch training and validation loss, and the epoch whose weights were kept."""

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    best_epoch: int = -1
    stopped_early: bool = False


def _as_float_matrix(X: object, name: str = "X") -> np.ndarray:
    try:
        arr = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be a numeric array, got {type(X).__name__}") from err
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (rows = examples), got shape {arr.shape}; "
                         "for one example use X[None, :]")
    if arr.shape[0] == 0:
        raise ValueError(f"{name} has no rows")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values; impute or drop them first")
    return arr


def _as_target(y: object, n: int, name: str = "y") -> np.ndarray:
    arr = np.asarray(y, dtype=np.float64)
    if arr.ndim == 2 and arr.shape[1] == 1:
        arr = arr[:, 0]
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"{name} must have shape ({n},) or ({n}, 1) to match the inputs, "
                         f"got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return arr


def init_params(n_inputs: int = 10, n_hidden: int = 10, seed: int = 0) -> Params:
    r"""He-initialised weights, zero biases.

    :math:`W_1 \sim \mathcal{N}(0, 2/d)` suits ReLU :cite:`he2015delving`;
    :math:`W_2 \sim \mathcal{N}(0, 1/h)` keeps the output variance near that of one
    hidden unit.
    """
    if n_inputs < 1 or n_hidden < 1:
        raise ValueError(f"n_inputs and n_hidden must be >= 1, got {n_inputs}, {n_hidden}")
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, np.sqrt(2.0 / n_inputs), size=(n_inputs, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0.0, np.sqrt(1.0 / n_hidden), size=(n_hidden, 1)),
        "b2": np.zeros(1),
    }


def relu(z: np.ndarray) -> np.ndarray:
    r""":math:`\operatorname{ReLU}(z) = \max(0, z)`, elementwise."""
    return np.maximum(z, 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    r""":math:`\operatorname{ReLU}'(z) = \mathbb{1}[z > 0]` (0 at the kink, as in TF and PyTorch)."""
    return (z > 0).astype(np.float64)


def forward(params: Params, X: np.ndarray) -> ForwardCache:
    r"""Forward pass :math:`\hat{y} = \operatorname{ReLU}(X W_1 + b_1) W_2 + b_2`."""
    Z1 = X @ params["W1"] + params["b1"]
    H = relu(Z1)
    y_hat = (H @ params["W2"])[:, 0] + params["b2"][0]
    return ForwardCache(X=X, Z1=Z1, H=H, y_hat=y_hat)


def mse_loss(y_hat: np.ndarray, y: np.ndarray) -> float:
    r"""Mean squared error :math:`L = \frac{1}{n}\sum_r (\hat{y}_r - y_r)^2`."""
    return float(np.mean((y_hat - y) ** 2))


def backward(params: Params, cache: ForwardCache, y: np.ndarray) -> Params:
    r"""Hand-written gradients of :func:`mse_loss` with respect to every parameter.

    .. math::

       \Delta_2 = \tfrac{2}{n}(\hat{y} - y),\;
       \nabla_{W_2} = H^\top \Delta_2,\;
       \Delta_1 = (\Delta_2 W_2^\top) \odot \operatorname{ReLU}'(Z_1),\;
       \nabla_{W_1} = X^\top \Delta_1 .

    Returns
    -------
    dict
        Same keys and shapes as ``params``.
    """
    n = len(y)
    delta2 = (2.0 / n) * (cache.y_hat - y)[:, None]                      # (n, 1)
    delta1 = (delta2 @ params["W2"].T) * relu_derivative(cache.Z1)       # (n, h)
    return {
        "W1": cache.X.T @ delta1,
        "b1": delta1.sum(axis=0),
        "W2": cache.H.T @ delta2,
        "b2": delta2.sum(axis=0),
    }


def input_gradient(params: Params, X: np.ndarray) -> np.ndarray:
    r"""Gradient of each row's prediction with respect to that row's inputs.

    :math:`\partial \hat{y}_r / \partial x_r = W_1 \bigl(W_2 \odot \operatorname{ReLU}'(z_{1,r})\bigr)`,
    returned as an ``(n, d)`` array (the quantity gradient x input multiplies by :math:`x`).
    """
    Z1 = X @ params["W1"] + params["b1"]
    return (relu_derivative(Z1) * params["W2"][:, 0]) @ params["W1"].T


class SGD:
    r"""Plain gradient descent, optionally with momentum.

    :math:`v \leftarrow \mu v - \eta \nabla L`, :math:`\theta \leftarrow \theta + v`
    (for :math:`\mu = 0`: :math:`\theta \leftarrow \theta - \eta \nabla L`).
    """

    def __init__(self, lr: float = 0.01, momentum: float = 0.0) -> None:
        if lr <= 0:
            raise ValueError(f"learning rate must be positive, got {lr}")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.lr = float(lr)
        self.momentum = float(momentum)
        self._velocity: Params = {}

    def step(self, params: Params, grads: Params) -> None:
        """Update ``params`` in place."""
        for name, g in grads.items():
            v = self.momentum * self._velocity.get(name, np.zeros_like(g)) - self.lr * g
            self._velocity[name] = v
            params[name] += v


class Adam:
    r"""Adam :cite:`kingma2015adam` with bias correction.

    .. math::

       m \leftarrow \beta_1 m + (1-\beta_1) g,\quad
       v \leftarrow \beta_2 v + (1-\beta_2) g^2,\quad
       \theta \leftarrow \theta - \eta\,\frac{m / (1-\beta_1^t)}{\sqrt{v/(1-\beta_2^t)} + \epsilon}.
    """

    def __init__(self, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8) -> None:
        if lr <= 0:
            raise ValueError(f"learning rate must be positive, got {lr}")
        if not (0.0 <= beta1 < 1.0 and 0.0 <= beta2 < 1.0):
            raise ValueError(f"beta1 and beta2 must be in [0, 1), got {beta1}, {beta2}")
        self.lr, self.beta1, self.beta2, self.eps = float(lr), float(beta1), float(beta2), eps
        self.t = 0
        self._m: Params = {}
        self._v: Params = {}

    def step(self, params: Params, grads: Params) -> None:
        """Update ``params`` in place."""
        self.t += 1
        for name, g in grads.items():
            m = self.beta1 * self._m.get(name, np.zeros_like(g)) + (1 - self.beta1) * g
            v = self.beta2 * self._v.get(name, np.zeros_like(g)) + (1 - self.beta2) * g**2
            self._m[name], self._v[name] = m, v
            m_hat = m / (1 - self.beta1**self.t)
            v_hat = v / (1 - self.beta2**self.t)
            params[name] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class ScratchNet:
    """The document's 10-10-1 network, done right: ReLU hidden layer, linear output.

    Parameters
    ----------
    n_inputs, n_hidden
        Layer sizes (document 004: 10 and 10).
    seed
        Seed of the weight initialisation and of the mini-batch order in :meth:`fit`.

    Examples
    --------
    >>> net = ScratchNet(3, 4, seed=0)
    >>> net.predict(np.ones((2, 3))).shape
    (2,)
    """

    def __init__(self, n_inputs: int = 10, n_hidden: int = 10, seed: int = 0) -> None:
        self.n_inputs, self.n_hidden, self.seed = int(n_inputs), int(n_hidden), int(seed)
        self.params: Params = init_params(self.n_inputs, self.n_hidden, seed)

    def _check_X(self, X: object) -> np.ndarray:
        arr = _as_float_matrix(X)
        if arr.shape[1] != self.n_inputs:
            raise ValueError(f"the network takes {self.n_inputs} inputs per row, "
                             f"got {arr.shape[1]}")
        return arr

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predictions, shape ``(n,)``."""
        return forward(self.params, self._check_X(X)).y_hat

    __call__ = predict

    def gradient(self, X: np.ndarray) -> np.ndarray:
        """Input gradient per row, shape ``(n, d)`` (for :class:`~ecomxai.explain.adapters.NumpyAdapter`)."""
        return input_gradient(self.params, self._check_X(X))

    def loss_and_grads(self, X: np.ndarray, y: np.ndarray) -> tuple[float, Params]:
        """MSE on ``(X, y)`` and its gradient with respect to every parameter."""
        X = self._check_X(X)
        y = _as_target(y, len(X))
        cache = forward(self.params, X)
        return mse_loss(cache.y_hat, y), backward(self.params, cache, y)

    def fit(self, X: np.ndarray, y: np.ndarray, X_val: np.ndarray, y_val: np.ndarray, *,
            optimizer: Literal["adam", "sgd"] | SGD | Adam = "adam", lr: float = 1e-2,
            epochs: int = 500, batch_size: int = 32, patience: int = 30) -> FitHistory:
        """Mini-batch training with early stopping on the validation loss.

        After training the weights of the epoch with the lowest validation loss are
        restored. Training stops after ``patience`` epochs without improvement.
        """
        X, X_val = self._check_X(X), self._check_X(X_val)
        y, y_val = _as_target(y, len(X)), _as_target(y_val, len(X_val), "y_val")
        if epochs < 1 or batch_size < 1 or patience < 1:
            raise ValueError("epochs, batch_size and patience must be positive integers")
        if isinstance(optimizer, str):
            if optimizer not in ("adam", "sgd"):
                raise ValueError(f"optimizer must be 'adam', 'sgd' or an instance, got {optimizer!r}")
            optimizer = Adam(lr) if optimizer == "adam" else SGD(lr)
        rng = np.random.default_rng(self.seed)
        history = FitHistory()
        best = (np.inf, {k: v.copy() for k, v in self.params.items()})
        for epoch in range(epochs):
            order = rng.permutation(len(X))
            for start in range(0, len(X), batch_size):
                rows = order[start:start + batch_size]
                _, grads = self.loss_and_grads(X[rows], y[rows])
                optimizer.step(self.params, grads)
            history.train_loss.append(mse_loss(self.predict(X), y))
            history.val_loss.append(mse_loss(self.predict(X_val), y_val))
            if history.val_loss[-1] < best[0]:
                best = (history.val_loss[-1], {k: v.copy() for k, v in self.params.items()})
                history.best_epoch = epoch
            elif epoch - history.best_epoch >= patience:
                history.stopped_early = True
                break
        self.params = best[1]
        return history


def numeric_gradients(params: Params, X: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> Params:
    r"""Central finite differences of :func:`mse_loss`,
    :math:`\partial L/\partial\theta_k \approx \frac{L(\theta + \epsilon e_k) - L(\theta - \epsilon e_k)}{2\epsilon}`,
    one parameter at a time (float64; error :math:`O(\epsilon^2)`)."""
    grads: Params = {}
    for name in PARAM_NAMES:
        g = np.zeros_like(params[name])
        for idx in np.ndindex(*params[name].shape):
            old = params[name][idx]
            params[name][idx] = old + eps
            plus = mse_loss(forward(params, X).y_hat, y)
            params[name][idx] = old - eps
            minus = mse_loss(forward(params, X).y_hat, y)
            params[name][idx] = old
            g[idx] = (plus - minus) / (2 * eps)
        grads[name] = g
    return grads


def max_relative_error(a: Params, b: Params, floor: float = 1e-8) -> float:
    r"""Largest :math:`|a - b| / \max(|a| + |b|, \text{floor})` over all parameters."""
    return max(float(np.max(np.abs(a[k] - b[k]) / np.maximum(np.abs(a[k]) + np.abs(b[k]), floor)))
               for k in a)


def tensorflow_gradients(params: Params, X: np.ndarray, y: np.ndarray) -> tuple[Params, np.ndarray]:
    """Parameter gradients and input gradients of the same network by ``tf.GradientTape``
    in float64 (reference for :func:`backward` and :func:`input_gradient`)."""
    import tensorflow as tf  # noqa: PLC0415

    v = {k: tf.Variable(p, dtype=tf.float64) for k, p in params.items()}
    x = tf.constant(X, dtype=tf.float64)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        out = tf.matmul(tf.nn.relu(tf.matmul(x, v["W1"]) + v["b1"]), v["W2"])[:, 0] + v["b2"][0]
        loss = tf.reduce_mean((out - tf.constant(y, tf.float64)) ** 2)
    grads = {k: g.numpy() for k, g in zip(v, tape.gradient(loss, list(v.values())))}
    return grads, tape.gradient(out, x).numpy()


def torch_gradients(params: Params, X: np.ndarray, y: np.ndarray) -> tuple[Params, np.ndarray]:
    """Parameter and input gradients of the same network by ``torch.autograd`` (float64)."""
    import torch  # noqa: PLC0415

    t = {k: torch.tensor(p, dtype=torch.float64, requires_grad=True) for k, p in params.items()}
    x = torch.tensor(X, dtype=torch.float64, requires_grad=True)
    out = (torch.relu(x @ t["W1"] + t["b1"]) @ t["W2"])[:, 0] + t["b2"][0]
    loss = torch.mean((out - torch.as_tensor(y, dtype=torch.float64)) ** 2)
    grads = torch.autograd.grad(loss, list(t.values()), retain_graph=True)
    (x_grad,) = torch.autograd.grad(out.sum(), x)
    return {k: g.numpy() for k, g in zip(t, grads)}, x_grad.numpy()


def first_layer_importance(params: Params) -> np.ndarray:
    r"""The *intrinsic* (weight-based) importance of each input,
    :math:`I_i = \sum_j |W_{1,ij}\, W_{2,j}|`: how strongly input :math:`i` is wired to
    the output through the hidden units, normalised to sum to 1. It ignores the data:
    a unit that never fires still counts."""
    weight = np.abs(params["W1"] * params["W2"][:, 0]).sum(axis=1)
    return weight / weight.sum()
