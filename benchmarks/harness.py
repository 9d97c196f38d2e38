"""The benchmark harness: one evaluation loop for tabular models, one for sequence models.

A *case* bundles what the metrics of :mod:`ecomxai.evaluate` need of one trained model:
the score being explained, the inputs, the explanation methods, how to obtain a copy of
the model with randomised layers (sanity check) and a re-trained one (seed stability), and
the planted truth where the data have one. Adding a model to the benchmark means writing
one function that returns a :class:`TabularCase` or a :class:`SequenceCase`
(see ``benchmarks/cases/``); everything else is shared.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from ecomxai.evaluate import faithfulness, ground_truth, sanity, stability
from ecomxai.evaluate.bootstrap import (UNCHANGED_SIMILARITY, bootstrap_ci, bootstrap_statistic,
                                         sanity_verdict)


@dataclass(frozen=True)
class Profile:
    """Sizes of one benchmark run (``full`` for ``make bench``, ``reduced`` for the test)."""

    name: str
    n_explain: int          # rows / sequences explained for faithfulness and truth
    n_stability: int        # of those, how many enter the noise, seed and sanity checks
    noise_samples: int      # noisy copies per input
    sensitivity_samples: int
    background: int         # background rows for Shapley values and baselines
    ig_steps: int
    kernel_samples: int
    lime_samples: int
    retrain: bool           # train a second seed for seed stability
    n_timing: int = 20      # inputs explained per timed call
    timing_repeats: int = 5  # timed calls after one warm-up call (median and quartiles)
    resamples: int = 2000   # bootstrap resamples per interval

    @staticmethod
    def get(reduced: bool) -> "Profile":
        if reduced:
            return Profile("reduced", n_explain=3, n_stability=2, noise_samples=1,
                           sensitivity_samples=2, background=8, ig_steps=8,
                           kernel_samples=32, lime_samples=100, retrain=False,
                           n_timing=2, timing_repeats=2, resamples=200)
        return Profile("full", n_explain=200, n_stability=50, noise_samples=2,
                       sensitivity_samples=5, background=24, ig_steps=32,
                       kernel_samples=256, lime_samples=500, retrain=True)


def timed_repeats(fn: Callable[[], Any], repeats: int) -> tuple[Any, dict[str, float]]:
    """Call ``fn`` once to warm up, then ``repeats`` times; wall-time statistics in seconds.

    Returns the last output and ``{"median", "q1", "q3", "min", "max", "repeats"}``: the
    median is the figure, the inter-quartile range its spread.
    """
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    fn()  # warm-up: tracing, caches, lazy imports
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    t = np.asarray(times)
    q1, med, q3 = np.quantile(t, [0.25, 0.5, 0.75])
    return out, {"median": float(med), "q1": float(q1), "q3": float(q3),
                 "min": float(t.min()), "max": float(t.max()), "repeats": int(repeats)}


def _per_input_ms(stats: dict[str, float], n_inputs: int) -> dict[str, float]:
    """Timing statistics of a call that explains ``n_inputs`` inputs, in ms per input."""
    scale = 1000.0 / n_inputs
    return {**{k: v * scale for k, v in stats.items() if k != "repeats"},
            "repeats": stats["repeats"], "inputs_per_call": int(n_inputs)}


class Summariser:
    """Turns per-input values into ``{"value", "low", "high", "n"}`` figures and keeps the
    per-input values (for paired comparisons in the notebook)."""

    def __init__(self, resamples: int) -> None:
        self.resamples = resamples
        self.per_input: dict[str, list[float | None]] = {}

    def __call__(self, key: str, values: Any) -> dict[str, float | int] | None:
        v = np.asarray(values, dtype=np.float64).ravel()
        self.per_input[key] = [None if not np.isfinite(x) else float(f"{x:.5g}") for x in v]
        if not np.isfinite(v).any():
            return None
        return bootstrap_ci(v, resamples=self.resamples).as_dict()

    def statistic(self, n: int, fn: Callable[[np.ndarray], float]) -> dict[str, float | int]:
        return bootstrap_statistic(n, fn, resamples=min(self.resamples, 500)).as_dict()


def _sanity_summary(original: np.ndarray, randomised: Callable[[tuple[str, ...]], np.ndarray],
                    layers: Sequence[str], summarise: Summariser,
                    modes: Sequence[str] = ("cascading", "independent")) -> dict[str, Any]:
    """Cascading and independent randomisation with per-input similarities, intervals and
    the verdict of :func:`ecomxai.evaluate.bootstrap.sanity_verdict`.

    ``original`` is a list/array of per-input attributions; ``randomised(layers)`` returns
    the same inputs' attributions under the randomised layers."""
    out: dict[str, Any] = {}
    steps: dict[str, list[np.ndarray]] = {}
    for mode in modes:
        curve, rows = [], []
        for j, layer in enumerate(layers):
            which = tuple(layers[:j + 1]) if mode == "cascading" else (layer,)
            other = randomised(which)
            rho = np.array([stability.rank_correlation(a, b) for a, b in zip(original, other)])
            rows.append(rho)
            curve.append(summarise(f"sanity.{mode}.{j}", rho))
        steps[mode] = rows
        out[mode] = {"layers": list(layers), "similarity": curve}
    top, full = (bootstrap_ci(steps["cascading"][0], resamples=summarise.resamples),
                 bootstrap_ci(steps["cascading"][-1], resamples=summarise.resamples))
    verdict = sanity_verdict(top, full, threshold=sanity.DEFAULT_THRESHOLD)
    return {"top_layer_similarity": top.as_dict(), "similarity": full.as_dict(),
            "verdict": verdict, "passed": verdict == "passes",
            "rule": {"threshold": sanity.DEFAULT_THRESHOLD, "unchanged": UNCHANGED_SIMILARITY},
            **out}


