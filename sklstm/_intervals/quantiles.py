"""Conformity scores, their finite-sample quantiles and the confidence levels.

Split conformal prediction in its plainest form (Vovk et al., 2005; Lei et
al., 2018): the conformity score of a calibration window is the absolute
residual ``|y - y_pred|`` of every output (horizon step x target feature)
separately, and the half-width of the interval at confidence level ``L`` is
the ``k``-th smallest of the ``n`` scores of that output, with
``k = ceil((n + 1) * L)``: the quantile at level ``ceil((n + 1) * L) / n``,
read "lower", which is the finite-sample correction that gives a coverage of
at least ``L`` for exchangeable data. It exists only when ``k <= n``, that is
for ``n >= L / (1 - L) = ceil(1 / (1 - L)) - 1`` calibration windows.

The arithmetic is exact: a level is read as the decimal it is written as
(``0.9`` is 9/10, as MAPIE reads it), so that ``0.9`` needs exactly 9
calibration windows and not 10 through a rounding of ``1 - 0.9``.

Why not MAPIE's helper: ``mapie.utils._compute_regression_quantile`` computes
the same quantile and does accept 2-D scores along axis 0, but it is private
(its name, module and signature may change in any release) and it would make
MAPIE a runtime dependency for a dozen lines of NumPy; MAPIE's public
estimators refuse targets that are not 1-D ("y should be a 1d array").
"""

import math
from fractions import Fraction
from numbers import Real

import numpy as np

__all__ = [
    "check_calibration_size",
    "check_confidence_levels",
    "conformal_quantiles",
    "conformal_rank",
    "conformity_scores",
    "min_calibration_size",
]


def _exact(level):
    """``level`` as the exact fraction of its shortest decimal spelling."""
    return Fraction(repr(float(level)))


def check_confidence_levels(confidence_level):
    """Return the confidence levels as a 1-D float64 array, in the given order.

    Accepts a float or a 1-D array-like of floats, each strictly between 0
    and 1 and none repeated; raises a ``ValueError`` naming the fix otherwise.
    """
    scalar = isinstance(confidence_level, Real) and not isinstance(
        confidence_level, bool
    )
    try:
        levels = np.asarray(confidence_level, dtype=np.float64)
    except (TypeError, ValueError):
        levels = None
    if levels is None or levels.ndim > 1 or levels.size == 0:
        raise ValueError(
            f"confidence_level must be a float or a non-empty 1-D list of floats, "
            f"got {confidence_level!r}; pass e.g. 0.9 or [0.8, 0.95]."
        )
    levels = levels.reshape(-1)
    bad = [float(v) for v in levels if not 0.0 < v < 1.0]
    if bad:
        raise ValueError(
            f"confidence_level must lie strictly between 0 and 1 (the coverage, "
            f"0.9 for 90%), got {bad if not scalar else bad[0]}; pass levels "
            "such as 0.8, 0.9 or 0.95."
        )
    values, counts = np.unique(levels, return_counts=True)
    if np.any(counts > 1):
        repeated = [float(v) for v in values[counts > 1]]
        raise ValueError(
            f"confidence_level repeats {repeated}; pass each level once, e.g. "
            f"{[float(v) for v in values]}."
        )
    return levels


def conformal_rank(n_calibration, level):
    """The 1-based rank ``k = ceil((n + 1) * level)`` of the conformal score."""
    return math.ceil((n_calibration + 1) * _exact(level))


def min_calibration_size(level):
    """The fewest calibration windows for which ``level`` has a finite quantile.

    The smallest ``n`` with ``ceil((n + 1) * level) <= n``, that is
    ``ceil(level / (1 - level)) = ceil(1 / (1 - level)) - 1``: 4 for 0.8, 9
    for 0.9, 19 for 0.95, 99 for 0.99.
    """
    exact = _exact(level)
    return max(1, math.ceil(exact / (1 - exact)))


def check_calibration_size(n_calibration, levels):
    """Raise a ``ValueError`` if ``n_calibration`` is too small for a level."""
    need = max(min_calibration_size(level) for level in levels)
    if n_calibration < need:
        top = float(max(levels))
        raise ValueError(
            f"{n_calibration} calibration window(s) are too few for "
            f"confidence_level={top}: the finite-sample quantile needs at least "
            f"{need} (ceil(1 / (1 - {top})) - 1). Pass more windows, a larger "
            "calibration_size or a lower confidence_level."
        )


def conformity_scores(y, y_pred=None, *, signed=False):
    """Absolute residuals, flattened per sample: shape (n_samples, n_outputs).

    With ``signed=True``, ``y`` already holds the scores (those of
    conformalized quantile regression, negative inside the interval); they
    are only checked to be finite and flattened.
    """
    y = np.asarray(y, dtype=np.float64)
    if signed:
        scores = y.reshape(len(y), -1)
    else:
        scores = np.abs(y - np.asarray(y_pred, dtype=np.float64)).reshape(len(y), -1)
    if not np.all(np.isfinite(scores)):
        raise ValueError(
            "the estimator predicts NaN or inf on the calibration windows, so "
            "no interval can be calibrated; check its predictions on them (and "
            "the scaling of X) before conformalizing."
        )
    return scores


def conformal_quantiles(scores, levels):
    """Per-output conformal quantiles: shape (n_levels, n_outputs).

    Row ``j`` holds, for every output, the ``conformal_rank(n, levels[j])``-th
    smallest of its ``n`` scores. The caller checks the calibration size first
    (:func:`check_calibration_size`).
    """
    ordered = np.sort(scores, axis=0)
    ranks = [conformal_rank(len(scores), level) for level in levels]
    return ordered[np.asarray(ranks) - 1]
