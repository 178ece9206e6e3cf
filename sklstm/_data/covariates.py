"""Future-known covariates (``future_features``): the layout and its checks.

Some inputs are known over the forecast period itself: the calendar, a
weather forecast, a planned price. With ``future_features`` an input window
spans the input steps *and* the forecast period: ``X`` has shape ``(n,
n_steps_in + n_steps_out, features)`` and, in its last ``n_steps_out``
steps, only the future features are read; every other feature there is
never read (NaN is the natural filler, as :func:`sklstm.make_windows` with
``future_columns`` leaves it). One array still carries everything, so
``Pipeline``, ``GridSearchCV``, ``cross_val_score`` and the conformal
forecaster keep working unchanged.

In the model's units (:mod:`sklstm._data.units`) the forecast period of the
other features is 0, the future features keep their own level (window
normalization leaves them unshifted and unscaled: a temperature of 35 means
the same whatever yesterday's was; standardization still applies), and the
network reads the forecast period through its own path
(:mod:`sklstm._model.builders`); the linear path sees every value of the
window, the forecast period's covariates included.
"""

import numpy as np

__all__ = [
    "check_not_target",
    "clear_unread",
    "fill_unread",
    "keep_level",
    "past_steps",
    "resolve",
    "split_check",
]


def resolve(future_features, n_features, n_out, n_steps):
    """Check ``future_features`` for a fit; return them sorted, or None.

    Parameters
    ----------
    future_features : int, list of int or None
        The estimator's parameter.
    n_features, n_steps : int
        Features and timesteps of one input window.
    n_out : int
        Forecast steps: the window's last ``n_out`` steps are the forecast
        period.

    Returns
    -------
    future : ndarray of int or None
    """
    if future_features is None:
        return None
    idx = np.atleast_1d(np.asarray(future_features))
    if idx.ndim != 1 or idx.size == 0 or not np.issubdtype(idx.dtype, np.integer):
        raise TypeError(
            f"future_features must be an int or a non-empty list of ints, got "
            f"{future_features!r}."
        )
    if np.any(idx < -n_features) or np.any(idx >= n_features):
        raise ValueError(
            f"future_features={future_features!r} is out of range for inputs "
            f"with {n_features} features; use indices from 0 to "
            f"{n_features - 1}."
        )
    if n_steps <= n_out:
        raise ValueError(
            f"with future_features, X's windows span the input steps and the "
            f"{n_out} forecast steps, but they have {n_steps} timesteps; pass "
            f"windows of n_steps_in + {n_out} steps, e.g. from "
            "make_windows(..., future_columns=[...])."
        )
    return np.unique(idx % n_features)


def check_not_target(future_features, future, target_index):
    """Refuse a future feature that a target continues (its future is the
    forecast, not an input)."""
    if future is None or target_index is None:
        return
    clash = np.intersect1d(target_index, future).tolist()
    if clash:
        raise ValueError(
            f"future_features={future_features!r} holds feature(s) {clash}, "
            "which the target continues: its future is what is forecast, "
            "not an input. Remove them from future_features (or set "
            "target_feature_index to the target's own feature)."
        )


def keep_level(loc, scale, future):
    """Window statistics that leave the future features as they are."""
    if future is not None:
        loc[..., future] = 0.0
        if scale is not None:
            scale[..., future] = 1.0
    return loc, scale


def past_steps(X, future, n_out):
    """The input steps of windows ``X``: all of them without future features."""
    return X if future is None else X[:, :-n_out]


def split_check(X, future, n_out, *, copy):
    """Refuse missing or infinite values where the model reads them; return
    ``X`` with the unread values zeroed (a copy if ``copy``).

    Every value of the input steps, and the future features' values over
    the forecast period, must be finite; the other features' forecast
    period is never read (NaN there is expected).
    """
    if future is None:
        return X  # check_sequences already refused every non-finite value
    if not np.isfinite(past_steps(X, future, n_out)).all():
        raise ValueError(
            "X holds NaN or infinite values in its input steps; every value "
            "before the forecast period must be finite. Fill or drop those "
            "windows (e.g. with pandas' interpolate) before fitting."
        )
    bad = ~np.isfinite(X[:, -n_out:, future])
    if bad.any():
        window, step, j = np.argwhere(bad)[0]
        raise ValueError(
            f"future feature {int(future[j])} is missing (NaN or infinite) in "
            f"the forecast period of window {int(window)}, step {int(step)}: "
            "future_features must be known for every forecast step. Fill "
            "them (a calendar, a weather forecast) or drop the feature from "
            "future_features."
        )
    return clear_unread(X.copy() if copy else X, future, n_out)


def fill_unread(X, future, n_out, value):
    """Set the forecast period of every feature not known ahead to ``value``,
    in place (NaN where windows are cut, 0 in the model's units)."""
    if future is not None:
        unread = np.setdiff1d(np.arange(X.shape[2]), future)
        X[:, -n_out:, unread] = value
    return X


def clear_unread(X, future, n_out):
    """Zero the forecast period of every feature that is not known ahead."""
    return fill_unread(X, future, n_out, 0.0)
