r"""Document 003's click recommender, and an explainer network trained together with it.

The recommender is the document's Keras DNN, 128-64-32-1 with ReLU hidden layers and a
sigmoid output, predicting a click from the pair features of
:mod:`ecomxai.data.clicks`. Its last layer is written as ``Dense(1)`` followed by a
sigmoid, which computes the same function as ``Dense(1, activation="sigmoid")`` but lets
us read the *logit* :math:`f(x)`, the value every explanation here decomposes (additivity
is meaningful on the log-odds scale, not on the probability scale).

The explainer network :math:`g_\theta` maps a pair :math:`x` to one attribution per
feature in a single forward pass. As in FastSHAP :cite:`jethani2022fastshap` its raw
output is made *efficient* by construction,

.. math::

   \phi_\theta(x) = g_\theta(x) + \frac{1}{d}\Bigl(f(x) - \phi_0 - \mathbf 1^\top g_\theta(x)\Bigr),
   \qquad \phi_0 = \mathbb E_{b}\, f(b),

so attributions plus the bias :math:`\phi_0` reproduce the recommender's logit exactly,
and it is trained to match Shapley values through the weighted least-squares
characterisation of Shapley values: for coalitions :math:`S` drawn from the Shapley kernel
:math:`p(S) \propto (d-1) / \bigl(\binom{d}{|S|}|S|(d-|S|)\bigr)` and background rows
:math:`b`,

.. math::

   \mathcal L_{\text{fid}} = \mathbb E_{x, S, b}\Bigl(f(x_S, b_{\bar S}) - f(b)
       - \mathbf 1_S^\top \phi_\theta(x)\Bigr)^2 ,

whose minimiser is the interventional Shapley value. Joint training minimises
:math:`\mathcal L_{\text{click}} + \lambda \mathcal L_{\text{fid}} / \widehat{\mathrm{Var}}_b f(b)`
over *both* networks in one ``tf.GradientTape`` step (dividing by the batch variance of the
logit stops the recommender from lowering the loss by shrinking its scores). The fidelity
loss also reaches the recommender (with weight ``recommender_fidelity_share``), which is
where joint training can cost accuracy.

:func:`document_listing_loop` runs the document's own loop to show why it explains
nothing: as listed it raises (the loss sum is formed after the tape closed, so there is no
gradient at all); with that fixed, the gradient is still taken with respect to the
recommender's variables only, so the "explainer" never changes -- and it outputs one
sigmoid score, not one number per feature.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ecomxai.runtime import cached

__all__ = [
    "ExplainerNetConfig",
    "TrainedClickModels",
    "build_recommender",
    "build_explainer",
    "shapley_kernel_coalitions",
    "train_click_models",
    "fidelity_to_reference",
    "time_per_explanation",
    "DocumentLoopReport",
    "document_listing_loop",
    "shopper_contributions",
]


@dataclass(frozen=True)
class ExplainerNetConfig:
    """Hyper-parameters of the recommender, the explainer and their training.

    Attributes
    ----------
    hidden
        Recommender hidden widths (the document's 128-64-32).
    explainer_hidden
        Explainer hidden widths.
    epochs, batch_size
        Passes over the training pairs and pairs per step.
    learning_rate, explainer_learning_rate
        Adam step sizes of the recommender and of the explainer.
    fidelity_weight
        :math:`\\lambda` in :math:`\\mathcal L_{click} + \\lambda \\mathcal L_{fid}`.
    coalitions_per_row
        Sampled coalitions per pair and step (an even number: each coalition comes with its
        complement, "paired sampling").
    recommender_fidelity_share
        How much of the fidelity gradient reaches the recommender: 1 = fully joint,
        0 = the recommender ignores the explainer (stop-gradient).
    seed
        Seed of weight initialisation and of the coalition / background sampling.
    """

    hidden: tuple[int, ...] = (128, 64, 32)
    explainer_hidden: tuple[int, ...] = (128, 64)
    epochs: int = 10
    batch_size: int = 512
    learning_rate: float = 2e-3
    explainer_learning_rate: float = 3e-3
    fidelity_weight: float = 1.0
    coalitions_per_row: int = 4
    recommender_fidelity_share: float = 0.1
    seed: int = 0

    def __post_init__(self) -> None:
        if not self.hidden or any(int(h) < 1 for h in self.hidden):
            raise ValueError(f"hidden must be positive layer widths, got {self.hidden!r}")
        if not self.explainer_hidden or any(int(h) < 1 for h in self.explainer_hidden):
            raise ValueError(f"explainer_hidden must be positive widths, got "
                             f"{self.explainer_hidden!r}")
        if self.epochs < 1 or self.batch_size < 2:
            raise ValueError("epochs must be >= 1 and batch_size >= 2")
        if self.coalitions_per_row < 2 or self.coalitions_per_row % 2:
            raise ValueError("coalitions_per_row must be an even number >= 2 (paired sampling)")
        if self.fidelity_weight < 0 or not 0.0 <= self.recommender_fidelity_share <= 1.0:
            raise ValueError("fidelity_weight must be >= 0 and recommender_fidelity_share "
                             "in [0, 1]")


def _scaler_stats(X: np.ndarray, log_columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    Z = np.where(log_columns, np.log1p(np.abs(X)), X)
    return Z.mean(axis=0), Z.std(axis=0) + 1e-6


def _scaler_layer(mean: np.ndarray, std: np.ndarray, log_columns: np.ndarray) -> Any:
    """Fixed preprocessing: log1p of heavy-tailed columns, then standardisation."""
    import keras  # noqa: PLC0415

    mask = np.asarray(log_columns, dtype=bool)
    mean32, std32 = mean.astype("float32"), std.astype("float32")

    class PairScaler(keras.layers.Layer):
        def call(self, x):  # noqa: D401 - keras hook
            ops = keras.ops
            logged = ops.where(mask, ops.log1p(ops.abs(x)), x)
            return (logged - mean32) / std32

    return PairScaler(name="pair_scaler")


def build_recommender(n_features: int, mean: np.ndarray, std: np.ndarray,
                      log_columns: np.ndarray, hidden: tuple[int, ...] = (128, 64, 32)
                      ) -> tuple[Any, Any]:
    r"""Document 003's DNN: :math:`a_l = \mathrm{ReLU}(W_l a_{l-1} + b_l)`, sigmoid output.

    Returns
    -------
    (recommender, logit_model)
        Two Keras models sharing every layer: the click probability
        :math:`\sigma(f(x))` and the logit :math:`f(x)`.
    """
    import keras  # noqa: PLC0415

    inputs = keras.Input((n_features,), name="pair_features")
    h = _scaler_layer(mean, std, log_columns)(inputs)
    for i, units in enumerate(hidden):
        h = keras.layers.Dense(int(units), activation="relu", name=f"hidden_{i + 1}")(h)
    logit = keras.layers.Dense(1, name="logit")(h)
    prob = keras.layers.Activation("sigmoid", name="click_probability")(logit)
    return (keras.Model(inputs, prob, name="recommender"),
            keras.Model(inputs, logit, name="recommender_logit"))


def build_explainer(n_features: int, mean: np.ndarray, std: np.ndarray,
                    log_columns: np.ndarray, hidden: tuple[int, ...] = (128, 64)) -> Any:
    """Explainer network :math:`g_\\theta`: pair features -> one raw attribution per feature."""
    import keras  # noqa: PLC0415

    inputs = keras.Input((n_features,), name="pair_features")
    h = _scaler_layer(mean, std, log_columns)(inputs)
    for i, units in enumerate(hidden):
        h = keras.layers.Dense(int(units), activation="relu", name=f"explainer_{i + 1}")(h)
    out = keras.layers.Dense(n_features, name="raw_attributions")(h)
    return keras.Model(inputs, out, name="explainer")


def shapley_kernel_coalitions(n: int, d: int, rng: np.random.Generator) -> np.ndarray:
    r"""``n`` coalition pairs :math:`(S, \bar S)` drawn from the Shapley kernel.

    The size :math:`s = |S| \in \{1, \dots, d-1\}` is drawn with probability
    :math:`\propto (d-1)/(s(d-s))`, then :math:`S` uniformly among sets of that size.

    Returns
    -------
    numpy.ndarray
        ``(2n, d)`` float 0/1 masks; rows ``2j`` and ``2j+1`` are complements.
    """
    if d < 2 or n < 1:
        raise ValueError(f"need d >= 2 features and n >= 1 coalitions, got d={d}, n={n}")
    sizes = np.arange(1, d)
    p = (d - 1) / (sizes * (d - sizes))
    s = rng.choice(sizes, size=n, p=p / p.sum())
    ranks = np.argsort(rng.random((n, d)), axis=1)
    masks = (ranks < s[:, None]).astype(np.float32)
    return np.stack([masks, 1.0 - masks], axis=1).reshape(2 * n, d)


@dataclass
class TrainedClickModels:
    """A trained recommender (and, after joint training, its explainer).

    Attributes
    ----------
    recommender, logit_model
        Keras models of :math:`\\sigma(f(x))` and :math:`f(x)`.
    explainer
        Keras model of the raw attributions :math:`g_\\theta(x)` (untrained when the
        recommender was trained alone).
    joint
        Whether the explainer was trained with the recommender.
    history
        Per-epoch mean click loss and fidelity loss.
    """

    recommender: Any
    logit_model: Any
    explainer: Any
    joint: bool
    history: dict[str, list[float]] = field(default_factory=dict)
    _fast: dict[str, Callable[[Any], Any]] = field(default_factory=dict, repr=False)

    def _compiled(self, name: str, model: Any) -> Callable[[Any], Any]:
        if name not in self._fast:
            import tensorflow as tf  # noqa: PLC0415

            self._fast[name] = tf.function(lambda x: model(x, training=False),
                                           reduce_retracing=True)
        return self._fast[name]

    def _check(self, X: np.ndarray) -> np.ndarray:
        arr = np.asarray(X, dtype=np.float32)
        d = self.logit_model.input_shape[-1]
        if arr.ndim != 2 or arr.shape[1] != d or len(arr) == 0:
            raise ValueError(f"X must be a non-empty (n, {d}) array of pair features, "
                             f"got shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError("X contains NaN or infinite values")
        return arr

    def logit(self, X: np.ndarray, batch_size: int = 262_144) -> np.ndarray:
        """Recommender logit :math:`f(x)` of each row, ``(n,)`` float64."""
        X = self._check(X)
        fn = self._compiled("logit", self.logit_model)
        parts = [fn(X[s:s + batch_size]).numpy()[:, 0] for s in range(0, len(X), batch_size)]
        return np.concatenate(parts).astype(np.float64)

    def click_probability(self, X: np.ndarray) -> np.ndarray:
        """Recommender output :math:`\\sigma(f(x))`, ``(n,)``."""
        return 1.0 / (1.0 + np.exp(-self.logit(X)))

    def explain(self, X: np.ndarray, base_value: float) -> np.ndarray:
        r"""Attributions :math:`\phi_\theta(x)` in one forward pass, ``(n, d)``.

        Parameters
        ----------
        X
            Pairs to explain.
        base_value
            :math:`\phi_0`, the mean logit over the background that "feature unknown"
            refers to; rows then satisfy ``phi.sum(1) + base_value == logit(X)``.
        """
        if not self.joint:
            raise ValueError("this explainer was never trained (recommender trained alone); "
                             "train with joint=True to explain")
        X = self._check(X)
        if "explain" not in self._fast:  # one graph: the recommender's logit and g(x)
            import tensorflow as tf  # noqa: PLC0415

            self._fast["explain"] = tf.function(
                lambda x: (self.logit_model(x, training=False)[:, 0],
                           self.explainer(x, training=False)), reduce_retracing=True)
        logit, raw = self._fast["explain"](X)
        raw = raw.numpy().astype(np.float64)
        gap = logit.numpy().astype(np.float64) - float(base_value) - raw.sum(axis=1)
        return raw + gap[:, None] / raw.shape[1]


def _train(X: np.ndarray, y: np.ndarray, cfg: ExplainerNetConfig, joint: bool,
           log_columns: np.ndarray) -> TrainedClickModels:
    import keras  # noqa: PLC0415
    import tensorflow as tf  # noqa: PLC0415

    keras.utils.set_random_seed(cfg.seed)
    d = X.shape[1]
    mean, std = _scaler_stats(X, log_columns)
    recommender, logit_model = build_recommender(d, mean, std, log_columns, cfg.hidden)
    explainer = build_explainer(d, mean, std, log_columns, cfg.explainer_hidden)
    opt_rec = keras.optimizers.Adam(cfg.learning_rate)
    opt_exp = keras.optimizers.Adam(cfg.explainer_learning_rate)
    rec_vars, exp_vars = logit_model.trainable_variables, explainer.trainable_variables
    m, lam, share = cfg.coalitions_per_row, cfg.fidelity_weight, cfg.recommender_fidelity_share

    def mix(t: Any) -> Any:  # fidelity gradient reaches the recommender with weight `share`
        return share * t + (1.0 - share) * tf.stop_gradient(t)

    @tf.function(reduce_retracing=True)
    def step(xb, yb, bg, masks):
        with tf.GradientTape() as tape:
            fx = logit_model(xb, training=True)[:, 0]
            click = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(yb, fx))
            if not joint:
                loss, fid = click, tf.constant(0.0)
            else:
                xrep = tf.repeat(xb, m, axis=0)
                comp = masks * xrep + (1.0 - masks) * bg
                out = mix(logit_model(tf.concat([comp, bg], 0), training=True)[:, 0])
                f_s, f_b = out[: tf.shape(bg)[0]], out[tf.shape(bg)[0]:]
                raw = explainer(xb, training=True)
                gap = mix(fx) - tf.reduce_mean(f_b) - tf.reduce_sum(raw, 1)
                phi = raw + gap[:, None] / d
                pred = tf.reduce_sum(tf.repeat(phi, m, axis=0) * masks, 1)
                # relative to the spread of the logit: shrinking scores cannot lower it
                spread = tf.math.reduce_variance(f_b) + 1e-3
                fid = tf.reduce_mean(tf.square(f_s - f_b - pred)) / spread
                loss = click + lam * fid
        variables = rec_vars + exp_vars if joint else rec_vars
        grads = tape.gradient(loss, variables)
        opt_rec.apply_gradients(zip(grads[: len(rec_vars)], rec_vars))
        if joint:
            opt_exp.apply_gradients(zip(grads[len(rec_vars):], exp_vars))
        return click, fid

    rng = np.random.default_rng(cfg.seed)
    Xf, yf = X.astype(np.float32), y.astype(np.float32)
    B = cfg.batch_size
    history: dict[str, list[float]] = {"click_loss": [], "fidelity_loss": []}
    for _ in range(cfg.epochs):
        order = rng.permutation(len(X))
        bg_rows = rng.integers(0, len(X), (len(X), m // 2))
        masks = shapley_kernel_coalitions(len(X) * m // 2, d, rng).reshape(len(X), m, d)
        clicks, fids = [], []
        for s in range(0, len(order) - B + 1, B):  # drop the ragged last batch
            idx = order[s:s + B]
            # one background row per coalition pair: S and its complement share b
            bg = np.repeat(Xf[bg_rows[idx]], 2, axis=1).reshape(B * m, d)
            c, f = step(Xf[idx], yf[idx], bg, masks[idx].reshape(B * m, d))
            clicks.append(float(c))
            fids.append(float(f))
        history["click_loss"].append(float(np.mean(clicks)))
        history["fidelity_loss"].append(float(np.mean(fids)))
    return TrainedClickModels(recommender, logit_model, explainer, joint, history)


def train_click_models(X: np.ndarray, y: np.ndarray, *, joint: bool,
                       log_columns: np.ndarray | None = None,
                       config: ExplainerNetConfig | None = None,
                       use_cache: bool = True) -> tuple[TrainedClickModels, bool]:
    """Train the recommender alone (``joint=False``) or with its explainer (``joint=True``).

    Both runs start from the same initial recommender weights and see the same batches, so
    the only difference is the fidelity loss.

    Parameters
    ----------
    X, y
        Training pair features ``(n, d)`` and 0/1 clicks ``(n,)``.
    joint
        Train the explainer network together with the recommender.
    log_columns
        Boolean ``(d,)``: columns to pass through ``log1p`` before standardising
        (heavy-tailed counts and prices). Default: none.
    config
        Hyper-parameters; defaults to :class:`ExplainerNetConfig`.
    use_cache
        Load from / store in the artifact cache (:func:`ecomxai.runtime.cached`).

    Returns
    -------
    (models, from_cache)
    """
    cfg = config or ExplainerNetConfig()
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).ravel()
    if X.ndim != 2 or X.shape[0] < cfg.batch_size or X.shape[1] < 2:
        raise ValueError(f"X must be (n, d) with d >= 2 and at least batch_size="
                         f"{cfg.batch_size} rows, got shape {X.shape}")
    if len(y) != len(X) or not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must hold one 0/1 click per row of X")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinite values")
    logs = np.zeros(X.shape[1], bool) if log_columns is None else np.asarray(log_columns, bool)
    if logs.shape != (X.shape[1],):
        raise ValueError(f"log_columns must be a boolean vector of length {X.shape[1]}")
    d = X.shape[1]

    def build() -> TrainedClickModels:
        return _train(X, y, cfg, joint, logs)

    def save(models: TrainedClickModels, folder: Path) -> None:
        models.logit_model.save_weights(folder / "recommender.weights.h5")
        models.explainer.save_weights(folder / "explainer.weights.h5")
        (folder / "history.json").write_text(json.dumps(models.history))

    def load(folder: Path) -> TrainedClickModels:
        mean, std = _scaler_stats(X, logs)
        rec, logit_model = build_recommender(d, mean, std, logs, cfg.hidden)
        logit_model.load_weights(folder / "recommender.weights.h5")
        expl = build_explainer(d, mean, std, logs, cfg.explainer_hidden)
        expl.load_weights(folder / "explainer.weights.h5")
        history = json.loads((folder / "history.json").read_text())
        return TrainedClickModels(rec, logit_model, expl, joint, history)

    if not use_cache:
        return build(), False
    key = {"X": X, "y": y, "log_columns": logs, "joint": joint, "config": asdict(cfg),
           "version": 1}
    return cached("explainer_net_joint" if joint else "click_recommender", key,
                  build, save, load)


def fidelity_to_reference(attributions: np.ndarray, reference: np.ndarray) -> dict[str, float]:
    r"""Agreement of attributions with reference values (e.g. exact Shapley), pooled.

    Over all (pair, feature) cells: Pearson :math:`r`, mean absolute error and root mean
    squared error, :math:`\mathrm{RMSE} = \sqrt{\tfrac{1}{nd}\sum_{r,i}(a_{ri}-\phi_{ri})^2}`.
    """
    A = np.asarray(attributions, dtype=np.float64)
    R = np.asarray(reference, dtype=np.float64)
    if A.shape != R.shape or A.ndim != 2 or A.size < 2:
        raise ValueError(f"attributions {A.shape} and reference {R.shape} must be equal "
                         "(n, d) arrays")
    diff = A - R
    return {"pearson": float(np.corrcoef(A.ravel(), R.ravel())[0, 1]),
            "mae": float(np.abs(diff).mean()),
            "rmse": float(np.sqrt((diff ** 2).mean()))}


def time_per_explanation(explain: Callable[[np.ndarray], Any], X: np.ndarray,
                         repeats: int = 1) -> float:
    """Wall time in milliseconds per explained row: mean over ``repeats`` calls / ``len(X)``.

    Call ``explain`` once beforehand so one-off work (graph tracing) is not counted.
    """
    if len(X) == 0 or repeats < 1:
        raise ValueError("need at least one row and one repeat")
    start = time.perf_counter()
    for _ in range(repeats):
        explain(X)
    return 1000.0 * (time.perf_counter() - start) / (repeats * len(X))


@dataclass(frozen=True)
class DocumentLoopReport:
    """What happens when document 003's training loop (section 5.2.4) is run.

    Attributes
    ----------
    as_written_error
        The error raised by the loop exactly as listed: ``loss + explainer_loss`` is
        computed *outside* the ``GradientTape`` block, so the tape never saw the sum and
        every gradient is ``None``.
    recommender_weight_change, explainer_weight_change
        Largest absolute change of any weight after the loop, with the sum moved inside
        the tape (the smallest fix). The explainer's stays exactly 0: its variables are
        not in the list the gradient is taken for.
    explainer_output_shape
        Shape of ``explainer(x)`` for a batch: one sigmoid score per pair, not one
        attribution per feature.
    n_features
        How many numbers an explanation would need (one per feature).
    two_argument_call_error
        The error raised by the listing's ``model(user, item)`` call.
    """

    as_written_error: str
    recommender_weight_change: float
    explainer_weight_change: float
    explainer_output_shape: tuple[int, ...]
    n_features: int
    two_argument_call_error: str


def _first_line(err: Exception) -> str:
    return f"{type(err).__name__}: {str(err).splitlines()[0][:160]}"


def document_listing_loop(X: np.ndarray, y: np.ndarray, *, steps: int = 20,
                          batch_size: int = 128, seed: int = 0) -> DocumentLoopReport:
    """Run the loop of document 003 (5.2.3-5.2.4) as written, then minimally fixed.

    Features are concatenated into one input (the listing's ``model(user, item)`` is not
    a valid Keras call). The undefined ``compute_loss`` is read as binary cross-entropy
    and ``compute_explainer_loss`` as the mean squared difference of the two outputs.
    The gradient is taken, as in the listing, for ``model.trainable_variables`` only.
    """
    import keras  # noqa: PLC0415
    import tensorflow as tf  # noqa: PLC0415

    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32).reshape(-1, 1)
    if X.ndim != 2 or len(X) < batch_size or len(y) != len(X) or steps < 1:
        raise ValueError(f"X must be (n, d) with n >= batch_size={batch_size}, one label per "
                         f"row and steps >= 1; got X {X.shape}, y {y.shape}, steps={steps}")
    keras.utils.set_random_seed(seed)
    X = (X - X.mean(0)) / (X.std(0) + 1e-6)

    def doc_net() -> Any:  # 5.2.2 and 5.2.3 build the same network twice
        return keras.Sequential([
            keras.Input((X.shape[1],)),
            keras.layers.Dense(128, activation="relu"), keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1, activation="sigmoid"),
        ])

    model, explainer = doc_net(), doc_net()
    try:
        model(X[:4], X[:4])  # the listing's model(user, item)
        call_error = "no error"
    except Exception as err:  # noqa: BLE001 - we report whatever Keras raises
        call_error = _first_line(err)
    before_m = [w.numpy().copy() for w in model.trainable_variables]
    before_e = [w.numpy().copy() for w in explainer.trainable_variables]
    optimizer = keras.optimizers.Adam(learning_rate=0.001)
    bce, mse = keras.losses.BinaryCrossentropy(), keras.losses.MeanSquaredError()
    rng = np.random.default_rng(seed)

    def one_step(idx: np.ndarray, sum_inside_tape: bool) -> None:
        with tf.GradientTape() as tape:
            logits = model(X[idx])
            explainer_logits = explainer(X[idx])
            loss = bce(y[idx], logits)
            explainer_loss = mse(logits, explainer_logits)
            if sum_inside_tape:
                total = loss + explainer_loss
        if not sum_inside_tape:
            total = loss + explainer_loss  # as listed: the sum happens after the tape closed
        grads = tape.gradient(total, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))

    try:
        one_step(rng.choice(len(X), batch_size, replace=False), sum_inside_tape=False)
        as_written = "no error"
    except Exception as err:  # noqa: BLE001
        as_written = _first_line(err)
    for _ in range(steps):
        one_step(rng.choice(len(X), batch_size, replace=False), sum_inside_tape=True)

    def change(before: list[np.ndarray], variables: list[Any]) -> float:
        return float(max(np.abs(v.numpy() - b).max() for v, b in zip(variables, before)))

    return DocumentLoopReport(as_written, change(before_m, model.trainable_variables),
                              change(before_e, explainer.trainable_variables),
                              tuple(explainer(X[:batch_size]).shape), X.shape[1], call_error)


def shopper_contributions(attributions: np.ndarray, values: np.ndarray,
                          phrase: Callable[[str, float], str],
                          feature_names: tuple[str, ...]) -> list[tuple[str, float]]:
    """Pair each feature's plain-words phrase with its attribution, for one recommendation.

    Returns
    -------
    list of (phrase, contribution)
        In feature order; pass it to
        :func:`ecomxai.viz.explanation_text.shopper_explanation`.
    """
    a = np.asarray(attributions, dtype=np.float64).ravel()
    v = np.asarray(values, dtype=np.float64).ravel()
    if not (a.shape == v.shape == (len(feature_names),)):
        raise ValueError(f"attributions {a.shape} and values {v.shape} must both have one "
                         f"entry per feature ({len(feature_names)})")
    return [(phrase(name, float(x)), float(c)) for name, x, c in zip(feature_names, v, a)]
