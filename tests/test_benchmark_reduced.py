"""The benchmark at reduced size: every model, every method, the JSON schema, invariants.

``python -m benchmarks.run --reduced`` trains small versions of the four models when the
cache is cold, explains a handful of inputs and checks nothing rotted: the schema the
book's notebook reads, the axioms (completeness), and the controls (a random,
model-independent "explanation" must be unfaithful and must fail the sanity check).
"""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.run import CASES, main, run_benchmark  # noqa: E402

pytestmark = pytest.mark.slow

METHOD_KEYS = {"ms_per_explanation", "faithfulness", "stability", "sanity", "ground_truth"}
FIGURE_KEYS = {"value", "low", "high", "n"}


@pytest.fixture(scope="module")
def results():
    explanations, speed = run_benchmark(reduced=True, log=lambda message: None)
    return explanations, speed


def _figures(tree):
    """Every {"value", "low", "high", "n"} figure in a nested result."""
    if isinstance(tree, dict):
        if FIGURE_KEYS <= set(tree):
            yield tree
        else:
            for v in tree.values():
                yield from _figures(v)
    elif isinstance(tree, list):
        for v in tree:
            yield from _figures(v)


def test_every_model_ran_with_the_full_schema(results):
    explanations, _ = results
    assert explanations["schema_version"] == 2 and explanations["profile"] == "reduced"
    assert explanations["missing"] == {}
    assert set(explanations["models"]) == set(CASES)
    for model in explanations["models"].values():
        assert model["n_explained"] >= 1 and model["n_stability"] >= 1 and model["sanity_layers"]
        for name, row in model["methods"].items():
            assert METHOD_KEYS <= set(row), (name, set(row))
            assert row["ms_per_explanation"]["median"] >= 0
            assert row["ms_per_explanation"]["q1"] <= row["ms_per_explanation"]["q3"]
            assert row["sanity"]["verdict"] in {"passes", "fails", "inconclusive"}
            assert row["sanity"]["passed"] == (row["sanity"]["verdict"] == "passes")
            assert -1 <= row["sanity"]["similarity"]["value"] <= 1
            assert "cascading" in row["sanity"]
            assert "insertion_minus_deletion" in row["faithfulness"]
            assert "noise_rank_correlation" in row["stability"]
    json.dumps(explanations)  # serialisable as it stands


def test_every_figure_carries_its_interval_and_sample_size(results):
    explanations, _ = results
    figures = list(_figures(explanations["models"]))
    assert len(figures) > 100
    for f in figures:
        assert f["n"] >= 1
        if f["value"] is not None and f["low"] is not None:
            assert f["low"] - 1e-9 <= f["value"] <= f["high"] + 1e-9, f
    per_input = explanations["per_input"]
    for model, res in explanations["models"].items():
        for method, row in res["methods"].items():
            values = per_input[model][method]["insertion_minus_deletion"]
            assert len(values) == res["n_explained"]


def test_additive_methods_keep_their_axioms(results):
    sales = results[0]["models"]["sales_mlp"]["methods"]
    assert sales["exact_shapley"]["completeness_gap"]["high"] < 1e-6      # efficiency
    assert sales["integrated_gradients"]["completeness_gap"]["value"] < 0.25  # 8 nodes
    xnet = results[0]["models"]["explainer_network"]["methods"]
    assert xnet["explainer_network"]["completeness_gap"]["high"] < 1e-6   # by construction


def test_model_independent_control_fails_the_sanity_check(results):
    for name, model in results[0]["models"].items():
        control = model["methods"]["random"]["sanity"]
        assert control["similarity"]["value"] == pytest.approx(1.0), name
        assert control["verdict"] == "fails", name


def test_shapley_beats_the_random_control_on_faithfulness(results):
    sales = results[0]["models"]["sales_mlp"]["methods"]
    faith = {m: sales[m]["faithfulness"]["insertion_minus_deletion"]["value"] for m in sales}
    assert faith["exact_shapley"] > faith["random"]
    assert sales["exact_shapley"]["ground_truth"]["local_spearman"]["value"] > \
        sales["random"]["ground_truth"]["local_spearman"]["value"]


def test_speed_comparisons_agree_with_the_reference_libraries(results):
    speed = results[1]
    ig = speed["integrated_gradients_vs_captum"]
    assert ig["max_relative_difference"] < 1e-4
    assert ig["ms_per_row"]["ours"]["repeats"] >= 5
    assert ig["time_ratio_ours_over_captum"] > 0
    lig = speed["layer_integrated_gradients_vs_captum"]
    assert lig["max_relative_difference"] < 1e-3
    assert speed["exact_shapley_vs_shap"]["kernel"][0]["max_relative_error"] >= 0
    lime = speed["lime_samples_vs_fidelity"]["by_num_samples"]
    assert [r["num_samples"] for r in lime] == sorted(r["num_samples"] for r in lime)
    assert speed["explainer_network_vs_kernel_shap"]["time_ratio_network_over_kernel"] > 0


def test_command_line_rejects_unknown_models(tmp_path):
    assert main(["--reduced", "--models", "no_such_model", "--out", str(tmp_path)]) == 1
