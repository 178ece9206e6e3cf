"""Standardization of sequences inside the estimator (``standardize=True``).

Inputs are centred and scaled per feature, over samples and timesteps;
targets per output feature, over samples and output steps, so that the
relation between the steps of a forecast is kept. Predictions are mapped
back to the original units.
"""

import numpy as np

__all__ = ["STATISTICS", "fit_stats", "owned", "scale", "standardizes", "unscale"]

#: The fitted attributes that hold the standardization statistics, in the
#: order :func:`fit_stats` of the inputs, then of the targets, returns them.
STATISTICS = ("x_mean_", "x_scale_", "y_mean_", "y_scale_")


def fit_stats(a):
    """Return float32 ``(mean, std)`` of ``a`` over all axes but the last.

    A constant feature gets a standard deviation of 1, so it is only centred.
    """
    axes = tuple(range(a.ndim - 1))
    mean = a.mean(axis=axes, dtype=np.float64)
    std = a.std(axis=axes, dtype=np.float64)
    std[~(std > np.finfo(np.float32).tiny)] = 1.0
    return mean.astype(np.float32), std.astype(np.float32)


def scale(a, mean, std, *, inplace=False):
    """Return ``(a - mean) / std`` as float32, in ``a``'s memory if ``inplace``."""
    out = a if inplace else np.empty_like(a, dtype=np.float32)
    np.subtract(a, mean, out=out)
    np.divide(out, std, out=out)
    return out


def unscale(a, mean, std):
    """Map standardized values back: ``a * std + mean``."""
    return a * std + mean


_SATURATING = {"tanh", "sigmoid", "hard_sigmoid", "softsign"}


def standardizes(est, window_method=None):
    """Whether a fit of ``est`` standardizes X and y (resolves "auto").

    "auto" standardizes for saturating activations, which need inputs of
    order one, and whenever windows are normalized (``window_method`` is not
    None): shifted windows no longer need unscaled positive values to
    extrapolate, which is what kept unbounded activations unscaled.
    """
    if est.standardize == "auto":
        return est.activation in _SATURATING or window_method is not None
    return bool(est.standardize)


def owned(X, X_in):
    """Whether validation copied ``X_in`` into ``X``, so X may be overwritten."""
    return isinstance(X_in, np.ndarray) and not np.shares_memory(X, X_in)
