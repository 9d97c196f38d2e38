r"""Document 003, §4: a dense layer, ReLU, the worked example, cross-entropy.

A dense layer maps the previous activations :math:`a_{l-1} \in \mathbb{R}^{n_{l-1}}` to

.. math::

   a_l = \sigma(z_l), \qquad z_l = W_l\, a_{l-1} + b_l, \qquad
   W_l \in \mathbb{R}^{n_l \times n_{l-1}},\ b_l \in \mathbb{R}^{n_l}.

The cross-entropy of a label distribution :math:`y` and a prediction :math:`\hat{y}` is
:math:`H(y, \hat{y}) = -\sum_i y_i \log \hat{y}_i`; with the natural log it is in nats
(what Keras, PyTorch and scikit-learn report), with :math:`\log_2` in bits.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from ecomxai.formulas.records import FormulaCheck, compare

__all__ = ["relu", "relu_derivative", "sigmoid", "dense_layer", "cross_entropy",
           "DNNExample", "dnn_worked_example_003", "dnn_checks",
           "symbol_roles_003", "explainer_loss_leak_003", "target_in_input_003"]


def relu(z: np.ndarray) -> np.ndarray:
    r""":math:`\operatorname{ReLU}(z) = \max(0, z)`."""
    return np.maximum(np.asarray(z, dtype=np.float64), 0.0)


def relu_derivative(z: np.ndarray) -> np.ndarray:
    r""":math:`\operatorname{ReLU}'(z) = \mathbb{1}[z > 0]` (undefined at 0; 0 by convention)."""
    return (np.asarray(z) > 0).astype(np.float64)


def sigmoid(z: np.ndarray) -> np.ndarray:
    r""":math:`\sigma(z) = 1 / (1 + e^{-z})`."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def dense_layer(a_prev: np.ndarray, W: np.ndarray, b: np.ndarray, activation=relu) -> np.ndarray:
    r"""One layer :math:`a_l = \sigma(W_l a_{l-1} + b_l)`; checks that the shapes agree."""
    a_prev, W, b = (np.asarray(v, dtype=np.float64) for v in (a_prev, W, b))
    if W.ndim != 2 or W.shape[1] != a_prev.shape[-1] or b.shape != (W.shape[0],):
        raise ValueError(f"shapes do not fit a dense layer: W {W.shape} needs an input of "
                         f"{W.shape[1] if W.ndim == 2 else '?'} values and a bias of shape "
                         f"({W.shape[0]},); got input {a_prev.shape} and bias {b.shape}")
    return activation(a_prev @ W.T + b)


def cross_entropy(y: np.ndarray, y_hat: np.ndarray, base: float = np.e) -> float:
    r""":math:`H(y,\hat y) = -\sum_i y_i \log_{\text{base}} \hat{y}_i` (nats for base
    :math:`e`, bits for base 2)."""
    y, y_hat = np.asarray(y, dtype=np.float64), np.asarray(y_hat, dtype=np.float64)
    if y.shape != y_hat.shape:
        raise ValueError(f"y {y.shape} and y_hat {y_hat.shape} must have the same shape")
    if np.any(y_hat <= 0) or np.any(y_hat > 1):
        raise ValueError("predicted probabilities must lie in (0, 1]")
    terms = np.where(y > 0, y * np.log(np.where(y > 0, y_hat, 1.0)), 0.0)
    return float(-terms.sum() / np.log(base))


@dataclass(frozen=True)
class DNNExample:
    """Document 003's worked example: as printed, recomputed, and with consistent shapes."""

    document_hidden: float       # 14.1
    document_output: float       # 246.6 as printed
    literal_output: Fraction     # 4*14.1 + 5*14.1 + 6*14.1 + 0.4, exactly
    sigmoid_hidden: float        # sigma(14.1) if sigma is the logistic function
    x: np.ndarray
    W1: np.ndarray               # (5, 3)
    b1: np.ndarray               # (5,)
    z1: np.ndarray               # (5,) pre-activation
    a1: np.ndarray               # (5,) ReLU(z1)
    W2: np.ndarray               # (2, 5)
    b2: np.ndarray               # (2,)
    output: np.ndarray           # (2,) linear output layer

    def table(self) -> pd.DataFrame:
        """Hidden layer of the consistent example, one row per neuron."""
        return pd.DataFrame({"W1 row": [str(r) for r in self.W1.astype(int).tolist()],
                             "b1": self.b1, "z1 = W1 x + b1": self.z1,
                             "a1 = ReLU(z1)": self.a1},
                            index=[f"h{j + 1}" for j in range(len(self.z1))])


