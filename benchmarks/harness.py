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


@dataclass(frozen=True)
class Profile:
    """Sizes of one benchmark run (``full`` for ``make bench``, ``reduced`` for the test)."""

    name: str
    n_explain: int          # rows / sequences explained for faithfulness, truth, timing
    n_stability: int        # of those, how many enter the noise and sanity checks
    noise_samples: int      # noisy copies per input
    sensitivity_samples: int
    background: int         # background rows for Shapley values and baselines
    ig_steps: int
    kernel_samples: int
    lime_samples: int
    retrain: bool           # train a second seed for seed stability

    @staticmethod
    def get(reduced: bool) -> "Profile":
        if reduced:
            return Profile("reduced", n_explain=3, n_stability=2, noise_samples=1,
                           sensitivity_samples=2, background=8, ig_steps=8,
                           kernel_samples=32, lime_samples=100, retrain=False)
        return Profile("full", n_explain=30, n_stability=8, noise_samples=2,
                       sensitivity_samples=5, background=24, ig_steps=32,
                       kernel_samples=256, lime_samples=500, retrain=True)


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


def _timed(fn: Callable[[], np.ndarray]) -> tuple[np.ndarray, float]:
    start = time.perf_counter()
    out = np.asarray(fn(), dtype=np.float64)
    return out, time.perf_counter() - start


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
    """Every metric for every method of a tabular case, as a JSON-ready dictionary."""
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
    for name, method in case.methods.items():
        log(f"  {case.name} / {name}")
        method(case.model, X[:1])                       # warm-up: tracing, imports
        A, seconds = _timed(lambda: method(case.model, X))
        row: dict[str, Any] = {"ms_per_explanation": 1000.0 * seconds / len(X)}
        curves = faithfulness.tabular_curves(case.model.f, X, A, base_row,
                                             orient=name not in case.unsigned)
        keep = span >= min_span
        row["faithfulness"] = {
            "deletion_auc": float(np.nanmean(faithfulness.curve_auc(
                curves.fractions, curves.deletion[keep], min_span=min_span))),
            "insertion_auc": float(np.nanmean(faithfulness.curve_auc(
                curves.fractions, curves.insertion[keep], start_is_input=False,
                min_span=min_span))),
            "rows": int(keep.sum()),
        }
        row["faithfulness"]["insertion_minus_deletion"] = (
            row["faithfulness"]["insertion_auc"] - row["faithfulness"]["deletion_auc"])
        if name in case.additive:
            ref = f_b if case.additive[name] == "point" else f_bg
            gap = np.abs(A.sum(axis=1) - (f_x - ref))
            row["completeness_gap"] = float(np.mean(gap / np.maximum(span, min_span)))
        explain = lambda Z, m=method: m(case.model, Z)  # noqa: E731
        noise = stability.noise_stability(explain, Xs, 0.05 * case.feature_scale,
                                          n_samples=profile.noise_samples, k=3)
        sens = stability.max_sensitivity(explain, Xs, 0.05 * case.feature_scale,
                                         n_samples=profile.sensitivity_samples)
        row["stability"] = {
            "noise_rank_correlation": noise.rank_correlation,
            "noise_top3_overlap": noise.top_k_overlap,
            "noise_relative_change": noise.relative_change,
            "max_sensitivity": float(np.median(sens)),
        }
        if retrained is not None:
            seed = stability.seed_stability(A, method(retrained, X), k=3)
            row["stability"]["seed_rank_correlation"] = seed.rank_correlation
            row["stability"]["seed_top3_overlap"] = seed.top_k_overlap
        original = A[:profile.n_stability]

        def explain_randomised(layers: Sequence[str], m: TabularMethod = method) -> np.ndarray:
            if not layers:
                return original
            with case.randomised(layers) as rnd:
                return m(rnd, Xs)

        casc = sanity.cascading_randomisation(explain_randomised, case.layers, original=original)
        indep = sanity.independent_randomisation(explain_randomised, case.layers,
                                                 original=original)
        row["sanity"] = {"similarity": casc.final_similarity, "passed": casc.passed,
                         "cascading": casc.as_dict(), "independent": indep.as_dict()}
        if truth is not None:
            g = ground_truth.global_importance(A)
            g_true = ground_truth.global_importance(truth)
            row["ground_truth"] = {
                "truth": case.truth_name,
                "local_spearman": float(ground_truth.local_agreement(A, truth)),
                "global_spearman": ground_truth.spearman_agreement(g, g_true),
                "top3_recovery": ground_truth.top_k_recovery(g, g_true, 3),
            }
        else:
            row["ground_truth"] = None
        results[name] = row
    return {"framework": case.framework, "input": "tabular", "description": case.description,
            "n_explained": int(len(X)), "n_features": int(X.shape[1]),
            "sanity_layers": list(case.layers), "notes": case.notes,
            "seed_stability": retrained is not None, "methods": _round(results)}


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
    """Every metric for every method of a sequence case, as a JSON-ready dictionary."""
    idx = list(range(min(case.n_explain or profile.n_explain, len(case.sequences))))
    stab = idx[:case.n_stability or profile.n_stability]
    models = {k: case.model_for(k) for k in idx}
    retrained = case.retrained() if (profile.retrain and case.retrained is not None) else None
    # sanity check: build each randomised model once, explain every sequence with every method
    layer_sets = sorted({tuple(case.layers[:j + 1]) for j in range(len(case.layers))}
                        | {(layer,) for layer in case.layers}, key=lambda t: (len(t), t))
    randomised_attrs: dict[str, dict[tuple[str, ...], dict[int, np.ndarray]]] = {
        name: {} for name in case.methods}
    for layers in layer_sets:
        log(f"  {case.name} / randomised {'+'.join(layers)}")
        with case.randomised(layers) as rnd:
            for name, method in case.methods.items():
                randomised_attrs[name][layers] = {
                    k: np.asarray(method(rnd(k), case.sequences[k]), dtype=np.float64)
                    for k in stab}
    results: dict[str, Any] = {}
    for name, method in case.methods.items():
        log(f"  {case.name} / {name}")
        attrs, seconds = {}, 0.0
        method(models[idx[0]], case.sequences[idx[0]])  # warm-up: tracing, imports
        for k in idx:
            a, s = _timed(lambda k=k: method(models[k], case.sequences[k]))
            attrs[k], seconds = a, seconds + s
        row: dict[str, Any] = {"ms_per_explanation": 1000.0 * seconds / len(idx)}
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
        row["faithfulness"] = {
            "comprehensiveness": float(np.mean(comp)), "sufficiency": float(np.mean(suff)),
            "deletion_auc": float(np.nanmean(dele)), "insertion_auc": float(np.nanmean(ins)),
        }
        row["faithfulness"]["insertion_minus_deletion"] = (
            row["faithfulness"]["insertion_auc"] - row["faithfulness"]["deletion_auc"])
        rho, top, rel = [], [], []
        for k in stab:
            res = stability.sequence_stability(
                lambda s, k=k: method(models[k], s), case.sequences[k], case.vocabulary,
                n_samples=profile.noise_samples, k=3, seed=k,
                fixed=(case.stability_fixed(k) if case.stability_fixed is not None
                       else case.fixed(case.sequences[k])))
            rho.append(res.rank_correlation)
            top.append(res.top_k_overlap)
            rel.append(res.relative_change)
        row["stability"] = {"noise_rank_correlation": float(np.mean(rho)),
                            "noise_top3_overlap": float(np.mean(top)),
                            "noise_relative_change": float(np.mean(rel))}
        if retrained is not None:
            other = [method(retrained(k), case.sequences[k]) for k in stab]
            seed = [stability.rank_correlation(attrs[k], o) for k, o in zip(stab, other)]
            seed_top = [stability.top_k_overlap(attrs[k], o, min(3, len(o)))
                        for k, o in zip(stab, other)]
            row["stability"]["seed_rank_correlation"] = float(np.mean(seed))
            row["stability"]["seed_top3_overlap"] = float(np.mean(seed_top))
        row["sanity"] = _sequence_sanity(
            {k: attrs[k] for k in stab}, randomised_attrs[name], case.layers)
        if case.truth is not None:
            hits, rhos = [], []
            for k in idx:
                t = case.truth(k)
                n_true = int(t.sum())
                if n_true == 0:
                    continue
                hits.append(stability.top_k_overlap(attrs[k], t, n_true, absolute=False))
                rhos.append(stability.rank_correlation(attrs[k], t, absolute=False))
            row["ground_truth"] = {"truth": case.truth_name,
                                   "precision_at_k": float(np.mean(hits)),
                                   "spearman": float(np.mean(rhos))}
        else:
            row["ground_truth"] = None
        results[name] = row
    lengths = [len(case.sequences[k]) for k in idx]
    return {"framework": case.framework, "input": f"sequence of {case.unit}s",
            "description": case.description, "n_explained": len(idx),
            "mean_length": float(np.mean(lengths)), "sanity_layers": list(case.layers),
            "notes": case.notes, "seed_stability": retrained is not None,
            "methods": _round(results)}


def _sequence_sanity(original: dict[int, np.ndarray],
                     randomised: dict[tuple[str, ...], dict[int, np.ndarray]],
                     layers: Sequence[str]) -> dict[str, Any]:
    """Cascading and independent randomisation results, averaged over sequences."""
    out: dict[str, Any] = {}
    for mode, run in (("cascading", sanity.cascading_randomisation),
                      ("independent", sanity.independent_randomisation)):
        per_seq = [run(lambda ls, k=k: original[k][None] if not ls
                       else randomised[tuple(ls)][k][None], layers,
                       original=original[k][None]) for k in original]
        curve = np.mean([r.rank_correlation for r in per_seq], axis=0)
        tops = np.mean([r.top_k_overlap for r in per_seq], axis=0)
        final = float(curve[-1] if mode == "cascading" else curve.max())
        out[mode] = {"mode": mode, "layers": list(layers), "rank_correlation": curve.tolist(),
                     "top_k_overlap": tops.tolist(), "final_similarity": final,
                     "threshold": sanity.DEFAULT_THRESHOLD,
                     "passed": sanity.passes_sanity_check(final)}
    return {"similarity": out["cascading"]["final_similarity"],
            "passed": out["cascading"]["passed"], **out}
