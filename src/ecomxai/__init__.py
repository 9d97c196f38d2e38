"""ecomxai: explainability of large models in e-commerce search and recommendation.

The package behind the executable book. Data flows one way,
``data -> models -> explain -> evaluate -> viz``; imports run the other way round:
:mod:`ecomxai.explain`, :mod:`ecomxai.evaluate` and :mod:`ecomxai.viz` import no model and
no data set, so they work on your own models. :mod:`ecomxai.studies` sits on top: the case
studies' pipelines, which take your models through small protocols
(:mod:`ecomxai.studies.protocols`). import-linter holds these layers (``make lint-imports``).

Importing the package makes the process offline and quiet (see
:func:`ecomxai.runtime.configure_environment`) before TensorFlow or ``transformers`` load.
"""

from ecomxai.runtime import configure_environment as _configure_environment

_configure_environment()

from ecomxai.runtime import seed_everything  # noqa: E402

__version__ = "0.1.0"
__all__ = ["seed_everything", "__version__"]