# ------------------------------------------------------------------------- tabular
@dataclass
class TabularModel:
    """One version of a tabular model (trained, randomised or re-trained)."""

    f: Callable[[np.ndarray], np.ndarray]   # score being explained, (m, d) -> (m,)
    adapter: Any                            # GradientModel of the same score
    extra: dict[str, Any] = field(default_factory=dict)


TabularMethod = Callable[[TabularModel, np.ndarray], np.ndarray]


@dataclass
class TabularCase:
    """A tabular model and everything the benchmark needs to judge its explanations.

    ``randomised(layers)`` is a context manager factory yielding a :class:`TabularModel`
    whose named layers are re-initialised (and restored afterwards); ``layers`` lists them
    from the output down. ``truth(X)`` returns the planted per-row contributions.
    """

    name: str
    description: str
    framework: str
    model: TabularModel
    X: np.ndarray
    background: np.ndarray
    feature_scale: np.ndarray
    methods: dict[str, TabularMethod]
    layers: Sequence[str]
    randomised: Callable[[Sequence[str]], Any]
    retrained: Callable[[], TabularModel] | None = None
    truth: Callable[[np.ndarray], np.ndarray] | None = None
    truth_name: str = ""
    # methods whose rows should sum to f(x) - f(b): "point" (b = the background mean row,
    # path methods) or "background" (mean of f over the background rows, Shapley values)
    additive: dict[str, str] = field(default_factory=dict)
    unsigned: Sequence[str] = ("saliency",)  # methods without a sign: ranked as they are
    notes: dict[str, Any] = field(default_factory=dict)


