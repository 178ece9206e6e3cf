"""The fitted attributes of a saved estimator, as plain JSON and back.

:func:`sklstm.save` writes them with :func:`fitted_to_json`;
:func:`sklstm.load` reads them back with :func:`fitted_from_json`, which
checks every type, length and consistency, since the file may come from
anyone.
"""

import math

import numpy as np

from .._data.normalization import METHODS

__all__ = ["fitted_from_json", "fitted_to_json"]

_SHAPES = ("input_shape_", "output_shape_", "target_shape_")
_SCALING = ("x_mean_", "x_scale_", "y_mean_", "y_scale_")
_WINDOW = ("window_normalization_", "target_feature_index_")
# Training facts: int or None (an int or float for best_loss_).
_TRAINING = ("n_iter_", "best_epoch_", "best_loss_", "stopped_epoch_")


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
    for name in _TRAINING:
        if hasattr(estimator, name):
            value = getattr(estimator, name)
            cast = float if name == "best_loss_" else int
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
    if method is None and index is None:
        return dict.fromkeys(_WINDOW)
    if not (
        method in METHODS
        and isinstance(index, list)
        and len(index) == n_y
        and all(type(i) is int and 0 <= i < n_x for i in index)
    ):
        raise ValueError("window normalization malformed.")
    return {_WINDOW[0]: method, _WINDOW[1]: np.asarray(index)}


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
            *_TRAINING,
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
    out.update({name: fitted[name] for name in _TRAINING if name in fitted})
    out["history_"] = {k: [float(v) for v in vs] for k, vs in history.items()}
    out["n_features_in_"] = n_in
    if "feature_names_in_" in fitted:
        out["feature_names_in_"] = np.asarray(names, dtype=object)
    return out
