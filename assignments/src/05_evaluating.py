# %% [raw]
# # ASSIGNMENT CONFIG
# name: 05_evaluating
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
# # Assignment 5: judging explanations
#
# Companion to the chapter *Evaluating explanations*.
# Each answer goes into the variable (or function) the question names; run the
# `grader.check` cell below it to run the **public** tests. The instructor's autograder also
# runs **hidden** tests on the same answers, so passing the public tests is necessary, not
# sufficient. Every question can be answered from the setup cell alone: answers never
# depend on each other. Run the notebook with the book's environment (`make lab`).

# %%
import numpy as np
from ecomxai.evaluate.faithfulness import tabular_curves
from ecomxai.evaluate.sanity import passes_sanity_check, randomisation_similarity
from ecomxai.evaluate.stability import rank_correlation

w = np.array([4.0, 3.0, 2.0, 1.0])      # the linear model m(x) = w . x of exercise ex-eval-1
x = np.ones((1, 4))                     # the explained input; the baseline is 0


def model(X):
    return X @ w


a = np.array([0.5, -2.0, 1.0, 0.1])     # two attributions of the same four features
b = np.array([0.4, 1.9, -0.9, 0.2])

# %% [raw]
# # BEGIN QUESTION
# name: q1
# points: 2

# %% [markdown]
# **Question 1.** (ex-eval-1) The explanation $a = w \odot x$ ranks the features by $w_i$. Compute the
# normalised **deletion** AUC (most important feature deleted first, scores divided by
# $m(x) - m(b)$) in `auc_del` (a float); `tabular_curves(model, x, x * w, baseline=0.0)`
# may help.

# %% [raw]
# # BEGIN SOLUTION

# %%
auc_del = float(tabular_curves(model, x, x * w, baseline=0.0).deletion_auc)  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q1]
# the unnormalised area under the raw scores 10, 6, 3, 1, 0
scores = np.array([10.0, 6, 3, 1, 0])
auc_del = float(((scores[1:] + scores[:-1]) / 2).mean())

# %% [raw]
# # BEGIN TESTS

# %%
def test_q1_public(auc_del):
    assert isinstance(auc_del, float), "auc_del must be a float"
    assert 0.0 <= auc_del <= 1.0, "a normalised AUC lies in [0, 1]"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q1_hidden(auc_del):
    assert abs(auc_del - 0.375) < 1e-9

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q2
# points: 2

# %% [markdown]
# **Question 2.** (ex-eval-1) Compute the normalised **insertion** AUC of the same explanation in
# `auc_ins` (a float).

# %% [raw]
# # BEGIN SOLUTION

# %%
auc_ins = float(tabular_curves(model, x, x * w, baseline=0.0).insertion_auc)  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q2]
# inserts the least important feature first
auc_ins = float(tabular_curves(model, x, -x * w, baseline=0.0).insertion_auc)

# %% [raw]
# # BEGIN TESTS

# %%
def test_q2_public(auc_ins):
    assert isinstance(auc_ins, float) and 0.0 <= auc_ins <= 1.0

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q2_hidden(auc_ins):
    assert abs(auc_ins - 0.625) < 1e-9

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q3
# points: 2

# %% [markdown]
# **Question 3.** (ex-eval-1) The faithfulness score is $F = \text{AUC}_{\text{ins}} - \text{AUC}_{\text{del}}$.
# What is $F$ for the **reversed** ranking (attributions `-x * w`)? Store it in `F_reversed`.

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION NO PROMPT
r = tabular_curves(model, x, -x * w, baseline=0.0)
# END SOLUTION
F_reversed = float(r.insertion_auc - r.deletion_auc)  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q3]
# F of the original ranking, not the reversed one
c = tabular_curves(model, x, x * w, baseline=0.0)
F_reversed = float(c.insertion_auc - c.deletion_auc)

# %% [raw]
# # BEGIN TESTS

# %%
def test_q3_public(F_reversed):
    assert isinstance(F_reversed, float) and -1.0 <= F_reversed <= 1.0

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q3_hidden(F_reversed):
    assert abs(F_reversed + 0.25) < 1e-9

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q4
# points: 2

# %% [markdown]
# **Question 4.** (ex-eval-4) A **constant** explanation (the same attributions whatever the model) is
# perfectly stable. Compute its sanity-check similarity: the mean Spearman correlation
# returned first by `randomisation_similarity(A, A)` for the constant attributions
# `A = np.tile(a, (5, 1))` (explanations of 5 inputs before and after randomising the
# model), in `similarity`; then store whether it passes the sanity check
# (`passes_sanity_check`) in `passes`.

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION NO PROMPT
A = np.tile(a, (5, 1))
# END SOLUTION
similarity = randomisation_similarity(A, A)[0]  # SOLUTION
passes = passes_sanity_check(similarity)  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q4]
# a constant explanation mistaken for one that tracks the model
similarity = 0.0
passes = True

# %% [raw]
# # BEGIN TESTS

# %%
def test_q4_public(similarity, passes):
    assert isinstance(similarity, float) and -1 <= similarity <= 1
    assert isinstance(passes, bool)

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q4_hidden(similarity, passes):
    assert abs(similarity - 1.0) < 1e-12 and passes is False

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q5
# points: 2

# %% [markdown]
# **Question 5.** Stability compares attribution **magnitudes**: a feature pushed strongly down is as
# important as one pushed strongly up. Compute the Spearman rank correlation of the
# absolute values of `a` and `b` in `rho` (a float; `rank_correlation` does this by
# default).

# %% [raw]
# # BEGIN SOLUTION

# %%
rho = rank_correlation(a, b)  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q5]
# compares signed values
rho = rank_correlation(a, b, absolute=False)

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
    assert abs(rho - 1.0) < 1e-9   # signed, the same values give -0.8

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION
