"""The fitted attributes of a saved estimator, as plain JSON and back.

:func:`sklstm.save` writes them with :func:`fitted_to_json`;
:func:`sklstm.load` reads them back with :func:`fitted_from_json`, which
checks every type, length and consistency, since the file may come from
anyone.
"""

import math

import numpy as np

from .._data.normalization import METHODS, SCALES
from .._data.scaling import STATISTICS
from .._model.linear import FITTED

__all__ = ["fitted_from_json", "fitted_to_json"]

_SHAPES = ("input_shape_", "output_shape_", "target_shape_")
_SCALING = STATISTICS
_WINDOW = ("window_normalization_", "target_feature_index_")
_WINDOW_SCALE = "window_scale_"
_FUTURE = "future_features_"
# Training facts: int or None (an int or float for the losses).
_TRAINING = (
    "n_iter_",
    "best_epoch_",
    "best_loss_",
    "best_validation_loss_",
    "stopped_epoch_",
    "batch_size_",
    "refit_epochs_",
)
_LOSSES = ("best_loss_", "best_validation_loss_")
# The linear path: arrays (coefficients 2-D) and the penalty, or all None.
_LINEAR = tuple(name for name in FITTED if name != "linear_alpha_")


def fitted_to_json(estimator):
    """Return the fitted attributes of ``estimator`` as plain JSON data."""
    fitted = {
        "history_": {
            str(k): [float(v) for v in vs] for k, vs in estimator.history_.items()
        },
        "n_features_in_": int(estimator.n_features_in_),
    }
    for name in _SHAPES:
        fitted[name] = [int(d) for d in getattr(estimator, name)]
    if hasattr(estimator, "feature_names_in_"):
        fitted["feature_names_in_"] = [str(n) for n in estimator.feature_names_in_]
    for name in _SCALING:
        value = getattr(estimator, name, None)
        fitted[name] = None if value is None else [float(v) for v in value]
    index = estimator.target_feature_index_
    fitted["window_normalization_"] = estimator.window_normalization_
    fitted["target_feature_index_"] = None if index is None else index.tolist()
    fitted[_WINDOW_SCALE] = estimator.window_scale_
    future = getattr(estimator, _FUTURE, None)
    fitted[_FUTURE] = None if future is None else [int(i) for i in future]
    for name in _LINEAR:
        value = getattr(estimator, name, None)
        fitted[name] = None if value is None else np.asarray(value, float).tolist()
    alpha = getattr(estimator, "linear_alpha_", None)
    fitted["linear_alpha_"] = None if alpha is None else float(alpha)
    levels = getattr(estimator, "quantiles_", None)
    fitted["quantiles_"] = None if levels is None else [float(q) for q in levels]
    params = getattr(estimator, "_network_params", None)
    if params is not None:  # what the network was built from, for warm starts
        fitted["network_params"] = {
            str(k): v.tolist() if isinstance(v, np.ndarray) else v
            for k, v in params.items()
        }
    for name in _TRAINING:
        if hasattr(estimator, name):
            value = getattr(estimator, name)
            cast = float if name in _LOSSES else int
            fitted[name] = None if value is None else cast(value)
    return fitted


def _check_scaling(fitted, n_x, n_y):
    """Validate the standardization statistics; return them as arrays."""
    values = [fitted.get(name) for name in _SCALING]
    if all(v is None for v in values):
        return dict.fromkeys(_SCALING)
    sizes = (n_x, n_x, n_y, n_y)
    if not all(
        isinstance(v, list)
        and len(v) == n
        and all(type(x) in (int, float) and math.isfinite(x) for x in v)
        for v, n in zip(values, sizes)
    ) or not all(x > 0 for v in values[1::2] for x in v):
        raise ValueError("standardization statistics malformed.")
    return {k: np.asarray(v, dtype=np.float32) for k, v in zip(_SCALING, values)}


def _check_window(fitted, n_x, n_y):
    """Validate the resolved window normalization; return it."""
    method, index = (fitted.get(name) for name in _WINDOW)
    window_scale = fitted.get(_WINDOW_SCALE)  # absent in older files: None
    if method is None and index is None and window_scale is None:
        return dict.fromkeys((*_WINDOW, _WINDOW_SCALE))
    if not (
        method in METHODS
        and isinstance(index, list)
        and len(index) == n_y
        and all(type(i) is int and 0 <= i < n_x for i in index)
        and (window_scale is None or window_scale in SCALES)
    ):
        raise ValueError("window normalization malformed.")
    return {
        _WINDOW[0]: method,
        _WINDOW[1]: np.asarray(index),
        _WINDOW_SCALE: window_scale,
    }


def _check_future(fitted, input_shape, n_out):
    """Validate the future-known features (absent in older files: None)."""
    future = fitted.get(_FUTURE)
    if future is None:
        return None
    steps, n_x = input_shape
    if not (
        isinstance(future, list)
        and future
        and all(type(i) is int and 0 <= i < n_x for i in future)
        and future == sorted(set(future))
        and steps > n_out
    ):
        raise ValueError("future features malformed.")
    return np.asarray(future)


