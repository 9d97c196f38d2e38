# %% [raw]
# # ASSIGNMENT CONFIG
# name: 03_bert
# requirements: null
# export_cell: false
# run_tests: false
# init_cell: true
# check_all_cell: false
# generate:
#   seed: 42
# tests:
#   ok_format: false

# %% [markdown]
# # Assignment 3: attention and gradients in BERT
#
# Companion to the chapter *BERT: attention and gradients*.
# Each answer goes into the variable (or function) the question names; run the
# `grader.check` cell below it to run the **public** tests. The instructor's autograder also
# runs **hidden** tests on the same answers, so passing the public tests is necessary, not
# sufficient. Every question can be answered from the setup cell alone: answers never
# depend on each other. Run the notebook with the book's environment (`make lab`).

# %%
import numpy as np
from ecomxai.explain.adapters import NumpyAdapter
from ecomxai.explain.gradients import gradient_x_input, integrated_gradients, quadrature
from ecomxai.formulas.attention import attention_weights

rng = np.random.default_rng(0)
Q, K = rng.normal(size=(3, 64)), rng.normal(size=(5, 64))   # 3 queries, 5 keys, d_k = 64
review = "Great coffee, but the pods leak."
# f(x) = x1 * x2 with its gradient (x2, x1), explained at x = (2, 3) from the baseline 0
product = NumpyAdapter(lambda X: X[:, 0] * X[:, 1], lambda X: X[:, ::-1].copy())
x = np.array([[2.0, 3.0]])

# %% [raw]
# # BEGIN QUESTION
# name: q1
# points: 2

# %% [markdown]
# **Question 1.** (ex-bert-1) Compute the **scaled** dot-product attention weights
# $\operatorname{softmax}(QK^\top/\sqrt{d_k})$ of the setup's `Q` and `K` as a `(3, 5)`
# array `A_scaled` (NumPy only, or `attention_weights`).

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION NO PROMPT
logits = Q @ K.T / np.sqrt(Q.shape[1])
e = np.exp(logits - logits.max(axis=1, keepdims=True))
# END SOLUTION
A_scaled = e / e.sum(axis=1, keepdims=True)  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q1]
# forgets the 1/sqrt(d_k) factor
logits = Q @ K.T
e = np.exp(logits - logits.max(axis=1, keepdims=True))
A_scaled = e / e.sum(axis=1, keepdims=True)

# %% [raw]
# # BEGIN TESTS

# %%
def test_q1_public(A_scaled):
    import numpy as np
    A = np.asarray(A_scaled)
    assert A.shape == (3, 5), "one row per query, one column per key"
    assert np.allclose(A.sum(axis=1), 1.0), "every row is a distribution"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q1_hidden(A_scaled, Q, K):
    import numpy as np
    from ecomxai.formulas.attention import attention_weights
    assert np.allclose(A_scaled, attention_weights(Q, K, scaled=True), atol=1e-10)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q2
# points: 2

# %% [markdown]
# **Question 2.** Without the scaling the rows are peakier. Compute the mean row **entropy in nats**
# $-\sum_j A_{ij} \ln A_{ij}$ of the **unscaled** weights
# `attention_weights(Q, K, scaled=False)` in `H_unscaled` (a float).

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION NO PROMPT
U = attention_weights(Q, K, scaled=False)
# END SOLUTION
H_unscaled = float(-(U * np.log(U)).sum(axis=1).mean())  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q2]
# entropy in bits
U = attention_weights(Q, K, scaled=False)
H_unscaled = float(-(U * np.log2(U)).sum(axis=1).mean())

# %% [raw]
# # BEGIN TESTS

# %%
def test_q2_public(H_unscaled):
    import numpy as np
    assert isinstance(H_unscaled, float)
    assert 0 <= H_unscaled <= np.log(5), "an entropy over 5 keys lies in [0, ln 5]"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q2_hidden(H_unscaled):
    assert abs(H_unscaled - 0.35979) < 1e-4

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q3
# points: 2

# %% [markdown]
# **Question 3.** Integrated gradients average the gradient at quadrature nodes $\alpha_k \in [0, 1]$.
# The library uses **Gauss-Legendre** nodes (exact for polynomials of degree
# $2 \cdot \text{steps} - 1$). Store the two nodes for `steps=2`, in increasing
# order, as an array in `nodes`.

# %% [raw]
# # BEGIN SOLUTION

# %%
nodes = quadrature(2)[0]  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q3]
# the midpoint (Riemann) rule's nodes
nodes = quadrature(2, method="riemann_middle")[0]

# %% [raw]
# # BEGIN TESTS

# %%
def test_q3_public(nodes):
    import numpy as np
    n = np.asarray(nodes)
    assert n.shape == (2,) and np.all((0 < n) & (n < 1)), "two nodes inside (0, 1)"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q3_hidden(nodes):
    import numpy as np
    assert np.allclose(nodes, [0.5 - 0.5 / np.sqrt(3), 0.5 + 0.5 / np.sqrt(3)])

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q4
# points: 2

# %% [markdown]
# **Question 4.** Compute the **integrated gradients** of `product` ($f(x) = x_1 x_2$) at `x` from the
# baseline 0 (by hand or with `integrated_gradients`), shape `(1, 2)`, in `ig`.

# %% [raw]
# # BEGIN SOLUTION

# %%
ig = integrated_gradients(product, x, steps=8)  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q4]
# gradient x input is not integrated gradients
ig = gradient_x_input(product, x)

# %% [raw]
# # BEGIN TESTS

# %%
def test_q4_public(ig):
    import numpy as np
    assert np.asarray(ig).shape == (1, 2), "one attribution per input feature"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q4_hidden(ig):
    import numpy as np
    # completeness: the attributions add up to f(x) - f(0) = 6, shared equally
    assert np.allclose(ig, [[3.0, 3.0]])

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q5
# points: 2

# %% [markdown]
# **Question 5.** (ex-bert-1) Tokenise `review` with the MiniLM tokenizer
# (`ecomxai.models.text.load_tokenizer()`), **including** the special tokens `[CLS]` and
# `[SEP]`, and store the number of tokens in `n_tokens` (an int).

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION NO PROMPT
from ecomxai.models import text
ids = text.load_tokenizer()(review)["input_ids"]
# END SOLUTION
n_tokens = len(ids)  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q5]
# counts words, not WordPiece tokens
n_tokens = len(review.split())

# %% [raw]
# # BEGIN TESTS

# %%
def test_q5_public(n_tokens):
    assert isinstance(n_tokens, int) and n_tokens > 0

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q5_hidden(n_tokens):
    assert n_tokens == 10   # [CLS] great coffee , but the pods leak . [SEP]

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q6
# points: 2

# %% [markdown]
# **Question 6.** Gradient × input is exact only where the model is linear. Compute its **completeness
# gap** for `product` at `x`: $\sum_i a_i - (f(x) - f(0))$ with
# $a = x \odot \nabla f(x)$, as a float in `gap`.

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION NO PROMPT
a = gradient_x_input(product, x)
# END SOLUTION
gap = float(a.sum() - (product(x)[0] - product(np.zeros_like(x))[0]))  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q6]
# takes completeness for granted
gap = 0.0

# %% [raw]
# # BEGIN TESTS

# %%
def test_q6_public(gap):
    assert isinstance(gap, float)

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q6_hidden(gap):
    assert abs(gap - 6.0) < 1e-9   # 2 * 3 + 3 * 2 - 6

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION
