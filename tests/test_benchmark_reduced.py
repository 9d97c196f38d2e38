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


@pytest.fixture(scope="module")
def results():
    explanations, speed = run_benchmark(reduced=True, log=lambda message: None)
    return explanations, speed


def test_every_model_ran_with_the_full_schema(results):
    explanations, _ = results
    assert explanations["schema_version"] == 1 and explanations["profile"] == "reduced"
    assert explanations["missing"] == {}
    assert set(explanations["models"]) == set(CASES)
    for model in explanations["models"].values():
        assert model["n_explained"] >= 1 and model["sanity_layers"]
        for name, row in model["methods"].items():
            assert METHOD_KEYS <= set(row), (name, set(row))
            assert row["ms_per_explanation"] >= 0
            assert isinstance(row["sanity"]["passed"], bool)
            assert -1 <= row["sanity"]["similarity"] <= 1
            assert {"cascading", "independent"} <= set(row["sanity"])
            assert "insertion_minus_deletion" in row["faithfulness"]
            assert "noise_rank_correlation" in row["stability"]
    json.dumps(explanations)  # serialisable as it stands


def test_additive_methods_keep_their_axioms(results):
    sales = results[0]["models"]["sales_mlp"]["methods"]
    assert sales["exact_shapley"]["completeness_gap"] < 1e-6      # efficiency
    assert sales["integrated_gradients"]["completeness_gap"] < 0.25  # quadrature error (8 nodes)
    xnet = results[0]["models"]["explainer_network"]["methods"]
    assert xnet["explainer_network"]["completeness_gap"] < 1e-6   # efficient by construction


def test_model_independent_control_fails_the_sanity_check(results):
    for name, model in results[0]["models"].items():
        control = model["methods"]["random"]["sanity"]
        assert control["similarity"] == pytest.approx(1.0), name
        assert control["passed"] is False, name


def test_shapley_beats_the_random_control_on_faithfulness(results):
    sales = results[0]["models"]["sales_mlp"]["methods"]
    gap = {m: sales[m]["faithfulness"]["insertion_minus_deletion"] for m in sales}
    assert gap["exact_shapley"] > gap["random"]
    assert sales["exact_shapley"]["ground_truth"]["local_spearman"] > \
        sales["random"]["ground_truth"]["local_spearman"]


def test_speed_comparisons_agree_with_the_reference_libraries(results):
    speed = results[1]
    ig = speed["integrated_gradients_vs_captum"]
    assert ig["max_relative_difference"] < 1e-4
    assert ig["time_ratio_ours_over_captum"] > 0
    assert speed["exact_shapley_vs_shap"]["kernel"][0]["max_relative_error"] >= 0
    lime = speed["lime_samples_vs_fidelity"]["by_num_samples"]
    assert [r["num_samples"] for r in lime] == sorted(r["num_samples"] for r in lime)


def test_command_line_rejects_unknown_models(tmp_path):
    assert main(["--reduced", "--models", "no_such_model", "--out", str(tmp_path)]) == 1
