r"""Synthetic shop impressions whose click model -- and so the truth -- is known.

Document 003 trains a click recommender on data it never defines. This generator plants
one: shoppers with preferences (a preferred category, a price sensitivity, the brands they
bought before) meet items with features (category, brand, price, rating, discount,
delivery time, popularity, the weekday it was listed). Every impression is a (user, item)
pair described by ``d = 9`` pair features (:data:`FEATURE_NAMES`), and the shopper clicks
with the probability of a known logistic model,

.. math::

   \ell(x) = \beta_0 + \sum_{i=1}^{d} w_i\, s_i(x_i)
             + \gamma\, u(x_{\text{price}})\, v(x_{\text{sens}}), \qquad
   y \sim \operatorname{Bernoulli}\bigl(\sigma(\ell(x))\bigr),

with shape functions :math:`s_i` and weights :math:`w_i` listed in :data:`PLANTED_EFFECTS`
and one interaction: price-sensitive shoppers are put off by a high price more than others,
:math:`u = -\ln(\text{price}/60)`, :math:`v = \text{sens} - 1/2`. ``listing_weekday`` has
no effect at all (a placebo every honest explanation should rank last).

The pair features are drawn independently (users and items are paired at random), so the
*interventional* Shapley value of the planted logit against any background set
:math:`\mathcal B` has a closed form (:func:`true_contributions`): an additive term
contributes :math:`w_i (s_i(x_i) - \overline{s_i}^{\mathcal B})` and the interaction
:math:`g = u v` splits between price and sensitivity as

.. math::

   \phi_{\text{price}}^{g} = \tfrac12\bigl(u v - \bar u\, v\bigr)
      + \tfrac12\bigl(u \bar v - \overline{u v}\bigr), \qquad
   \phi_{\text{sens}}^{g} = \tfrac12\bigl(u v - u \bar v\bigr)
      + \tfrac12\bigl(\bar u v - \overline{u v}\bigr),

bars being means over :math:`\mathcal B`. The same background is what
:func:`ecomxai.explain.shapley.exact_shapley` uses for a model, so a model's Shapley values
and the truth are directly comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "FEATURE_NAMES",
    "FEATURE_LABELS_ZH",
    "FEATURE_DESCRIPTIONS",
    "FEATURE_PHRASES",
    "feature_phrase",
    "PLANTED_EFFECTS",
    "INTERACTION_STRENGTH",
    "CLICK_BASE_LOGIT",
    "ClickData",
    "make_clicks",
    "draw_users",
    "draw_items",
    "planted_logit",
    "true_contributions",
]

FEATURE_NAMES: tuple[str, ...] = (
    "category_match", "brand_bought_before", "price", "price_sensitivity", "rating",
    "discount", "shipping_days", "popularity", "listing_weekday",
)

FEATURE_LABELS_ZH: dict[str, str] = {
    "category_match": "偏好类别匹配", "brand_bought_before": "买过该品牌", "price": "价格",
    "price_sensitivity": "价格敏感度", "rating": "评分", "discount": "折扣",
    "shipping_days": "配送天数", "popularity": "购买人数", "listing_weekday": "上架星期",
}

FEATURE_DESCRIPTIONS: dict[str, str] = {
    "category_match": "1 if the item is in the shopper's preferred category (1 in 4 categories)",
    "brand_bought_before": "1 if the shopper bought this item's brand before (2 of 10 brands)",
    "price": "item price in yuan, log-normal with median 60",
    "price_sensitivity": "the shopper's price sensitivity in [0, 1], Beta(2, 2)",
    "rating": "mean star rating of the item, 1-5",
    "discount": "discount off the list price, 0 for 60% of items, else 5-50%",
    "shipping_days": "promised delivery time in days, 1-7",
    "popularity": "number of shoppers who bought the item (log-normal)",
    "listing_weekday": "weekday the item was listed, 0-6; no effect (a placebo)",
}

#: What a shopper reads for each feature; ``{value}`` is the feature's value in the pair.
#: Binary features have two phrases: (value 1, value 0).
FEATURE_PHRASES: dict[str, str | tuple[str, str]] = {
    "category_match": ("matches your preferred category", "outside your usual categories"),
    "brand_bought_before": ("a brand you bought before", "a brand new to you"),
    "price": "price ¥{value:.0f}",
    "price_sensitivity": "how closely you compare prices",
    "rating": "rated {value:.1f} stars",
    "discount": "{value:.0%} off",
    "shipping_days": "delivery in {value:.0f} days",
    "popularity": "bought by {value:,.0f} shoppers",
    "listing_weekday": "listed on weekday {value:.0f}",
}


def feature_phrase(name: str, value: float) -> str:
    """Plain-words description of one pair feature, e.g. ``"rated 4.6 stars"``.

    Raises
    ------
    LookupError
        If ``name`` is not one of :data:`FEATURE_NAMES`.
    """
    if name not in FEATURE_PHRASES:
        raise LookupError(f"unknown feature {name!r}; use one of {FEATURE_NAMES}")
    phrase = FEATURE_PHRASES[name]
    if isinstance(phrase, tuple):
        return phrase[0] if value >= 0.5 else phrase[1]
    return phrase.format(value=float(value))


#: Planted weight :math:`w_i` and a plain description of the shape :math:`s_i`.
PLANTED_EFFECTS: dict[str, tuple[float, str]] = {
    "category_match": (1.2, "x"),
    "brand_bought_before": (0.8, "x"),
    "price": (0.5, "-ln(x / 60)"),
    "price_sensitivity": (0.6, "-x"),
    "rating": (0.9, "x - 4"),
    "discount": (2.0, "x"),
    "shipping_days": (0.12, "-x"),
    "popularity": (0.25, "ln(1 + x)"),
    "listing_weekday": (0.0, "0 (placebo)"),
}
#: :math:`\gamma` of the price x sensitivity interaction.
INTERACTION_STRENGTH = 1.5
#: :math:`\beta_0`, chosen for a click-through rate of about one in four.
CLICK_BASE_LOGIT = -2.6
N_CATEGORIES, N_BRANDS, BRANDS_PER_USER = 4, 10, 2
PRICE_MEDIAN = 60.0
_PRICE, _SENS = FEATURE_NAMES.index("price"), FEATURE_NAMES.index("price_sensitivity")


def _check_count(value: object, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def draw_users(n_users: int, rng: np.random.Generator) -> pd.DataFrame:
    """Shoppers: preferred category, price sensitivity and the brands they bought before."""
    n_users = _check_count(n_users, "n_users")
    brands = np.array([rng.choice(N_BRANDS, BRANDS_PER_USER, replace=False)
                       for _ in range(n_users)])
    return pd.DataFrame({
        "preferred_category": rng.integers(0, N_CATEGORIES, n_users),
        "price_sensitivity": rng.beta(2.0, 2.0, n_users),
        "brands_bought": [tuple(sorted(b.tolist())) for b in brands],
    })


def draw_items(n_items: int, rng: np.random.Generator) -> pd.DataFrame:
    """Items: category, brand, price, rating, discount, delivery days, popularity, weekday."""
    n_items = _check_count(n_items, "n_items")
    on_sale = rng.random(n_items) < 0.4
    return pd.DataFrame({
        "category": rng.integers(0, N_CATEGORIES, n_items),
        "brand": rng.integers(0, N_BRANDS, n_items),
        "price": np.round(rng.lognormal(np.log(PRICE_MEDIAN), 0.7, n_items), 2),
        "rating": np.round(np.clip(rng.normal(4.1, 0.5, n_items), 1.0, 5.0), 1),
        "discount": np.where(on_sale, np.round(rng.uniform(0.05, 0.5, n_items), 2), 0.0),
        "shipping_days": rng.integers(1, 8, n_items).astype(float),
        "popularity": np.round(rng.lognormal(5.0, 1.2, n_items)),
        "listing_weekday": rng.integers(0, 7, n_items).astype(float),
    })


def _check_pairs(X: object, name: str = "X") -> np.ndarray:
    arr = np.asarray(X, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != len(FEATURE_NAMES) or arr.shape[0] == 0:
        raise ValueError(f"{name} must be a non-empty (n, {len(FEATURE_NAMES)}) array of pair "
                         f"features in FEATURE_NAMES order, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values")
    if np.any(arr[:, _PRICE] <= 0):
        raise ValueError(f"{name}: price must be positive (column {_PRICE})")
    return arr


def _shapes(X: np.ndarray) -> np.ndarray:
    """Shape functions :math:`s_i(x_i)`, columns in :data:`FEATURE_NAMES` order."""
    return np.column_stack([
        X[:, 0],
        X[:, 1],
        -np.log(X[:, 2] / PRICE_MEDIAN),
        -X[:, 3],
        X[:, 4] - 4.0,
        X[:, 5],
        -X[:, 6],
        np.log1p(X[:, 7]),
        np.zeros(len(X)),
    ])


def _interaction_parts(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:math:`u` (cheapness) and :math:`v` (centred sensitivity) of the interaction."""
    return -np.log(X[:, _PRICE] / PRICE_MEDIAN), X[:, _SENS] - 0.5


