r"""Document 002, §3.3 (and 001's recommender): scaled dot-product self-attention and the
chain rule.

The document's weights :math:`A_{ij} = \exp(Q_i\cdot K_j) / \sum_k \exp(Q_i\cdot K_k)` lack
the factor :math:`1/\sqrt{d_k}` of :cite:`vaswani2017attention`. With projections
:math:`Q = XW_Q`, :math:`K = XW_K`, :math:`V = XW_V` the correct form is

.. math::

   A = \operatorname{softmax}\!\Bigl(\frac{QK^\top}{\sqrt{d_k}}\Bigr), \qquad Y = AV .

If the entries of :math:`q` and :math:`k` have unit variance, :math:`q\cdot k` has variance
:math:`d_k`; without the scaling the softmax saturates (one weight near 1, gradients near
0) as :math:`d_k` grows (:func:`saturation_table`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecomxai.formulas.records import FormulaCheck, compare
from ecomxai.formulas.recommend import softmax

__all__ = ["project_qkv", "attention_weights", "self_attention", "saturation_table",
           "chain_rule_gradient", "attention_checks",
           "gradient_importance_shape_002", "stability_across_inputs_002"]


def project_qkv(X: np.ndarray, W_q: np.ndarray, W_k: np.ndarray, W_v: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Queries, keys and values :math:`Q = XW_Q,\ K = XW_K,\ V = XW_V` for ``X`` of shape
    ``(n, d_model)``."""
    X = np.asarray(X, dtype=np.float64)
    return X @ W_q, X @ W_k, X @ W_v


def attention_weights(Q: np.ndarray, K: np.ndarray, *, scaled: bool = True,
                      mask: np.ndarray | None = None) -> np.ndarray:
    r"""Row-stochastic weights :math:`\operatorname{softmax}(QK^\top/\sqrt{d_k})`.

    ``scaled=False`` gives the document's unscaled form. ``mask`` is boolean, ``True``
    where a query *may* attend to a key.
    """
    logits = np.asarray(Q) @ np.asarray(K).T
    if scaled:
        logits = logits / np.sqrt(np.shape(K)[-1])
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any(axis=-1).all():
            raise ValueError("every query must be allowed to attend to at least one key")
        logits = np.where(mask, logits, -np.inf)
    return softmax(logits, axis=-1)


def self_attention(X: np.ndarray, W_q: np.ndarray, W_k: np.ndarray, W_v: np.ndarray, *,
                   scaled: bool = True) -> tuple[np.ndarray, np.ndarray]:
    r"""Self-attention output :math:`Y = AV` (row :math:`y_i = \sum_j A_{ij} V_j`) and
    the weights :math:`A`."""
    Q, K, V = project_qkv(X, W_q, W_k, W_v)
    A = attention_weights(Q, K, scaled=scaled)
    return A @ V, A


def saturation_table(dims: tuple[int, ...] = (4, 16, 64, 256, 1024), n_keys: int = 10,
                     trials: int = 300, seed: int = 0) -> pd.DataFrame:
    r"""How the softmax saturates with :math:`d_k`, with and without :math:`1/\sqrt{d_k}`.

    Queries and keys have i.i.d. standard normal entries. Columns: the standard deviation
    of the logits, the mean largest attention weight of a row (1 = all attention on
    one key; :math:`1/n` = uniform) and the mean entropy of a row in nats (its maximum
    is :math:`\ln n`).
    """
    rng = np.random.default_rng(seed)
    rows = []
    for d in dims:
        q = rng.normal(size=(trials, d))
        K = rng.normal(size=(trials, n_keys, d))
        logits = np.einsum("td,tkd->tk", q, K)
        row = {"d_k": d}
        for name, z in (("unscaled", logits), ("scaled", logits / np.sqrt(d))):
            A = softmax(z)
            row[f"logit std, {name}"] = z.std()
            row[f"max weight, {name}"] = A.max(axis=1).mean()
            row[f"entropy, {name}"] = -(A * np.log(np.clip(A, 1e-300, None))).sum(1).mean()
        rows.append(row)
    return pd.DataFrame(rows).set_index("d_k")


def chain_rule_gradient(x: np.ndarray, W: np.ndarray, v: np.ndarray) -> np.ndarray:
    r"""Input gradient of :math:`y = v^\top \tanh(Wx)` by the chain rule,
    :math:`\frac{\partial y}{\partial x_i} = \sum_j \frac{\partial y}{\partial h_j}
    \frac{\partial h_j}{\partial x_i} = \sum_j v_j (1 - h_j^2) W_{ji}`."""
    h = np.tanh(W @ x)
    return (v * (1.0 - h**2)) @ W


