"""Tables and verdicts from the committed benchmark results (``benchmarks/results/``).

The benchmark (``make bench``) writes three JSON files; this module turns them into the
tables of the benchmark notebook and computes every comparison the chapter discusses as a
paired bootstrap interval with its verdict (:mod:`ecomxai.evaluate.bootstrap`). It reads
numbers only: no model, no data set.

A *figure* in ``explanations.json`` is ``{"value", "low", "high", "n"}``: the mean over
``n`` explained inputs and its bootstrap 95% interval. ``per_input.json`` holds the values
behind each figure, ``model -> method -> metric -> [one value per input]``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd

from ecomxai.evaluate.bootstrap import Comparison, paired_difference
from ecomxai.validation import InputError, UnknownIdError, check_int

__all__ = ["Results", "load_results", "fmt", "overview_table", "faithfulness_table",
           "stability_table", "sanity_table", "speed_table", "speed_runs_table",
           "ComparisonSpec", "compare", "compare_all", "LABELS", "CHAPTER_COMPARISONS",
           "figure", "quoted", "verdict_text"]


@dataclass(frozen=True)
class Results:
    """The committed benchmark results."""

    bench: dict[str, Any]
    per_input: dict[str, Any]
    speed: dict[str, Any]
    speed_previous: dict[str, Any] | None

    def methods(self, model: str) -> dict[str, Any]:
        if model not in self.bench["models"]:
            raise UnknownIdError(f"no model {model!r} in the results; have "
                              f"{sorted(self.bench['models'])}")
        return self.bench["models"][model]["methods"]


def load_results(folder: str | Path) -> Results:
    """Read ``explanations.json``, ``per_input.json``, ``speed.json`` (and the previous
    speed run, ``speed_previous.json``, if present) from ``folder``."""
    folder = Path(folder)
    missing = [n for n in ("explanations.json", "per_input.json", "speed.json")
               if not (folder / n).exists()]
    if missing:
        raise InputError(f"{missing} not in {folder}; run `make bench` first")
    read = lambda name: json.loads((folder / name).read_text())  # noqa: E731
    previous = folder / "speed_previous.json"
    return Results(read("explanations.json"), read("per_input.json"), read("speed.json"),
                   read(previous.name) if previous.exists() else None)


def fmt(figure: dict[str, Any] | None, digits: int = 2) -> str:
    """``"0.61 [0.55, 0.66]"`` for a figure; ``"–"`` where there is none."""
    digits = check_int(digits, "digits", minimum=0)
    if figure is not None and not isinstance(figure, dict):
        raise InputError(f"figure must be a {{'value', 'low', 'high', 'n'}} dict or None, got "
                         f"{type(figure).__name__}")
    if not figure or figure.get("value") is None:
        return "–"
    lo, hi = figure.get("low"), figure.get("high")
    if lo is None or hi is None:
        return f"{figure['value']:.{digits}f}"
    return f"{figure['value']:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


def _get(row: dict[str, Any], path: str) -> Any:
    out: Any = row
    for part in path.split("."):
        if not isinstance(out, dict) or part not in out:
            return None
        out = out[part]
    return out


def _check_results(results: Results) -> Results:
    if not isinstance(results, Results):
        raise InputError(f"results must be the Results of load_results(folder), got "
                         f"{type(results).__name__}")
    return results


def _table(results: Results, columns: dict[str, str], digits: int = 2) -> pd.DataFrame:
    _check_results(results)
    rows = []
    for model, res in results.bench["models"].items():
        for method, row in res["methods"].items():
            rows.append({"model": model, "method": method,
                         **{c: fmt(_get(row, path), digits) for c, path in columns.items()}})
    return pd.DataFrame(rows).set_index(["model", "method"])


def overview_table(results: Results) -> pd.DataFrame:
    """One row per model and method: faithfulness, stability, sanity verdict, truth, each
    with its 95% interval."""
    table = _table(results, {"faith": "faithfulness.insertion_minus_deletion",
                             "noise ρ": "stability.noise_rank_correlation",
                             "seed ρ": "stability.seed_rank_correlation",
                             "sanity s": "sanity.similarity",
                             "truth": "ground_truth.local_spearman"})
    truth_seq = _table(results, {"truth": "ground_truth.precision_at_k"})["truth"]
    table["truth"] = table["truth"].where(table["truth"] != "–", truth_seq)
    table["sanity"] = [results.methods(m)[k]["sanity"]["verdict"] for m, k in table.index]
    return table


def faithfulness_table(results: Results) -> pd.DataFrame:
    """Deletion / insertion AUC, their difference, and ERASER's scores (sequences)."""
    return _table(results, {"deletion AUC": "faithfulness.deletion_auc",
                            "insertion AUC": "faithfulness.insertion_auc",
                            "ins − del": "faithfulness.insertion_minus_deletion",
                            "compr.": "faithfulness.comprehensiveness",
                            "suff.": "faithfulness.sufficiency",
                            "completeness gap": "completeness_gap"})