def dnn_worked_example_003() -> DNNExample:
    r"""Recompute the example of document 003 §4.1.

    The document announces 3 inputs, 5 hidden and 2 output neurons but gives
    :math:`W_1 = [1,2,3]` (one neuron), :math:`b_1 = [0.1,0.2,0.3]` (three biases) and
    :math:`W_2 = [4,5,6]` (three weights for one hidden value). Read literally the output is
    :math:`(4+5+6)\cdot 14.1 + 0.4 = 211.9`, not 246.6. The consistent version keeps the
    document's numbers as the first row/entries and extends the pattern:
    :math:`W_1` row :math:`j` is :math:`[1,2,3] - j`, :math:`b_1 = [0.1, \dots, 0.5]`,
    :math:`W_2` rows :math:`[4,5,6,7,8]` and :math:`[8,7,6,5,4]`, :math:`b_2 = [0.4, 0.5]`.
    """
    x = np.array([1.0, 2.0, 3.0])
    hidden = Fraction(1) * 1 + Fraction(2) * 2 + Fraction(3) * 3 + Fraction(1, 10)
    literal = (Fraction(4) + Fraction(5) + Fraction(6)) * hidden + Fraction(4, 10)
    W1 = np.array([[1.0, 2.0, 3.0]]) - np.arange(5.0)[:, None]
    b1 = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
    W2 = np.array([[4.0, 5.0, 6.0, 7.0, 8.0], [8.0, 7.0, 6.0, 5.0, 4.0]])
    b2 = np.array([0.4, 0.5])
    z1 = x @ W1.T + b1
    a1 = dense_layer(x, W1, b1)
    out = dense_layer(a1, W2, b2, activation=lambda z: z)
    return DNNExample(14.1, 246.6, literal, float(sigmoid(float(hidden))), x, W1, b1, z1, a1,
                      W2, b2, out)


def dnn_checks(seed: int = 0) -> list[FormulaCheck]:
    """Checks of document 003's formulas against PyTorch, scikit-learn, SciPy and exact
    rational arithmetic."""
    import torch  # noqa: PLC0415
    from scipy.special import expit  # noqa: PLC0415
    from scipy.stats import entropy  # noqa: PLC0415
    from sklearn.metrics import log_loss  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    a, W, b = rng.normal(size=(7, 3)), rng.normal(size=(5, 3)), rng.normal(size=5)
    layer = torch.nn.Linear(3, 5, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.as_tensor(W))
        layer.bias.copy_(torch.as_tensor(b))
        ref = torch.relu(layer(torch.as_tensor(a))).numpy()
    grid = np.linspace(-3, 3, 13)
    off_kink = grid[grid != 0]
    numeric = (relu(off_kink + 1e-6) - relu(off_kink - 1e-6)) / 2e-6
    ex = dnn_worked_example_003()
    tex = torch.as_tensor
    ref_out = torch.nn.functional.linear(torch.relu(torch.nn.functional.linear(
        tex(ex.x), tex(ex.W1), tex(ex.b1))), tex(ex.W2), tex(ex.b2)).numpy()
    y, p = np.array([1.0, 0.0]), np.array([0.8, 0.2])
    return [
        compare("003", "math-dense", "dense layer ReLU(W a + b)", dense_layer(a, W, b), ref,
                "torch.nn.Linear + torch.relu"),
        compare("003", "math-relu", "ReLU on a grid (ReLU(-3) = 0)", relu(grid),
                torch.relu(torch.as_tensor(grid)).numpy(), "torch.relu"),
        compare("003", "math-relu", "ReLU'(z) = 1[z > 0]", relu_derivative(off_kink), numeric,
                "central differences", tol=1e-8),
        compare("003", "math-sigmoid", "sigmoid on a grid", sigmoid(grid), expit(grid),
                "scipy.special.expit"),
        compare("003", "math-dnn-example", "worked example, literal second layer",
                float(ex.literal_output), 211.9, "exact rational arithmetic"),
        compare("003", "math-dnn-example", "worked example, consistent 3-5-2 shapes",
                ex.output, ref_out, "torch.nn.functional.linear"),
        compare("003", "math-cross-entropy", "cross-entropy in nats", cross_entropy(y, p),
                log_loss([0], [[0.8, 0.2]], labels=[0, 1]), "scikit-learn log_loss"),
        compare("003", "math-cross-entropy", "cross-entropy in bits", cross_entropy(y, p, 2),
                entropy(y, base=2) + entropy(y, p, base=2), "scipy H(y) + KL(y||p)"),
        compare("003", "math-cross-entropy", "1 bit = ln 2 nats",
                cross_entropy(y, p, 2) * np.log(2), cross_entropy(y, p), "unit conversion"),
    ]


