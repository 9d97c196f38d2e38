"""Small records shared by the formula checks: one numeric check, one demonstrated erratum."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["FormulaCheck", "compare", "checks_table", "formulas_passing", "Erratum", "ErrataLog"]


@dataclass(frozen=True)
class FormulaCheck:
    """A formula of a document, computed by :mod:`ecomxai.formulas` and compared with an
    independent reference (a library, finite differences, exact arithmetic).

    Attributes
    ----------
    document
        Source document, ``"000"`` ... ``"004"``.
    label
        MyST equation label of the formula in the chapter "The mathematics, checked".
    formula
        Short name of what was checked.
    reference
        What the value was compared with.
    max_abs_error
        Largest absolute difference between ours and the reference.
    tol
        The check passes when ``max_abs_error <= tol``.
    """

    document: str
    label: str
    formula: str
    reference: str
    max_abs_error: float
    tol: float

    @property
    def passed(self) -> bool:
        """Whether ours agrees with the reference within ``tol``."""
        return bool(np.isfinite(self.max_abs_error) and self.max_abs_error <= self.tol)


def compare(document: str, label: str, formula: str, ours: object, reference_value: object,
            reference: str, tol: float = 1e-10) -> FormulaCheck:
    """Build a :class:`FormulaCheck` from two arrays (or scalars) of the same shape."""
    a = np.asarray(ours, dtype=np.float64)
    b = np.asarray(reference_value, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"{formula}: ours has shape {a.shape}, the reference {b.shape}")
    err = float(np.max(np.abs(a - b))) if a.size else 0.0
    return FormulaCheck(document, label, formula, reference, err, tol)


def checks_table(checks: list[FormulaCheck]) -> pd.DataFrame:
    """One row per check: document, equation label, formula, reference, error, tolerance,
    passed."""
    return pd.DataFrame([{"doc": c.document, "label": c.label, "formula": c.formula,
                          "reference": c.reference,
                          "max_abs_error": c.max_abs_error, "tol": c.tol, "passed": c.passed}
                         for c in checks])


@dataclass(frozen=True)
class Erratum:
    """An error of a source document and whether a computation demonstrated it."""

    key: str          # e.g. "003-dnn-sum"; the notebook section label is "errata-<key>"
    document: str
    says: str
    correct: str
    demonstrated: bool


def formulas_passing(checks: list[FormulaCheck]) -> int:
    """Number of distinct formulas (equation labels) all of whose checks pass."""
    labels: dict[str, bool] = {}
    for c in checks:
        labels[c.label] = labels.get(c.label, True) and c.passed
    return sum(labels.values())


@dataclass
class ErrataLog:
    """Collects the errata a notebook demonstrates, in order."""

    entries: list[Erratum] = field(default_factory=list)

    def add(self, key: str, document: str, says: str, correct: str,
            demonstrated: bool) -> Erratum:
        """Record one erratum; ``demonstrated`` is the outcome of the computation."""
        if any(e.key == key for e in self.entries):
            raise ValueError(f"erratum {key!r} recorded twice")
        self.entries.append(Erratum(key, document, says, correct, bool(demonstrated)))

    @property
    def count(self) -> int:
        """How many errata a computation demonstrated."""
        return sum(e.demonstrated for e in self.entries)

    def table(self) -> pd.DataFrame:
        """All recorded errata as a DataFrame."""
        return pd.DataFrame([vars(e) for e in self.entries])
