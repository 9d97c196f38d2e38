"""The case studies take models the book did not build: each study runs on a plain PyTorch
module written here (a sequential recommender, a text classifier, a tabular network) or a
plain function, through the protocols of :mod:`ecomxai.studies.protocols`, and rejects bad
input with the package's own errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from ecomxai.studies import protocols
from ecomxai.studies import recommender as rec
from ecomxai.studies import reviews
from ecomxai.studies import sales
from ecomxai.studies.explainer_network import grade_against_truth

torch.manual_seed(0)


# ---------------------------------------------------------------- a foreign recommender
class TinyAttentionRecommender(nn.Module):
    """One causal attention layer over item embeddings; score = last state . item embedding.

    Item 5 is planted as the cause of item 7: its embedding is aligned with item 7's, and
    the query of the last position looks for it.
    """

    def __init__(self, n_items: int = 12, d: int = 8, max_len: int = 6) -> None:
        super().__init__()
        self.n_items, self.max_len = n_items, max_len
        self.items = nn.Embedding(n_items, d)
        self.attention = nn.MultiheadAttention(d, num_heads=2, batch_first=True)
        with torch.no_grad():
            self.items.weight[5] = 3 * self.items.weight[7]
        self.eval()

    def _encode(self, emb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        T = emb.shape[1]
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        out, w = self.attention(emb, emb, emb, attn_mask=causal, need_weights=True,
                                average_attn_weights=False)
        return out + emb, w

    def scores_from_embeddings(self, emb: torch.Tensor) -> torch.Tensor:
        hidden, _ = self._encode(emb)
        return hidden[:, -1] @ self.items.weight.T

    @torch.no_grad()
    def score_items(self, histories):
        rows = [self.scores_from_embeddings(self.items(torch.as_tensor([list(h)])))[0]
                for h in histories]
        return torch.stack(rows).double().numpy()

    @torch.no_grad()
    def attention_maps(self, history):
        _, w = self._encode(self.items(torch.as_tensor([list(history)])))
        return w[0][None].double().numpy()  # one layer: (1, heads, T, T)

    def history_embeddings(self, history):
        return self.items(torch.as_tensor(list(history))).detach().double().numpy()


@pytest.fixture(scope="module")
def recommender():
    return TinyAttentionRecommender()


def test_foreign_recommender_satisfies_the_protocol(recommender):
    assert isinstance(recommender, protocols.SequentialRecommender)
    assert not isinstance(object(), protocols.SequentialRecommender)


def test_explain_recommendation_on_a_foreign_model(recommender):
    history = [1, 5, 2, 3]
    frame = rec.explain_recommendation(recommender, history, 7, ig_steps=128)
    assert list(frame["item"]) == history
    np.testing.assert_allclose(frame["attention_last"].sum(), 1.0, atol=1e-6)
    np.testing.assert_allclose(frame["rollout"].sum(), 1.0, atol=1e-6)
    assert abs(frame.attrs["ig_gap"]) < 1e-2 * max(1.0, abs(frame.attrs["score"]))
    full = recommender.score_items([history])[0, 7]
    without = recommender.score_items([[1, 2, 3]])[0, 7]
    assert frame.loc[1, "loo_drop"] == pytest.approx(full - without, rel=1e-6)
    assert int(np.argmax(frame["loo_drop"])) == 1   # the planted cause, item 5


def test_recommender_study_helpers_on_a_foreign_model(recommender):
    histories = [[1, 5, 2], [3, 4, 6, 8], [9, 10, 11]]
    user, top, worst = rec.most_fragile_recommendation(recommender, histories, n_users=3)
    assert 0 <= user < 3 and top not in histories[user] and worst >= 1
    rows, labels = rec.scoring_attention_rows(recommender, [1, 5, 2, 3], last=3)
    assert rows.shape == (2 + 2, 3) and len(labels) == 4
    result = rec.planted_cause_recovery(recommender, [[1, 5, 2], [5, 3, 4]], [7, 7], [1, 0],
                                        ig_steps=32)
    assert result.hit_rate["loo_drop"] == 1.0
    assert set(result.hit_rate) == set(rec.EXPLANATIONS)
    assert result.chance == pytest.approx(1 / 3)


@pytest.mark.parametrize("history, item, error", [
    ([], 3, ValueError),                 # empty history
    ([4], 3, ValueError),                # one item: nothing to compare
    ([1, 99], 3, LookupError),           # unknown item id in the history
    ([1, 2], 12, LookupError),           # unknown recommended item
    ([1, -1], 3, LookupError),
    ([1.5, 2], 3, ValueError),           # not an id
    (np.array([[1, 2], [3, 4]]), 3, ValueError),  # two histories at once
])
def test_recommender_study_rejects_bad_input(recommender, history, item, error):
    with pytest.raises(error):
        rec.explain_recommendation(recommender, history, item)


def test_recommender_study_rejects_models_and_outputs_that_do_not_fit(recommender):
    with pytest.raises(TypeError, match="SequentialRecommender"):
        rec.explain_recommendation(nn.Linear(2, 2), [1, 2], 3)

    class NaNScores(TinyAttentionRecommender):
        def score_items(self, histories):
            return np.full((len(histories), self.n_items), np.nan)

    with pytest.raises(ValueError, match="NaN"):
        rec.explain_recommendation(NaNScores(), [1, 2], 3)
    with pytest.raises(ValueError, match="ig_steps"):
        rec.explain_recommendation(recommender, [1, 2], 3, ig_steps=1)


# ------------------------------------------------------------- a foreign text classifier
class TinyTextClassifier(nn.Module):
    """Token ids in, logit and attentions out: embedding -> self-attention -> mean -> linear."""

    def __init__(self, vocab: int = 40, d: int = 8) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab, d)
        self.attention = nn.MultiheadAttention(d, num_heads=2, batch_first=True)
        self.head = nn.Linear(d, 1)
        self.eval()

    def from_embeddings(self, emb: torch.Tensor):
        out, w = self.attention(emb, emb, emb, need_weights=True, average_attn_weights=False)
        return self.head((out + emb).mean(dim=1)).squeeze(-1), [w]

    def forward(self, ids: torch.Tensor):
        return self.from_embeddings(self.embedding(ids))


CLS, SEP, PAD = 1, 2, 0


@pytest.fixture(scope="module")
def classifier():
    net = TinyTextClassifier()
    return reviews.TorchTextClassifier(net.from_embeddings, net.embedding,
                                       special_ids=(CLS, SEP), pad_id=PAD, max_length=12)


def test_foreign_text_classifier_through_every_token_method(classifier):
    assert isinstance(classifier, protocols.TextClassifier)
    ids = [CLS, 5, 9, 13, 21, SEP]
    scores, info = reviews.explain_tokens(classifier, ids, ig_steps=64, lime_samples=60,
                                          shap_evals=60)
    assert set(scores) == set(reviews.METHODS)
    assert all(s.shape == (len(ids),) for s in scores.values())
    for m in ("occlusion", "lime", "shap"):
        assert scores[m][0] == 0.0 and scores[m][-1] == 0.0   # [CLS], [SEP] are fixed
    # IG is complete: its token sum is z(x) - z(baseline), up to the quadrature error
    assert abs(info["ig_gap"]) < 1e-3
    # occlusion is the drop of the logit when one token is deleted
    z = classifier.logits_ids([ids, [CLS, 9, 13, 21, SEP]])
    assert scores["occlusion"][1] == pytest.approx(z[0] - z[1], rel=1e-5)
    summary = reviews.attention_summary(classifier, ids)
    np.testing.assert_allclose(summary["rollout"].sum(), 1.0, atol=1e-6)


def test_token_faithfulness_study_on_a_foreign_classifier(classifier):
    seqs = [[CLS, 5, 9, 13, SEP], [CLS, 7, 8, 30, 31, SEP], [CLS, 3, 4, SEP]]
    study = reviews.token_faithfulness_study(classifier, seqs, ig_steps=16, lime_samples=30,
                                             shap_evals=30)
    assert list(study.table.index) == list(reviews.METHODS)
    assert np.all(np.isfinite(study.table[["comprehensiveness", "sufficiency"]].to_numpy()))
    assert len(study.attributions) == 3 and study.ig_gaps.shape == (3,)
    gaps = reviews.ig_gap_table(classifier, seqs[:1], steps=(4, 32))
    assert gaps.shape == (2, 2)


@pytest.mark.parametrize("ids, error", [
    ([], ValueError),                             # empty
    ([CLS, SEP], ValueError),                     # nothing between the special tokens
    ([CLS] + [5] * 20 + [SEP], ValueError),       # longer than max_length
    ([CLS, 5.5, SEP], ValueError),                # not token ids
    ("a text", ValueError),                       # text instead of ids
])
def test_text_study_rejects_bad_input(classifier, ids, error):
    with pytest.raises(error):
        reviews.explain_tokens(classifier, ids)


def test_text_study_rejects_a_model_without_the_protocol():
    with pytest.raises(TypeError, match="TextClassifier"):
        reviews.explain_tokens(TinyTextClassifier(), [CLS, 5, SEP])


# ---------------------------------------------------------------- a foreign tabular model
class TinyRegressor:
    """A reader's PyTorch regressor: ``predict`` on rows, ``network`` for gradients."""

    def __init__(self, d: int = 4) -> None:
        torch.manual_seed(1)
        self.network = nn.Sequential(nn.Linear(d, 8), nn.ReLU(), nn.Linear(8, 1))

    def predict(self, X):
        with torch.no_grad():
            out = self.network(torch.as_tensor(np.asarray(X, np.float32))).numpy()[:, 0]
        return out.astype(np.float64)


