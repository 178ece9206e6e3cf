"""The global RidgeCV of the competitions benchmark, on sklstm's normalized
windows."""

import numpy as np
from sklearn.linear_model import RidgeCV

from sklstm._data.normalization import (
    locations,
    shift_inputs,
    shift_targets,
    unshift_targets,
    window_scales,
)

ALPHAS = np.logspace(-4, 4, 17)


def global_ridge(panel, sample_weight=None):
    """RidgeCV on every series' normalized windows; forecasts from the last ones.

    Each window is taken relative to its last value and divided by its mean
    absolute value with sklstm's own functions (``window_scale="mean_abs"``),
    the target alike, and the forecasts are mapped back per window.
    """
    index = np.array([0])

    def normalized(X):
        loc, scale = locations(X, "last"), window_scales(X, "mean_abs")
        return shift_inputs(X, loc, scale).reshape(len(X), -1), loc, scale

    Z, loc, scale = normalized(panel.X)
    target = shift_targets(panel.y[:, :, np.newaxis], loc, index, scale)
    ridge = RidgeCV(alphas=ALPHAS).fit(Z, target[:, :, 0], sample_weight=sample_weight)
    Z_last, loc_last, scale_last = normalized(panel.X_last)
    pred = ridge.predict(Z_last)[:, :, np.newaxis]
    return unshift_targets(pred, loc_last, index, scale_last)[:, :, 0]