def attention_checks(seed: int = 0) -> list[FormulaCheck]:
    """Checks of the attention formulas against PyTorch (float64), the row-sum axiom,
    the variance argument for :math:`1/\\sqrt{d_k}`, and finite differences."""
    import torch  # noqa: PLC0415

    rng = np.random.default_rng(seed)
    n, d_model, d_k = 6, 8, 4
    X = rng.normal(size=(n, d_model))
    W_q, W_k, W_v = (rng.normal(size=(d_model, d_model)) for _ in range(3))
    Y, A = self_attention(X, W_q, W_k, W_v)
    Q, K, V = project_qkv(X, W_q, W_k, W_v)
    t = lambda a: torch.as_tensor(a, dtype=torch.float64)  # noqa: E731
    ref_Y = torch.nn.functional.scaled_dot_product_attention(t(Q), t(K), t(V)).numpy()
    mha = torch.nn.MultiheadAttention(d_model, 1, bias=False, batch_first=True,
                                      dtype=torch.float64)
    with torch.no_grad():
        mha.in_proj_weight.copy_(t(np.vstack([W_q.T, W_k.T, W_v.T])))
        mha.out_proj.weight.copy_(torch.eye(d_model, dtype=torch.float64))
        ref_mha, ref_A = mha(t(X)[None], t(X)[None], t(X)[None])
    Qs, Ks = rng.normal(size=(2, n, d_k))
    causal = np.tril(np.ones((n, n), dtype=bool))
    ref_masked = torch.softmax(t(Qs @ Ks.T / 2.0).masked_fill(~torch.as_tensor(causal),
                                                             float("-inf")), -1).numpy()
    x, Wc, v = rng.normal(size=5), rng.normal(size=(3, 5)), rng.normal(size=3)
    y = lambda z: float(v @ np.tanh(Wc @ z))  # noqa: E731
    numeric = np.array([(y(x + 1e-6 * e) - y(x - 1e-6 * e)) / 2e-6 for e in np.eye(5)])
    table = saturation_table(dims=(1024,), trials=500, seed=seed)
    return [
        compare("002", "math-qkv", "Q/K/V projections + scaled attention", Y,
                ref_mha[0].detach().numpy(), "torch.nn.MultiheadAttention (1 head)"),
        compare("002", "math-sdpa", "attention weights A", A, ref_A[0].detach().numpy(),
                "torch.nn.MultiheadAttention weights"),
        compare("002", "math-sdpa", "Y = softmax(QK^T/sqrt(d_k)) V", Y, ref_Y,
                "torch scaled_dot_product_attention"),
        compare("002", "math-sdpa", "attention rows sum to 1", A.sum(axis=1), np.ones(n),
                "1 (row-stochastic)"),
        compare("002", "math-attention-output", "y_i = sum_j A_ij V_j",
                Y, np.einsum("ij,jk->ik", A, V), "explicit sum (einsum)"),
        compare("002", "math-sdpa", "causal mask", attention_weights(Qs, Ks, mask=causal),
                ref_masked, "torch masked_fill + softmax"),
        compare("002", "math-sdpa", "scaled logits have unit std (d_k = 1024)",
                table["logit std, scaled"].iloc[0], 1.0, "1 (variance argument)", tol=0.05),
        compare("002", "math-chain-rule", "chain rule dy/dx_i", chain_rule_gradient(x, Wc, v),
                numeric, "central differences", tol=1e-8),
    ]


def gradient_importance_shape_002(n_tokens: int = 9, vocab: int = 50, hidden: int = 8,
                                  seed: int = 0) -> dict[str, object]:
    r"""Document 002's ``plot_importance`` applied to gradients taken the correct way.

    Corrected, the gradient is taken with respect to the input embeddings, one vector of
    ``hidden`` numbers per token. The listing's ``np.abs(gradients[0])`` normalised by its
    sum then has ``n_tokens x hidden`` entries, not one per token, and ``plt.bar(tokens,
    importance)`` cannot pair them. One score per token needs a reduction over the hidden
    axis, e.g. gradient x input :math:`\sum_k x_{t,k}\,\partial y/\partial x_{t,k}`.

    Returns
    -------
    dict
        ``"listing_shape"``, ``"tokens"`` and ``"per_token_shape"``.
    """
    import torch  # noqa: PLC0415

    gen = torch.Generator().manual_seed(seed)
    emb = torch.nn.Embedding(vocab, hidden)
    with torch.no_grad():
        emb.weight.copy_(torch.randn(vocab, hidden, generator=gen))
    head = torch.randn(hidden, generator=gen)
    ids = torch.randint(0, vocab, (1, n_tokens), generator=gen)
    x = emb(ids).detach().requires_grad_(True)              # inputs_embeds, (1, T, hidden)
    y = (torch.tanh(x).mean(dim=1) @ head).sum()            # a stand-in class score
    y.backward()
    gradients = x.grad
    importance = np.abs(gradients[0].numpy())
    importance = importance / np.sum(importance)            # the listing, as printed
    per_token = (gradients[0] * x[0]).sum(-1).detach().numpy()
    return {"listing_shape": importance.shape, "tokens": n_tokens,
            "per_token_shape": per_token.shape}


def stability_across_inputs_002(n_features: int = 5, noise: float = 0.01,
                                seed: int = 0) -> dict[str, float]:
    r"""Document 002's stability ("the same behaviour under different input conditions").

    For a linear model :math:`f(x) = w^\top x` the exact attribution (Shapley value and
    integrated gradients against baseline 0) is :math:`\phi(x) = w \odot x`. For two
    *different* inputs it rightly differs; for a slightly *perturbed* input it barely moves
    (:math:`\|\phi(x+\varepsilon) - \phi(x)\| \le \max_i |w_i|\,\|\varepsilon\|`). Stability
    means the second (small change under a small, prediction-preserving perturbation,
    e.g. max-sensitivity), not the first.

    Returns
    -------
    dict
        Relative change of the attribution between two different inputs and under noise.
    """
    rng = np.random.default_rng(seed)
    w = rng.normal(size=n_features)
    x1, x2 = rng.normal(size=(2, n_features))
    phi = lambda x: w * x  # noqa: E731
    rel = lambda a, b: float(np.linalg.norm(a - b) / np.linalg.norm(b))  # noqa: E731
    eps = noise * rng.normal(size=n_features)
    return {"different inputs": rel(phi(x2), phi(x1)),
            "perturbed input": rel(phi(x1 + eps), phi(x1))}
