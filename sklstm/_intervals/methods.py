"""The two conformal methods: their scores, their corrections and their bounds.

``"split"`` (split conformal, Lei et al., 2018) scores a calibration window
by the absolute residual of the point forecast and centres an interval of
half-width ``q`` on it. ``"cqr"`` (conformalized quantile regression, Romano,
Patterson and Candès, 2019) starts from the estimator's own quantile forecast
of the central interval at level ``L``, levels ``(1 - L) / 2`` and
``(1 + L) / 2``, scores a window by ``max(lower - y, y - upper)`` (negative
inside the interval) and widens both bounds by ``q``, or narrows them when
``q`` is negative: intervals that adapt to the series' own noise, with the
coverage of split conformal. Both take ``q``, per output and level, from
:func:`sklstm._intervals.quantiles.conformal_quantiles`.
"""

import numpy as np
from sklearn.base import clone

from .quantiles import conformal_quantiles, conformity_scores

__all__ = [
    "METHODS",
    "bounds",
    "calibrate",
    "central_quantiles",
    "for_method",
    "scores",
]

#: The values of ``SplitConformalForecaster(method=...)``.
METHODS = ("split", "cqr")


def central_quantiles(levels):
    """The quantile levels of the central intervals at confidence ``levels``.

    Returns
    -------
    pairs : list of (float, float)
        ``((1 - L) / 2, (1 + L) / 2)`` per level, rounded to 12 decimals so
        that 0.9 gives exactly 0.05 and 0.95.

    Examples
    --------
    >>> central_quantiles([0.8, 0.9])
    [(0.1, 0.9), (0.05, 0.95)]
    """
    return [(round(float(1 - L) / 2, 12), round(float(1 + L) / 2, 12)) for L in levels]


def for_method(estimator, method, levels):
    """An unfitted clone of ``estimator`` that ``method`` can calibrate.

    For "cqr" the clone is set to forecast the quantiles of every central
    interval (``loss="quantile"``, ``quantiles=[...]``, as
    :class:`~sklstm.LSTMSeqRegressor` takes them).
    """
    estimator = clone(estimator)
    if method != "cqr":
        return estimator
    if not {"loss", "quantiles"} <= set(estimator.get_params()):
        raise ValueError(
            f"method='cqr' trains quantile forecasts, but {type(estimator).__name__} "
            "has no loss and quantiles parameters; wrap an LSTMSeqRegressor, or "
            "use method='split' for any point forecaster."
        )
    wanted = sorted({q for pair in central_quantiles(levels) for q in pair})
    return estimator.set_params(loss="quantile", quantiles=wanted)


def _quantile_bounds(estimator, X, levels):
    """Lower and upper quantile forecasts: two arrays ``(n, ..., n_levels)``."""
    if not hasattr(estimator, "predict_quantiles"):
        raise ValueError(
            f"method='cqr' needs quantile forecasts, but {type(estimator).__name__} "
            "has no predict_quantiles; wrap an LSTMSeqRegressor fitted with "
            "loss='quantile', or use method='split'."
        )
    pairs = central_quantiles(levels)
    fitted = getattr(estimator, "quantiles_", None)
    fitted = [] if fitted is None else [float(q) for q in fitted]
    wanted = sorted({q for pair in pairs for q in pair})
    missing = [q for q in wanted if not np.isclose(fitted, q).any()]
    if missing:
        raise ValueError(
            f"method='cqr' at confidence_level={[float(L) for L in levels]} needs "
            f"the quantiles {wanted}, but the estimator forecasts {fitted} (not "
            f"{missing}); refit it with loss='quantile', quantiles={wanted}, or "
            "pass prefit=False to let fit train it."
        )
    # One forward pass for both bounds: the lower levels, then the upper ones.
    levels_asked = [lo for lo, _ in pairs] + [hi for _, hi in pairs]
    both = np.asarray(estimator.predict_quantiles(X, levels_asked), np.float64)
    return both[..., : len(pairs)], both[..., len(pairs) :]


def _per_sample(scale, ndim):
    """``scale`` of shape (n,) broadcastable against an ``ndim`` array."""
    return 1.0 if scale is None else scale.reshape((-1,) + (1,) * (ndim - 1))


def scores(method, estimator, X, y, y_pred, levels, scale=None):
    """The conformity scores of ``method``, divided by each window's ``scale``.

    Returns ``(n, n_outputs)`` for "split" and ``(n_levels, n, n_outputs)``
    for "cqr", whose scores depend on the level.
    """
    if method == "split":
        return conformity_scores(y, y_pred) / _per_sample(scale, 2)
    lower, upper = _quantile_bounds(estimator, X, levels)
    shape = y.shape + (len(levels),)
    y = y[..., np.newaxis]
    signed = np.maximum(lower.reshape(shape) - y, y - upper.reshape(shape))
    signed = signed / _per_sample(scale, signed.ndim)
    out = conformity_scores(np.moveaxis(signed, -1, 0), signed=True)
    return out.reshape(len(levels), len(y), -1)


def calibrate(method, estimator, X, y, y_pred, levels, scale=None):
    """Conformity scores and per-output corrections of ``method``.

    Parameters
    ----------
    y, y_pred : ndarray
        Calibration targets and point forecasts, of one shape.
    scale : ndarray of shape (n,) or None, default=None
        Each window's scale, which divides its scores (scale-aware scores).

    Returns
    -------
    scores : ndarray
        ``(n, n_outputs)`` for "split"; ``(n_levels, n, n_outputs)`` for
        "cqr", whose scores depend on the level.
    corrections : ndarray of shape (n_levels, n_outputs)
        The half-widths ("split") or the widening of both bounds ("cqr").
    """
    found = scores(method, estimator, X, y, y_pred, levels, scale)
    if method == "split":
        return found, conformal_quantiles(found, levels)
    corrections = [conformal_quantiles(s, [lv])[0] for s, lv in zip(found, levels)]
    return found, np.stack(corrections)


def bounds(method, estimator, X, y_pred, corrections, levels, scale=None):
    """Lower and upper bounds ``y_pred.shape + (2, n_levels)`` at ``levels``.

    ``corrections`` has shape ``(n_levels,) + target_shape``; with ``scale``
    (shape ``(n,)``) each window's corrections are multiplied by its own.
    """
    widen = np.moveaxis(corrections, 0, -1)  # target_shape + (n_levels,)
    widen = widen * _per_sample(scale, y_pred.ndim + 1)
    if method == "split":
        center = y_pred[..., np.newaxis]
        return np.stack([center - widen, center + widen], axis=-2)
    lower, upper = _quantile_bounds(estimator, X, levels)
    shape = y_pred.shape + (len(levels),)
    lower, upper = lower.reshape(shape), upper.reshape(shape)
    return np.stack([lower - widen, upper + widen], axis=-2)
