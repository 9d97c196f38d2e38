"""Reference implementations of the five documents' formulas, each with a numeric check.

One module per topic (and per source document):

* :mod:`~ecomxai.formulas.linear` -- linear model, loss, gradient, the ω_i formula (000);
* :mod:`~ecomxai.formulas.recommend` -- embeddings, softmax over candidates, Top-K, the
  张三/李四 example (001);
* :mod:`~ecomxai.formulas.attention` -- Q/K/V projections, scaled dot-product attention,
  the chain rule (002);
* :mod:`~ecomxai.formulas.dnn` -- dense layer, ReLU, cross-entropy, the worked DNN
  example (003);
* :mod:`~ecomxai.formulas.backprop` -- forward/back-propagation, the weight update (004).

Each module has a ``*_checks()`` function returning
:class:`~ecomxai.formulas.records.FormulaCheck` records: our value against an independent
reference (scikit-learn, SciPy, PyTorch, finite differences, exact arithmetic).
:func:`all_checks` runs them all.
"""

from __future__ import annotations

from ecomxai.formulas.records import (Erratum, ErrataLog, FormulaCheck, checks_table, compare,
                                      formulas_passing)

__all__ = ["FormulaCheck", "compare", "checks_table", "formulas_passing", "Erratum", "ErrataLog",
           "all_checks"]


def all_checks(seed: int = 0) -> list[FormulaCheck]:
    """Every formula check of every document, in document order."""
    from ecomxai.formulas import attention, backprop, dnn, linear, recommend  # noqa: PLC0415

    return (linear.linear_checks(seed) + recommend.recommender_checks(seed)
            + attention.attention_checks(seed) + dnn.dnn_checks(seed)
            + backprop.backprop_checks(seed))
