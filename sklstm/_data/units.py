"""From the user's units to the model's and back.

A fit maps inputs and targets in three reversible steps: window normalization
(:mod:`sklstm._data.normalization`), standardization
(:mod:`sklstm._data.scaling`) with statistics of the shifted windows, and,
with ``linear_path="ridge"``, the linear forecast (:mod:`sklstm._model.linear`)
taken off the targets, which leaves the network the residuals. ``predict``
maps new inputs the same way and its outputs back in reverse order. The
functions take the estimator and read its parameters (in a new fit) or its
fitted attributes (in a continuation or ``predict``); they hold no state of
their own.
"""

import numpy as np

from .._model import linear
from . import covariates as C
from . import validation as V
from .normalization import (
    from_log,
    locations,
    resolve,
    shift_inputs,
    shift_targets,
    to_log,
    unshift_targets,
    window_scales,
)
from .scaling import STATISTICS, fit_stats, owned, scale, standardizes, unscale

__all__ = ["from_model_units", "inputs_to_model_units", "prepare_fit"]

_STATS = STATISTICS
_LINEAR = linear.FITTED


def prepare_fit(est, X, y, sample_weight, *, reuse, split=True):
    """Validate (X, y) and map them into the model's units.

    Parameters
    ----------
    est : LSTMSeqRegressor
        The estimator being fitted.
    X, y, sample_weight : array-like
        As given to ``fit``.
    reuse : bool
        A continuation (warm start, ``partial_fit``): keep the fitted
        normalization and statistics instead of resolving and fitting new ones.
    split : bool, default=True
        Check that ``est.validation_split`` leaves samples on both sides
        (a fit), before anything is fitted; ``initialize`` does not train.

    Returns
    -------
    X, y3, w : ndarray
        Inputs ``(n, timesteps, features)`` and targets ``(n, out_steps,
        out_features)`` in the model's units, float32, and the weights.
    state : dict
        The fitted attributes that describe the data and its mapping.
    targets : ndarray
        The targets in the model's units before the linear path's forecast
        is taken off (``y3`` itself without a linear path): the scale the
        divergence rule judges the network's loss by.
    """
    X_in = X
    future = est.future_features_ if reuse else est.future_features
    X = V.check_sequences(est, X, reset=not reuse, allow_nan=future is not None)
    y3, target_shape = V.check_targets(y, len(X), est.n_target_features)
    X, y3, w = V.check_weights(sample_weight, X, y3)
    if split:  # before anything is fitted
        V.check_split(len(X), est.validation_split)
    if reuse and y3.shape[1:] != est.output_shape_:
        raise ValueError(
            f"y has per-sample shape {y3.shape[1:]} but the fitted model "
            f"predicts {est.output_shape_}; set warm_start=False to fit a new "
            "model."
        )
    n_out = y3.shape[1]
    if not reuse:
        future = C.resolve(future, X.shape[2], n_out, X.shape[1])
    past = C.past_steps(X, future, n_out)
    if reuse:
        window = est.window_normalization_, est.target_feature_index_
        window_scale = est.window_scale_
        stats = tuple(getattr(est, name) for name in _STATS)
        stats = None if stats[0] is None else stats
    else:
        window = resolve(
            est.window_normalization,
            est.target_feature_index,
            past.shape[1:],
            y3.shape[1:],
            past,
            y3,
            known_ahead=future,
        )
        C.check_not_target(est.future_features, future, window[1])
        window_scale = None if window[0] is None else est.window_scale
    X = C.split_check(X, future, n_out, copy=not owned(X, X_in))
    X, loc, sc = _window_inputs(X, X_in, window, window_scale, future, n_out)
    level = None
    if window[0] is not None:
        if window_scale == "log":
            y3 = to_log(y3, "the targets")
        y3 = shift_targets(y3, loc, window[1], sc)
        level = _level(loc, sc)
    if not reuse:
        stats = None
        if standardizes(est, window[0]):
            stats = (*fit_stats(C.past_steps(X, future, n_out)), *fit_stats(y3))
    if stats is not None:
        X = scale(X, *stats[:2], inplace=owned(X, X_in))
        y3 = scale(y3, *stats[2:])
    X = C.clear_unread(X, future, n_out)
    if reuse:
        lin = {name: getattr(est, name, None) for name in _LINEAR}
        with_linear = lin["linear_coef_"] is not None
    else:
        lin = dict.fromkeys(_LINEAR)
        with_linear = est.linear_path is not None
        if level is not None and linear.reads_level(est.linear_path):
            lin["level_mean_"], lin["level_scale_"] = fit_stats(level)
    targets = y3
    if with_linear:
        Z = _features(X, level, lin)  # built once: fitted on, then taken off
        if not reuse:
            coef, intercept, alpha = linear.fit(Z, y3, w)
            lin.update(linear_coef_=coef, linear_intercept_=intercept)
            lin["linear_alpha_"] = alpha
        coef, intercept = lin["linear_coef_"], lin["linear_intercept_"]
        y3 = y3 - linear.predict(Z, coef, intercept, y3.shape[1:])
    state = dict(
        input_shape_=tuple(X.shape[1:]),
        output_shape_=tuple(y3.shape[1:]),
        target_shape_=tuple(target_shape),
        window_normalization_=window[0],
        target_feature_index_=window[1],
        window_scale_=window_scale,
        future_features_=future,
        **dict(zip(_STATS, stats or [None] * 4)),
        **lin,
    )
    return X, y3, w, state, targets


