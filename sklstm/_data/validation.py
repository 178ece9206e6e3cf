"""Input checks shared by the estimator: shapes, dtypes, lengths.

Every check raises a scikit-learn style ``ValueError`` or ``TypeError`` that
names the problem and the fix, before any TensorFlow work starts.
"""

import math

import numpy as np
from sklearn.utils.validation import (
    _check_sample_weight,
    check_array,
    check_consistent_length,
    validate_data,
)

__all__ = [
    "check_sequences",
    "check_split",
    "check_targets",
    "check_weights",
]


def check_sequences(estimator, X, *, reset, allow_nan=False):
    """Validate X and return it as float32 of shape (n, timesteps, features).

    A 2-D X is read as univariate series: every column is one timestep of a
    single feature (the reading of tslearn, aeon and sktime, and
    :class:`~sklstm.SequenceReshaper`'s default). ``allow_nan``: let NaN
    through, for the caller to check where it may be
    (:mod:`sklstm._data.covariates`).
    """
    try:
        X = validate_data(
            estimator,
            X,
            reset=reset,
            allow_nd=True,
            dtype=np.float32,
            ensure_min_samples=1,
            ensure_all_finite="allow-nan" if allow_nan else True,
        )
    except ValueError as exc:
        # Detected by shape, not by the wording of scikit-learn's message.
        if reset or _n_columns(X) in (None, getattr(estimator, "n_features_in_", None)):
            raise
        raise ValueError(
            f"{exc} Here X.shape[1] counts timesteps: fit saw samples of shape "
            f"(timesteps, features)={tuple(estimator.input_shape_)}; pass X of "
            "shape (n_samples, timesteps, features) like in fit."
        ) from None
    if X.ndim == 2:
        X = X.reshape(X.shape[0], X.shape[1], 1)
    elif X.ndim != 3:
        raise ValueError(
            f"X must be 2-D (n_samples, timesteps) or 3-D (n_samples, timesteps, "
            f"features); got a {X.ndim}-D array of shape {X.shape}. Merge the "
            "extra axes into features, e.g. X.reshape(len(X), timesteps, -1)."
        )
    if X.shape[1] == 0 or X.shape[2] == 0:
        raise ValueError(
            f"X of shape {X.shape} has no timesteps or no features; every sample "
            "needs at least one timestep with one feature."
        )
    if not reset:
        expected = tuple(estimator.input_shape_)
        if X.shape[1:] != expected:
            raise ValueError(
                f"X has samples of shape (timesteps, features)={X.shape[1:]}, but "
                f"{type(estimator).__name__} was fitted on {expected}; pass windows "
                "of the same length and the same features as in fit."
            )
    return X


def _n_columns(X):
    """``X.shape[1]`` of an array-like, or None when it has no such axis."""
    try:
        shape = np.shape(X)
    except ValueError:  # ragged nested lists
        return None
    return shape[1] if len(shape) > 1 else None


def check_targets(y, n_samples, n_target_features):
    """Validate y; return (y3d float32, per-sample target shape).

    y may be 1-D (n,), 2-D (n, k) or 3-D (n, out_steps, out_features). A 2-D
    target has ``k = out_steps * n_target_features`` columns in time-major
    order. The 3-D view handed to the model is ``(n, out_steps, out_features)``.
    """
    if y is None:
        raise ValueError(
            "requires y to be passed, but the target y is None; LSTMSeqRegressor "
            "is supervised: pass the targets as fit(X, y)."
        )
    y = check_array(
        y,
        ensure_2d=False,
        allow_nd=True,
        dtype=np.float32,
        input_name="y",
        ensure_min_samples=1,
    )
    check_consistent_length(np.empty((n_samples, 0)), y)
    target_shape = y.shape[1:]
    if y.ndim == 1:
        return y.reshape(-1, 1, 1), target_shape
    if y.ndim == 2:
        k, f = y.shape[1], n_target_features
        if k == 0:
            raise ValueError("y has no columns; pass at least one target column.")
        if k % f:
            divisors = [d for d in range(1, k + 1) if k % d == 0]
            raise ValueError(
                f"n_target_features={f} must divide the {k} columns of y (read "
                f"time-major: all features of step 1, then of step 2, ...); try "
                f"one of {divisors}."
            )
        return y.reshape(-1, k // f, f), target_shape
    if y.ndim == 3:
        return y, target_shape
    raise ValueError(
        f"y must be 1-D (n_samples,), 2-D (n_samples, n_outputs) or 3-D "
        f"(n_samples, out_steps, out_features); got a {y.ndim}-D array of shape "
        f"{y.shape}. Merge the extra axes into out_features."
    )


def check_weights(sample_weight, X, y):
    """Validate sample_weight; drop samples of zero weight (as SciKeras does).

    Returns X, y and the weights (None when no weights were given).
    """
    if sample_weight is None:
        return X, y, None
    w = _check_sample_weight(
        sample_weight, X, dtype=np.float32, ensure_non_negative=True
    )
    if not np.all(np.isfinite(w)):
        raise ValueError("sample_weight contains NaN or inf; pass finite weights.")
    keep = w > 0
    if not keep.any():
        raise ValueError(
            "sample_weight is zero for every sample, which leaves nothing to train "
            "on; give at least one sample a positive weight."
        )
    if keep.all():
        return X, y, w
    return X[keep], y[keep], w[keep]


def check_split(n_samples, validation_split):
    """Check that validation_split leaves samples on both sides of the split.

    Keras holds out the last ``n - floor(n * (1 - validation_split))``
    samples; both parts must be non-empty.
    """
    if not validation_split:
        return
    n_train = math.floor(n_samples * (1.0 - validation_split))
    if n_train < 1 or n_train == n_samples:
        need = math.ceil(1 / min(validation_split, 1 - validation_split))
        raise ValueError(
            f"validation_split={validation_split} leaves "
            f"{'no training' if n_train < 1 else 'no validation'} sample of "
            f"n_samples={n_samples}; pass at least {need} samples or set "
            "validation_split=0."
        )