def symbol_roles_003(seed: int = 0) -> dict[str, object]:
    r"""Document 003's formula :math:`z_l = \sigma(W_l a_{l-1} + b_l)` against its example.

    In the formula :math:`z_l` is a layer's *output* and :math:`a_{l-1}` its *input*; the
    worked example calls the hidden output :math:`z_1` and the final output
    :math:`a_1 = \sigma(W_2 z_1 + b_2)`. Read with the formula's meaning, :math:`a_1` is the
    input of layer 2, so layer 2 would compute :math:`\sigma(W_2 a_1 + b_2)`, i.e. apply
    :math:`W_2` twice. In the consistent 3-5-2 network (:math:`W_2` is 2 x 5) that fails
    on the shapes; one letter per role, :math:`h_1 = \sigma(W_1 x + b_1)`,
    :math:`h_2 = \sigma(W_2 h_1 + b_2)`, works.

    Returns
    -------
    dict
        ``"formula_reading_error"`` and ``"output_shape"`` of the consistent network.
    """
    rng = np.random.default_rng(seed)
    x = np.array([1.0, 2.0, 3.0])
    W1, b1, W2, b2 = rng.normal(size=(5, 3)), rng.normal(size=5), rng.normal(size=(2, 5)), \
        rng.normal(size=2)
    z1 = dense_layer(x, W1, b1)                      # the example's z_1: hidden output
    a1 = dense_layer(z1, W2, b2)                     # the example's a_1: network output
    error = None
    try:
        dense_layer(a1, W2, b2)                      # formula, l = 2: z_2 = σ(W_2 a_1 + b_2)
    except ValueError as err:
        error = f"ValueError: {str(err)[:90]}"
    h2 = dense_layer(dense_layer(x, W1, b1), W2, b2, activation=sigmoid)
    return {"formula_reading_error": error, "output_shape": h2.shape}


def explainer_loss_leak_003(n: int = 64, d: int = 6, seed: int = 0) -> dict[str, float]:
    r"""Document 003 §3.3: ``explainer_loss(explainer(u, i), model(u, i))`` then ``backward()``.

    The explainer's target is the recommender's output, not detached, so
    ``explainer_loss.backward()`` also sends gradients into the *recommender*: it is
    pulled towards its own explainer. Detaching the target (``model(x).detach()``) leaves
    the recommender's gradient from the explainer loss at exactly 0.

    Returns
    -------
    dict
        Norm of the recommender's gradient from the explainer loss, as printed and detached.
    """
    import torch  # noqa: PLC0415

    torch.manual_seed(seed)
    model, explainer = torch.nn.Linear(d, 1), torch.nn.Linear(d, 1)
    x = torch.randn(n, d)
    out = {}
    for name, detach in (("as printed", False), ("detached", True)):
        model.zero_grad()
        target = model(x).detach() if detach else model(x)
        torch.nn.functional.mse_loss(explainer(x), target).backward()
        grad = model.weight.grad
        out[name] = 0.0 if grad is None else float(grad.norm())
    return out


def target_in_input_003(n: int = 400, seed: int = 0) -> dict[str, float]:
    r"""Document 003 §5.2: ``input_shape=(train_data.shape[1],)`` with rows (user, item, target).

    §5.2.5 reads the columns of the same data as user, item and target, so the model's
    input width counts the target column: fitted on all columns the model is handed the
    answer. With *random* labels, a logistic regression on (user, item, target) is
    perfectly "accurate" on held-out rows; on (user, item) alone it is at chance.

    Returns
    -------
    dict
        Held-out accuracy with and without the target column.
    """
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    data = np.column_stack([rng.integers(0, 50, n), rng.integers(0, 80, n),
                            rng.integers(0, 2, n)]).astype(float)
    train, test = data[: n // 2], data[n // 2:]
    acc = {}
    for name, cols in (("with target column", [0, 1, 2]), ("user, item only", [0, 1])):
        clf = LogisticRegression(max_iter=1000).fit(train[:, cols], train[:, 2])
        acc[name] = float(clf.score(test[:, cols], test[:, 2]))
    return acc
