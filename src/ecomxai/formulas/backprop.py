r"""Document 004, §4.2: forward and back-propagation, the weight update.

Column-vector form, one example, :math:`L` layers, ReLU hidden layers and a *linear*
output, squared loss :math:`\ell = \frac12 (\hat{y} - y)^2`:

.. math::

   z_l = W_l a_{l-1} + b_l,\quad a_l = \operatorname{ReLU}(z_l)\ (l < L),\quad
   \hat{y} = z_L ,

.. math::

   \delta_L = \hat{y} - y,\qquad
   \delta_l = \operatorname{ReLU}'(z_l) \odot \bigl(W_{l+1}^\top \delta_{l+1}\bigr),\qquad
   \frac{\partial \ell}{\partial W_l} = \delta_l\, a_{l-1}^\top,\quad
   \frac{\partial \ell}{\partial b_l} = \delta_l ,

.. math::

   W_l \leftarrow W_l - \eta\, \delta_l a_{l-1}^\top,\qquad b_l \leftarrow b_l - \eta\,\delta_l .

Document 004 writes :math:`\delta_l = \operatorname{ReLU}'(\cdot)\cdot W_l'\cdot\delta_{l+1}`
(its own layer's weights instead of the next layer's, transposed or differentiated — the
prime is ambiguous) and :math:`W_l \leftarrow W_l - \alpha\, W_l' \delta_{l+1}` (the weights
instead of the activations). :func:`document_delta` shows that the first cannot even be
evaluated for the document's own 10-10-1 network.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ecomxai.formulas.dnn import relu, relu_derivative
from ecomxai.formulas.records import FormulaCheck, compare

__all__ = ["Layers", "random_layers", "forward_pass", "backward_pass", "update",
           "document_delta", "dead_relu_output", "backprop_checks",
           "output_layer_error_004", "listing_update_shapes_004"]


@dataclass
class Layers:
    """Weights ``W[l]`` of shape ``(n_l, n_{l-1})`` and biases ``b[l]`` of shape ``(n_l,)``."""

    W: list[np.ndarray]
    b: list[np.ndarray]


def random_layers(sizes: tuple[int, ...] = (10, 10, 1), seed: int = 0) -> Layers:
    """Random layers for the given sizes, input first (document 004: 10, 10, 1)."""
    rng = np.random.default_rng(seed)
    return Layers([rng.normal(0, np.sqrt(2 / m), size=(n, m)) for m, n in zip(sizes, sizes[1:])],
                  [rng.normal(0, 0.1, size=n) for n in sizes[1:]])


def forward_pass(layers: Layers, x: np.ndarray, output_relu: bool = False
                 ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    r"""Pre-activations :math:`z_l` and activations :math:`a_l` (``a[0] = x``).

    ``output_relu=True`` reproduces the document's ReLU on the output."""
    a, zs = [np.asarray(x, dtype=np.float64)], []
    for l, (W, b) in enumerate(zip(layers.W, layers.b)):
        z = W @ a[-1] + b
        zs.append(z)
        last = l == len(layers.W) - 1
        a.append(relu(z) if (not last or output_relu) else z)
    return zs, a


