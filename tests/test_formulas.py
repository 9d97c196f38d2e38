"""The documents' formulas: reference implementations agree with independent references,
and the errata they demonstrate hold."""

import numpy as np
import pytest

from ecomxai.formulas import ErrataLog, all_checks, checks_table, formulas_passing
from ecomxai.formulas import attention, backprop, dnn, linear, recommend
from ecomxai.formulas.listings import undefined_names


def test_every_formula_check_passes_and_there_are_enough():
    table = checks_table(all_checks(seed=0))
    assert table["passed"].all(), table[~table["passed"]]
    assert len(table) >= 20
    assert set(table["doc"]) == {"000", "001", "002", "003", "004"}


@pytest.mark.parametrize("seed", [1, 2])
def test_checks_do_not_depend_on_the_seed(seed):
    assert all(c.passed for c in all_checks(seed=seed))


def test_omega_ranks_an_unused_feature_first_but_shapley_does_not():
    table = linear.omega_demo()
    assert table.loc["omega, w_n = prediction", "stock (weight 0)"] > \
        table.loc["omega, w_n = prediction", "price (weight 3)"]
    assert table.loc["mean |Shapley|", "stock (weight 0)"] == 0.0


def test_softmax_of_one_score_is_one_and_over_candidates_sums_to_one():
    assert recommend.softmax(np.array([123.4]))[0] == 1.0
    p = recommend.softmax(np.array([1000.0, 999.0, -5.0]))      # stable for large scores
    assert np.isfinite(p).all() and p.sum() == pytest.approx(1.0)


def test_zhangsan_lisi_recommends_unseen_items_only():
    ex = recommend.zhangsan_lisi_example(k=2)
    assert ex.recommendations == {"张三": ["C", "D"], "李四": ["A", "D"]}
    table = ex.table
    assert not table.loc[table["in history"], "recommended"].any()
    probs = table.groupby("user")["p(item | user) over candidates"].sum()
    np.testing.assert_allclose(probs.values, 1.0)


def test_recommender_inputs_are_validated():
    with pytest.raises(ValueError, match="empty"):
        recommend.mean_pool([])
    with pytest.raises(LookupError, match="unknown item"):
        recommend.mean_pool(["A", "Z"])
    with pytest.raises(ValueError, match="k must be"):
        recommend.top_k(np.arange(3.0), 4)


def test_unscaled_attention_saturates_and_scaled_does_not():
    table = attention.saturation_table(dims=(4, 1024), trials=200)
    assert table.loc[1024, "max weight, unscaled"] > 0.9
    assert table["max weight, scaled"].max() < 0.5
    np.testing.assert_allclose(table["logit std, scaled"], 1.0, atol=0.1)


def test_attention_mask_must_leave_a_key():
    Q = np.ones((2, 3))
    with pytest.raises(ValueError, match="at least one key"):
        attention.attention_weights(Q, Q, mask=np.array([[True, False], [False, False]]))


def test_dnn_worked_example_numbers():
    ex = dnn.dnn_worked_example_003()
    assert float(ex.literal_output) == pytest.approx(211.9, abs=1e-12)
    assert ex.document_output != pytest.approx(211.9)
    np.testing.assert_allclose(ex.a1, [14.1, 8.2, 2.3, 0.0, 0.0])
    np.testing.assert_allclose(ex.output, [111.6, 184.5])
    assert ex.W1.shape == (5, 3) and ex.W2.shape == (2, 5)


def test_dense_layer_rejects_the_documents_shapes():
    with pytest.raises(ValueError, match="do not fit"):
        dnn.dense_layer(np.array([14.1]), np.array([[4.0, 5.0, 6.0]]), np.array([0.4, 0.5, 0.6]))


def test_cross_entropy_nats_and_bits():
    y, p = np.array([1.0, 0.0]), np.array([0.8, 0.2])
    assert dnn.cross_entropy(y, p) == pytest.approx(0.2231, abs=1e-4)
    assert dnn.cross_entropy(y, p, base=2) == pytest.approx(0.3219, abs=1e-4)
    with pytest.raises(ValueError, match="probabilities"):
        dnn.cross_entropy(y, np.array([1.2, -0.2]))


def test_document_delta_cannot_be_evaluated_for_10_10_1():
    layers = backprop.random_layers((10, 10, 1))
    zs, a = backprop.forward_pass(layers, np.ones(10))
    with pytest.raises(ValueError):
        backprop.document_delta(zs[0], layers.W[0], a[-1] - 1.0)


def test_relu_output_dies():
    layers = backprop.random_layers((4, 3, 1), seed=3)
    layers.b[-1] = layers.b[-1] - 50.0
    report = backprop.dead_relu_output(layers, np.ones(4), np.array([-1.0]))
    assert report["prediction"] == 0.0 and report["largest |gradient|"] == 0.0


def test_undefined_names_finds_the_listing_errors():
    src = "import tf\nw = 1\ndef f(a):\n    b = a + w\n    return b + x\ndef g():\n    return len([])\n"
    assert undefined_names(src) == {"f": ["x"]}
    with pytest.raises(ValueError, match="not valid Python"):
        undefined_names("def (:")


def test_errata_log_counts_demonstrated_entries_and_rejects_duplicates():
    log = ErrataLog()
    log.add("a", "000", "x", "y", True)
    log.add("b", "000", "x", "y", False)
    assert log.count == 1 and len(log.table()) == 2
    with pytest.raises(ValueError, match="twice"):
        log.add("a", "000", "x", "y", True)


def test_every_checked_formula_is_a_numbered_equation_of_the_chapter():
    from pathlib import Path

    chapter = (Path(__file__).parents[1] / "book" / "mathematics.md").read_text()
    checks = all_checks(seed=0)
    for label in {c.label for c in checks}:
        assert f"$$ ({label})" in chapter, f"{label} is not an equation label of the chapter"
    assert formulas_passing(checks) == len({c.label for c in checks}) >= 20
