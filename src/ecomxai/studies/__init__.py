"""Case studies: the pipelines that combine models, explanations, evaluation and figures.

The top layer of :mod:`ecomxai`. One module per case study of the book; notebooks and
``benchmarks/`` call the same functions. The studies take models through the small
protocols of :mod:`ecomxai.studies.protocols`, so a reader can pass their own.

========================================  ===================================================
:mod:`ecomxai.studies.sales`              explaining the sales-prediction MLP (document 000)
:mod:`ecomxai.studies.recommender`        why was this item recommended? (document 001)
:mod:`ecomxai.studies.reviews`            token attributions of a BERT classifier, search (002)
:mod:`ecomxai.studies.explainer_network`  an explainer network trained with the model (003)
:mod:`ecomxai.studies.protocols`          what the studies need of your model
========================================  ===================================================

Import from the modules, e.g.
``from ecomxai.studies.recommender import explain_recommendation``.
"""
