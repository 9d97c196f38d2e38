# %% [raw]
# # ASSIGNMENT CONFIG
# name: 06_outlook
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
# # Assignment 6: what explanations can and cannot say
#
# Companion to the chapter *Outlook*.
# Each answer goes into the variable (or function) the question names; run the
# `grader.check` cell below it to run the **public** tests. The instructor's autograder also
# runs **hidden** tests on the same answers, so passing the public tests is necessary, not
# sufficient. Every question can be answered from the setup cell alone: answers never
# depend on each other. Run the notebook with the book's environment (`make lab`).

# %%
import numpy as np
from scipy.stats import pearsonr, spearmanr
from ecomxai.explain.shapley import exact_shapley

rng = np.random.default_rng(0)
price = rng.normal(size=(200, 1))
X = np.hstack([price, price, rng.normal(size=(200, 1))])   # column 1 duplicates column 0


def model_a(Z):
    return 2.0 * Z[:, 0]


def model_b(Z):
    return Z[:, 0] + Z[:, 1]


imp_monday = np.array([0.30, 0.25, 0.20, 0.10, 0.08, 0.07])   # global importances of
imp_tuesday = np.array([0.28, 0.27, 0.05, 0.15, 0.14, 0.11])  # two daily retrains

# %% [raw]
# # BEGIN QUESTION
# name: q1
# points: 2

# %% [markdown]
# **Question 1.** (ex-outlook-2) Compute the exact interventional Shapley values of `model_a` for the
# first row of `X` with background `X[:50]`, shape `(1, 3)`, in `phi_a`.

# %% [raw]
# # BEGIN SOLUTION

# %%
phi_a = exact_shapley(model_a, X[:1], X[:50]).values  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q1]
# forgets the background: attributions against a zero baseline
phi_a = np.array([[2.0 * X[0, 0], 0.0, 0.0]])

# %% [raw]
# # BEGIN TESTS

# %%
def test_q1_public(phi_a):
    import numpy as np
    assert np.asarray(phi_a).shape == (1, 3)

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q1_hidden(phi_a, X):
    import numpy as np
    expected = [2.0 * (X[0, 0] - X[:50, 0].mean()), 0.0, 0.0]
    assert np.allclose(phi_a, [expected], atol=1e-9)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q2
# points: 2

# %% [markdown]
# **Question 2.** (ex-outlook-2) The same for `model_b`, which makes identical predictions on `X`, in
# `phi_b`.

# %% [raw]
# # BEGIN SOLUTION

# %%
phi_b = exact_shapley(model_b, X[:1], X[:50]).values  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q2]
# assumes identical predictions mean identical explanations
phi_b = exact_shapley(model_a, X[:1], X[:50]).values

# %% [raw]
# # BEGIN TESTS

# %%
def test_q2_public(phi_b):
    import numpy as np
    assert np.asarray(phi_b).shape == (1, 3)

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q2_hidden(phi_b, X):
    import numpy as np
    d = X[0, 0] - X[:50, 0].mean()
    assert np.allclose(phi_b, [[d, d, 0.0]], atol=1e-9)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q3
# points: 2

# %% [markdown]
# **Question 3.** (ex-outlook-1) How many model rows does exact Shapley evaluate **per product** with
# 10 features and a background of 20 products? Store the integer in `rows_per_product`.

# %% [raw]
# # BEGIN SOLUTION

# %%
rows_per_product = 2**10 * 20  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q3]
# forgets the background
rows_per_product = 2**10

# %% [raw]
# # BEGIN TESTS

# %%
def test_q3_public(rows_per_product):
    assert isinstance(rows_per_product, int) and rows_per_product > 0

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q3_hidden(rows_per_product):
    assert rows_per_product == 20_480

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q4
# points: 2

# %% [markdown]
# **Question 4.** (ex-outlook-1) By what factor does the exact method's cost grow from 10 to 20 features
# (same products, same background)? Store the integer in `growth`.

# %% [raw]
# # BEGIN SOLUTION

# %%
growth = 2**20 // 2**10  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q4]
# linear thinking: twice the features, twice the cost
growth = 2

# %% [raw]
# # BEGIN TESTS

# %%
def test_q4_public(growth):
    assert isinstance(growth, int) and growth > 1

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q4_hidden(growth):
    assert growth == 1024

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q5
# points: 2

# %% [markdown]
# **Question 5.** (ex-outlook-4) Monitoring retrains: compute the **Spearman** rank correlation of
# `imp_monday` and `imp_tuesday` in `rho` (a float).

# %% [raw]
# # BEGIN SOLUTION

# %%
rho = float(spearmanr(imp_monday, imp_tuesday).statistic)  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q5]
# Pearson is not a rank correlation
rho = float(pearsonr(imp_monday, imp_tuesday).statistic)

# %% [raw]
# # BEGIN TESTS

# %%
def test_q5_public(rho):
    assert isinstance(rho, float) and -1 <= rho <= 1

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q5_hidden(rho):
    assert abs(rho - 23 / 35) < 1e-9

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q6
# points: 2

# %% [markdown]
# **Question 6.** (ex-outlook-4) Write `alarm(old, new, k=3)` that returns `True` when the **set** of the
# top-`k` features (largest importances) differs between two importance vectors, and
# `False` otherwise (a reshuffle inside the top `k` is not an alarm).

# %% [raw]
# # BEGIN SOLUTION

# %%
def alarm(old, new, k=3):
    # BEGIN SOLUTION
    top = lambda v: set(np.argsort(-np.asarray(v))[:k].tolist())
    return top(old) != top(new)
    # END SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q6]
# compares the order of the top k, so a reshuffle raises an alarm
def alarm(old, new, k=3):
    return list(np.argsort(-old)[:k]) != list(np.argsort(-new)[:k])

# %% [raw]
# # BEGIN TESTS

# %%
def test_q6_public(alarm):
    import numpy as np
    assert alarm(np.array([3.0, 2, 1, 0]), np.array([0.0, 1, 2, 3])) is True

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q6_hidden(alarm, imp_monday, imp_tuesday):
    import numpy as np
    assert alarm(imp_monday, imp_tuesday) is True               # feature 2 left the top 3
    assert alarm(np.array([3.0, 2, 1, 0]), np.array([2.0, 3, 1, 0])) is False
    assert alarm(imp_monday, imp_monday, k=2) is False

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION
