r"""CDNOW transactions (real e-commerce data) read from the installed ``lifetimes`` wheel.

CDNOW was an online CD shop. The master file holds every purchase (69,659 lines) of the
23,570 customers who made their first purchase in the first quarter of 1997, followed
until the end of June 1998 :cite:`fader2005counting`. The ``lifetimes`` wheel ships the
file; this module reads it directly (without importing ``lifetimes``' modelling code,
which needs ``autograd``) and turns it into the forecasting task of the network-by-hand
chapter: next-day revenue from the previous ``n_lags`` days,

.. math::

   x_t = (r_{t-10}, \dots, r_{t-1}) \;\mapsto\; y_t = r_t ,

split *chronologically* (train on the past, validate and test on the future).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "INSTALL_HINT",
    "cdnow_path",
    "load_transactions",
    "daily_revenue",
    "make_windows",
    "Windows",
    "ChronologicalSplit",
    "chronological_split",
    "LogScaler",
]

INSTALL_HINT = "pip install --no-deps lifetimes==0.11.3"
MASTER_FILE = "CDNOW_master.txt"


def cdnow_path(filename: str = MASTER_FILE) -> Path:
    """Path of a CDNOW file inside the installed ``lifetimes`` wheel.

    Raises
    ------
    LookupError
        If ``lifetimes`` is not installed or the file is missing, naming the install
        command.
    """
    spec = find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"the CDNOW data ship with the 'lifetimes' wheel, which is not "
                          f"installed; run: {INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / filename
    if not path.is_file():
        raise LookupError(f"{path} is missing from the installed 'lifetimes' package; "
                          f"reinstall it: {INSTALL_HINT}")
    return path


def load_transactions(path: Path | str | None = None) -> pd.DataFrame:
    """All CDNOW purchases: ``customer_id``, ``date``, ``n_cds``, ``dollars``.

    Parameters
    ----------
    path
        A file in the CDNOW master format (whitespace-separated ``id yyyymmdd cds
        dollars``); default: the copy in the ``lifetimes`` wheel.
    """
    path = cdnow_path() if path is None else Path(path)
    frame = pd.read_csv(path, sep=r"\s+", header=None, skiprows=1,
                        names=["customer_id", "date", "n_cds", "dollars"],
                        dtype={"customer_id": str, "date": str})
    if frame.empty:
        raise ValueError(f"{path} holds no transactions")
    frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame


def daily_revenue(transactions: pd.DataFrame | None = None) -> pd.Series:
    r"""Revenue per calendar day, :math:`r_t = \sum_{\text{purchases on day } t} \text{dollars}`.

    Days without a purchase get 0 (CDNOW has none). The index is a daily
    ``DatetimeIndex`` from the first to the last purchase.
    """
    tx = load_transactions() if transactions is None else transactions
    missing = {"date", "dollars"} - set(tx.columns)
    if missing:
        raise ValueError(f"transactions lack the columns {sorted(missing)}")
    per_day = tx.groupby("date")["dollars"].sum()
    days = pd.date_range(per_day.index.min(), per_day.index.max(), freq="D")
    return per_day.reindex(days, fill_value=0.0).rename("revenue")


@dataclass(frozen=True)
class Windows:
    """Lagged windows of a series: ``X[r] = series[t-n_lags:t]``, ``y[r] = series[t]``."""

    X: np.ndarray            # (n, n_lags), oldest lag first, the day before last
    y: np.ndarray            # (n,)
    dates: pd.DatetimeIndex  # the day t being predicted
    lag_names: tuple[str, ...]


def make_windows(series: pd.Series, n_lags: int = 10) -> Windows:
    """Slide a window of ``n_lags`` past days over ``series`` to predict the next day."""
    values = np.asarray(series, dtype=np.float64)
    if not 1 <= n_lags < len(values):
        raise ValueError(f"n_lags must be in 1..{len(values) - 1} for a series of "
                         f"{len(values)} days, got {n_lags}")
    if not np.all(np.isfinite(values)):
        raise ValueError("series contains NaN or infinite values")
    X = np.lib.stride_tricks.sliding_window_view(values[:-1], n_lags).copy()
    names = tuple(f"t-{k}" for k in range(n_lags, 0, -1))
    return Windows(X=X, y=values[n_lags:].copy(), dates=pd.DatetimeIndex(series.index[n_lags:]),
                   lag_names=names)


@dataclass(frozen=True)
class ChronologicalSplit:
    """Train / validation / test windows, in time order, never shuffled."""

    train: Windows
    val: Windows
    test: Windows


def chronological_split(windows: Windows, val_fraction: float = 0.2,
                        test_fraction: float = 0.2) -> ChronologicalSplit:
    """Cut the windows into past (train), middle (validation) and future (test).

    The last ``test_fraction`` of the days is the test set and the ``val_fraction``
    before it the validation set, so no training window looks at a test day's target.
    """
    if not (0 < val_fraction < 1 and 0 < test_fraction < 1 and val_fraction + test_fraction < 1):
        raise ValueError("val_fraction and test_fraction must be in (0, 1) and sum to < 1, "
                         f"got {val_fraction} and {test_fraction}")
    n = len(windows.y)
    n_test, n_val = int(round(n * test_fraction)), int(round(n * val_fraction))
    n_train = n - n_val - n_test
    if min(n_train, n_val, n_test) < 1:
        raise ValueError(f"{n} windows are too few for this split")

    def part(lo: int, hi: int) -> Windows:
        return Windows(windows.X[lo:hi], windows.y[lo:hi], windows.dates[lo:hi],
                       windows.lag_names)

    return ChronologicalSplit(part(0, n_train), part(n_train, n_train + n_val),
                              part(n_train + n_val, n))


@dataclass(frozen=True)
class LogScaler:
    r"""Log-then-standardise transform fitted on training data.

    :math:`\tilde{r} = (\log(1 + r) - \mu) / \sigma` with :math:`\mu, \sigma` of the
    training windows; revenue is positive and right-skewed, so errors are multiplicative
    and the log scale suits a squared loss.
    """

    mean: float
    std: float

    @classmethod
    def fit(cls, values: np.ndarray) -> "LogScaler":
        """Fit :math:`\\mu, \\sigma` on (training) revenue values, which must be >= 0."""
        arr = np.asarray(values, dtype=np.float64)
        if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr < 0):
            raise ValueError("LogScaler needs a non-empty array of finite revenues >= 0")
        logs = np.log1p(arr)
        return cls(float(logs.mean()), float(logs.std()) or 1.0)

    def transform(self, values: np.ndarray) -> np.ndarray:
        """Revenue -> standardised log revenue."""
        return (np.log1p(np.asarray(values, dtype=np.float64)) - self.mean) / self.std

    def inverse(self, scaled: np.ndarray) -> np.ndarray:
        """Standardised log revenue -> revenue."""
        return np.expm1(np.asarray(scaled, dtype=np.float64) * self.std + self.mean)
