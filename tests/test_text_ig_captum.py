"""Our integrated gradients over MiniLM's word embeddings vs Captum's LayerIntegratedGradients."""

import numpy as np
import pytest
import torch

import ecomxai  # noqa: F401
from ecomxai.explain.token_attribution import integrated_gradients_tokens
from ecomxai.models import text


@pytest.fixture(scope="module")
def clf():
    torch.manual_seed(1)  # the real encoder with a small random head
    model = text.ReviewClassifier(text.load_encoder(), text.load_tokenizer(), max_length=16)
    torch.nn.init.normal_(model.head.weight, std=0.5)
    return model


def test_matches_captum_layer_integrated_gradients(clf):
    from captum.attr import LayerIntegratedGradients

    ids = clf.encode("the tea was stale and bitter")
    ours, gap = integrated_gradients_tokens(clf, ids, steps=24)
    pad = clf.tokenizer.pad_token_id
    base_ids = [i if i in clf.special_ids else pad for i in ids]
    lig = LayerIntegratedGradients(lambda x: clf(x), clf.encoder.embeddings.word_embeddings)
    theirs, delta = lig.attribute(torch.tensor([ids]), baselines=torch.tensor([base_ids]),
                                  n_steps=24, method="gausslegendre",
                                  return_convergence_delta=True)
    theirs = theirs[0].sum(-1).detach().double().numpy()
    np.testing.assert_allclose(ours, theirs, atol=1e-4)
    assert gap == pytest.approx(float(delta[0]), abs=1e-4)
    assert abs(gap) < 0.05  # completeness at 24 Gauss-Legendre nodes