def stability_table(results: Results) -> pd.DataFrame:
    """Noise and seed stability, max-sensitivity and time per explanation (median, IQR)."""
    table = _table(results, {"noise ρ": "stability.noise_rank_correlation",
                             "seed ρ": "stability.seed_rank_correlation",
                             "seed top-3": "stability.seed_top3_overlap",
                             "max sens.": "stability.max_sensitivity"}, digits=3)
    table["ms (median [IQR])"] = [
        "{median:.3g} [{q1:.3g}, {q3:.3g}]".format(**results.methods(m)[k]["ms_per_explanation"])
        for m, k in table.index]
    return table


def sanity_table(results: Results) -> pd.DataFrame:
    """Similarity after randomising the top layer and after the full cascade, the verdict."""
    table = _table(results, {"top layer s₁": "sanity.top_layer_similarity",
                             "all layers s_L": "sanity.similarity"})
    table["verdict"] = [results.methods(m)[k]["sanity"]["verdict"] for m, k in table.index]
    table["n"] = [results.methods(m)[k]["sanity"]["similarity"]["n"] for m, k in table.index]
    return table


def _speed_ratios(speed: dict[str, Any]) -> dict[str, float]:
    out = {
        "IG ours / Captum (MLP)":
            speed["integrated_gradients_vs_captum"]["time_ratio_ours_over_captum"],
        "IG ours / Captum LayerIG (MiniLM)":
            speed["layer_integrated_gradients_vs_captum"]["time_ratio_ours_over_captum"],
        "exact Shapley ours / shap Exact":
            speed["exact_shapley_vs_shap"]["time_ratio_ours_over_shap_exact"],
        "explainer network / KernelSHAP":
            speed["explainer_network_vs_kernel_shap"]["time_ratio_network_over_kernel"],
    }
    for k in speed["exact_shapley_vs_shap"]["kernel"]:
        out[f"exact Shapley / KernelSHAP {k['nsamples']}"] = k["time_ratio_exact_over_kernel"]
    for r in speed["lime_samples_vs_fidelity"]["by_num_samples"]:
        out[f"LIME {r['num_samples']} / exact Shapley"] = r["time_ratio_over_exact_shapley"]
    return out


def speed_table(speed: dict[str, Any]) -> pd.DataFrame:
    """Median ms per input with quartiles for every contender of every comparison."""
    if not isinstance(speed, dict):
        raise InputError("speed must be the dict of speed.json (Results.speed)")
    rows = []
    for name, comp in speed.items():
        if not isinstance(comp, dict):
            continue
        for key in ("ms_per_row", "ms_per_review"):
            for who, st in (comp.get(key) or {}).items():
                rows.append({"comparison": name, "contender": str(who),
                             "median ms": st["median"], "q1": st["q1"], "q3": st["q3"],
                             "repeats": st["repeats"]})
    return pd.DataFrame(rows).set_index(["comparison", "contender"])


def speed_runs_table(results: Results) -> pd.DataFrame:
    """The time ratios of the committed speed run beside the previous run's, and their
    relative change (two consecutive ``make bench-speed`` runs)."""
    now = _speed_ratios(_check_results(results).speed)
    table = pd.DataFrame({"this run": now})
    if results.speed_previous is not None:
        prev = _speed_ratios(results.speed_previous)
        table.insert(0, "previous run", pd.Series(prev))
        table["relative change"] = (table["this run"] / table["previous run"] - 1).abs()
    return table


