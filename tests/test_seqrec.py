"""SeqRec: attention is a causal softmax with 1/sqrt(d) scaling, padding is inert,
the embedding-level forward matches the id-level one, caching and the tiny demo work,
and the quality card of `make bench` reads back."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from ecomxai.explain.adapters import TorchAdapter
from ecomxai.explain.gradients import integrated_gradients
from ecomxai.models.seqrec import (
    CausalSelfAttention, SeqRec, SeqRecConfig, fit_seqrec, tiny_catalogue_demo, train_seqrec,
    training_windows,
)
from ecomxai.studies.recommender import (
    REFERENCE_CARD_COLUMNS, explain_recommendation, reference_card,
)


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Tiny models run fastest (and unaffected by a busy machine) on one thread."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def model(one_thread):
    torch.manual_seed(0)
    return SeqRec(SeqRecConfig(n_items=12, max_len=6, d_model=16, n_heads=2, n_layers=2,
                               dropout=0.0)).eval()


def test_attention_matches_torch_scaled_dot_product_attention():
    torch.manual_seed(1)
    att = CausalSelfAttention(8, 2).eval()
    x = torch.randn(3, 5, 8)
    out, w = att(x)
    q, k, v = (lin(x).view(3, 5, 2, 4).transpose(1, 2) for lin in (att.query, att.key, att.value))
    ref = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # scales by 1/sqrt(d_head)
    ref = att.out(ref.transpose(1, 2).reshape(3, 5, 8))
    torch.testing.assert_close(out, ref, atol=1e-5, rtol=1e-5)
    manual = torch.softmax((q @ k.transpose(-1, -2)) / 2.0
                           + torch.triu(torch.full((5, 5), float("-inf")), 1), dim=-1)
    torch.testing.assert_close(w, manual)


def test_attention_maps_are_causal_and_row_stochastic(model):
    maps = model.attention_maps([3, 1, 4, 1, 5])
    assert maps.shape == (2, 2, 5, 5)
    np.testing.assert_allclose(maps.sum(-1), 1.0, atol=1e-6)
    assert np.allclose(maps[..., np.triu(np.ones((5, 5), bool), 1)], 0.0)


def test_padding_is_inert_and_long_histories_are_truncated(model):
    short, long = [2, 7], [1, 2, 3, 4, 5]
    alone = model.score_items([short])
    batched = model.score_items([long, short])
    np.testing.assert_allclose(batched[1], alone[0], atol=1e-5)
    np.testing.assert_allclose(model.score_items([[9, 9, 9] + long[-3:] + [0, 1, 2]]),
                               model.score_items([long[-3:] + [0, 1, 2]]), atol=1e-5)
    assert model.score(short, 4) == pytest.approx(alone[0, 4], abs=1e-6)


def test_embedding_forward_matches_ids_and_ig_is_complete(model):
    hist = [3, 8, 1, 6]
    emb = torch.as_tensor(model.history_embeddings(hist), dtype=torch.float32)[None]
    with torch.no_grad():
        s = model.scores_from_embeddings(emb).numpy()
    np.testing.assert_allclose(s, model.score_items([hist]), atol=1e-5)
    adapter = TorchAdapter(lambda e: model.scores_from_embeddings(e), output_index=5)
    _, gap = integrated_gradients(adapter, emb.numpy(), 0.0, steps=64, return_delta=True)
    assert abs(gap[0]) < 1e-2


def test_user_embedding_dot_item_embedding_is_the_score(model):
    hist = [[0, 1], [4, 2, 9]]
    u = model.user_embedding(hist)
    np.testing.assert_allclose(u @ model.item_embeddings().T, model.score_items(hist), atol=1e-5)
    np.testing.assert_allclose(model.probabilities(hist).sum(1), 1.0)


def test_training_windows_by_hand():
    X, Y = training_windows([[0, 1, 2, 3, 4]], max_len=3)
    # from the end: chunk [1, 2, 3, 4] -> inputs 1, 2, 3 (ids + 1), targets 2, 3, 4;
    # then chunk [0, 1] -> one input step, left-padded
    np.testing.assert_array_equal(X, [[2, 3, 4], [0, 0, 1]])
    np.testing.assert_array_equal(Y, [[2, 3, 4], [-100, -100, 1]])
    with pytest.raises(ValueError):
        training_windows([[1]], 3)


def test_validation_errors(model):
    with pytest.raises(ValueError, match="empty"):
        model.score_items([[]])
    with pytest.raises(LookupError):
        model.score_items([[12]])
    with pytest.raises(LookupError):
        model.score([1], 99)
    with pytest.raises(ValueError, match="divisible"):
        SeqRecConfig(n_items=3, d_model=10, n_heads=3)
    with pytest.raises(ValueError):
        model.scores_from_embeddings(torch.zeros(1, 7, 16))


def test_training_learns_a_rule_and_is_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOMXAI_CACHE_DIR", str(tmp_path))
    seqs = [[0, 1, 2], [3, 1, 4], [0, 5, 2], [3, 5, 4]] * 4  # 0 ... -> 2, 3 ... -> 4
    cfg = SeqRecConfig(n_items=6, max_len=3, d_model=16, n_heads=2, n_layers=1, dropout=0.0,
                       epochs=40, batch_size=16, lr=0.03)
    first = train_seqrec("seqrec_test", seqs, cfg, progress=False)
    second = train_seqrec("seqrec_test", seqs, cfg, progress=False)
    assert not first.from_cache and second.from_cache
    assert second.train_seconds == pytest.approx(first.train_seconds)
    np.testing.assert_allclose(first.model.score_items([[0, 1]]),
                               second.model.score_items([[0, 1]]), atol=1e-6)
    assert first.epoch_losses[-1] < first.epoch_losses[0]
    top = first.model.score_items([[0, 1], [3, 1]]).argmax(1)
    np.testing.assert_array_equal(top, [2, 4])
    frame = explain_recommendation(first.model, [0, 1], 2, ig_steps=256)
    assert list(frame.columns) == ["item", "attention_last", "rollout", "ig", "loo_drop",
                                   "rank_without"]
    assert frame.attrs["rank"] == 1 and len(frame) == 2
    assert abs(frame.attrs["ig_gap"]) < 0.05  # completeness, given enough steps
    np.testing.assert_allclose(frame["attention_last"].sum(), 1.0, atol=1e-6)


def test_tiny_catalogue_demo():
    demo = tiny_catalogue_demo(steps=60)
    np.testing.assert_allclose(demo.probabilities.sum(1), 1.0)
    assert demo.single_score_softmax == 1.0
    assert demo.top_k.loc["张三", "top1"] == "C" and demo.top_k.loc["李四", "top1"] == "D"


def test_fit_is_deterministic():
    seqs = [[0, 1, 2], [2, 1, 0]]
    cfg = SeqRecConfig(n_items=3, max_len=2, d_model=8, n_heads=1, n_layers=1, epochs=3)
    a = fit_seqrec(seqs, cfg, progress=False).model.score_items([[0]])
    b = fit_seqrec(seqs, cfg, progress=False).model.score_items([[0]])
    np.testing.assert_array_equal(a, b)


def test_learning_rate_schedule_warms_up_then_decays():
    from ecomxai.models.seqrec import learning_rate_factor

    f = np.array([learning_rate_factor(t, 100, "cosine", 0.1) for t in range(100)])
    np.testing.assert_allclose(f[:10], np.arange(1, 11) / 10)  # linear warm-up to 1
    assert f[10] == pytest.approx(1.0) and np.all(np.diff(f[10:]) < 0) and f[-1] < 1e-3
    assert {learning_rate_factor(t, 100) for t in range(100)} == {1.0}
    with pytest.raises(ValueError, match="schedule"):
        SeqRecConfig(n_items=3, schedule="step")
    with pytest.raises(ValueError, match="ffn_mult"):
        SeqRecConfig(n_items=3, ffn_mult=0)


def test_fit_reports_every_epoch_and_options_shape_the_model():
    seen = []
    cfg = SeqRecConfig(n_items=3, max_len=2, d_model=8, n_heads=1, n_layers=1, epochs=3,
                       schedule="cosine", warmup=0.3, ffn_mult=4)
    trained = fit_seqrec([[0, 1, 2], [2, 1, 0]], cfg, progress=False,
                         on_epoch=lambda epoch, m: seen.append(epoch))
    assert seen == [1, 2, 3] and len(trained.epoch_losses) == 3
    assert trained.model.blocks[0].ffn[0].out_features == 32


def test_reference_card_reads_the_committed_benchmark():
    """The card of ``make bench``: four models, our seed mean first, intervals as text."""
    path = Path(__file__).parents[1] / "benchmarks" / "results" / "seqrec_quality.json"
    quality = json.loads(path.read_text())
    card = reference_card(quality)
    assert list(card.columns) == list(REFERENCE_CARD_COLUMNS)
    assert len(card) == len(quality["card"]) == 4
    assert card["ndcg10_full"].iloc[0] == quality["ours"]["full_NDCG@10"]["mean"]
    ci = quality["ours"]["bootstrap_full"]["ndcg10"]
    assert card["ndcg10_full_ci95"].iloc[0] == f"{ci['low']:.3f}-{ci['high']:.3f}"
