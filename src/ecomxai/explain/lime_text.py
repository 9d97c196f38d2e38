r"""LIME for token sequences: the ``lime`` package's text explainer, one feature per token.

LIME :cite:`ribeiro2016why` explains one prediction by fitting a weighted linear model
:math:`g(z) = w_0 + \sum_t w_t z_t` to the model's outputs on random perturbations
:math:`z \in \{0, 1\}^T` of the input (:math:`z_t = 0`: token :math:`t` removed),

.. math::

   w = \arg\min_w \sum_{s} \pi(z^{(s)}) \bigl(f(z^{(s)}) - g(z^{(s)})\bigr)^2
       + \lambda \lVert w \rVert^2 ,\qquad
   \pi(z) = \exp\bigl(-d_{\cos}(\mathbf 1, z)^2 / \sigma^2\bigr),

with the cosine distance :math:`d_{\cos}` to the unperturbed input and kernel width
:math:`\sigma`. This adapter hands ``lime.lime_text.LimeTextExplainer`` a text whose
"words" are token *positions* (``p0 p1 ...``), so LIME's features are exactly the
WordPiece tokens the book displays (rather than LIME's own word split), removal means
deletion, and the result lines up with every other token attribution.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

import numpy as np

from ecomxai.explain.token_mask import TokenMask
from ecomxai.validation import check_callable, check_float, check_int

__all__ = ["lime_token_attributions"]

_POSITION = re.compile(r"p(\d+)")


def lime_token_attributions(
    score_fn: Callable[[list[list[int]]], np.ndarray],
    sequence: Sequence[int],
    *,
    fixed: Sequence[bool] | None = None,
    num_samples: int = 200,
    kernel_width: float = 25.0,
    random_state: int = 0,
) -> np.ndarray:
    """LIME weight of every token of one sequence.

    Parameters
    ----------
    score_fn
        Maps a list of id sequences to the probability of the explained class, ``(m,)``.
    sequence
        Token ids of the explained input.
    fixed
        Positions LIME never removes (e.g. ``[CLS]``, ``[SEP]``); they get weight 0.
    num_samples
        Perturbed copies LIME scores (the first is the input itself).
    kernel_width
        Width :math:`\\sigma` of LIME's exponential kernel (the ``lime`` default is 25).
    random_state
        Seed of LIME's perturbations: the same seed gives the same explanation.

    Returns
    -------
    numpy.ndarray
        ``(T,)`` weights; positive means the token raises the class probability.

    Raises
    ------
    ecomxai.validation.InputError
        Empty sequence, a ``fixed`` mask of the wrong length or fixing every position,
        ``num_samples < 2``, a non-positive ``kernel_width``, or a ``score_fn`` that does
        not return one finite number per sequence.
    """
    mask = TokenMask.of(sequence, fixed)
    check_callable(score_fn, "score_fn")
    n_samples = check_int(num_samples, "num_samples", minimum=2)
    width = check_float(kernel_width, "kernel_width", minimum=0.0, strict_min=True)
    seed = check_int(random_state, "random_state", minimum=0)
    from lime.lime_text import LimeTextExplainer  # noqa: PLC0415 - optional heavy import

    def classifier_fn(texts: list[str]) -> np.ndarray:
        batch = [mask.keep_positions(int(m) for m in _POSITION.findall(text)) for text in texts]
        p = mask.score(score_fn, batch)
        return np.column_stack([1.0 - p, p])

    explainer = LimeTextExplainer(class_names=["rest", "explained"], bow=False,
                                  split_expression=r"\s+", mask_string="",
                                  kernel_width=width, feature_selection="none",
                                  random_state=seed)
    text = " ".join(f"p{t}" for t in mask.free)
    explanation = explainer.explain_instance(text, classifier_fn, labels=(1,),
                                             num_features=len(mask.free), num_samples=n_samples)
    weights = np.zeros(len(mask))
    words = explanation.domain_mapper.indexed_string
    for feature, weight in explanation.as_map()[1]:
        weights[int(words.word(feature)[1:])] = weight
    return weights
