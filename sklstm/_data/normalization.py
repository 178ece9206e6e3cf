"""Per-window reversible normalization (``window_normalization``).

Each window is expressed relative to its own last value (or mean), so that the
model sees shapes and changes rather than levels, and its predictions are
mapped back with the same window's statistics. A series that drifts past every
level seen in training then looks, to the model, like the training data did.
This is the "subtract last" variant of RevIN (Kim et al., ICLR 2022) used by
PatchTST, and the location part of neuralforecast's ``scaler_type`` and
pytorch-forecasting's ``EncoderNormalizer``.

With ``window_scale="mean_abs"`` each window is also divided by its own
scale, the mean absolute value of each feature over its timesteps (DeepAR's
mean scaling; with the shift, RevIN's full form), so that one model sees
series of 100 and of 10,000 alike; a window whose scale is 0 keeps scale 1.
With ``window_scale="log"`` the features the targets continue, and the
targets, are taken as ``log1p`` first (:func:`to_log`) and forecasts mapped
back with ``expm1`` (:func:`from_log`): the shift by the location then
divides by the window's level, so that a season or a trend that grows with
the level (multiplicative) looks alike at every level.
The global scale is left to :mod:`sklstm._data.scaling`, which is fitted on
the normalized windows.

The rule, for inputs ``X`` of shape ``(n, timesteps, features)`` and targets of
shape ``(n, out_steps, out_features)``:

- every target feature *continues* one input feature: the one named by
  ``target_feature_index``; else its own when the numbers of features are
  equal, the only one when the input has one feature; else the one the
  training windows show it continues (:func:`infer_index`), when that is
  clear;
- the location of a window is the last value (``"last"``) or the mean over
  its timesteps (``"mean"``) of each input feature;
- targets are shifted by the location of the feature they continue, so the
  model predicts the change from it (divided by that feature's scale, with
  a window scale: the relative change);
- inputs are shifted by their own locations (and divided by their own
  scales) when a window has more than one timestep. A one-step window minus
  its last value is all zeros, so one-step inputs keep their values and only
  the targets are normalized.
"""

import numpy as np

__all__ = [
    "CLEAR",
    "METHODS",
    "SCALES",
    "from_log",
    "infer_index",
    "locations",
    "resolve",
    "shift_inputs",
    "shift_targets",
    "to_log",
    "unshift_targets",
    "window_scales",
]

#: The window locations :func:`locations` knows.
METHODS = ("last", "mean")

#: The window scales :func:`window_scales` knows.
SCALES = ("mean_abs", "log")


def _index(target_feature_index, n_in, n_out):
    """Validate ``target_feature_index``; return an int array of length ``n_out``."""
    idx = np.atleast_1d(np.asarray(target_feature_index))
    if idx.ndim != 1 or not np.issubdtype(idx.dtype, np.integer):
        raise TypeError(
            f"target_feature_index must be an int or a list of ints, got "
            f"{target_feature_index!r}."
        )
    if len(idx) == 1:
        idx = np.repeat(idx, n_out)
    if len(idx) != n_out:
        raise ValueError(
            f"target_feature_index has {len(idx)} entries but the target has "
            f"{n_out} features; give one input feature per target feature (or "
            "one int for all of them)."
        )
    if np.any(idx < -n_in) or np.any(idx >= n_in):
        raise ValueError(
            f"target_feature_index={target_feature_index!r} is out of range for "
            f"inputs with {n_in} features; use indices from 0 to {n_in - 1}."
        )
    return idx % n_in


#: How clearly one input feature must be the one a target continues: its
#: last values at most this fraction as far (mean absolute difference) from
#: the first target step as the next closest feature's, and as the target's
#: own spread (its mean absolute deviation).
CLEAR = 0.5


def infer_index(X, y):
    """The input feature each target feature continues, as the data shows.

    For target feature ``j``, the input feature whose last value is closest
    to the first target step (mean absolute difference over the windows),
    when it is clearly closest: at most :data:`CLEAR` times the distance of
    the next closest feature and of the target's own spread. In the
    reference two-feature problem the target 35, 40, 45 follows feature 2's
    window 20, 25, 30 (distance 5) and not feature 1's 5, 10, 15 (20).

    Parameters
    ----------
    X : ndarray of shape (n, timesteps, features)
        Input windows.
    y : ndarray of shape (n, out_steps, out_features)
        Targets.

    Returns
    -------
    index : ndarray of int of shape (out_features,) or None
        None when any target feature continues no input feature clearly.
    """
    last = np.asarray(X[:, -1, :], dtype=np.float64)
    first = np.asarray(y[:, 0, :], dtype=np.float64)
    index = []
    for j in range(first.shape[1]):
        target = first[:, j : j + 1]
        dist = np.mean(np.abs(last - target), axis=0)
        order = np.argsort(dist)
        spread = np.mean(np.abs(target - target.mean()))
        best = dist[order[0]]
        runner_up = dist[order[1]] if len(order) > 1 else np.inf
        if not (best <= CLEAR * runner_up and best <= CLEAR * spread):
            return None
        index.append(int(order[0]))
    return np.asarray(index)