def _weights() -> np.ndarray:
    return np.array([PLANTED_EFFECTS[name][0] for name in FEATURE_NAMES])


def planted_logit(X: np.ndarray) -> np.ndarray:
    r"""The true click logit :math:`\ell(x)` of each pair (see the module docstring).

    Parameters
    ----------
    X
        ``(n, 9)`` pair features in :data:`FEATURE_NAMES` order.
    """
    X = _check_pairs(X)
    u, v = _interaction_parts(X)
    return CLICK_BASE_LOGIT + _shapes(X) @ _weights() + INTERACTION_STRENGTH * u * v


def true_contributions(X: np.ndarray, background: np.ndarray) -> np.ndarray:
    r"""Exact interventional Shapley values of the planted logit against ``background``.

    .. math::

       \phi_i(x) = w_i\bigl(s_i(x_i) - \overline{s_i}\bigr) + \phi_i^{g}(x),

    with :math:`\phi^{g}` the interaction's share for price and sensitivity (module
    docstring). Efficiency holds exactly:
    :math:`\sum_i \phi_i(x) = \ell(x) - \overline{\ell}^{\mathcal B}`.

    Parameters
    ----------
    X
        ``(n, 9)`` pairs to explain.
    background
        ``(k, 9)`` reference pairs standing in for "feature unknown" -- pass the same
        background you give :func:`~ecomxai.explain.shapley.exact_shapley`.

    Returns
    -------
    numpy.ndarray
        ``(n, 9)`` true contributions to the click logit, in log-odds.
    """
    X = _check_pairs(X)
    B = _check_pairs(background, "background")
    phi = (_shapes(X) - _shapes(B).mean(axis=0)) * _weights()
    u, v = _interaction_parts(X)
    ub, vb = _interaction_parts(B)
    u_bar, v_bar, uv_bar = ub.mean(), vb.mean(), (ub * vb).mean()
    g = INTERACTION_STRENGTH
    phi[:, _PRICE] += g * (0.5 * (u * v - u_bar * v) + 0.5 * (u * v_bar - uv_bar))
    phi[:, _SENS] += g * (0.5 * (u * v - u * v_bar) + 0.5 * (u_bar * v - uv_bar))
    return phi