def _log_inputs(X, index, *, inplace):
    """``log1p`` of the input features that the targets continue."""
    return to_log(X, "the inputs' target features", np.unique(index), inplace=inplace)


def _window_inputs(X, X_in, window, window_scale, future, n_out):
    """Inputs relative to their windows; return them, each window's location
    and scale (None without window normalization).

    Location and scale come from the input steps only, and the future-known
    features keep their level (location 0, scale 1); windows of one input
    step are not shifted. With the "log" scale the target features are
    taken in ``log1p`` first. Fit and predict map inputs through this one
    function.
    """
    if window[0] is None:
        return X, None, None
    if window_scale == "log":
        X = _log_inputs(X, window[1], inplace=owned(X, X_in))
    past = C.past_steps(X, future, n_out)
    loc, sc = C.keep_level(
        locations(past, window[0]), window_scales(past, window_scale), future
    )
    if past.shape[1] > 1:
        X = shift_inputs(X, loc, sc, inplace=owned(X, X_in))
    return X, loc, sc


def _level(loc, scale):
    """Each window's level for the linear path: its location, over its scale."""
    return loc if scale is None else loc / scale


def _features(X, level, lin):
    """The linear path's features of windows ``X`` (model units)."""
    if lin["level_mean_"] is None:
        return linear.features(X)
    return linear.features(X, scale(level, lin["level_mean_"], lin["level_scale_"]))


def inputs_to_model_units(est, X):
    """Validate new inputs of a fitted ``est``; return them mapped, and a context.

    The context (each window's location, scale and linear forecast, or
    None) is what :func:`from_model_units` needs to map the predictions back.
    """
    X_in = X
    future, n_out = est.future_features_, est.output_shape_[0]
    X = V.check_sequences(est, X, reset=False, allow_nan=future is not None)
    X = C.split_check(X, future, n_out, copy=not owned(X, X_in))
    window = est.window_normalization_, est.target_feature_index_
    X, loc, sc = _window_inputs(X, X_in, window, est.window_scale_, future, n_out)
    if est.x_mean_ is not None:
        X = scale(X, est.x_mean_, est.x_scale_, inplace=owned(X, X_in))
    X = C.clear_unread(X, future, n_out)
    lin = None
    if est.linear_coef_ is not None:
        lin_state = {name: getattr(est, name) for name in _LINEAR}
        Z = _features(X, _level(loc, sc), lin_state)
        lin = linear.predict(
            Z, est.linear_coef_, est.linear_intercept_, est.output_shape_
        )
    return X, (loc, sc, lin)


def from_model_units(est, y_pred, context):
    """Map the model's outputs back into the target's units.

    Quantile forecasts (a last axis of one output per level) are mapped
    level by level: the shift and the positive scale keep them in order.
    """
    loc, sc, lin = context
    levels = y_pred.ndim == 4
    if levels:  # the levels become the first axis, broadcasting as one target
        y_pred = np.moveaxis(y_pred, -1, 0)
    if lin is not None:
        y_pred = y_pred + lin
    if est.y_mean_ is not None:
        y_pred = unscale(y_pred, est.y_mean_, est.y_scale_)
    if loc is not None:
        y_pred = unshift_targets(y_pred, loc, est.target_feature_index_, sc)
        if est.window_scale_ == "log":
            y_pred = from_log(y_pred)
    return np.moveaxis(y_pred, 0, -1) if levels else y_pred