@dataclass(frozen=True)
class ComparisonSpec:
    """A difference the chapter discusses: metric of method A minus method B on one model."""

    key: str
    model: str
    metric: str
    a: str
    b: str
    higher_is_better: bool = True


def compare(results: Results, spec: ComparisonSpec, *, seed: int = 0) -> Comparison:
    """Paired bootstrap interval of ``spec`` from the per-input values."""
    if not isinstance(spec, ComparisonSpec):
        raise InputError(f"spec must be a ComparisonSpec, got {type(spec).__name__}")
    per = _check_results(results).per_input.get(spec.model)
    if per is None:
        raise UnknownIdError(f"no per-input values for model {spec.model!r}")
    metric = spec.metric
    if metric == "sanity.final":   # similarity after the full cascade
        n_layers = len(results.bench["models"][spec.model]["sanity_layers"])
        metric = f"sanity.cascading.{n_layers - 1}"
    for method in (spec.a, spec.b):
        if method not in per or metric not in per[method]:
            raise UnknownIdError(f"no per-input {metric!r} for {spec.model}/{method}")
    to_array = lambda v: np.array([np.nan if x is None else x for x in v], dtype=float)  # noqa: E731
    return paired_difference(to_array(per[spec.a][metric]), to_array(per[spec.b][metric]),
                             names=(LABELS.get(spec.a, spec.a), LABELS.get(spec.b, spec.b)),
                             higher_is_better=spec.higher_is_better,
                             seed=seed)


def compare_all(results: Results, specs: Iterable[ComparisonSpec]) -> pd.DataFrame:
    """Every comparison as a table: difference A - B, its 95% interval, n and verdict."""
    _check_results(results)
    rows = []
    for spec in specs:
        c = compare(results, spec)
        rows.append({"key": spec.key, "model": spec.model, "metric": spec.metric,
                     "A": spec.a, "B": spec.b, "A − B": c.difference, "low": c.low,
                     "high": c.high, "n": c.n, "verdict": c.sentence})
    return pd.DataFrame(rows).set_index("key")


#: Display names of the benchmark's methods, for verdict sentences.
LABELS = {"saliency": "saliency", "gradient_x_input": "gradient × input",
          "integrated_gradients": "integrated gradients", "exact_shapley": "exact Shapley",
          "kernel_shap": "KernelSHAP", "lime": "LIME", "random": "the random control",
          "attention_last_layer": "last-layer attention", "attention_rollout": "rollout",
          "leave_one_out": "leave-one-out", "explainer_network": "the explainer network"}