@dataclass(frozen=True)
class ClickData:
    """Impressions of items to shoppers, with planted clicks.

    Attributes
    ----------
    X
        ``(n, 9)`` pair features, columns :data:`FEATURE_NAMES`.
    clicks
        ``(n,)`` 0/1 clicks drawn from :math:`\\sigma(\\ell(x))`.
    logit
        ``(n,)`` the true click logit :math:`\\ell(x)`.
    user_ids, item_ids
        Which shopper saw which item (rows of ``users`` / ``items``).
    users, items
        The shopper and item tables the pairs were built from.
    """

    X: np.ndarray
    clicks: np.ndarray
    logit: np.ndarray
    user_ids: np.ndarray
    item_ids: np.ndarray
    users: pd.DataFrame
    items: pd.DataFrame

    @property
    def features(self) -> pd.DataFrame:
        """The pair features as a DataFrame with named columns."""
        return pd.DataFrame(self.X, columns=list(FEATURE_NAMES))

    @property
    def click_rate(self) -> float:
        """Share of impressions that were clicked."""
        return float(self.clicks.mean())

    def split(self, test_fraction: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Random train / test row indices (disjoint, together all rows)."""
        if not 0.0 < test_fraction < 1.0:
            raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
        order = np.random.default_rng(seed).permutation(len(self.X))
        n_test = int(round(test_fraction * len(order)))
        return np.sort(order[n_test:]), np.sort(order[:n_test])


def make_clicks(n_impressions: int = 24_000, n_users: int = 1_500, n_items: int = 800,
                seed: int = 0) -> ClickData:
    """Draw shoppers, items and random impressions, then clicks from the planted model.

    Parameters
    ----------
    n_impressions
        Number of (user, item) pairs shown.
    n_users, n_items
        Sizes of the shopper and item tables.
    seed
        Seed of the NumPy generator; the same seed gives the same data.

    Returns
    -------
    ClickData
    """
    n_impressions = _check_count(n_impressions, "n_impressions")
    _check_count(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    users, items = draw_users(n_users, rng), draw_items(n_items, rng)
    uid = rng.integers(0, len(users), n_impressions)
    iid = rng.integers(0, len(items), n_impressions)
    u, it = users.iloc[uid], items.iloc[iid]
    bought = np.array([b in bb for b, bb in zip(it["brand"], u["brands_bought"])])
    X = np.column_stack([
        (u["preferred_category"].to_numpy() == it["category"].to_numpy()).astype(float),
        bought.astype(float),
        it["price"].to_numpy(),
        u["price_sensitivity"].to_numpy(),
        it["rating"].to_numpy(),
        it["discount"].to_numpy(),
        it["shipping_days"].to_numpy(),
        it["popularity"].to_numpy(),
        it["listing_weekday"].to_numpy(),
    ]).astype(np.float64)
    logit = planted_logit(X)
    clicks = (rng.random(n_impressions) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    return ClickData(X, clicks, logit, uid, iid, users, items)