def resolve(
    option,
    target_feature_index,
    input_shape,
    output_shape,
    X=None,
    y=None,
    known_ahead=None,
):
    """Resolve ``window_normalization`` for a fit; return ``(method, index)``.

    Parameters
    ----------
    option : {"auto", "last", "mean"} or None
        The estimator's ``window_normalization``.
    target_feature_index : int, list of int or None
        The input feature each target feature continues.
    input_shape : tuple of int
        ``(timesteps, features)`` of one input window.
    output_shape : tuple of int
        ``(out_steps, out_features)`` of one target.
    X, y : ndarray or None, default=None
        The training windows and targets ``(n, out_steps, out_features)``,
        from which :func:`infer_index` infers the continued features when no
        other rule says.
    known_ahead : ndarray of int or None, default=None
        Input features known over the forecast period, which no target
        continues: with one feature left, the targets continue it.

    Returns
    -------
    method : {"last", "mean"} or None
        None when no window normalization applies.
    index : ndarray of int of shape (out_features,) or None
        The input feature each target feature continues.
    """
    n_in, n_out = input_shape[1], output_shape[1]
    if option is None:
        return None, None
    left = np.setdiff1d(np.arange(n_in), [] if known_ahead is None else known_ahead)
    if target_feature_index is not None:
        index = _index(target_feature_index, n_in, n_out)
    elif n_out == n_in and known_ahead is None:
        index = np.arange(n_in)
    elif len(left) == 1:
        index = np.repeat(left, n_out)
    elif X is not None and (index := infer_index(X, y)) is not None:
        pass
    elif option == "auto":
        return None, None  # nothing says which input the target continues
    else:
        raise ValueError(
            f"window_normalization={option!r} needs to know which input feature "
            f"each of the {n_out} target feature(s) continues, the inputs "
            f"have {n_in} features and the training windows show no clear "
            "one; set target_feature_index (for example "
            f"target_feature_index={list(range(n_out))}), or "
            "window_normalization=None."
        )
    return ("last" if option == "auto" else option), index


def locations(X, method):
    """Return each window's location per feature, shape ``(n, 1, features)``."""
    if method == "last":
        return X[:, -1:, :].astype(np.float32, copy=True)
    return X.mean(axis=1, keepdims=True, dtype=np.float64).astype(np.float32)


def window_scales(X, method):
    """Return each window's scale per feature, shape ``(n, 1, features)``.

    ``"mean_abs"``: the mean absolute value over the window's timesteps. A
    scale that is 0 (a window of zeros) or not finite is 1, so such a
    window is only shifted. ``"log"`` and None: None (in log space the
    shift divides by the level; nothing else divides).
    """
    if method is None or method == "log":
        return None
    if method != "mean_abs":
        raise ValueError(f"unknown window scale {method!r}; use one of {SCALES}.")
    scale = np.abs(X).mean(axis=1, keepdims=True, dtype=np.float64)
    scale[~(np.isfinite(scale) & (scale > 0))] = 1.0
    return scale.astype(np.float32)


def to_log(values, what, features=None, *, inplace=False):
    """``log1p`` of ``values`` (only of ``features`` on the last axis, if given).

    Raises
    ------
    ValueError
        If a value to take is at or below -1, naming ``what`` and the fix.
    """
    part = values if features is None else values[..., features]
    low = np.min(part) if part.size else 0.0
    if not low > -1:
        raise ValueError(
            f"window_scale='log' takes log1p of {what}, which must be above "
            f"-1; the smallest is {low:g}. Use window_scale='mean_abs' or "
            "None for series at or below -1 (or shift them up first)."
        )
    if features is None:
        return np.log1p(values, out=values if inplace else None)
    out = values if inplace else values.copy()
    out[..., features] = np.log1p(part)
    return out


def from_log(values):
    """The inverse of :func:`to_log`: ``expm1``."""
    return np.expm1(values)


def shift_inputs(X, loc, scale=None, *, inplace=False):
    """Return ``(X - loc) / scale`` (float32), unless windows have one step: ``X``."""
    if X.shape[1] == 1:
        return X
    if inplace:
        X = np.subtract(X, loc, out=X)
    else:
        X = np.subtract(X, loc, dtype=np.float32)
    if scale is not None:
        np.divide(X, scale, out=X)
    return X


def shift_targets(y, loc, index, scale=None):
    """Targets as changes from the input feature each continues: ``y - loc``.

    ``index`` holds, per target feature, the input feature it continues;
    ``loc`` is :func:`locations` of the windows and ``scale``, if given,
    :func:`window_scales`, which then divides the change.
    """
    y = y - loc[:, :, index]
    return y if scale is None else y / scale[:, :, index]


def unshift_targets(y_pred, loc, index, scale=None):
    """Forecasts back in the target's level: the inverse of :func:`shift_targets`."""
    if scale is not None:
        y_pred = y_pred * scale[:, :, index]
    return y_pred + loc[:, :, index]
