"""The linear path (``linear_path="ridge"``): a ridge regression beside the network.

The forecast is a linear map of the window plus the network's output, both in
the model's units (window-normalized, then standardized): LSTNet's
autoregressive highway (Lai et al. 2018), solved in closed form. The linear
map is fitted first, by scikit-learn's :class:`~sklearn.linear_model.RidgeCV`
(penalty chosen by efficient leave-one-out over :data:`ALPHAS`); the network
then learns its residuals and starts at zero (``zero_head``), so an untrained
or early-stopped network leaves the ridge forecast.

Its features are the flattened window and, when windows are normalized, each
window's level (its location, standardized): with the level the map can
follow a trend (the window relative to its last value) and still pull a
stationary series back towards its usual level, which the normalized window
alone cannot see. The penalty shrinks the forecast towards the last value.
``linear_path="ridge_window"`` leaves the level out: the map reads the
normalized window alone, so its forecast moves with the window (a window
shifted by c gets a forecast shifted by c; with ``window_scale="mean_abs"``,
one scaled by k a forecast scaled by k). Across many series of different
levels the level says little about any one of them (a global model; see
:ref:`many_series`).
"""

import numpy as np
from sklearn.linear_model import RidgeCV

__all__ = [
    "ALPHAS",
    "FITTED",
    "LINEAR_PATHS",
    "features",
    "fit",
    "predict",
    "reads_level",
]

#: The fitted attributes of the linear path: coefficients, intercepts, the
#: chosen penalty and the statistics that standardize each window's level.
FITTED = (
    "linear_coef_",
    "linear_intercept_",
    "linear_alpha_",
    "level_mean_",
    "level_scale_",
)

#: The values of ``linear_path`` besides None.
LINEAR_PATHS = ("ridge", "ridge_window")

#: Ridge penalties tried by leave-one-out.
ALPHAS = np.logspace(-4, 4, 17)


def reads_level(linear_path):
    """Whether the linear path ``linear_path`` reads each window's level."""
    return linear_path == "ridge"


def features(X, level=None):
    """The linear path's features: the flattened windows, then the levels.

    Parameters
    ----------
    X : ndarray of shape (n, timesteps, features)
        Windows in the model's units.
    level : ndarray of shape (n, 1, features) or None, default=None
        Each window's standardized level (with window normalization).

    Returns
    -------
    Z : ndarray of shape (n, timesteps * features [+ features]), float64
        One float64 array, written once: the ridge regression fits and
        predicts in float64, and on many windows this is the largest array
        a fit makes besides X.
    """
    flat = X.reshape(len(X), -1)
    extra = 0 if level is None else level.shape[-1]
    Z = np.empty((len(X), flat.shape[1] + extra), dtype=np.float64)
    Z[:, : flat.shape[1]] = flat
    if level is not None:
        Z[:, flat.shape[1] :] = level.reshape(len(level), -1)
    return Z


def fit(Z, y, sample_weight=None):
    """Fit the ridge regression; return ``(coef, intercept, alpha)``.

    ``coef`` has shape ``(Z.shape[1], outputs)`` and ``intercept`` shape
    ``(outputs,)``, for the flattened targets ``y.reshape(len(y), -1)``.
    """
    yf = y.reshape(len(y), -1)
    ridge = RidgeCV(alphas=ALPHAS).fit(
        np.asarray(Z, dtype=np.float64),
        np.asarray(yf, dtype=np.float64),
        sample_weight=sample_weight,
    )
    coef = np.asarray(ridge.coef_, dtype=np.float64).reshape(yf.shape[1], -1).T
    intercept = np.asarray(ridge.intercept_, dtype=np.float64).reshape(-1)
    return coef, intercept, float(ridge.alpha_)


def predict(Z, coef, intercept, shape):
    """The linear forecast of features ``Z``, float32, of shape ``(n,) + shape``."""
    out = np.asarray(Z, dtype=np.float64) @ coef + intercept
    return out.astype(np.float32).reshape((len(Z), *shape))