def _round(value: Any, digits: int = 4) -> Any:
    if isinstance(value, dict):
        return {k: _round(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_round(v, digits) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return None if not np.isfinite(v) else float(f"{v:.{digits}g}")
    if isinstance(value, np.integer):
        return int(value)
    return value


def evaluate_tabular(case: TabularCase, profile: Profile, log: Callable[[str], None]
                     ) -> dict[str, Any]:
    """Every metric for every method of a tabular case, as a JSON-ready dictionary.

    Each figure is ``{"value", "low", "high", "n"}`` (the mean over inputs and its
    bootstrap 95% interval); the per-input values are returned under ``"per_input"``."""
    X = case.X[:profile.n_explain]
    Xs = X[:profile.n_stability]
    base_row = case.background.mean(axis=0)
    f_x, f_b = case.model.f(X), float(case.model.f(base_row[None])[0])
    f_bg = float(np.mean(case.model.f(case.background)))
    span = np.abs(f_x - f_b)
    min_span = 0.05 * float(np.std(case.model.f(case.background)) + 1e-12)
    truth = case.truth(X) if case.truth is not None else None
    retrained = case.retrained() if (profile.retrain and case.retrained is not None) else None
    results: dict[str, Any] = {}
    per_input: dict[str, Any] = {}
    for name, method in case.methods.items():
        log(f"  {case.name} / {name}")
        S = Summariser(profile.resamples)
        n_t = min(profile.n_timing, len(X))
        _, stats = timed_repeats(lambda m=method: m(case.model, X[:n_t]), profile.timing_repeats)
        A = np.asarray(method(case.model, X), dtype=np.float64)
        row: dict[str, Any] = {"ms_per_explanation": _per_input_ms(stats, n_t)}
        curves = faithfulness.tabular_curves(case.model.f, X, A, base_row,
                                             orient=name not in case.unsigned)
        keep = span >= min_span    # rows whose score barely moves have no normalised curve
        dele = np.where(keep, faithfulness.curve_auc(curves.fractions, curves.deletion,
                                                     min_span=min_span), np.nan)
        ins = np.where(keep, faithfulness.curve_auc(curves.fractions, curves.insertion,
                                                    start_is_input=False, min_span=min_span),
                       np.nan)
        row["faithfulness"] = {"deletion_auc": S("deletion_auc", dele),
                               "insertion_auc": S("insertion_auc", ins),
                               "insertion_minus_deletion": S("insertion_minus_deletion",
                                                             ins - dele)}
        if name in case.additive:
            ref = f_b if case.additive[name] == "point" else f_bg
            gap = np.abs(A.sum(axis=1) - (f_x - ref)) / np.maximum(span, min_span)
            row["completeness_gap"] = S("completeness_gap", gap)
        explain = lambda Z, m=method: m(case.model, Z)  # noqa: E731
        noise = stability.noise_stability(explain, Xs, 0.05 * case.feature_scale,
                                          n_samples=profile.noise_samples, k=3)
        noise_rho = noise.per_pair_rank_correlation.reshape(profile.noise_samples, -1).mean(0)
        sens = stability.max_sensitivity(explain, Xs, 0.05 * case.feature_scale,
                                         n_samples=profile.sensitivity_samples)
        row["stability"] = {"noise_rank_correlation": S("noise_rank_correlation", noise_rho),
                            "max_sensitivity": S("max_sensitivity", sens)}
        original = A[:len(Xs)]
        if retrained is not None:
            B = np.asarray(method(retrained, Xs), dtype=np.float64)
            row["stability"]["seed_rank_correlation"] = S(
                "seed_rank_correlation",
                [stability.rank_correlation(a, b) for a, b in zip(original, B)])
            row["stability"]["seed_top3_overlap"] = S(
                "seed_top3_overlap",
                [stability.top_k_overlap(a, b, 3) for a, b in zip(original, B)])

        def explain_randomised(layers: tuple[str, ...], m: TabularMethod = method
                               ) -> np.ndarray:
            with case.randomised(layers) as rnd:
                return np.asarray(m(rnd, Xs), dtype=np.float64)

        row["sanity"] = _sanity_summary(original, explain_randomised, case.layers, S)
        if truth is not None:
            local = ground_truth.local_agreement(A, truth, reduce=False)

            def global_rho(idx: np.ndarray, A: np.ndarray = A) -> float:
                return ground_truth.spearman_agreement(
                    ground_truth.global_importance(A[idx]),
                    ground_truth.global_importance(truth[idx]))

            def top3(idx: np.ndarray, A: np.ndarray = A) -> float:
                return ground_truth.top_k_recovery(ground_truth.global_importance(A[idx]),
                                                   ground_truth.global_importance(truth[idx]), 3)

            row["ground_truth"] = {"truth": case.truth_name,
                                   "local_spearman": S("local_spearman", local),
                                   "global_spearman": S.statistic(len(A), global_rho),
                                   "top3_recovery": S.statistic(len(A), top3)}
        else:
            row["ground_truth"] = None
        results[name] = row
        per_input[name] = S.per_input
    return {"framework": case.framework, "input": "tabular", "description": case.description,
            "n_explained": int(len(X)), "n_stability": int(len(Xs)),
            "n_features": int(X.shape[1]), "sanity_layers": list(case.layers),
            "notes": case.notes, "seed_stability": retrained is not None,
            "methods": _round(results), "per_input": per_input}


# ------------------------------------------------------------------------ sequences
@dataclass
class SequenceModel:
    """One version of a sequence model: everything a sequence method may need."""

    score_fn: Callable[[list[list[int]]], np.ndarray]   # one score per id sequence
    extra: dict[str, Any] = field(default_factory=dict)


SequenceMethod = Callable[[SequenceModel, list[int]], np.ndarray]


@dataclass
class SequenceCase:
    """A model over id sequences (history items or tokens) and what the benchmark needs.

    ``models_for(seq)`` returns the :class:`SequenceModel` whose score is that of the
    explained output for ``seq`` (the recommended item, the predicted class), so each
    sequence is explained for its own prediction. ``truth(k)`` is a 0/1 vector of the
    planted causes of sequence ``k`` (or ``None``).
    """

    name: str
    description: str
    framework: str
    sequences: list[list[int]]
    model_for: Callable[[int], SequenceModel]
    methods: dict[str, SequenceMethod]
    layers: Sequence[str]
    randomised: Callable[[Sequence[str]], Any]   # context manager -> (k -> SequenceModel)
    vocabulary: Sequence[int]
    fixed: Callable[[list[int]], np.ndarray | None] = lambda s: None
    # positions the stability noise must not touch (default: ``fixed``); sequence index k
    stability_fixed: Callable[[int], np.ndarray | None] | None = None
    replace_with: int | None = None
    retrained: Callable[[], Callable[[int], SequenceModel]] | None = None
    truth: Callable[[int], np.ndarray] | None = None
    truth_name: str = ""
    unit: str = "item"
    notes: dict[str, Any] = field(default_factory=dict)
    n_explain: int | None = None        # override the profile's sizes (costly models)
    n_stability: int | None = None


def evaluate_sequence(case: SequenceCase, profile: Profile, log: Callable[[str], None]
                      ) -> dict[str, Any]:
    """Every metric for every method of a sequence case, as a JSON-ready dictionary
    (figures with bootstrap 95% intervals over sequences, as :func:`evaluate_tabular`)."""
    idx = list(range(min(case.n_explain or profile.n_explain, len(case.sequences))))
    stab = idx[:case.n_stability or profile.n_stability]
    models = {k: case.model_for(k) for k in idx}
    retrained = case.retrained() if (profile.retrain and case.retrained is not None) else None
    # sanity check: build each randomised model once, explain every sequence with every
    # method; the cascade only (the verdict needs its first and last step; the independent
    # schedule of a transformer would cost as much again)
    layer_sets = [tuple(case.layers[:j + 1]) for j in range(len(case.layers))]
    randomised_attrs: dict[str, dict[tuple[str, ...], list[np.ndarray]]] = {
        name: {} for name in case.methods}
    for layers in layer_sets:
        log(f"  {case.name} / randomised {'+'.join(layers)}")
        with case.randomised(layers) as rnd:
            for name, method in case.methods.items():
                randomised_attrs[name][layers] = [
                    np.asarray(method(rnd(k), case.sequences[k]), dtype=np.float64)
                    for k in stab]
    n_t = min(profile.n_timing, len(idx), 3)
    results: dict[str, Any] = {}
    per_input: dict[str, Any] = {}
    for name, method in case.methods.items():
        log(f"  {case.name} / {name}")
        S = Summariser(profile.resamples)

        def explain_timed(m: SequenceMethod = method) -> None:
            for k in idx[:n_t]:
                m(models[k], case.sequences[k])

        _, stats = timed_repeats(explain_timed, profile.timing_repeats)
        attrs = {k: np.asarray(method(models[k], case.sequences[k]), dtype=np.float64)
                 for k in idx}
        row: dict[str, Any] = {"ms_per_explanation": _per_input_ms(stats, n_t)}
        comp, suff, dele, ins = [], [], [], []
        for k in idx:
            seq, fixed = case.sequences[k], case.fixed(case.sequences[k])
            er = faithfulness.erasure_scores(models[k].score_fn, seq, attrs[k], fixed=fixed,
                                             replace_with=case.replace_with)
            cv = faithfulness.sequence_curves(models[k].score_fn, seq, attrs[k], fixed=fixed,
                                              replace_with=case.replace_with,
                                              max_points=21 if profile.name == "full" else 6)
            comp.append(er.comprehensiveness)
            suff.append(er.sufficiency)
            dele.append(faithfulness.curve_auc(cv.fractions, cv.deletion[0]))
            ins.append(faithfulness.curve_auc(cv.fractions, cv.insertion[0],
                                              start_is_input=False))
        dele_a, ins_a = np.asarray(dele, dtype=float), np.asarray(ins, dtype=float)
        row["faithfulness"] = {
            "comprehensiveness": S("comprehensiveness", comp),
            "sufficiency": S("sufficiency", suff),
            "deletion_auc": S("deletion_auc", dele_a),
            "insertion_auc": S("insertion_auc", ins_a),
            "insertion_minus_deletion": S("insertion_minus_deletion", ins_a - dele_a)}
        rho = []
        for k in stab:
            res = stability.sequence_stability(
                lambda s, k=k: method(models[k], s), case.sequences[k], case.vocabulary,
                n_samples=profile.noise_samples, k=3, seed=k,
                fixed=(case.stability_fixed(k) if case.stability_fixed is not None
                       else case.fixed(case.sequences[k])))
            rho.append(res.rank_correlation)
        row["stability"] = {"noise_rank_correlation": S("noise_rank_correlation", rho)}
        if retrained is not None:
            other = [method(retrained(k), case.sequences[k]) for k in stab]
            row["stability"]["seed_rank_correlation"] = S("seed_rank_correlation", [
                stability.rank_correlation(attrs[k], o) for k, o in zip(stab, other)])
            row["stability"]["seed_top3_overlap"] = S("seed_top3_overlap", [
                stability.top_k_overlap(attrs[k], o, min(3, len(o)))
                for k, o in zip(stab, other)])
        row["sanity"] = _sanity_summary([attrs[k] for k in stab],
                                        lambda ls, n=name: randomised_attrs[n][ls],
                                        case.layers, S, modes=("cascading",))
        if case.truth is not None:
            hits, rhos = [], []
            for k in idx:
                t = case.truth(k)
                n_true = int(t.sum())
                if n_true == 0:
                    hits.append(np.nan)
                    rhos.append(np.nan)
                    continue
                hits.append(stability.top_k_overlap(attrs[k], t, n_true, absolute=False))
                rhos.append(stability.rank_correlation(attrs[k], t, absolute=False))
            row["ground_truth"] = {"truth": case.truth_name,
                                   "precision_at_k": S("precision_at_k", hits),
                                   "spearman": S("spearman", rhos)}
        else:
            row["ground_truth"] = None
        results[name] = row
        per_input[name] = S.per_input
    lengths = [len(case.sequences[k]) for k in idx]
    return {"framework": case.framework, "input": f"sequence of {case.unit}s",
            "description": case.description, "n_explained": len(idx),
            "n_stability": len(stab),
            "mean_length": float(np.mean(lengths)), "sanity_layers": list(case.layers),
            "notes": case.notes, "seed_stability": retrained is not None,
            "methods": _round(results), "per_input": per_input}
