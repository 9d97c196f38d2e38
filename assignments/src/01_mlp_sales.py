# %% [raw]
# # ASSIGNMENT CONFIG
# name: 01_mlp_sales
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
# # Assignment 1: explaining a sales MLP
#
# Companion to the chapter *An MLP for sales, explained*.
# Each answer goes into the variable (or function) the question names; run the
# `grader.check` cell below it to run the **public** tests. The instructor's autograder also
# runs **hidden** tests on the same answers, so passing the public tests is necessary, not
# sufficient. Every question can be answered from the setup cell alone: answers never
# depend on each other. Run the notebook with the book's environment (`make lab`).

# %%
import numpy as np
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.tree import DecisionTreeRegressor
from ecomxai.data.catalog import FEATURE_NAMES, make_catalog
from ecomxai.explain.shapley import exact_shapley

cat = make_catalog(200, seed=0)          # 200 products with planted sales drivers
# a linear model f(x) = w . x + c on three features, and four background rows
w, c = np.array([2.0, -1.0, 0.5]), 3.0
x = np.array([1.0, 2.0, 3.0])
B = np.array([[0.0, 1.0, 2.0], [1.0, 1.0, 1.0], [2.0, 0.0, 1.0], [1.0, 2.0, 4.0]])

# %% [raw]
# # BEGIN QUESTION
# name: q1
# points: 2

# %% [markdown]
# **Question 1.** One feature of the catalogue has **no effect** on sales: its planted importance
# (`cat.importance`) is exactly zero. Store its name (a string from `FEATURE_NAMES`) in
# `placebo`.

# %% [raw]
# # BEGIN SOLUTION

# %%
placebo = cat.importance[cat.importance == 0].index[0]  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q1]
# confuses 'the weakest effect' with 'no effect'
placebo = cat.importance[cat.importance > 0].idxmin()

# %% [raw]
# # BEGIN TESTS

# %%
def test_q1_public(placebo):
    from ecomxai.data.catalog import FEATURE_NAMES
    assert isinstance(placebo, str), "placebo must be a feature name (a string)"
    assert placebo in FEATURE_NAMES, f"{placebo!r} is not one of FEATURE_NAMES"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q1_hidden(placebo):
    assert placebo == "season"

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q2
# points: 2

# %% [markdown]
# **Question 2.** (ex-mlp-sales-2) For the linear model $f(x) = w^\top x + c$ of the setup cell, compute the
# **interventional Shapley values** of `x` with background `B`,
# $\phi_i = w_i (x_i - \bar b_i)$, as a float array of shape `(3,)` in `phi_linear`.

# %% [raw]
# # BEGIN SOLUTION

# %%
phi_linear = w * (x - B.mean(axis=0))  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q2]
# forgets the background: attributions against a zero baseline
phi_linear = w * x

# %% [raw]
# # BEGIN TESTS

# %%
def test_q2_public(phi_linear):
    import numpy as np
    assert np.asarray(phi_linear).shape == (3,), "phi_linear must have one value per feature"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q2_hidden(phi_linear, w, x, B, c):
    import numpy as np
    assert np.allclose(phi_linear, [0.0, -1.0, 0.5])
    # efficiency: the values add up to f(x) minus the mean prediction on the background
    assert np.isclose(np.sum(phi_linear), (w @ x + c) - (B @ w + c).mean())

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q3
# points: 2

# %% [markdown]
# **Question 3.** Exact Shapley values evaluate the model on every coalition of the $d$ features, for
# every background row. How many model rows does `exact_shapley` evaluate to explain
# **50 products** with **10 features** and a background of **16 products**? Store the
# integer in `n_rows`.

# %% [raw]
# # BEGIN SOLUTION

# %%
n_rows = 50 * 2**10 * 16  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q3]
# forgets that every coalition is averaged over the background
n_rows = 50 * 2**10

# %% [raw]
# # BEGIN TESTS

# %%
def test_q3_public(n_rows):
    assert isinstance(n_rows, int) and n_rows > 0, "n_rows must be a positive integer"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q3_hidden(n_rows):
    assert n_rows == 819_200

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q4
# points: 2

# %% [markdown]
# **Question 4.** The planted contributions `cat.contributions` are the true Shapley values of the
# noise-free sales function: for every product they add up to its expected sales minus
# one common **base value**, the mean of $f$ over the whole population of products
# (not over these 200). Compute that base value from product 0 and store it as a float
# in `base_value`.

# %% [raw]
# # BEGIN SOLUTION

# %%
base_value = float(cat.expected[0] - cat.contributions[0].sum())  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q4]
# the mean over this sample of 200 products, not the population
base_value = float(cat.expected.mean())

# %% [raw]
# # BEGIN TESTS

# %%
def test_q4_public(base_value):
    assert isinstance(base_value, float), "base_value must be a float"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q4_hidden(base_value, cat):
    import numpy as np
    assert abs(base_value - 100.0) < 1e-6
    assert np.allclose(cat.contributions.sum(axis=1) + base_value, cat.expected)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q5
# points: 2

# %% [markdown]
# **Question 5.** (ex-mlp-sales-4) Fit the black box `GradientBoostingRegressor(random_state=0)` to
# `(cat.X, cat.sales)`, then a depth-3 `DecisionTreeRegressor(random_state=0)` surrogate
# to the **black box's predictions** on `cat.X`. Store the surrogate's **fidelity**, the
# $R^2$ of the surrogate against the black box's predictions on `cat.X`, in `fidelity`.

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION NO PROMPT
black_box = GradientBoostingRegressor(random_state=0).fit(cat.X, cat.sales)
target = black_box.predict(cat.X)
tree = DecisionTreeRegressor(max_depth=3, random_state=0).fit(cat.X, target)
# END SOLUTION
fidelity = float(tree.score(cat.X, target))  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q5]
# scores the surrogate against the observed sales: accuracy, not fidelity
black_box = GradientBoostingRegressor(random_state=0).fit(cat.X, cat.sales)
tree = DecisionTreeRegressor(max_depth=3, random_state=0).fit(cat.X, black_box.predict(cat.X))
fidelity = float(tree.score(cat.X, cat.sales))

# %% [raw]
# # BEGIN TESTS

# %%
def test_q5_public(fidelity):
    assert isinstance(fidelity, float) and fidelity <= 1.0, "an R^2 is a float <= 1"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q5_hidden(fidelity):
    # tree fits depend on floating-point sums: a tolerance, not equality
    assert abs(fidelity - 0.706) < 0.01

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION
