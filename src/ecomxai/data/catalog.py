r"""A synthetic product catalogue whose sales function -- and so the truth -- is known.

Document 000 analyses "1000 products x 10 features" and reports an importance table
(price 0.25 > brand 0.20 > category 0.15 > promotion 0.10 = stock 0.10 > ...) that no real
data set behind it can be found for. This generator *plants* that table: weekly unit sales
are a documented, nonlinear function of ten independent product features,

.. math::

   y = \beta_0 + \sigma_y \Bigl(\sum_{i=1}^{10} w_i\, \tilde s_i(x_i)
        + \gamma\, \tilde u(\text{price})\, \tilde v(\text{promotion})\Bigr) + \varepsilon,
   \qquad \varepsilon \sim \mathcal N(0, \sigma_\varepsilon^2),

where each shape function :math:`s_i` is centred (:math:`\tilde s_i = s_i - \mathbb E s_i`)
and scaled so that :math:`\mathbb E|\tilde s_i| = 1`; the weights :math:`w_i` are the
document's table; the interaction says that a promotion lifts cheap products more than
dear ones. Because the features are independent, the interventional Shapley value of
feature :math:`i` for a product is known in closed form,

.. math::

   \phi_i(x) = \sigma_y\bigl(w_i \tilde s_i(x_i) + \tfrac{\gamma}{2}\,
       \tilde u(x_{\text{price}})\,\tilde v(x_{\text{promo}})\,
       [i \in \{\text{price}, \text{promotion}\}]\bigr),

and the *true global importance* is :math:`\mathbb E|\phi_i| / \sum_j \mathbb E|\phi_j|`
over the product population. ``season`` has no effect at all: a placebo feature that
every honest method should rank last. The noise level is set from the Bayes-optimal
:math:`R^2 = \operatorname{Var} f / (\operatorname{Var} f + \sigma_\varepsilon^2)`, the
best score any model can reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

__all__ = [
    "FEATURE_NAMES",
    "FEATURE_LABELS_ZH",
    "FEATURE_DESCRIPTIONS",
    "PLANTED_WEIGHTS",
    "INTERACTION_STRENGTH",
    "Catalog",
    "make_catalog",
    "draw_features",
    "expected_sales",
    "true_contributions",
    "true_importance",
    "split_indices",
]

FEATURE_NAMES: tuple[str, ...] = (
    "price", "brand", "category", "promotion", "stock",
    "rating", "review_count", "discount", "shipping_days", "season",
)

FEATURE_LABELS_ZH: dict[str, str] = {
    "price": "价格", "brand": "品牌", "category": "类别", "promotion": "促销", "stock": "库存",
    "rating": "评分", "review_count": "评论数", "discount": "折扣", "shipping_days": "配送天数",
    "season": "季节",
}

FEATURE_DESCRIPTIONS: dict[str, str] = {
    "price": "list price in yuan, log-normal (median about 55); demand falls with log price",
    "brand": "brand strength index in [0, 1] (Beta(2, 2)); stronger brands sell more, saturating",
    "category": "category id 0-5, ordered by category size; a bigger category sells more",
    "promotion": "1 if the product is on promotion this week (30% are); lifts cheap items most",
    "stock": "units in stock (log-normal); sales saturate once stock stops being the limit",
    "rating": "mean star rating, 1-5",
    "review_count": "number of reviews (log-normal); diminishing returns",
    "discount": "permanent discount off list price, 0-50%",
    "shipping_days": "promised delivery time in days, 1-7; slower delivery sells less",
    "season": "quarter of the year the product launched, 0-3; no effect (a placebo)",
}

#: The document's importance table, planted as the weights of the shape functions.
PLANTED_WEIGHTS: dict[str, float] = {
    "price": 0.25, "brand": 0.20, "category": 0.15, "promotion": 0.10, "stock": 0.10,
    "rating": 0.08, "review_count": 0.05, "discount": 0.04, "shipping_days": 0.03,
    "season": 0.0,
}
#: Strength :math:`\gamma` of the price x promotion interaction (same units as the weights).
INTERACTION_STRENGTH = 0.12
SALES_BASE = 100.0      # beta_0: mean weekly units
SALES_SCALE = 40.0      # sigma_y: units per unit of the standardised signal
_CATEGORY_EFFECT = np.array([-1.0, -0.6, -0.1, 0.2, 0.7, 1.3])
_LOG_PRICE_MEAN, _LOG_PRICE_SD = 4.0, 0.6
_REFERENCE_SEED, _REFERENCE_SIZE = 20240601, 400_000


def draw_features(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Draw ``n`` products with independent features (see :data:`FEATURE_DESCRIPTIONS`)."""
    return pd.DataFrame({
        "price": np.round(rng.lognormal(_LOG_PRICE_MEAN, _LOG_PRICE_SD, n), 2),
        "brand": rng.beta(2.0, 2.0, n),
        "category": rng.integers(0, len(_CATEGORY_EFFECT), n).astype(float),
        "promotion": (rng.random(n) < 0.3).astype(float),
        "stock": np.round(rng.lognormal(3.5, 1.0, n)),
        "rating": np.clip(rng.normal(4.0, 0.6, n), 1.0, 5.0),
        "review_count": np.round(rng.lognormal(4.0, 1.2, n)),
        "discount": rng.uniform(0.0, 0.5, n),
        "shipping_days": rng.integers(1, 8, n).astype(float),
        "season": rng.integers(0, 4, n).astype(float),
    }, columns=list(FEATURE_NAMES))


def _raw_shapes(F: pd.DataFrame) -> np.ndarray:
    """Uncentred shape functions :math:`s_i(x_i)`, columns in :data:`FEATURE_NAMES` order."""
    log_price = np.log(F["price"].to_numpy())
    cat = F["category"].to_numpy().astype(int)
    if np.any((cat < 0) | (cat >= len(_CATEGORY_EFFECT))):
        raise ValueError(f"category must be an integer 0..{len(_CATEGORY_EFFECT) - 1}")
    return np.column_stack([
        -log_price,                                   # price elasticity
        np.tanh(2.5 * F["brand"].to_numpy()),         # saturating brand effect
        _CATEGORY_EFFECT[cat],
        F["promotion"].to_numpy(),
        1.0 - np.exp(-F["stock"].to_numpy() / 20.0),  # stock-outs cap sales
        F["rating"].to_numpy(),
        np.log1p(F["review_count"].to_numpy()),
        F["discount"].to_numpy(),
        -F["shipping_days"].to_numpy(),
        np.zeros(len(F)),                             # season: no effect
    ])


def _interaction_raw(F: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Raw :math:`u` (cheapness) and :math:`v` (promotion) of the interaction."""
    return -np.log(F["price"].to_numpy()), F["promotion"].to_numpy()


@lru_cache(maxsize=1)
def _reference_constants() -> dict[str, np.ndarray | float]:
    """Centring and scaling constants, from one fixed, large reference population."""
    F = draw_features(_REFERENCE_SIZE, np.random.default_rng(_REFERENCE_SEED))
    S = _raw_shapes(F)
    mean = S.mean(axis=0)
    mad = np.abs(S - mean).mean(axis=0)
    mad[mad == 0] = 1.0
    u, v = _interaction_raw(F)
    u_mean, v_mean = u.mean(), v.mean()
    u_scale = np.abs(u - u_mean).mean()
    v_scale = np.abs(v - v_mean).mean()
    consts = {"mean": mean, "mad": mad, "u_mean": u_mean, "v_mean": v_mean,
              "u_scale": u_scale, "v_scale": v_scale}
    phi = _contributions(F, consts)
    consts["signal_var"] = float(phi.sum(axis=1).var())
    consts["importance"] = np.abs(phi).mean(axis=0) / np.abs(phi).mean(axis=0).sum()
    return consts


def _contributions(F: pd.DataFrame, c: dict) -> np.ndarray:
    weights = np.array([PLANTED_WEIGHTS[f] for f in FEATURE_NAMES])
    phi = weights * (_raw_shapes(F) - c["mean"]) / c["mad"]
    u, v = _interaction_raw(F)
    inter = (INTERACTION_STRENGTH * ((u - c["u_mean"]) / c["u_scale"])
             * ((v - c["v_mean"]) / c["v_scale"]))
    phi[:, FEATURE_NAMES.index("price")] += inter / 2.0
    phi[:, FEATURE_NAMES.index("promotion")] += inter / 2.0
    return SALES_SCALE * phi


def _as_frame(features: pd.DataFrame | np.ndarray) -> pd.DataFrame:
    if isinstance(features, pd.DataFrame):
        missing = [f for f in FEATURE_NAMES if f not in features.columns]
        if missing:
            raise ValueError(f"features lack columns {missing}; expected {list(FEATURE_NAMES)}")
        F = features[list(FEATURE_NAMES)].astype(float)
    else:
        arr = np.asarray(features, dtype=float)
        if arr.ndim != 2 or arr.shape[1] != len(FEATURE_NAMES):
            raise ValueError(
                f"features must have shape (n, {len(FEATURE_NAMES)}) in the order "
                f"{FEATURE_NAMES}; got {arr.shape}"
            )
        F = pd.DataFrame(arr, columns=list(FEATURE_NAMES))
    if not np.all(np.isfinite(F.to_numpy())):
        raise ValueError("features contain NaN or infinite values")
    if np.any(F["price"].to_numpy() <= 0):
        raise ValueError("price must be positive (it enters through its logarithm)")
    return F


def true_contributions(features: pd.DataFrame | np.ndarray) -> np.ndarray:
    r"""Exact interventional Shapley values :math:`\phi_i(x)` of the planted sales function.

    Rows sum to ``expected_sales(x) - SALES_BASE`` (efficiency), because every shape
    function is centred on the product population.
    """
    return _contributions(_as_frame(features), _reference_constants())


def expected_sales(features: pd.DataFrame | np.ndarray) -> np.ndarray:
    """Noise-free weekly unit sales :math:`f(x)` of each product."""
    return SALES_BASE + true_contributions(features).sum(axis=1)


def true_importance() -> pd.Series:
    r"""True global importance :math:`\mathbb E|\phi_i| / \sum_j \mathbb E|\phi_j|` (sums to 1)."""
    return pd.Series(_reference_constants()["importance"], index=list(FEATURE_NAMES),
                     name="true_importance")


def split_indices(n: int, fractions: tuple[float, float, float] = (0.6, 0.2, 0.2),
                  seed: int = 0) -> dict[str, np.ndarray]:
    """Random train / validation / test index arrays covering ``range(n)`` once."""
    if len(fractions) != 3 or any(f <= 0 for f in fractions) or abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions must be three positive numbers summing to 1, got {fractions}")
    if n < 3:
        raise ValueError("need at least 3 rows to split")
    order = np.random.default_rng(seed).permutation(n)
    n_train = int(round(fractions[0] * n))
    n_val = int(round(fractions[1] * n))
    return {"train": np.sort(order[:n_train]), "validation": np.sort(order[n_train:n_train + n_val]),
            "test": np.sort(order[n_train + n_val:])}


@dataclass(frozen=True)
class Catalog:
    """A generated catalogue and everything that is true about it.

    Attributes
    ----------
    features
        ``(n, 10)`` product features, columns :data:`FEATURE_NAMES`.
    sales
        Observed weekly unit sales (with noise).
    expected
        Noise-free sales :math:`f(x)`.
    contributions
        ``(n, 10)`` true Shapley values of :math:`f` per product.
    importance
        True global importance over the population (sums to 1).
    noise_sd, bayes_r2
        Noise standard deviation and the best :math:`R^2` any model can reach.
    seed
        The seed that drew this catalogue.
    """

    features: pd.DataFrame
    sales: np.ndarray
    expected: np.ndarray
    contributions: np.ndarray
    importance: pd.Series
    noise_sd: float
    bayes_r2: float
    seed: int

    @property
    def X(self) -> np.ndarray:
        """Features as a float array in :data:`FEATURE_NAMES` order."""
        return self.features.to_numpy(dtype=np.float64)

    @property
    def feature_names(self) -> list[str]:
        return list(FEATURE_NAMES)

    def split(self, fractions: tuple[float, float, float] = (0.6, 0.2, 0.2),
              seed: int | None = None) -> dict[str, np.ndarray]:
        """Train / validation / test indices (seeded by the catalogue's seed by default)."""
        return split_indices(len(self.sales), fractions, self.seed if seed is None else seed)


def make_catalog(n_products: int = 1000, *, seed: int = 0, bayes_r2: float = 0.92) -> Catalog:
    """Generate a product catalogue with planted sales drivers (document 000's case).

    Parameters
    ----------
    n_products
        Number of products (the document uses 1000).
    seed
        Seed of the feature and noise draws.
    bayes_r2
        Bayes-optimal :math:`R^2` in (0, 1]; sets the noise level
        :math:`\\sigma_\\varepsilon = \\sqrt{\\operatorname{Var} f\\,(1 - R^2)/R^2}`.
        1 gives noise-free sales.

    Returns
    -------
    Catalog
    """
    if not isinstance(n_products, (int, np.integer)) or n_products < 10:
        raise ValueError(f"n_products must be an integer >= 10, got {n_products!r}")
    if not 0.0 < bayes_r2 <= 1.0:
        raise ValueError(f"bayes_r2 must lie in (0, 1], got {bayes_r2!r}")
    rng = np.random.default_rng(seed)
    F = draw_features(int(n_products), rng)
    phi = true_contributions(F)
    expected = SALES_BASE + phi.sum(axis=1)
    signal_var = _reference_constants()["signal_var"]
    noise_sd = float(np.sqrt(signal_var * (1.0 - bayes_r2) / bayes_r2))
    sales = expected + rng.normal(0.0, noise_sd, len(F))
    return Catalog(F, sales, expected, phi, true_importance(), noise_sd, float(bayes_r2), seed)
