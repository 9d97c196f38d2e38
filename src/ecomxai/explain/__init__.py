"""Explanation methods. Framework-agnostic: they import no model and no data set.

Model-agnostic methods take ``f(X: np.ndarray) -> np.ndarray``; gradient methods take a
:class:`ecomxai.explain.adapters.GradientModel` (Keras/TensorFlow or PyTorch adapter).
One method per module; import from the module, e.g.
``from ecomxai.explain.gradients import integrated_gradients``.
"""

__all__: list[str] = []  # import from the modules