_S = ComparisonSpec
#: Every difference the chapter *Evaluating explanations* discusses.
CHAPTER_COMPARISONS: tuple[ComparisonSpec, ...] = (
    _S("sales_shapley_vs_ig_truth", "sales_mlp", "local_spearman", "exact_shapley",
       "integrated_gradients"),
    _S("sales_shapley_vs_lime_truth", "sales_mlp", "local_spearman", "exact_shapley", "lime"),
    _S("sales_shapley_vs_kernel_truth", "sales_mlp", "local_spearman", "exact_shapley",
       "kernel_shap"),
    _S("sales_shapley_vs_saliency_truth", "sales_mlp", "local_spearman", "exact_shapley",
       "saliency"),
    _S("sales_ig_vs_gxi_truth", "sales_mlp", "local_spearman", "integrated_gradients",
       "gradient_x_input"),
    _S("sales_shapley_vs_ig_seed", "sales_mlp", "seed_rank_correlation", "exact_shapley",
       "integrated_gradients"),
    _S("sales_shapley_vs_lime_sens", "sales_mlp", "max_sensitivity", "exact_shapley", "lime",
       higher_is_better=False),
    _S("sales_shapley_vs_random_faith", "sales_mlp", "insertion_minus_deletion",
       "exact_shapley", "random"),
    _S("sales_ig_vs_shapley_faith", "sales_mlp", "insertion_minus_deletion",
       "integrated_gradients", "exact_shapley"),
    _S("xnet_shapley_vs_ig_truth", "explainer_network", "local_spearman", "exact_shapley",
       "integrated_gradients"),
    _S("xnet_net_vs_shapley_truth", "explainer_network", "local_spearman",
       "explainer_network", "exact_shapley"),
    _S("xnet_net_vs_shapley_sanity", "explainer_network", "sanity.final", "explainer_network",
       "exact_shapley", higher_is_better=False),
    _S("rec_ig_vs_attention_hit", "transformer_recommender", "precision_at_k",
       "integrated_gradients", "attention_last_layer"),
    _S("rec_loo_vs_attention_hit", "transformer_recommender", "precision_at_k",
       "leave_one_out", "attention_last_layer"),
    _S("rec_loo_vs_ig_hit", "transformer_recommender", "precision_at_k",
       "leave_one_out", "integrated_gradients"),
    _S("rec_ig_vs_gxi_hit", "transformer_recommender", "precision_at_k",
       "integrated_gradients", "gradient_x_input"),
    _S("rec_ig_vs_attention_faith", "transformer_recommender", "insertion_minus_deletion",
       "integrated_gradients", "attention_last_layer"),
    _S("rec_ig_vs_attention_seed", "transformer_recommender", "seed_rank_correlation",
       "integrated_gradients", "attention_last_layer"),
    _S("bert_ig_vs_attention_comp", "bert_classifier", "comprehensiveness",
       "integrated_gradients", "attention_last_layer"),
    _S("bert_loo_vs_attention_comp", "bert_classifier", "comprehensiveness", "leave_one_out",
       "attention_last_layer"),
    _S("bert_ig_vs_loo_comp", "bert_classifier", "comprehensiveness", "integrated_gradients",
       "leave_one_out"),
    _S("bert_attention_vs_random_faith", "bert_classifier", "insertion_minus_deletion",
       "attention_last_layer", "random"),
    _S("bert_rollout_vs_random_faith", "bert_classifier", "insertion_minus_deletion",
       "attention_rollout", "random"),
    _S("bert_ig_vs_random_faith", "bert_classifier", "insertion_minus_deletion",
       "integrated_gradients", "random"),
    _S("bert_gxi_vs_random_comp", "bert_classifier", "comprehensiveness", "gradient_x_input",
       "random"),
)


def figure(results: Results, model: str, method: str, path: str) -> dict[str, Any]:
    """The figure ``{"value", "low", "high", "n"}`` at ``path`` (e.g.
    ``"ground_truth.local_spearman"``) of ``model`` / ``method``."""
    fig = _get(_check_results(results).methods(model).get(method, {}), path)
    if not isinstance(fig, dict) or "value" not in fig:
        raise UnknownIdError(f"no figure {path!r} for {model}/{method}")
    return fig


def quoted(results: Results, model: str, method: str, path: str, digits: int = 2,
           percent: bool = False) -> tuple[np.ndarray, str]:
    """``([value, low, high], "0.91 [0.89, 0.93]")``: the numbers to assert and the text
    the chapter quotes (``percent=True``: ``"91% [89%, 93%]"``)."""
    fig = figure(results, model, method, path)
    values = np.array([fig["value"], fig["low"], fig["high"]], dtype=float)
    if percent:
        v, lo, hi = (100 * values).round(digits - 2 if digits > 2 else 0)
        text = f"{v:.0f}% [{lo:.0f}%, {hi:.0f}%]"
    else:
        text = fmt(fig, digits)
    return values, text


def verdict_text(row: pd.Series, digits: int = 2) -> str:
    """A row of :func:`compare_all` as the sentence the chapter quotes:
    ``"exact Shapley beats LIME (exact Shapley − LIME = 0.21 [0.18, 0.24], n = 200)"``."""
    missing = [k for k in ("verdict", "A", "B", "A − B", "low", "high", "n") if k not in row]
    if missing:
        raise InputError(f"row lacks {missing}; pass a row of compare_all(...)")
    a, b = LABELS.get(row["A"], row["A"]), LABELS.get(row["B"], row["B"])
    return (f"{row['verdict']} ({a} − {b} = {row['A − B']:.{digits}f} "
            f"[{row['low']:.{digits}f}, {row['high']:.{digits}f}], n = {int(row['n'])})")
