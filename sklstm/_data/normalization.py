"""Per-window reversible normalization (``window_normalization``).

Each window is expressed relative to its own last value (or mean), so that the
model sees shapes and changes rather than levels, and its predictions are
mapped back with the same window's statistics. A series that drifts past every
level seen in training then looks, to the model, like the training data did.
This is the "subtract last" variant of RevIN (Kim et al., ICLR 2022) used by
PatchTST, and the location part of neuralforecast's ``scaler_type`` and
pytorch-forecasting's ``EncoderNormalizer``. The global scale is left to
:mod:`sklstm._data.scaling`, which is fitted on the shifted windows.

The rule, for inputs ``X`` of shape ``(n, timesteps, features)`` and targets of
shape ``(n, out_steps, out_features)``:

- every target feature *continues* one input feature: its own when the
  numbers of features are equal, the only one when the input has one
  feature, else the one named by ``target_feature_index``;
- the location of a window is the last value (``"last"``) or the mean over
  its timesteps (``"mean"``) of each input feature;
- targets are shifted by the location of the feature they continue, so the
  model predicts the change from it;
- inputs are shifted by their own locations when a window has more than one
  timestep. A one-step window minus its last value is all zeros, so one-step
  inputs keep their values and only the targets are shifted.
"""

import numpy as np

__all__ = [
    "METHODS",
    "locations",
    "resolve",
    "shift_inputs",
]

#: The window locations :func:`locations` knows.
METHODS = ("last", "mean")


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


def resolve(option, target_feature_index, input_shape, output_shape):
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
    if target_feature_index is not None:
        index = _index(target_feature_index, n_in, n_out)
    elif n_out == n_in:
        index = np.arange(n_in)
    elif n_in == 1:
        index = np.zeros(n_out, dtype=int)
    elif option == "auto":
        return None, None  # no rule says which input the target continues
    else:
        raise ValueError(
            f"window_normalization={option!r} needs to know which input feature "
            f"each of the {n_out} target feature(s) continues, and the inputs "
            f"have {n_in} features; set target_feature_index (for example "
            f"target_feature_index={list(range(n_out))}), or "
            "window_normalization=None."
        )
    return ("last" if option == "auto" else option), index


def locations(X, method):
    """Return each window's location per feature, shape ``(n, 1, features)``."""
    if method == "last":
        return X[:, -1:, :].astype(np.float32, copy=True)
    return X.mean(axis=1, keepdims=True, dtype=np.float64).astype(np.float32)


def shift_inputs(X, loc, *, inplace=False):
    """Return ``X - loc`` (float32), unless windows have one step: then ``X``."""
    if X.shape[1] == 1:
        return X
    if inplace:
        return np.subtract(X, loc, out=X)
    return np.subtract(X, loc, dtype=np.float32)
