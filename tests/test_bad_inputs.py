"""Every public function of ecomxai.explain and ecomxai.evaluate rejects bad input with
the package's own error (ecomxai.validation.InputError, a ValueError), including bad
model outputs (NaN, infinities, wrong shape) and bad parameters passed on to shap/lime.

``CASES`` holds at least one bad call per public function; ``test_every_public_function_is_covered``
walks each module's ``__all__`` and fails when a function (or a class a user constructs,
like the adapters) has no case, so a new public function must come with one.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any, Callable

import numpy as np
import pytest

import ecomxai.evaluate
import ecomxai.explain
from ecomxai.evaluate import (bootstrap, faithfulness, ground_truth, recsys, report, sanity,
                              stability, token_faithfulness)
from ecomxai.explain import (adapters, attention, counterfactual, dependence, gradients,
                             importance, lime_tabular, lime_text, shap_text, shapley, surrogate,
                             token_attribution, token_mask)
from ecomxai.validation import InputError, UnknownIdError

RNG = np.random.default_rng(0)
W = np.array([1.0, 2.0, -1.0])
X = RNG.normal(size=(6, 3))
BG = RNG.normal(size=(4, 3))
SEQ = [101, 5, 7, 3, 102]
FIXED = [True, False, False, False, True]
A_SEQ = np.array([0.0, 0.3, -0.1, 0.2, 0.0])


def lin(Z: np.ndarray) -> np.ndarray:
    return np.asarray(Z) @ W


def nan_f(Z: np.ndarray) -> np.ndarray:
    return np.full(len(Z), np.nan)


def inf_f(Z: np.ndarray) -> np.ndarray:
    return np.full(len(Z), np.inf)


def wide_f(Z: np.ndarray) -> np.ndarray:
    return np.ones((len(Z), 2))


def seq_score(batch: list[list[int]]) -> np.ndarray:
    return np.array([0.1 * len(s) for s in batch])


def nan_score(batch: list[list[int]]) -> np.ndarray:
    return np.full(len(batch), np.nan)


def short_score(batch: list[list[int]]) -> np.ndarray:
    return np.ones(len(batch) - 1)


def grad_lin(Z: np.ndarray) -> np.ndarray:
    return np.tile(W, (len(Z), 1))


GOOD = adapters.NumpyAdapter(lin, grad_lin)
NAN_GRAD = adapters.NumpyAdapter(lin, lambda Z: np.full(np.shape(Z), np.nan))
NAN_OUT = adapters.NumpyAdapter(nan_f, grad_lin)


class RawGradientModel:
    """A GradientModel written by a reader, without our adapters: bad gradient shape."""

    def __call__(self, Z: np.ndarray) -> np.ndarray:
        return lin(Z)

    def gradient(self, Z: np.ndarray) -> np.ndarray:
        return np.ones((len(Z), 2))


def _tree() -> surrogate.SurrogateFit:
    Xf = RNG.normal(size=(60, 3))
    return surrogate.tree_surrogate(lin, Xf, Xf[:20], max_depth=2, min_samples_leaf=5)


def _linear_fit() -> surrogate.SurrogateFit:
    Xf = RNG.normal(size=(30, 3))
    return surrogate.linear_surrogate(lin, Xf, Xf[:10])


ATT = np.full((2, 1, 3, 3), 1 / 3)
SCORES = RNG.normal(size=(3, 20))
RANKS = np.array([1.0, 3.0, 12.0])
GTS = ground_truth.GroundTruthScore("m", 0.5, 1.0, np.nan, np.nan)


def explain_lin(Z: np.ndarray) -> np.ndarray:
    return np.asarray(Z) * W


def randomised(layers: Any) -> np.ndarray:
    return RNG.normal(size=(4, 3))


RESULTS = report.Results(
    bench={"models": {"m": {"methods": {"a": {"x": {"value": 1.0, "low": 0.5, "high": 1.5,
                                                    "n": 2}}}}}},
    per_input={"m": {"a": {"x": [1.0, 2.0]}, "b": {"x": [0.0, 1.0]}}}, speed={},
    speed_previous=None)


# (public name "module.function", bad call, regex the message must match)
Case = tuple[str, Callable[[], Any], str]
CASES: list[Case] = [
    # ---- explain.adapters
    ("adapters.check_inputs", lambda: adapters.check_inputs([1.0, 2.0]), "dimensions"),
    ("adapters.check_inputs", lambda: adapters.check_inputs([[np.nan, 1.0]]), "NaN"),
    ("adapters.check_inputs", lambda: adapters.check_inputs("abc"), "numeric"),
    ("adapters.NumpyAdapter", lambda: adapters.NumpyAdapter(3, grad_lin), "function"),
    ("adapters.NumpyAdapter", lambda: NAN_OUT(X), "NaN or infinite"),
    ("adapters.NumpyAdapter", lambda: NAN_GRAD.gradient(X), "NaN or infinite"),
    ("adapters.NumpyAdapter", lambda: adapters.NumpyAdapter(wide_f, grad_lin)(X),
     "output_index"),
    ("adapters.TorchAdapter", lambda: adapters.TorchAdapter("model"), "function"),
    ("adapters.TorchAdapter", lambda: adapters.TorchAdapter(lin, batch_size=0), "batch_size"),
    ("adapters.KerasAdapter", lambda: adapters.KerasAdapter(None), "function"),
    ("adapters.KerasAdapter", lambda: adapters.KerasAdapter(lin, output_index=-1),
     "output_index"),
    # ---- explain.attention
    ("attention.as_attention_stack", lambda: attention.as_attention_stack([]), "no attention"),
    ("attention.as_attention_stack", lambda: attention.as_attention_stack(np.ones((2, 3, 4))),
     "shape"),
    ("attention.as_attention_stack",
     lambda: attention.as_attention_stack([np.ones((1, 3, 3)), np.ones((1, 4, 4))]), "differ"),
    ("attention.check_row_stochastic", lambda: attention.check_row_stochastic(np.ones((3, 3))),
     "sum to 1"),
    ("attention.check_row_stochastic",
     lambda: attention.check_row_stochastic(np.eye(3), atol=-1.0), "atol"),
    ("attention.head_average", lambda: attention.head_average(np.full((1, 1, 2, 2), np.nan)),
     "NaN"),
    ("attention.attention_rollout",
     lambda: attention.attention_rollout(ATT, residual_weight=1.0), "residual_weight"),
    ("attention.attention_rollout",
     lambda: attention.attention_rollout(ATT, residual_weight=np.nan), "residual_weight"),
    # ---- explain.counterfactual
    ("counterfactual.leave_one_out_sequences",
     lambda: counterfactual.leave_one_out_sequences([]), "empty"),
    ("counterfactual.leave_one_out_sequences",
     lambda: counterfactual.leave_one_out_sequences([1, 2.5]), "integer"),
    ("counterfactual.leave_one_out_sequences",
     lambda: counterfactual.leave_one_out_sequences([1, 2], replace_with=-1), "replace_with"),
    ("counterfactual.leave_one_out", lambda: counterfactual.leave_one_out(nan_score, SEQ),
     "NaN"),
    ("counterfactual.leave_one_out", lambda: counterfactual.leave_one_out(short_score, SEQ),
     "one score per sequence"),
    ("counterfactual.leave_one_out", lambda: counterfactual.leave_one_out("f", SEQ), "function"),
    ("counterfactual.rank_of", lambda: counterfactual.rank_of(np.ones(5), 7), "catalogue"),
    ("counterfactual.rank_of", lambda: counterfactual.rank_of([1.0, np.nan], 0), "NaN"),
    ("counterfactual.rank_of", lambda: counterfactual.rank_of(np.ones(5), 1.5), "integer"),
    # ---- explain.dependence
    ("dependence.feature_grid", lambda: dependence.feature_grid([1.0, np.nan]), "finite"),
    ("dependence.feature_grid", lambda: dependence.feature_grid(X[:, 0], grid_resolution=1),
     "grid_resolution"),
    ("dependence.feature_grid",
     lambda: dependence.feature_grid(X[:, 0], percentiles=(0.9, 0.1)), "percentiles"),
    ("dependence.ice_curves", lambda: dependence.ice_curves(lin, X, 3), "column index"),
    ("dependence.ice_curves", lambda: dependence.ice_curves(inf_f, X, 0), "NaN or infinite"),
    ("dependence.partial_dependence", lambda: dependence.partial_dependence(wide_f, X, 0),
     "one score per row"),
    ("dependence.partial_dependence", lambda: dependence.partial_dependence(lin, X, True),
     "column index"),
    # ---- explain.gradients
    ("gradients.saliency", lambda: gradients.saliency(lin, X), "GradientModel"),
    ("gradients.saliency", lambda: gradients.saliency(NAN_GRAD, X), "NaN"),
    ("gradients.saliency", lambda: gradients.saliency(RawGradientModel(), X), "shape"),
    ("gradients.gradient_x_input", lambda: gradients.gradient_x_input(GOOD, X, np.ones(4)),
     "broadcast"),
    ("gradients.gradient_x_input", lambda: gradients.gradient_x_input(GOOD, X[0]),
     "dimensions"),
    ("gradients.integrated_gradients", lambda: gradients.integrated_gradients(GOOD, X, steps=0),
     "steps"),
    ("gradients.integrated_gradients",
     lambda: gradients.integrated_gradients(GOOD, X, steps=2.5), "steps"),
    ("gradients.integrated_gradients",
     lambda: gradients.integrated_gradients(GOOD, X, method="simpson"), "quadrature"),
    ("gradients.integrated_gradients",
     lambda: gradients.integrated_gradients(GOOD, X, batch_rows=0), "batch_rows"),
    ("gradients.integrated_gradients", lambda: gradients.integrated_gradients(NAN_GRAD, X),
     "NaN"),
    ("gradients.integrated_gradients",
     lambda: gradients.integrated_gradients(RawGradientModel(), X), "shape"),
    ("gradients.quadrature", lambda: gradients.quadrature(-3), "steps"),
    ("gradients.quadrature", lambda: gradients.quadrature(1, "riemann_trapezoid"), "2 steps"),
    ("gradients.completeness_gap", lambda: gradients.completeness_gap(GOOD, X, X[:, :2]),
     "shape"),
    ("gradients.completeness_gap", lambda: gradients.completeness_gap(NAN_OUT, X, X), "NaN"),
    # ---- explain.importance
    ("importance.first_layer_importance",
     lambda: importance.first_layer_importance(np.ones(3)), "2-D"),
    ("importance.first_layer_importance",
     lambda: importance.first_layer_importance(np.ones((3, 2)), input_scale=[1, 0, 1]),
     "positive"),
    ("importance.document_omega", lambda: importance.document_omega(np.ones(5), X), "6 values"),
    ("importance.permutation_importance",
     lambda: importance.permutation_importance(lin, X, lin(X), n_repeats=0), "n_repeats"),
    ("importance.permutation_importance",
     lambda: importance.permutation_importance(nan_f, X, lin(X)), "NaN"),
    ("importance.permutation_importance",
     lambda: importance.permutation_importance(lin, X, lin(X), scoring="auc"), "unknown scoring"),
    ("importance.occlusion", lambda: importance.occlusion(wide_f, X, 0.0), "one score per row"),
    ("importance.occlusion", lambda: importance.occlusion(lin, X, [0.0, 1.0]), "baseline"),
    ("importance.occlusion", lambda: importance.occlusion(lin, X, np.nan), "NaN"),
    # ---- explain.lime_tabular (parameters passed to lime, checked before lime runs)
    ("lime_tabular.lime_tabular", lambda: lime_tabular.lime_tabular(lin, X, BG, num_samples=1),
     "num_samples"),
    ("lime_tabular.lime_tabular",
     lambda: lime_tabular.lime_tabular(lin, X, BG, kernel_width=0.0), "kernel_width"),
    ("lime_tabular.lime_tabular",
     lambda: lime_tabular.lime_tabular(lin, X, BG, random_state=-1), "random_state"),
    ("lime_tabular.lime_tabular",
     lambda: lime_tabular.lime_tabular(lin, X, BG, categorical_features=[5]), "vocabulary"),
    ("lime_tabular.lime_tabular", lambda: lime_tabular.lime_tabular(lin, X, BG[:, :2]),
     "same columns"),
    ("lime_tabular.lime_tabular",
     lambda: lime_tabular.lime_tabular(nan_f, X[:1], BG, num_samples=20), "NaN"),
    # ---- explain.lime_text and shap_text (the shared TokenMask checks both)
    ("lime_text.lime_token_attributions",
     lambda: lime_text.lime_token_attributions(seq_score, SEQ, fixed=FIXED, num_samples=1),
     "num_samples"),
    ("lime_text.lime_token_attributions",
     lambda: lime_text.lime_token_attributions(seq_score, SEQ, kernel_width=-2.0),
     "kernel_width"),
    ("lime_text.lime_token_attributions",
     lambda: lime_text.lime_token_attributions(seq_score, SEQ, fixed=[True] * 4), "length 5"),
    ("lime_text.lime_token_attributions",
     lambda: lime_text.lime_token_attributions(nan_score, SEQ, fixed=FIXED, num_samples=10),
     "NaN"),
    ("shap_text.contiguous_linkage", lambda: shap_text.contiguous_linkage(1), "at least 2"),
    ("shap_text.shap_token_attributions",
     lambda: shap_text.shap_token_attributions(seq_score, SEQ, max_evals=1), "max_evals"),
    ("shap_text.shap_token_attributions",
     lambda: shap_text.shap_token_attributions(seq_score, SEQ, fixed=[True] * 5), "every"),
    ("shap_text.shap_token_attributions",
     lambda: shap_text.shap_token_attributions(short_score, [101, 5, 102],
                                               fixed=[True, False, True]),
     "one score per sequence"),
    ("token_mask.TokenMask", lambda: token_mask.TokenMask.of("a text"), "integer ids"),
    ("token_mask.TokenMask", lambda: token_mask.TokenMask.of([]), "empty"),
    ("token_mask.TokenMask", lambda: token_mask.TokenMask.of(SEQ, [0, 2, 1, 0, 0]), "boolean"),
    # ---- explain.shapley (parameters passed to shap checked before shap runs)
    ("shapley.exact_shapley", lambda: shapley.exact_shapley(lin, X, BG[:, :2]), "equal columns"),
    ("shapley.exact_shapley", lambda: shapley.exact_shapley(nan_f, X, BG), "NaN"),
    ("shapley.exact_shapley", lambda: shapley.exact_shapley(wide_f, X, BG), "one score per row"),
    ("shapley.exact_shapley", lambda: shapley.exact_shapley(lin, X, BG, batch_rows=0),
     "batch_rows"),
    ("shapley.coalition_matrix", lambda: shapley.coalition_matrix(17), "kernel_shap"),
    ("shapley.coalition_matrix", lambda: shapley.coalition_matrix(2.0), "integer"),
    ("shapley.shapley_weights", lambda: shapley.shapley_weights(0), "at least 1"),
    ("shapley.kernel_shap", lambda: shapley.kernel_shap(lin, X, BG, nsamples=1), "nsamples"),
    ("shapley.kernel_shap", lambda: shapley.kernel_shap(lin, X, BG, seed=-1), "seed"),
    ("shapley.kernel_shap", lambda: shapley.kernel_shap(lin, X, BG[:, :1]), "equal columns"),
    ("shapley.shap_explainer_values", lambda: shapley.shap_explainer_values(42, X), "explainer"),
    ("shapley.shap_explainer_values",
     lambda: shapley.shap_explainer_values(lambda Z: type("E", (), {
         "values": np.full(np.shape(Z), np.nan), "base_values": 0.0})(), X), "NaN"),
    # ---- explain.surrogate
    ("surrogate.fidelity_r2", lambda: surrogate.fidelity_r2([1.0, 1.0], [1.0, 2.0]), "constant"),
    ("surrogate.fidelity_r2", lambda: surrogate.fidelity_r2([1.0, np.nan], [1.0, 2.0]), "NaN"),
    ("surrogate.resample_columns", lambda: surrogate.resample_columns(X, 0), "at least 1"),
    ("surrogate.tree_surrogate", lambda: surrogate.tree_surrogate(lin, X, X, max_depth=0),
     "max_depth"),
    ("surrogate.tree_surrogate", lambda: surrogate.tree_surrogate(nan_f, X, X), "NaN"),
    ("surrogate.linear_surrogate", lambda: surrogate.linear_surrogate(lin, X, X, alpha=-1.0),
     "alpha"),
    ("surrogate.linear_surrogate", lambda: surrogate.linear_surrogate(lin, X, X[:, :2]),
     "same columns"),
    ("surrogate.tree_on_labels", lambda: surrogate.tree_on_labels(X, np.ones(3), X, lin),
     "one label per row"),
    ("surrogate.tree_on_labels",
     lambda: surrogate.tree_on_labels(X, np.ones(6), X, lin, min_samples_leaf=0),
     "min_samples_leaf"),
    ("surrogate.decision_path", lambda: surrogate.decision_path(_linear_fit(), X[0]),
     "tree surrogate"),
    ("surrogate.decision_path", lambda: surrogate.decision_path(_tree(), X[0, :2]), "3 values"),
    ("surrogate.describe_decision_path",
     lambda: surrogate.describe_decision_path(_tree(), [np.nan, 0, 0]), "NaN"),
    # ---- explain.token_attribution
    ("token_attribution.token_attributions",
     lambda: token_attribution.token_attributions(object(), SEQ), "TokenModel"),
    ("token_attribution.token_attributions",
     lambda: token_attribution.token_attributions(object(), SEQ, methods=["lrp"]),
     "unknown methods"),
    ("token_attribution.integrated_gradients_tokens",
     lambda: token_attribution.integrated_gradients_tokens(object(), SEQ), "TokenModel"),
    # ---- evaluate.bootstrap
    ("bootstrap.bootstrap_ci", lambda: bootstrap.bootstrap_ci([np.nan, np.inf]), "no finite"),
    ("bootstrap.bootstrap_ci", lambda: bootstrap.bootstrap_ci([1.0, 2.0], resamples=10),
     "resamples"),
    ("bootstrap.bootstrap_ci", lambda: bootstrap.bootstrap_ci([1.0, 2.0], level=1.5), "level"),
    ("bootstrap.bootstrap_ci", lambda: bootstrap.bootstrap_ci("abc"), "numeric"),
    ("bootstrap.bootstrap_statistic", lambda: bootstrap.bootstrap_statistic(0, np.mean),
     "at least 1"),
    ("bootstrap.bootstrap_statistic", lambda: bootstrap.bootstrap_statistic(5, "mean"),
     "function"),
    ("bootstrap.paired_difference", lambda: bootstrap.paired_difference([1, 2], [1]),
     "equal lengths"),
    ("bootstrap.paired_difference",
     lambda: bootstrap.paired_difference([1, 2], [1, 2], seed=-1), "seed"),
    ("bootstrap.sanity_verdict", lambda: bootstrap.sanity_verdict(0.3, 0.2), "Interval"),
    # ---- evaluate.report (tables of the committed benchmark results)
    ("report.load_results", lambda: report.load_results("/nonexistent/results"), "make bench"),
    ("report.fmt", lambda: report.fmt([1.0, 2.0]), "figure"),
    ("report.fmt", lambda: report.fmt({"value": 1.0}, digits=-1), "digits"),
    ("report.overview_table", lambda: report.overview_table(None), "load_results"),
    ("report.faithfulness_table", lambda: report.faithfulness_table({}), "load_results"),
    ("report.stability_table", lambda: report.stability_table("results"), "load_results"),
    ("report.sanity_table", lambda: report.sanity_table(None), "load_results"),
    ("report.speed_table", lambda: report.speed_table([]), "speed.json"),
    ("report.speed_runs_table", lambda: report.speed_runs_table(None), "load_results"),
    ("report.compare", lambda: report.compare(RESULTS, "m"), "ComparisonSpec"),
    ("report.compare",
     lambda: report.compare(RESULTS, report.ComparisonSpec("k", "zz", "x", "a", "b")),
     "no per-input"),
    ("report.compare_all", lambda: report.compare_all(None, []), "load_results"),
    ("report.figure", lambda: report.figure(RESULTS, "zz", "a", "x"), "no model"),
    ("report.quoted", lambda: report.quoted(RESULTS, "m", "a", "nothing"), "no figure"),
    ("report.verdict_text", lambda: report.verdict_text({"verdict": "A beats B"}), "lacks"),
    # ---- evaluate.faithfulness
    ("faithfulness.top_k_positions", lambda: faithfulness.top_k_positions(A_SEQ, -1), "k"),
    ("faithfulness.top_k_positions", lambda: faithfulness.top_k_positions(A_SEQ, 2, [True]),
     "length 5"),
    ("faithfulness.erasure_scores",
     lambda: faithfulness.erasure_scores(nan_score, SEQ, A_SEQ, fixed=FIXED), "NaN"),
    ("faithfulness.erasure_scores",
     lambda: faithfulness.erasure_scores(seq_score, SEQ, A_SEQ, fractions=(0.0,)), "fractions"),
    ("faithfulness.erasure_scores",
     lambda: faithfulness.erasure_scores(seq_score, SEQ, A_SEQ, replace_with=-5),
     "replace_with"),
    ("faithfulness.comprehensiveness",
     lambda: faithfulness.comprehensiveness(seq_score, SEQ, A_SEQ[:3]), "one value per position"),
    ("faithfulness.sufficiency",
     lambda: faithfulness.sufficiency(short_score, SEQ, A_SEQ), "one score per sequence"),
    ("faithfulness.tabular_curves",
     lambda: faithfulness.tabular_curves(nan_f, X, X, 0.0), "NaN"),
    ("faithfulness.tabular_curves",
     lambda: faithfulness.tabular_curves(lin, X, X[:, :2], 0.0), "shape of X"),
    ("faithfulness.tabular_curves",
     lambda: faithfulness.tabular_curves(lin, X, X, [0.0, 1.0]), "broadcast"),
    ("faithfulness.sequence_curves",
     lambda: faithfulness.sequence_curves(seq_score, SEQ, A_SEQ, max_points=1), "max_points"),
    ("faithfulness.sequence_curves",
     lambda: faithfulness.sequence_curves(inf_f, SEQ, A_SEQ), "NaN or infinite"),
    ("faithfulness.curve_auc", lambda: faithfulness.curve_auc([0, 1], [1.0, 0.5, 0.0]),
     "one column per fraction"),
    ("faithfulness.curve_auc", lambda: faithfulness.curve_auc([1, 0], [1.0, 0.0]), "increasing"),
    ("faithfulness.curve_auc",
     lambda: faithfulness.curve_auc([0, 1], [1.0, 0.0], min_span=-1.0), "min_span"),
    # ---- evaluate.ground_truth
    ("ground_truth.global_importance", lambda: ground_truth.global_importance(np.ones(3)),
     "2-D"),
    ("ground_truth.spearman_agreement", lambda: ground_truth.spearman_agreement([1, 2], [1, 2, 3]),
     "same feature order"),
    ("ground_truth.spearman_agreement", lambda: ground_truth.spearman_agreement([1, np.nan], [1, 2]),
     "NaN"),
    ("ground_truth.local_agreement",
     lambda: ground_truth.local_agreement(X, X, method="kendall"), "method"),
    ("ground_truth.local_agreement", lambda: ground_truth.local_agreement(X, X[:, :2]),
     "same shape"),
    ("ground_truth.top_k_recovery", lambda: ground_truth.top_k_recovery([1, 2], [1, 2], k=3),
     "k must be"),
    ("ground_truth.score_against_truth",
     lambda: ground_truth.score_against_truth("m", [1, 2], [1, 2], attributions=X), "both"),
    ("ground_truth.score_against_truth",
     lambda: ground_truth.score_against_truth(None, [1, 2], [1, 2]), "method"),
    ("ground_truth.scores_table", lambda: ground_truth.scores_table([]), "non-empty"),
    ("ground_truth.scores_table", lambda: ground_truth.scores_table([GTS, {"m": 1}]),
     "GroundTruthScore"),
    # ---- evaluate.recsys
    ("recsys.ranks_full", lambda: recsys.ranks_full(SCORES, [0, 1, 25]), "0..19"),
    ("recsys.ranks_full", lambda: recsys.ranks_full(SCORES, [0.5, 1, 2]), "integer"),
    ("recsys.ranks_full", lambda: recsys.ranks_full(np.full((3, 20), np.nan), [0, 1, 2]), "NaN"),
    ("recsys.ranks_full", lambda: recsys.ranks_full(SCORES, [0, 1, 2], [[1], [2]]),
     "one list of item ids per user"),
    ("recsys.ranks_sampled", lambda: recsys.ranks_sampled(SCORES, [0, 1, 2], n_negatives=0),
     "n_negatives"),
    ("recsys.ranks_sampled", lambda: recsys.ranks_sampled(SCORES, [0, 1, 2], n_negatives=50),
     "lower n_negatives"),
    ("recsys.hit_rate_at_k", lambda: recsys.hit_rate_at_k(RANKS, k=0), "k"),
    ("recsys.hit_rate_at_k", lambda: recsys.hit_rate_at_k([0.0, 1.0]), "1-based"),
    ("recsys.ndcg_at_k", lambda: recsys.ndcg_at_k(RANKS, k=2.5), "integer"),
    ("recsys.mean_reciprocal_rank", lambda: recsys.mean_reciprocal_rank([]), "non-empty"),
    ("recsys.ranking_metrics", lambda: recsys.ranking_metrics(RANKS, ks=10), "ks"),
    ("recsys.evaluate_scores", lambda: recsys.evaluate_scores(SCORES, [0, 1], [[], []]),
     "one target per row"),
    # ---- evaluate.sanity
    ("sanity.randomisation_similarity",
     lambda: sanity.randomisation_similarity(X, X[:, :2]), "same inputs"),
    ("sanity.randomisation_similarity",
     lambda: sanity.randomisation_similarity(X, np.full_like(X, np.nan)), "NaN"),
    ("sanity.cascading_randomisation",
     lambda: sanity.cascading_randomisation(randomised, []), "at least one layer"),
    ("sanity.cascading_randomisation",
     lambda: sanity.cascading_randomisation(randomised, "dense"), "list of layer names"),
    ("sanity.independent_randomisation",
     lambda: sanity.independent_randomisation(randomised, ["a"], threshold=2.0), "threshold"),
    ("sanity.independent_randomisation",
     lambda: sanity.independent_randomisation(None, ["a"]), "function"),
    ("sanity.passes_sanity_check", lambda: sanity.passes_sanity_check(np.nan), "finite"),
    # ---- evaluate.stability
    ("stability.rank_correlation", lambda: stability.rank_correlation([1, 2], [1, 2, 3]),
     "differ in size"),
    ("stability.top_k_overlap", lambda: stability.top_k_overlap([1, 2, 3], [3, 2, 1], 0),
     "k must be"),
    ("stability.relative_change", lambda: stability.relative_change([1, np.inf], [1, 2]), "NaN"),
    ("stability.compare_attributions", lambda: stability.compare_attributions(X, X[:3]), "equal"),
    ("stability.compare_attributions", lambda: stability.compare_attributions(X, X, k=0), "k"),
    ("stability.seed_stability", lambda: stability.seed_stability(X[0], X[0]), "equal"),
    ("stability.noise_stability", lambda: stability.noise_stability(explain_lin, X, -0.1),
     "non-negative"),
    ("stability.noise_stability",
     lambda: stability.noise_stability(explain_lin, X, 0.1, n_samples=0), "n_samples"),
    ("stability.noise_stability",
     lambda: stability.noise_stability(lambda Z: np.full(np.shape(Z), np.nan), X, 0.1), "NaN"),
    ("stability.max_sensitivity", lambda: stability.max_sensitivity(explain_lin, X[0], 0.1),
     "batch"),
    ("stability.max_sensitivity",
     lambda: stability.max_sensitivity(lambda Z: np.ones(2), X, 0.1), "one attribution row"),
    ("stability.sequence_stability",
     lambda: stability.sequence_stability(lambda s: np.ones(len(s)), [1, 2], range(10)),
     "3 replaceable"),
    ("stability.sequence_stability",
     lambda: stability.sequence_stability(lambda s: np.ones(2), SEQ, range(10)),
     "one value per position"),
    ("stability.sequence_stability",
     lambda: stability.sequence_stability(lambda s: np.ones(len(s)), SEQ, [1]), "at least 2"),
    # ---- evaluate.token_faithfulness
    ("token_faithfulness.faithfulness_table",
     lambda: token_faithfulness.faithfulness_table(seq_score, [SEQ], [], [FIXED]), "equally long"),
    ("token_faithfulness.faithfulness_table",
     lambda: token_faithfulness.faithfulness_table(nan_score, [SEQ], [{"m": A_SEQ}], [FIXED]),
     "NaN"),
    ("token_faithfulness.faithfulness_table",
     lambda: token_faithfulness.faithfulness_table(seq_score, [SEQ], [A_SEQ], [FIXED]),
     "mapping"),
    ("token_faithfulness.rank_agreement",
     lambda: token_faithfulness.rank_agreement([A_SEQ], [A_SEQ[:3]], [FIXED]), "5 values"),
    ("token_faithfulness.rank_agreement", lambda: token_faithfulness.rank_agreement([], [], []),
     "non-empty"),
]

def _needs_case(obj: Any) -> bool:
    """Functions and classes a caller constructs need a case; constants, result records
    (dataclasses) and protocols do not."""
    if not callable(obj) or getattr(obj, "_is_protocol", False):
        return False
    return not (inspect.isclass(obj) and hasattr(obj, "__dataclass_fields__"))


def _public() -> dict[str, Any]:
    found = {}
    for pkg in (ecomxai.explain, ecomxai.evaluate):
        for info in pkgutil.iter_modules(pkg.__path__):
            if info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{pkg.__name__}.{info.name}")
            assert hasattr(module, "__all__"), f"{module.__name__} has no __all__"
            for name in module.__all__:
                found[f"{info.name}.{name}"] = getattr(module, name)
    return found


def test_every_public_function_is_covered() -> None:
    public = _public()
    covered = {name for name, _, _ in CASES}
    assert covered <= set(public), f"cases for unknown names: {sorted(covered - set(public))}"
    missing = sorted(name for name, obj in public.items()
                     if _needs_case(obj) and name not in covered)
    assert not missing, f"public functions without a bad-input case: {missing}"


@pytest.mark.parametrize("name, call, match", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_bad_input_raises_the_package_error(name: str, call: Callable[[], Any],
                                            match: str) -> None:
    with pytest.raises(InputError, match=match) as info:
        call()
    assert isinstance(info.value, ValueError)  # ``except ValueError`` keeps working
    assert len(str(info.value)) > 15           # a sentence, not a bare value


def test_unknown_ids_are_lookup_errors_too() -> None:
    with pytest.raises(LookupError):
        counterfactual.rank_of(np.ones(5), 9)
    with pytest.raises(UnknownIdError):
        recsys.ranks_full(SCORES, [0, 1, 2], [[1], [99], []])