def backward_pass(layers: Layers, x: np.ndarray, y: np.ndarray, output_relu: bool = False
                  ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    r"""Gradients :math:`\partial\ell/\partial W_l = \delta_l a_{l-1}^\top` and
    :math:`\partial\ell/\partial b_l = \delta_l` of :math:`\ell = \frac12\|\hat y - y\|^2`."""
    zs, a = forward_pass(layers, x, output_relu)
    delta = a[-1] - np.asarray(y, dtype=np.float64)
    if output_relu:
        delta = delta * relu_derivative(zs[-1])
    gW, gb = [None] * len(zs), [None] * len(zs)
    for l in range(len(zs) - 1, -1, -1):
        gW[l], gb[l] = np.outer(delta, a[l]), delta
        if l > 0:
            delta = relu_derivative(zs[l - 1]) * (layers.W[l].T @ delta)
    return gW, gb


def update(layers: Layers, gW: list[np.ndarray], gb: list[np.ndarray], lr: float) -> Layers:
    r"""Gradient step :math:`W_l \leftarrow W_l - \eta\,\partial\ell/\partial W_l`, same for
    :math:`b_l` (returns new layers)."""
    return Layers([W - lr * g for W, g in zip(layers.W, gW)],
                  [b - lr * g for b, g in zip(layers.b, gb)])


def document_delta(z_l: np.ndarray, W_l: np.ndarray, delta_next: np.ndarray) -> np.ndarray:
    r"""Document 004's :math:`\delta_l = \operatorname{ReLU}'(z_l)\cdot W_l^\top\cdot\delta_{l+1}`,
    evaluated as written (prime read as transpose). Raises when the shapes do not fit."""
    return relu_derivative(z_l) * (W_l.T @ delta_next)


def dead_relu_output(layers: Layers, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    r"""What a ReLU on a regression output does when its pre-activation is negative:
    prediction 0 whatever the target, and a zero gradient for every parameter."""
    zs, a = forward_pass(layers, x, output_relu=True)
    gW, gb = backward_pass(layers, x, y, output_relu=True)
    return {"output pre-activation": float(zs[-1][0]), "prediction": float(a[-1][0]),
            "target": float(np.asarray(y)[0]),
            "largest |gradient|": float(max(np.abs(g).max() for g in gW + gb))}


def backprop_checks(seed: int = 0) -> list[FormulaCheck]:
    """Checks of document 004's formulas against PyTorch autograd (float64), central
    differences and the first-order decrease of the loss along the gradient."""
    import torch  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    layers = random_layers((10, 10, 1), seed)
    x, y = rng.normal(size=10), np.array([0.7])
    zs, a = forward_pass(layers, x)
    gW, gb = backward_pass(layers, x, y)
    tW = [torch.tensor(W, requires_grad=True) for W in layers.W]
    tb = [torch.tensor(b, requires_grad=True) for b in layers.b]
    h = torch.relu(tW[0] @ torch.as_tensor(x) + tb[0])
    out = tW[1] @ h + tb[1]
    (0.5 * ((out - torch.as_tensor(y)) ** 2).sum()).backward()

    def loss(ls: Layers) -> float:
        return 0.5 * float(np.sum((forward_pass(ls, x)[1][-1] - y) ** 2))

    eps, numeric = 1e-6, np.zeros_like(layers.W[0])
    for idx in np.ndindex(*layers.W[0].shape):
        plus, minus = ([W.copy() for W in layers.W] for _ in range(2))
        plus[0][idx] += eps
        minus[0][idx] -= eps
        numeric[idx] = (loss(Layers(plus, layers.b)) - loss(Layers(minus, layers.b))) / (2 * eps)
    g2 = sum(float(np.sum(g**2)) for g in gW + gb)
    eta = 1e-5
    slope = (loss(update(layers, gW, gb, -eta)) - loss(update(layers, gW, gb, eta))) / (2 * eta)
    return [
        compare("004", "math-forward", "forward pass (ReLU hidden, linear output)", a[-1],
                out.detach().numpy(), "PyTorch forward"),
        compare("004", "math-backward", "dL/dW_l = delta_l a_{l-1}^T (both layers)",
                np.concatenate([g.ravel() for g in gW]),
                np.concatenate([t.grad.numpy().ravel() for t in tW]), "torch.autograd"),
        compare("004", "math-backward", "dL/db_l = delta_l", np.concatenate(gb),
                np.concatenate([t.grad.numpy() for t in tb]), "torch.autograd"),
        compare("004", "math-backward", "dL/dW_1 (hidden layer)", gW[0], numeric,
                "central differences", tol=1e-7),
        compare("004", "math-update", "update lowers the loss at rate |grad|^2", slope, g2,
                "first-order Taylor (central)", tol=1e-6 * max(1.0, g2)),
    ]


def output_layer_error_004(seed: int = 0) -> dict[str, object]:
    r"""Document 004 calls :math:`\delta_l = \operatorname{ReLU}'(\cdot)\,W_l'\,\delta_{l+1}` the
    *output* layer's error.

    At the output layer :math:`L` there is no :math:`\delta_{L+1}` (the document's §4.3
    writes :math:`\delta_{11}` for a network with one hidden layer): the recursion is the
    rule for *hidden* layers. The output error starts the recursion from the loss,
    :math:`\delta_L = \partial\ell/\partial z_L = \hat y - y` for a linear output and
    :math:`\ell = \frac12(\hat y - y)^2`, checked here by central differences.

    Returns
    -------
    dict
        ``"document_error"`` (looking up :math:`\delta_{L+1}`), ``"delta_L"`` and
        ``"finite_difference"``.
    """
    layers = random_layers((10, 10, 1), seed=seed)
    rng = np.random.default_rng(seed + 1)
    x, y = rng.normal(size=10), np.array([0.5])
    zs, a = forward_pass(layers, x)
    deltas: dict[int, np.ndarray] = {}                  # errors known so far, by layer 1..L
    L = len(zs)
    error = None
    try:
        document_delta(zs[L - 1], layers.W[L - 1], deltas[L + 1])
    except KeyError as err:
        error = f"KeyError: delta_{err.args[0]} (the network has {L} layers)"
    delta_L = float(a[-1][0] - y[0])
    h = 1e-6
    loss = lambda z: 0.5 * (z - y[0]) ** 2  # noqa: E731
    fd = float((loss(zs[-1][0] + h) - loss(zs[-1][0] - h)) / (2 * h))
    return {"document_error": error, "delta_L": delta_L, "finite_difference": fd}


def listing_update_shapes_004(n: int = 100, seed: int = 0) -> dict[str, object]:
    r"""Document 004's listing: ``tf.matmul(error, weights['output'])`` and ``W - lr * d``.

    Row-vector batches as in the listing: ``x`` (n, 10), hidden ``h`` (n, 10), output
    (n, 1). The listing multiplies ``error`` (n, 1) by ``weights['output']`` (10, 1)
    (the transpose is missing), and subtracts per-sample errors (n, k) from weight
    matrices (10, k): the input factor is missing. Correct:
    :math:`\partial\ell/\partial W_{out} = h^\top \delta_{out}`,
    :math:`\delta_h = (\delta_{out} W_{out}^\top) \odot \operatorname{ReLU}'(z_h)`,
    :math:`\partial\ell/\partial W_h = x^\top \delta_h`, checked by central differences on
    :math:`\ell = \frac12\sum_n (\hat y_n - y_n)^2`.

    Returns
    -------
    dict
        The two listing errors and the largest finite-difference deviation of the
        corrected gradients.
    """
    rng = np.random.default_rng(seed)
    x, y = rng.random((n, 10)), rng.random((n, 1))
    Wh, bh, Wo, bo = rng.normal(size=(10, 10)), rng.normal(size=10), rng.normal(size=(10, 1)), \
        rng.normal(size=1)

    def loss(Wh_, Wo_):
        return 0.5 * float(np.sum((relu(x @ Wh_ + bh) @ Wo_ + bo - y) ** 2))

    zh = x @ Wh + bh
    h = relu(zh)
    d_out = h @ Wo + bo - y                                    # (n, 1): dℓ/dŷ, linear output
    errors = []
    try:
        np.matmul(d_out, Wo)                                   # listing: matmul(error, W_out)
    except ValueError as err:
        errors.append(f"ValueError: {str(err)[:80]}")
    try:
        Wo - 0.1 * d_out                                       # listing: W_out - lr * d_output
    except ValueError as err:
        errors.append(f"ValueError: {str(err)[:80]}")
    gWo = h.T @ d_out
    gWh = x.T @ ((d_out @ Wo.T) * relu_derivative(zh))
    eps, dev = 1e-6, 0.0
    for (i, j) in ((0, 0), (3, 7), (9, 2)):
        E = np.zeros_like(Wh)
        E[i, j] = eps
        dev = max(dev, abs((loss(Wh + E, Wo) - loss(Wh - E, Wo)) / (2 * eps) - gWh[i, j]))
    for i in (0, 5):
        E = np.zeros_like(Wo)
        E[i, 0] = eps
        dev = max(dev, abs((loss(Wh, Wo + E) - loss(Wh, Wo - E)) / (2 * eps) - gWo[i, 0]))
    return {"listing_errors": errors, "max_fd_deviation": float(dev)}
