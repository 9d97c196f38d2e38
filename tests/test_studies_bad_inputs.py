"""Every public function of the case studies rejects bad input with the package's own error
(ecomxai.validation.InputError, a ValueError; UnknownIdError, also a LookupError, for
unknown ids; ModelProtocolError, also a TypeError, for a model without the protocol).

``CASES`` holds at least one bad call per public function and user-constructed class;
``test_every_public_study_function_is_covered`` walks each study module's ``__all__``, so a
new public function must come with a case. Result classes (dataclasses the studies return)
are exempt."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, Callable

import numpy as np
import pytest
import torch
from torch import nn

from ecomxai.studies import explainer_network, protocols, recommender, reviews, sales
from ecomxai.validation import InputError, UnknownIdError

MODULES = (sales, recommender, reviews, explainer_network, protocols)


class Recommender(nn.Module):
    """Smallest SequentialRecommender: scores = mean history embedding . item embeddings."""

    n_items, max_len = 6, 4

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.items = nn.Embedding(self.n_items, 3)

    def scores_from_embeddings(self, emb):
        return emb.mean(dim=1) @ self.items.weight.T

    @torch.no_grad()
    def score_items(self, histories):
        return np.stack([self.scores_from_embeddings(self.items(torch.as_tensor([list(h)])))[0]
                         .double().numpy() for h in histories])

    def attention_maps(self, history):
        T = len(history)
        return np.full((1, 1, T, T), 1.0 / T)

    def history_embeddings(self, history):
        return self.items(torch.as_tensor(list(history))).detach().double().numpy()


class NoSearch:
    """Lacks the search interface."""


REC = Recommender()
NET = nn.Embedding(10, 4)
TEXT = reviews.TorchTextClassifier(
    lambda e: (e.sum(dim=(1, 2)), [torch.full((e.shape[0], 1, e.shape[1], e.shape[1]),
                                              1.0 / e.shape[1])]),
    NET, special_ids=(1, 2), pad_id=0, max_length=6)
X4 = np.random.default_rng(0).normal(size=(3, 4))


def linear(X):
    return np.asarray(X) @ np.ones(4)


CASES: dict[str, list[tuple[Callable[[], Any], type[Exception]]]] = {
    # ---- sales
    "sales.as_function": [(lambda: sales.as_function(3), protocols.ModelProtocolError)],
    "sales.sales_adapter": [(lambda: sales.sales_adapter(linear), InputError)],
    "sales.compare_shap_explainers": [
        (lambda: sales.compare_shap_explainers(linear, X4 * np.nan, X4), InputError),
        (lambda: sales.compare_shap_explainers(linear, X4, X4[:, :3]), InputError),
        (lambda: sales.compare_shap_explainers(linear, X4, X4, kernel_nsamples=2), InputError),
        (lambda: sales.compare_shap_explainers("f", X4, X4), protocols.ModelProtocolError)],
    "sales.ground_truth_table": [
        (lambda: sales.ground_truth_table(np.ones(4), X4, {"a": X4[:, :3]}), InputError),
        (lambda: sales.ground_truth_table(np.ones(4), X4 * np.inf, {}), InputError)],
    # ---- recommender
    "recommender.check_history": [
        (lambda: recommender.check_history(REC, []), InputError),
        (lambda: recommender.check_history(REC, [1, 6]), UnknownIdError),
        (lambda: recommender.check_history(REC, [[1, 2]]), InputError)],
    "recommender.check_item": [(lambda: recommender.check_item(REC, 6), UnknownIdError),
                               (lambda: recommender.check_item(REC, -1), UnknownIdError),
                               (lambda: recommender.check_item(REC, 1.5), InputError)],
    "recommender.target_adapter": [(lambda: recommender.target_adapter(REC, 99), UnknownIdError)],
    "recommender.top_recommendation": [
        (lambda: recommender.top_recommendation(REC, []), InputError)],
    "recommender.explain_recommendation": [
        (lambda: recommender.explain_recommendation(REC, [1], 2), InputError),
        (lambda: recommender.explain_recommendation(REC, [1, 2], 7), UnknownIdError),
        (lambda: recommender.explain_recommendation(REC, [1, 2], 3, ig_steps=0), InputError),
        (lambda: recommender.explain_recommendation(REC, [1, 2], 3, titles=["a"]),
         UnknownIdError),
        (lambda: recommender.explain_recommendation(nn.Linear(1, 1), [1, 2], 3),
         protocols.ModelProtocolError)],
    "recommender.most_fragile_recommendation": [
        (lambda: recommender.most_fragile_recommendation(REC, [[1, 2]], n_users=0), InputError),
        (lambda: recommender.most_fragile_recommendation(REC, []), InputError)],
    "recommender.scoring_attention_rows": [
        (lambda: recommender.scoring_attention_rows(REC, [1, 2], last=0), InputError)],
    "recommender.planted_cause_recovery": [
        (lambda: recommender.planted_cause_recovery(REC, [[1, 2]], [3, 4], [0]), InputError),
        (lambda: recommender.planted_cause_recovery(REC, [[1, 2]], [3], [5]), InputError)],
    "recommender.sessions_config": [(lambda: recommender.sessions_config(0), InputError),
                                    (lambda: recommender.sessions_config(5, epochs=-1),
                                     InputError)],
    "recommender.train_sessions_recommender": [
        (lambda: recommender.train_sessions_recommender(10, n_test=10), InputError),
        (lambda: recommender.train_sessions_recommender(10, n_test=0), InputError)],
    "recommender.reference_card": [
        (lambda: recommender.reference_card({}), InputError),
        (lambda: recommender.reference_card({"card": [{"model": "ours", "seeds": 3}]}),
         InputError)],
    # ---- reviews
    "reviews.TorchTextClassifier": [
        (lambda: reviews.TorchTextClassifier(None, NET), protocols.ModelProtocolError)],
    "reviews.check_ids": [(lambda: reviews.check_ids([1, 2]), InputError),
                          (lambda: reviews.check_ids("a text"), InputError),
                          (lambda: reviews.check_ids([1, 3, 4, 2], max_length=3), InputError),
                          (lambda: reviews.check_ids(np.ones((2, 3), int)), InputError)],
    "reviews.explain_tokens": [
        (lambda: reviews.explain_tokens(TEXT, [1, 3, 4, 5, 6, 7, 8, 2]), InputError),
        (lambda: reviews.explain_tokens(TEXT, [1, 3, 2], ig_steps=1), InputError),
        (lambda: reviews.explain_tokens(TEXT, [1, 3, 2], lime_samples=0), InputError),
        (lambda: reviews.explain_tokens(TEXT, [1, 3, 2], methods=("nope",)), InputError),
        (lambda: reviews.explain_tokens(object(), [1, 3, 2]), protocols.ModelProtocolError)],
    "reviews.attention_summary": [(lambda: reviews.attention_summary(TEXT, [1, 2]), InputError)],
    "reviews.ig_gap_table": [(lambda: reviews.ig_gap_table(TEXT, []), InputError)],
    "reviews.token_faithfulness_study": [
        (lambda: reviews.token_faithfulness_study(TEXT, []), InputError)],
    "reviews.explain_search_match": [
        (lambda: reviews.explain_search_match(NoSearch(), "q", "t"),
         protocols.ModelProtocolError)],
    # ---- explainer network
    "explainer_network.click_adapter": [
        (lambda: explainer_network.click_adapter(object()), protocols.ModelProtocolError)],
    "explainer_network.click_model_accuracy": [
        (lambda: explainer_network.click_model_accuracy(object(), X4, np.ones(3)), InputError),
        (lambda: explainer_network.click_model_accuracy(object(), X4, [0, 1]), InputError)],
    "explainer_network.logit_accuracy": [
        (lambda: explainer_network.logit_accuracy([0.0, np.nan], [0, 1]), InputError),
        (lambda: explainer_network.logit_accuracy([0.0, 1.0], [0, 2]), InputError)],
    "explainer_network.explainer_versus_exact": [
        (lambda: explainer_network.explainer_versus_exact(object(), X4, X4),
         protocols.ModelProtocolError)],
    "explainer_network.grade_against_truth": [
        (lambda: explainer_network.grade_against_truth(X4, X4[:, :2]), InputError),
        (lambda: explainer_network.grade_against_truth(X4, X4, k=9), InputError)],
}


def _public(module) -> list[str]:
    names = []
    for name in module.__all__:
        obj = getattr(module, name)
        if inspect.isclass(obj) and (dataclasses.is_dataclass(obj) or issubclass(obj, Exception)
                                     or getattr(obj, "_is_protocol", False)):
            continue  # results, errors and protocols are not called with user input
        if callable(obj) and not getattr(obj, "__origin__", None):
            names.append(f"{module.__name__.rsplit('.', 1)[1]}.{name}")
    return names


def test_every_public_study_function_is_covered():
    public = {n for m in MODULES for n in _public(m)}
    assert public - set(CASES) == set(), f"add bad-input cases for {sorted(public - set(CASES))}"
    assert set(CASES) - public == set(), f"stale cases: {sorted(set(CASES) - public)}"


@pytest.mark.parametrize("name, call, error",
                         [(n, c, e) for n, cases in CASES.items() for c, e in cases],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_study_rejects_bad_input(name, call, error):
    with pytest.raises(error) as info:
        call()
    assert isinstance(info.value, InputError), f"{name} raised {type(info.value).__name__}"
    assert len(str(info.value)) > 20   # says what to do, not just what went wrong
