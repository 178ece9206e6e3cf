"""Scale-aware conformity scores: each window's own spread.

With ``conformity_score="scaled"`` a calibration window is scored by its
residual divided by the window's **spread**: the mean absolute change from
one step to the next over its input steps, of the feature(s) the target
continues (the in-window error of the naive forecast, the scale of MASE,
Hyndman and Koehler 2006). An interval is then the calibrated quantile of
those relative scores times the new window's own spread: a season or a
noise that grows with the series widens the intervals with it, and a quiet
stretch narrows them, where absolute residuals would keep one width for
all (normalized conformity scores, Papadopoulos et al. 2008; Lei et al.
2018, section 5.2).

The spread is read from ``X`` as the estimator takes it: a 2-D ``X`` is one
sequence per row; a 3-D ``X`` is ``(n, timesteps, features)``, whose target
features are those ``target_feature_index_`` names (all of them when the
estimator does not say) and whose forecast period (``future_features_``)
is left out. A spread below :data:`FLOOR` times the calibration windows'
median spread (a flat window) counts as that floor, so that no interval
collapses to a point.
"""

import numpy as np
from sklearn.pipeline import Pipeline

__all__ = ["FLOOR", "SCORES", "floor", "floored", "spreads"]

#: The values of ``SplitConformalForecaster(conformity_score=...)``.
SCORES = ("absolute", "scaled")

#: The smallest spread, as a fraction of the calibration windows' median.
FLOOR = 0.1


def _final(estimator):
    return estimator[-1] if isinstance(estimator, Pipeline) else estimator


def spreads(estimator, X):
    """Each window's spread, shape ``(n,)``: NaN where it has none.

    Parameters
    ----------
    estimator : estimator object
        The fitted estimator that forecasts ``X`` (its
        ``target_feature_index_``, ``future_features_`` and
        ``output_shape_`` are read when it has them).
    X : array-like of shape (n, timesteps) or (n, timesteps, features)
        Input windows.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 3:
        X = X.reshape(len(X), -1, 1)
    final = _final(estimator)
    index = getattr(final, "target_feature_index_", None)
    if index is not None and X.shape[2] > max(index):
        X = X[:, :, np.unique(index)]
    if getattr(final, "future_features_", None) is not None:
        X = X[:, : -final.output_shape_[0]]
    changes = np.abs(np.diff(X, axis=1)).reshape(len(X), -1)
    known = np.isfinite(changes)  # the forecast period of a 2-D X is NaN
    count = known.sum(axis=1)
    total = np.where(known, changes, 0.0).sum(axis=1)
    return np.divide(total, count, out=np.full(len(X), np.nan), where=count > 0)


def floor(calibration_spreads):
    """The smallest spread a window counts with: ``FLOOR`` x the median."""
    finite = calibration_spreads[np.isfinite(calibration_spreads)]
    median = float(np.median(finite)) if finite.size else 0.0
    return FLOOR * median if median > 0 else 1.0


def floored(values, low):
    """``values`` with NaN and anything below ``low`` set to ``low``."""
    return np.where(np.isfinite(values) & (values > low), values, low)
