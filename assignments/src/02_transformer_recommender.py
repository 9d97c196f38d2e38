# %% [raw]
# # ASSIGNMENT CONFIG
# name: 02_transformer_recommender
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
# # Assignment 2: a recommender and its explanations
#
# Companion to the chapter *A Transformer recommender, explained*.
# Each answer goes into the variable (or function) the question names; run the
# `grader.check` cell below it to run the **public** tests. The instructor's autograder also
# runs **hidden** tests on the same answers, so passing the public tests is necessary, not
# sufficient. Every question can be answered from the setup cell alone: answers never
# depend on each other. Run the notebook with the book's environment (`make lab`).

# %%
import numpy as np
from ecomxai.explain.counterfactual import leave_one_out
from ecomxai.formulas.recommend import ITEM_EMBEDDINGS, dot_scores, mean_pool, softmax

items = list(ITEM_EMBEDDINGS)                       # A..E, the worked example's items
E = np.stack([ITEM_EMBEDDINGS[i] for i in items])   # (5, 3) item embeddings
history = ["A", "B"]                                # 张三's history
ranks = np.array([1, 4, 12, 2, 10])                 # 1-based ranks of five users' targets


def score_fn(sequences):
    # a toy model: item 7 is the planted cause (+3), every item adds 0.1
    return np.array([3.0 * (7 in s) + 0.1 * len(s) for s in sequences])

# %% [raw]
# # BEGIN QUESTION
# name: q1
# points: 2

# %% [markdown]
# **Question 1.** Compute 张三's user vector $u$, the **mean** of the embeddings of the items in his
# history, as an array of shape `(3,)` in `u`.

# %% [raw]
# # BEGIN SOLUTION

# %%
u = E[[items.index(i) for i in history]].mean(axis=0)  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q1]
# sums instead of averaging
u = E[[items.index(i) for i in history]].sum(axis=0)

# %% [raw]
# # BEGIN TESTS

# %%
def test_q1_public(u):
    import numpy as np
    assert np.asarray(u).shape == (3,), "u has the embedding dimension, 3"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q1_hidden(u):
    import numpy as np
    assert np.allclose(u, [0.5, 0.6, 0.0])

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q2
# points: 2

# %% [markdown]
# **Question 2.** (tr-ex-softmax) Compute the **softmax** of 张三's five scores $u^\top E_i$ (use
# `mean_pool(history)` and `dot_scores`) as an array `p_all` of shape `(5,)`.

# %% [raw]
# # BEGIN SOLUTION

# %%
p_all = softmax(dot_scores(mean_pool(history), E))  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q2]
# normalises the scores instead of their exponentials
s = dot_scores(mean_pool(history), E)
p_all = s / s.sum()

# %% [raw]
# # BEGIN TESTS

# %%
def test_q2_public(p_all):
    import numpy as np
    p = np.asarray(p_all)
    assert p.shape == (5,), "one probability per item"
    assert np.isclose(p.sum(), 1.0), "probabilities sum to 1"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q2_hidden(p_all):
    import numpy as np
    assert np.allclose(p_all, [0.231417, 0.222343, 0.220130, 0.195238, 0.130872], atol=1e-5)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q3
# points: 2

# %% [markdown]
# **Question 3.** Recommend to 张三 the **Top-2 items he has not seen**, best first, as a list of item
# letters in `top2`.

# %% [raw]
# # BEGIN SOLUTION

# %%
# BEGIN SOLUTION NO PROMPT
s = dot_scores(mean_pool(history), E)
unseen = [i for i in items if i not in history]
# END SOLUTION
top2 = sorted(unseen, key=lambda i: -s[items.index(i)])[:2]  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q3]
# the document's recipe: ranks every item, including those already viewed
s = dot_scores(mean_pool(history), E)
top2 = [items[j] for j in np.argsort(-s)[:2]]

# %% [raw]
# # BEGIN TESTS

# %%
def test_q3_public(top2):
    assert isinstance(top2, list) and len(top2) == 2, "top2 is a list of two item letters"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q3_hidden(top2):
    assert top2 == ["C", "D"]

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q4
# points: 2

# %% [markdown]
# **Question 4.** For the five 1-based `ranks` of the setup cell compute **NDCG@10** with one relevant
# item per user, the mean of $1/\log_2(r + 1)$ over ranks $r \le 10$ (0 otherwise), in
# `ndcg` (a float).

# %% [raw]
# # BEGIN SOLUTION

# %%
ndcg = float(np.mean(np.where(ranks <= 10, 1 / np.log2(ranks + 1), 0.0)))  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q4]
# natural logarithm instead of log2
ndcg = float(np.mean(np.where(ranks <= 10, 1 / np.log(ranks + 1), 0.0)))

# %% [raw]
# # BEGIN TESTS

# %%
def test_q4_public(ndcg):
    assert isinstance(ndcg, float) and 0 <= ndcg <= 1, "NDCG@10 is a float in [0, 1]"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q4_hidden(ndcg, ranks):
    from ecomxai.evaluate.recsys import ndcg_at_k
    assert abs(ndcg - 0.470134) < 1e-6
    assert abs(ndcg - ndcg_at_k(ranks, 10)) < 1e-12

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q5
# points: 2

# %% [markdown]
# **Question 5.** Compute **HR@10** (the share of users whose target ranks in the top 10) of the same
# `ranks` in `hr` (a float).

# %% [raw]
# # BEGIN SOLUTION

# %%
hr = float(np.mean(ranks <= 10))  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q5]
# off by one: rank 10 is inside the top 10
hr = float(np.mean(ranks < 10))

# %% [raw]
# # BEGIN TESTS

# %%
def test_q5_public(hr):
    assert isinstance(hr, float) and 0 <= hr <= 1, "HR@10 is a float in [0, 1]"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q5_hidden(hr, ranks):
    from ecomxai.evaluate.recsys import hit_rate_at_k
    assert hr == 0.8 == hit_rate_at_k(ranks, 10)

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION

# %% [raw]
# # BEGIN QUESTION
# name: q6
# points: 2

# %% [markdown]
# **Question 6.** (tr-ex-replace) Explain the score of the session `[2, 7, 4]` under `score_fn` by
# **deletion**: the drop of the score when each item is left out (shorter sequence).
# Store the three drops in `drops` (use `leave_one_out`).

# %% [raw]
# # BEGIN SOLUTION

# %%
drops = leave_one_out(score_fn, [2, 7, 4])  # SOLUTION

# %% [raw]
# # END SOLUTION

# %% [wrong q6]
# replaces each item by a filler (id 0) instead of deleting it
drops = leave_one_out(score_fn, [2, 7, 4], replace_with=0)

# %% [raw]
# # BEGIN TESTS

# %%
def test_q6_public(drops):
    import numpy as np
    assert np.asarray(drops).shape == (3,), "one drop per history item"
    assert int(np.argmax(drops)) == 1, "the planted cause (item 7, position 1) drops most"

# %%
""" # BEGIN TEST CONFIG
hidden: true
""" # END TEST CONFIG
def test_q6_hidden(drops):
    import numpy as np
    assert np.allclose(drops, [0.1, 3.1, 0.1])

# %% [raw]
# # END TESTS

# %% [raw]
# # END QUESTION
