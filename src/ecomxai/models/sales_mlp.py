r"""Document 000's sales model, done right: a Keras MLP 10 -> 64 -> 32 -> 1.

The document trains ``Dense(64, relu) -> Dense(32, relu) -> Dense(1)`` on 1000 products
with 10 features for 10 epochs on unscaled inputs. Here the same architecture is trained
on the synthetic catalogue (:mod:`ecomxai.data.catalog`, planted ground truth) with the
three things it needs to learn anything reliable:

* **standardisation inside the model** -- a ``Normalization`` layer holds the training
  means :math:`\mu` and standard deviations :math:`\sigma`, and a final rescaling maps the
  network's standardised output back to units sold, so the model is a function of *raw*
  features, :math:`\hat y = \mu_y + \sigma_y\, g\bigl((x - \mu)/\sigma\bigr)`, and every
  explainer sees the same inputs the business sees;
* **early stopping on the validation split** (best weights restored);
* **determinism** -- seeded weights, seeded shuffling, TensorFlow op determinism, and a
  cache (:func:`ecomxai.runtime.cached`) that stores the trained weights so later runs load
  them instead of retraining.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ecomxai.data.catalog import FEATURE_NAMES, Catalog, make_catalog
from ecomxai.runtime import cached, seed_everything

__all__ = [
    "SalesMLPConfig",
    "SalesMLP",
    "build_sales_mlp",
    "document_listing_model",
    "train_sales_mlp",
    "regression_metrics",
    "dead_units",
    "unit_feature_correlation",
]


@dataclass(frozen=True)
class SalesMLPConfig:
    """Everything that determines the trained model (its hash keys the cache)."""

    n_products: int = 1000
    catalog_seed: int = 0
    bayes_r2: float = 0.92
    split: tuple[float, float, float] = (0.6, 0.2, 0.2)
    hidden: tuple[int, ...] = (64, 32)
    epochs: int = 400
    batch_size: int = 128
    learning_rate: float = 3e-3
    patience: int = 30
    seed: int = 0


def build_sales_mlp(mean: np.ndarray, variance: np.ndarray, y_mean: float, y_scale: float,
                    hidden: tuple[int, ...] = (64, 32)) -> Any:
    r"""The document's MLP as a Keras functional model on raw features.

    ``Input(d) -> Normalization(mean, variance) -> Dense(64, relu) -> Dense(32, relu)
    -> Dense(1) -> Rescaling(y_scale, offset=y_mean)``.

    Parameters
    ----------
    mean, variance
        Per-feature training mean and variance (length ``d``).
    y_mean, y_scale
        Target mean and standard deviation; the network learns the standardised target.
    hidden
        Widths of the ReLU layers (the document: 64 and 32).
    """
    import keras  # noqa: PLC0415 - heavy, only when a model is built

    mean = np.asarray(mean, dtype=np.float32)
    variance = np.asarray(variance, dtype=np.float32)
    if mean.ndim != 1 or mean.shape != variance.shape or np.any(variance <= 0):
        raise ValueError("mean and variance must be equal-length 1-D arrays, variance > 0")
    if not hidden or any(int(h) < 1 for h in hidden):
        raise ValueError(f"hidden must list positive layer widths, got {hidden!r}")
    inputs = keras.Input(shape=(len(mean),), name="features")
    h = keras.layers.Normalization(mean=mean, variance=variance, name="standardise")(inputs)
    for k, width in enumerate(hidden, start=1):
        h = keras.layers.Dense(int(width), activation="relu", name=f"hidden_{k}")(h)
    out = keras.layers.Dense(1, name="output")(h)
    out = keras.layers.Rescaling(scale=float(y_scale), offset=float(y_mean), name="to_units")(out)
    return keras.Model(inputs, out, name="sales_mlp")


def document_listing_model(n_features: int = len(FEATURE_NAMES)) -> Any:
    """Document 000's ``Sequential`` model exactly as listed (no scaling), for the errata.

    ``model.layers[0]`` is ``Dense(64)`` (kernel ``(n_features, 64)``) and
    ``model.layers[1]`` is ``Dense(32)`` (kernel ``(64, 32)``): the listing's
    "feature importance" bar chart plots the flattened ``64 x 32`` matrix.
    """
    import keras  # noqa: PLC0415

    return keras.Sequential([
        keras.Input(shape=(int(n_features),)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(1, activation="linear"),
    ], name="document_000_listing")


def regression_metrics(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    r""":math:`R^2 = 1 - \sum (y - \hat y)^2 / \sum (y - \bar y)^2` and MAE."""
    y_true = np.asarray(y_true, dtype=np.float64).ravel()
    y_pred = np.asarray(y_pred, dtype=np.float64).ravel()
    if y_true.shape != y_pred.shape or y_true.size < 2:
        raise ValueError("y_true and y_pred must be equal-length vectors with >= 2 values")
    ss_res = float(((y_true - y_pred) ** 2).sum())
    ss_tot = float(((y_true - y_true.mean()) ** 2).sum())
    return {"r2": 1.0 - ss_res / ss_tot, "mae": float(np.abs(y_true - y_pred).mean())}


@dataclass
class SalesMLP:
    """A trained sales MLP with its data, splits and training record.

    Attributes
    ----------
    model
        The Keras model (raw features in, units sold out).
    catalog
        The catalogue it was trained on (features, sales, planted truth).
    splits
        ``{"train", "validation", "test"}`` row indices into the catalogue.
    history
        Per-epoch ``loss`` and ``val_loss``, ``best_epoch`` and ``seconds``.
    from_cache
        Whether the weights were loaded instead of trained.
    """

    model: Any
    catalog: Catalog
    splits: dict[str, np.ndarray]
    config: SalesMLPConfig
    history: dict[str, Any] = field(default_factory=dict)
    from_cache: bool = False
    _fast: Callable[[Any], Any] | None = field(default=None, repr=False)

    # ---- data views -------------------------------------------------------------------
    @property
    def feature_names(self) -> list[str]:
        return list(FEATURE_NAMES)

    def X(self, part: str) -> np.ndarray:
        """Raw features of ``part`` (``"train"``, ``"validation"``, ``"test"``)."""
        return self.catalog.X[self._rows(part)]

    def y(self, part: str) -> np.ndarray:
        """Observed sales of ``part``."""
        return self.catalog.sales[self._rows(part)]

    def _rows(self, part: str) -> np.ndarray:
        if part not in self.splits:
            raise LookupError(f"unknown split {part!r}; choose one of {sorted(self.splits)}")
        return self.splits[part]

    # ---- the model as functions -------------------------------------------------------
    def predict(self, X: np.ndarray, batch_size: int = 65536) -> np.ndarray:
        """Predicted units sold for raw features ``X`` of shape ``(n, 10)``; returns ``(n,)``."""
        import tensorflow as tf  # noqa: PLC0415

        X = np.asarray(X, dtype=np.float32)
        if X.ndim != 2 or X.shape[1] != len(FEATURE_NAMES):
            raise ValueError(f"X must have shape (n, {len(FEATURE_NAMES)}) in the order "
                             f"{FEATURE_NAMES}; got {X.shape}")
        if not np.all(np.isfinite(X)):
            raise ValueError("X contains NaN or infinite values")
        if self._fast is None:
            model = self.model
            self._fast = tf.function(lambda x: model(x, training=False),
                                     input_signature=[tf.TensorSpec([None, X.shape[1]],
                                                                    tf.float32)],
                                     reduce_retracing=True)
        parts = [self._fast(tf.constant(X[i:i + batch_size])).numpy()[:, 0]
                 for i in range(0, len(X), batch_size)]
        return np.concatenate(parts).astype(np.float64) if parts else np.empty(0)

    def predict_fn(self) -> Callable[[np.ndarray], np.ndarray]:
        """A plain ``f(X) -> (n,)`` on raw features, for the model-agnostic explainers."""
        return self.predict

    @property
    def network(self) -> Any:
        """The Keras model on raw features (what gradient explainers differentiate).

        :func:`ecomxai.studies.sales.sales_adapter` wraps it for the gradient methods.
        """
        return self.model

    def hidden_model(self) -> Any:
        """Keras functional sub-model mapping raw features to every hidden ReLU layer.

        This replaces the document's ``model.layers[1].get_activations(...)``, a method
        that Keras has never had: activations come from a model whose outputs are the
        hidden layers' outputs.
        """
        import keras  # noqa: PLC0415

        outs = [layer.output for layer in self.model.layers if layer.name.startswith("hidden_")]
        return keras.Model(self.model.input, outs, name="sales_mlp_hidden")

    def hidden_activations(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """``{layer name: (n, width) activations}`` of the hidden layers for raw ``X``."""
        sub = self.hidden_model()
        outs = sub(np.asarray(X, dtype=np.float32), training=False)
        if not isinstance(outs, (list, tuple)):
            outs = [outs]
        names = [layer.name for layer in self.model.layers if layer.name.startswith("hidden_")]
        return {n: np.asarray(o, dtype=np.float64) for n, o in zip(names, outs)}

    def first_layer_kernel(self) -> np.ndarray:
        """``(10, 64)`` weights of the first Dense layer (acting on *standardised* inputs).

        The document plotted ``model.layers[1].get_weights()[0]`` instead, which in its
        Sequential model is the ``64 x 32`` matrix between the two hidden layers: it has no
        row per input feature at all.
        """
        return np.asarray(self.model.get_layer("hidden_1").get_weights()[0], dtype=np.float64)

    @property
    def input_scale(self) -> np.ndarray:
        """Training standard deviation :math:`\\sigma` of each raw feature."""
        norm = self.model.get_layer("standardise")
        return np.sqrt(np.asarray(norm.variance, dtype=np.float64).ravel())

    @property
    def input_mean(self) -> np.ndarray:
        """Training mean :math:`\\mu` of each raw feature."""
        return np.asarray(self.model.get_layer("standardise").mean, dtype=np.float64).ravel()

    def dead_units(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """``{layer: indices of units that are zero for every row of X}``."""
        return {k: dead_units(v) for k, v in self.hidden_activations(X).items()}

    def metrics(self, part: str = "test") -> dict[str, float]:
        """:math:`R^2` and MAE of the model on one split (observed sales as the target)."""
        return regression_metrics(self.y(part), self.predict(self.X(part)))


def dead_units(activations: np.ndarray, *, tol: float = 0.0) -> np.ndarray:
    """Indices of ReLU units that never fire (activation <= ``tol`` on every row)."""
    H = np.asarray(activations, dtype=np.float64)
    if H.ndim != 2 or H.shape[0] == 0:
        raise ValueError(f"activations must be a non-empty (rows, units) array, got {H.shape}")
    return np.flatnonzero(H.max(axis=0) <= tol)


def unit_feature_correlation(activations: np.ndarray, X: np.ndarray) -> np.ndarray:
    r"""Spearman correlation of every input feature with every hidden unit, ``(d, units)``.

    Dead or constant units get ``nan``: they track nothing.
    """
    from scipy.stats import rankdata  # noqa: PLC0415

    H = np.asarray(activations, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    if H.ndim != 2 or X.ndim != 2 or len(H) != len(X):
        raise ValueError(f"activations {H.shape} and X {X.shape} must have the same rows")
    R_h = rankdata(H, axis=0)
    R_x = rankdata(X, axis=0)
    R_h -= R_h.mean(axis=0)
    R_x -= R_x.mean(axis=0)
    num = R_x.T @ R_h
    den = np.sqrt((R_x ** 2).sum(axis=0))[:, None] * np.sqrt((R_h ** 2).sum(axis=0))[None]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _stats(catalog: Catalog, train: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, float]:
    X = catalog.X[train]
    y = catalog.sales[train]
    var = X.var(axis=0)
    var[var == 0] = 1.0
    return X.mean(axis=0), var, float(y.mean()), float(y.std())


def train_sales_mlp(config: SalesMLPConfig | None = None, *, use_cache: bool = True,
                    verbose: int = 0) -> SalesMLP:
    """Train (or load from the cache) the document's MLP on the synthetic catalogue.

    Parameters
    ----------
    config
        Hyper-parameters and data sizes; defaults reproduce the book's model.
    use_cache
        Load the weights from the artifact cache when this exact configuration was trained
        before; ``False`` always trains.
    verbose
        Keras ``fit`` verbosity.

    Returns
    -------
    SalesMLP
    """
    import keras  # noqa: PLC0415

    config = config or SalesMLPConfig()
    catalog = make_catalog(config.n_products, seed=config.catalog_seed, bayes_r2=config.bayes_r2)
    splits = catalog.split(config.split, seed=config.seed)
    mean, var, y_mean, y_scale = _stats(catalog, splits["train"])

    def fresh() -> Any:
        seed_everything(config.seed)
        return build_sales_mlp(mean, var, y_mean, y_scale, config.hidden)

    def build() -> tuple[Any, dict[str, Any]]:
        model = fresh()
        model.compile(optimizer=keras.optimizers.Adam(config.learning_rate), loss="mse")
        stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=config.patience,
                                             restore_best_weights=True)
        start = time.perf_counter()
        fit = model.fit(catalog.X[splits["train"]].astype(np.float32),
                        catalog.sales[splits["train"]].astype(np.float32),
                        validation_data=(catalog.X[splits["validation"]].astype(np.float32),
                                         catalog.sales[splits["validation"]].astype(np.float32)),
                        epochs=config.epochs, batch_size=config.batch_size, shuffle=True,
                        callbacks=[stop], verbose=verbose)
        val = [float(v) for v in fit.history["val_loss"]]
        history = {"loss": [float(v) for v in fit.history["loss"]], "val_loss": val,
                   "best_epoch": int(np.argmin(val)) + 1,
                   "seconds": time.perf_counter() - start}
        return model, history

    def save(artifact: tuple[Any, dict[str, Any]], folder: Path) -> None:
        artifact[0].save_weights(folder / "sales_mlp.weights.h5")
        (folder / "history.json").write_text(json.dumps(artifact[1]))

    def load(folder: Path) -> tuple[Any, dict[str, Any]]:
        model = fresh()
        model.load_weights(folder / "sales_mlp.weights.h5")
        return model, json.loads((folder / "history.json").read_text())

    cfg = asdict(config)
    if use_cache:
        (model, history), hit = cached("sales_mlp", cfg, build, save, load)
    else:
        (model, history), hit = build(), False
    return SalesMLP(model, catalog, splits, config, history, hit)
