# %% [raw]
# # ASSIGNMENT CONFIG
# name: 04_explainer_network
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
# # Assignment 4: a click model that explains itself
#
# Companion to the chapter *An explainer network for recommendations*.
# Each answer goes into the variable (or function) the question names; run the
# `grader.check` cell below it to run the **public** tests. The instructor's autograder also
# runs **hidden** tests on the same answers, so passing the public tests is necessary, not
# sufficient. Every question can be answered from the setup cell alone: answers never
# depend on each other. Run the notebook with the book's environment (`make lab`).

# %%
import numpy as np
from sklearn.metrics import roc_auc_score
from ecomxai.formulas.dnn import cross_entropy, sigmoid

labels = np.array([1, 0, 1, 1, 0, 0, 1, 0])                           # clicks
scores = np.array([0.9, 0.6, 0.55, 0.8, 0.3, 0.65, 0.4, 0.1])         # predicted click probabilities
rng = np.random.default_rng(0)
X_train = rng.normal(size=(1000, 3))                                  # training pairs, 3 features
X_new = np.vstack([rng.normal(size=(17, 3)), [[0, 9, 0], [0, 0, -7], [12, 0, 0]]])

# %% [raw]
# # BEGIN QUESTION
# name: q1
# points: 2

# %% [markdown]
# **Question 1.** The click model trains on the binary **cross-entropy**. A shopper clicked ($y = 1$) an
# item predicted at $\hat y = 0.8$: compute the loss **in nats** (natural logarithm),
# as a float in `ce`.

# %% [raw]
# # BEGIN SOLUTION

# %%
ce = float(-np.log(0.8))  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q1]
# the article's number: the same loss in bits
ce = float(-np.log2(0.8))

# %% [raw]
# # BEGIN TESTS

# %%
def test_q1_public(ce):
    assert isinstance(ce, float) and ce > 0, "a cross-entropy is a positive float"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q1_hidden(ce):
    from ecomxai.formulas.dnn import cross_entropy
    assert abs(ce - 0.2231) < 1e-4
    assert abs(ce - cross_entropy([1, 0], [0.8, 0.2])) < 1e-12

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q2
# points: 2

# %% [markdown]
# **Question 2.** Compute the **AUC** of `scores` against `labels` (the probability that a random click
# outranks a random non-click) as a float in `auc`.

# %% [raw]
# # BEGIN SOLUTION

# %%
auc = float(roc_auc_score(labels, scores))  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q2]
# accuracy at the 0.5 threshold is not the AUC
auc = float(np.mean((scores > 0.5) == labels))

# %% [raw]
# # BEGIN TESTS

# %%
def test_q2_public(auc):
    assert isinstance(auc, float) and 0 <= auc <= 1

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q2_hidden(auc):
    assert abs(auc - 0.75) < 1e-12   # 12 of the 16 (click, non-click) pairs in order

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q3
# points: 2

# %% [markdown]
# **Question 3.** (ex-explainer-network-3) On the logit scale the planted category effect adds $1.2$
# log-odds. How much **click probability** does it add for two pairs whose logits
# without it are $z = -1$ and $z = 2$? Store $\sigma(z + 1.2) - \sigma(z)$ for both as an
# array `dp` of shape `(2,)`.

# %% [raw]
# # BEGIN SOLUTION

# %%
dp = sigmoid(np.array([-1.0, 2.0]) + 1.2) - sigmoid(np.array([-1.0, 2.0]))  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q3]
# a linearisation: the slope of the sigmoid at z times 1.2
z = np.array([-1.0, 2.0])
dp = 1.2 * sigmoid(z) * (1 - sigmoid(z))

# %% [raw]
# # BEGIN TESTS

# %%
def test_q3_public(dp):
    import numpy as np
    assert np.asarray(dp).shape == (2,)

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q3_hidden(dp):
    import numpy as np
    assert np.allclose(dp, [0.280893, 0.080037], atol=1e-6)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q4
# points: 2

# %% [markdown]
# **Question 4.** (ex-explainer-network-1) With nine features, how many **non-trivial coalitions** (neither
# empty nor all features) must KernelSHAP's exact enumeration visit? Store the integer in
# `n_coalitions`.

# %% [raw]
# # BEGIN SOLUTION

# %%
n_coalitions = 2**9 - 2  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q4]
# counts the empty and the full coalition too
n_coalitions = 2**9

# %% [raw]
# # BEGIN TESTS

# %%
def test_q4_public(n_coalitions):
    assert isinstance(n_coalitions, int)

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q4_hidden(n_coalitions):
    assert n_coalitions == 510

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q5
# points: 2

# %% [markdown]
# **Question 5.** (ex-explainer-network-4) Flag a pair of `X_new` when **any** feature lies outside the
# **0.5-99.5 %** range of `X_train` (per feature). Store the number of flagged pairs in
# `n_flagged` (an int).

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION NO PROMPT
lo, hi = np.percentile(X_train, [0.5, 99.5], axis=0)
# END SOLUTION
n_flagged = int(((X_new < lo) | (X_new > hi)).any(axis=1).sum())  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q5]
# the 1-99 % range flags more pairs
lo, hi = np.percentile(X_train, [1, 99], axis=0)
n_flagged = int(((X_new < lo) | (X_new > hi)).any(axis=1).sum())

# %% [raw]
# # BEGIN TESTS

# %%
def test_q5_public(n_flagged):
    assert isinstance(n_flagged, int)
    assert n_flagged >= 3, "the three planted outliers must be flagged"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q5_hidden(n_flagged):
    assert n_flagged == 5

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION
