r"""Sanity checks for explanations: model-parameter randomisation (Adebayo et al., 2018).

An explanation of a *trained* model should depend on what the model learned. Replace the
learned weights by random ones and a faithful explanation must change; if it does not, it
was describing the input (or the architecture), not the model :cite:`adebayo2018sanity`.
With :math:`\Phi` the explanation of the trained model and :math:`\Phi^{(l)}` that of the
model whose layers down to :math:`l` were re-initialised,

.. math::

   s_l = \frac1n\sum_{r=1}^n \rho_s\bigl(|\Phi(x_r)|,\ |\Phi^{(l)}(x_r)|\bigr),

the mean Spearman rank correlation of the attribution magnitudes (SSIM is an image
measure; ranks serve features, items and tokens alike). Two schedules:

* **cascading**: randomise the top (output) layer, then also the next one down, ... until
  every layer is random; :math:`s_l` should fall towards 0 as the cascade proceeds;
* **independent**: randomise one layer at a time, the others trained.

**Pass/fail rule.** A method *passes* when the similarity after the full cascade (every
listed layer random) is below a threshold :math:`\tau` (0.5 by default):

.. math::

   \text{pass} \iff s_{\text{all}} < \tau .

The rule is one-sided on purpose: a low similarity is necessary for a faithful
explanation, not sufficient (a random attribution "passes" too), so the sanity check is
read together with faithfulness. Everything framework-specific -- cloning a Keras or
PyTorch model, re-initialising its layers, recomputing the explanation -- lives in the
caller's ``explain_randomised`` callable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal, Sequence

import numpy as np

from ecomxai.evaluate.stability import rank_correlation, top_k_overlap
from ecomxai.validation import InputError, check_array, check_callable, check_float, check_int


__all__ = [
    "DEFAULT_THRESHOLD",
    "SanityResult",
    "randomisation_similarity",
    "cascading_randomisation",
    "independent_randomisation",
    "passes_sanity_check",
]

#: Default :math:`\tau`: a fully randomised model's explanation must keep less than half
#: of the trained model's ranking.
DEFAULT_THRESHOLD = 0.5

#: ``explain_randomised(layers)`` returns the ``(n, ...)`` attributions of the model whose
#: listed layers were re-initialised (``()`` = the trained model).
RandomisedExplainer = Callable[[Sequence[str]], np.ndarray]


def randomisation_similarity(original: np.ndarray, randomised: np.ndarray, *, k: int = 3
                             ) -> tuple[float, float]:
    r"""Mean Spearman :math:`\rho_s(|\Phi|, |\Phi^{rand}|)` and mean top-``k`` overlap.

    Both arrays are ``(n, ...)`` attributions of the same ``n`` inputs.
    """
    A = check_array(original, "original", min_rows=0)
    B = check_array(randomised, "randomised (what explain_randomised returned)", min_rows=0)
    k = check_int(k, "k")
    if A.shape != B.shape or A.ndim < 2 or A.shape[0] == 0:
        raise InputError(
            f"original {A.shape} and randomised {B.shape} attributions must be equal "
            "(n, ...) stacks; explain the same inputs before and after randomising"
        )
    A, B = A.reshape(len(A), -1), B.reshape(len(B), -1)
    kk = int(min(k, A.shape[1]))
    rho = [rank_correlation(a, b, absolute=True) for a, b in zip(A, B)]
    top = [top_k_overlap(a, b, kk, absolute=True) for a, b in zip(A, B)]
    return float(np.mean(rho)), float(np.mean(top))


def passes_sanity_check(similarity: float, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """The pass/fail rule: similarity to the fully randomised model below ``threshold``."""
    similarity = check_float(similarity, "similarity")
    threshold = check_float(threshold, "threshold", minimum=-1.0, maximum=1.0)
    return bool(similarity < threshold)


@dataclass(frozen=True)
class SanityResult:
    """Similarity of explanations before and after randomising layers.

    ``layers[j]`` names the step: for a cascade, every layer from the top down to and
    including ``layers[j]`` is random; for the independent schedule, only ``layers[j]``.
    ``final_similarity`` is the rank correlation with every layer random (cascade) or the
    largest single-layer one (independent); ``passed`` applies the threshold to it.
    """

    mode: Literal["cascading", "independent"]
    layers: tuple[str, ...]
    rank_correlation: np.ndarray
    top_k_overlap: np.ndarray
    final_similarity: float
    threshold: float
    passed: bool
    k: int = field(default=3)

    def as_dict(self) -> dict[str, object]:
        """Plain JSON-ready dictionary (rounded to 4 decimals)."""
        return {
            "mode": self.mode,
            "layers": list(self.layers),
            "rank_correlation": [round(float(v), 4) for v in self.rank_correlation],
            "top_k_overlap": [round(float(v), 4) for v in self.top_k_overlap],
            "final_similarity": round(self.final_similarity, 4),
            "threshold": self.threshold,
            "passed": self.passed,
            "k": self.k,
        }


def _run(mode: Literal["cascading", "independent"], explain_randomised: RandomisedExplainer,
         layers: Sequence[str], original: np.ndarray | None, k: int,
         threshold: float) -> SanityResult:
    check_callable(explain_randomised, "explain_randomised")
    k = check_int(k, "k")
    threshold = check_float(threshold, "threshold", minimum=-1.0, maximum=1.0)
    if isinstance(layers, str):
        raise InputError(f"layers must be a list of layer names, got the string {layers!r}; "
                         f"write [{layers!r}]")
    names = tuple(str(layer) for layer in layers)
    if not names:
        raise InputError("list at least one layer to randomise (output layer first)")
    if len(set(names)) != len(names):
        raise InputError(f"layer names must be unique, got {names}")
    base = check_array(explain_randomised(()) if original is None else original, "original",
                       min_rows=0)
    rhos, tops = [], []
    for j, name in enumerate(names):
        which = names[:j + 1] if mode == "cascading" else (name,)
        rho, top = randomisation_similarity(base, explain_randomised(which), k=k)
        rhos.append(rho)
        tops.append(top)
    final = rhos[-1] if mode == "cascading" else max(rhos)
    return SanityResult(mode, names, np.array(rhos), np.array(tops), float(final),
                        float(threshold), passes_sanity_check(final, threshold), int(k))


def cascading_randomisation(explain_randomised: RandomisedExplainer, layers: Sequence[str], *,
                            original: np.ndarray | None = None, k: int = 3,
                            threshold: float = DEFAULT_THRESHOLD) -> SanityResult:
    r"""Cascading model-parameter randomisation, top layer first.

    Parameters
    ----------
    explain_randomised
        ``explain_randomised(layers) -> (n, ...)`` attributions of the same inputs after
        re-initialising the named layers of a *copy* of the trained model; called with
        ``()`` for the trained model unless ``original`` is given.
    layers
        Layer names from the output down to the input.
    original
        Attributions of the trained model (saves one call).
    k, threshold
        Top-``k`` size for the overlap; :math:`\tau` of the pass/fail rule.
    """
    return _run("cascading", explain_randomised, layers, original, k, threshold)


def independent_randomisation(explain_randomised: RandomisedExplainer, layers: Sequence[str], *,
                              original: np.ndarray | None = None, k: int = 3,
                              threshold: float = DEFAULT_THRESHOLD) -> SanityResult:
    """Randomise one layer at a time (the others keep their trained weights).

    Same arguments as :func:`cascading_randomisation`; ``passed`` asks that *every*
    single-layer randomisation changes the explanation (the largest similarity is below
    the threshold), a stricter reading that flags layers an explanation ignores.
    """
    return _run("independent", explain_randomised, layers, original, k, threshold)