def _check_linear(fitted, shapes):
    """Validate the linear path's arrays and penalty; return them."""
    coef, intercept, mean, scale = (fitted.get(name) for name in _LINEAR)
    alpha = fitted.get("linear_alpha_")
    if coef is None and intercept is None and alpha is None:
        if mean is None and scale is None:
            return dict.fromkeys((*_LINEAR, "linear_alpha_"))
        raise ValueError("linear path malformed.")
    (t_in, f_in), n_out = shapes[0], math.prod(shapes[1])

    def floats(value, shape):
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return None
        ok = array.shape == shape and np.all(np.isfinite(array))
        return array if ok and array.dtype.kind == "f" else None

    n_level = 0 if mean is None else f_in
    out = {
        "linear_coef_": floats(coef, (t_in * f_in + n_level, n_out)),
        "linear_intercept_": floats(intercept, (n_out,)),
        "level_mean_": None if mean is None else floats(mean, (f_in,)),
        "level_scale_": None if scale is None else floats(scale, (f_in,)),
    }
    if (
        out["linear_coef_"] is None
        or out["linear_intercept_"] is None
        or (mean is None) != (scale is None)
        or (
            mean is not None
            and (out["level_mean_"] is None or out["level_scale_"] is None)
        )
        or (scale is not None and not np.all(out["level_scale_"] > 0))
        or type(alpha) not in (int, float)
        or not (math.isfinite(alpha) and alpha > 0)
    ):
        raise ValueError("linear path malformed.")
    for name in ("level_mean_", "level_scale_"):
        if out[name] is not None:
            out[name] = out[name].astype(np.float32)
    out["linear_alpha_"] = float(alpha)
    return out


def _check_quantiles(fitted):
    """Validate the quantile levels: None, or increasing in (0, 1) with 0.5."""
    levels = fitted.get("quantiles_")
    if levels is None:
        return None
    if not (
        isinstance(levels, list)
        and all(type(q) is float and 0 < q < 1 for q in levels)
        and levels == sorted(set(levels))
        and 0.5 in levels
    ):
        raise ValueError("quantile levels malformed.")
    return np.asarray(levels)


def _check_network_params(fitted):
    """Validate the parameters the network was built from: plain values."""
    params = fitted.get("network_params")
    if params is None:
        return {}

    def plain(v):
        if isinstance(v, list):
            return all(type(x) in (int, float) for x in v)
        return v is None or type(v) in (str, int, float, bool)

    if not (
        isinstance(params, dict)
        and all(isinstance(k, str) and plain(v) for k, v in params.items())
    ):
        raise ValueError("network parameters malformed.")
    return {"_network_params": params}


def fitted_from_json(fitted):
    """Validate fitted attributes read from JSON; return them as attributes.

    Raises
    ------
    ValueError
        If an attribute is missing, of the wrong type, or inconsistent with
        the others.
    """

    def ints(value, lengths):  # a list of positive ints (not bools)
        ok = isinstance(value, list) and len(value) in lengths
        return ok and all(type(d) is int and d > 0 for d in value)

    shapes = [fitted.get(name) for name in _SHAPES]
    history, n_in = fitted.get("history_"), fitted.get("n_features_in_")
    names = fitted.get("feature_names_in_", [""] * n_in if ints([n_in], (1,)) else 0)
    if not (
        set(fitted)
        <= {
            *_SHAPES,
            *_SCALING,
            *_WINDOW,
            _WINDOW_SCALE,
            _FUTURE,
            *_TRAINING,
            *_LINEAR,
            "linear_alpha_",
            "quantiles_",
            "network_params",
            "history_",
            "n_features_in_",
            "feature_names_in_",
        }
        and all(
            fitted.get(name) is None or type(fitted[name]) in (int, float)
            for name in _TRAINING
        )
        and isinstance(history, dict)
        and all(
            isinstance(v, list) and {type(x) for x in v} <= {int, float}
            for v in history.values()
        )
        and ints(shapes[0], (2,))
        and ints(shapes[1], (2,))
        and ints(shapes[2], (0, 1, 2))
        and n_in == shapes[0][0]
        and math.prod(shapes[1]) == math.prod(shapes[2])
        and isinstance(names, list)
        and len(names) == n_in
        and all(isinstance(n, str) for n in names)
    ):
        raise ValueError("fitted attributes malformed or inconsistent.")
    out = {name: tuple(shape) for name, shape in zip(_SHAPES, shapes)}
    out.update(_check_scaling(fitted, shapes[0][1], shapes[1][1]))
    out.update(_check_window(fitted, shapes[0][1], shapes[1][1]))
    out[_FUTURE] = _check_future(fitted, shapes[0], shapes[1][0])
    out.update(_check_linear(fitted, shapes))
    out["quantiles_"] = _check_quantiles(fitted)
    out.update(_check_network_params(fitted))
    out.update({name: fitted[name] for name in _TRAINING if name in fitted})
    out["history_"] = {k: [float(v) for v in vs] for k, vs in history.items()}
    out["n_features_in_"] = n_in
    if "feature_names_in_" in fitted:
        out["feature_names_in_"] = np.asarray(names, dtype=object)
    return out