def test_compare_shap_explainers_on_a_foreign_torch_model():
    model = TinyRegressor()
    assert isinstance(model, protocols.TabularModel)
    rng = np.random.default_rng(0)
    X, background = rng.normal(size=(5, 4)), rng.normal(size=(8, 4))
    table = sales.compare_shap_explainers(model, X, background, kernel_nsamples=200)
    assert table.loc["shap.KernelExplainer", "status"] == "ok"
    assert table.loc["shap.KernelExplainer", "max_abs_diff"] < 1e-4  # 2^4 coalitions: exact
    assert table.iloc[0]["efficiency_max_gap"] < 1e-6
    assert {"shap.GradientExplainer", "shap.DeepExplainer"} <= set(table.index)
    assert table.loc["shap.DeepExplainer", "status"] == "ok"
    assert table.loc["shap.DeepExplainer", "efficiency_max_gap"] < 1e-3


def test_tabular_study_takes_a_plain_function():
    w = np.array([2.0, -1.0, 0.0, 0.5])

    def f(X):
        return np.asarray(X) @ w

    rng = np.random.default_rng(1)
    X, background = rng.normal(size=(6, 4)), rng.normal(size=(10, 4))
    table = sales.compare_shap_explainers(f, X, background, kernel_nsamples=100)
    assert table.loc["shap.GradientExplainer", "status"].startswith("skipped")
    with pytest.raises(ValueError, match="network"):
        sales.sales_adapter(f)
    truth = w * (X - background.mean(axis=0))            # Shapley values of a linear model
    scores = sales.ground_truth_table(np.abs(truth).mean(0), truth, {"exact": truth})
    assert scores.loc["exact", "spearman"] == pytest.approx(1.0)


def test_sales_adapter_differentiates_a_foreign_torch_network():
    model = TinyRegressor()
    x = np.random.default_rng(2).normal(size=(3, 4))
    g = sales.sales_adapter(model).gradient(x)
    eps = 1e-2                       # float32 network: a wide step, piecewise-linear function
    for i in range(4):
        up, down = x.copy(), x.copy()
        up[:, i] += eps
        down[:, i] -= eps
        np.testing.assert_allclose(g[:, i], (model.predict(up) - model.predict(down)) / (2 * eps),
                                   rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("kwargs", [
    {"X": np.full((2, 4), np.nan)},
    {"X": np.ones((2, 3))},                 # columns differ from the background
    {"kernel_nsamples": 3},
])
def test_tabular_study_rejects_bad_input(kwargs):
    args = {"X": np.ones((2, 4)), "background": np.zeros((3, 4)), "kernel_nsamples": 100,
            **kwargs}
    with pytest.raises(ValueError):
        sales.compare_shap_explainers(TinyRegressor(), **args)


def test_grade_against_truth_checks_shapes():
    a = np.random.default_rng(3).normal(size=(20, 5))
    assert grade_against_truth(a, a)["local Spearman"] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        grade_against_truth(a, a[:, :4])
