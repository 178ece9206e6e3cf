"""Cut a time series into supervised (input window, next values) pairs."""

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .covariates import fill_unread

__all__ = [
    "check_positive_int",
    "cut",
    "future_window",
    "make_windows",
    "resolve_future",
    "resolve_targets",
    "to_array",
]

_NUMERIC_KINDS = "biuf"


def check_positive_int(value, name):
    """Return ``value`` as an int if it is a positive int, else raise."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be a positive int, got {value!r} of type "
            f"{type(value).__name__}; pass e.g. {name}=1."
        )
    if value < 1:
        raise ValueError(f"{name}={value} must be a positive int; pass {name}>=1.")
    return int(value)


def to_array(series):
    """Return ``(values, column_labels)`` for a numeric 1-D or 2-D series."""
    labels = None
    if hasattr(series, "columns") and hasattr(series, "dtypes"):  # DataFrame
        labels = list(series.columns)
        bad = [
            label
            for label, dtype in zip(labels, series.dtypes)
            if getattr(dtype, "kind", "O") not in _NUMERIC_KINDS
        ]
        if bad:
            raise TypeError(
                f"series must be numeric, but the DataFrame columns {bad} are "
                "not; drop them or convert them with .astype(float)."
            )
    elif hasattr(series, "to_numpy") and getattr(series, "ndim", None) == 1:
        name = getattr(series, "name", None)
        labels = None if name is None else [name]
    if hasattr(series, "to_numpy"):
        values = series.to_numpy()
        if values.dtype == object:  # numeric extension dtypes, e.g. "Float64"
            try:
                values = series.to_numpy(dtype=np.float64, na_value=np.nan)
            except (TypeError, ValueError):
                values = np.asarray(values)
    else:
        values = np.asarray(series)
    if values.dtype.kind not in _NUMERIC_KINDS:
        if values.dtype == object:
            try:
                return values.astype(np.float64), labels
            except (TypeError, ValueError):
                pass
        raise TypeError(
            f"series must be numeric (bool, int or float), got dtype "
            f"{values.dtype}; convert it with .astype(float) first."
        )
    return values, labels


def resolve_targets(target_columns, n_features, labels, what="target"):
    """Return the list of target (or ``what``) column positions."""
    if target_columns is None:
        return list(range(n_features))
    if isinstance(target_columns, (str, bytes)) or np.ndim(target_columns) == 0:
        requested = [target_columns]
    else:
        requested = list(target_columns)
    if not requested:
        raise ValueError(
            f"{what}_columns is empty; pass None for all columns or at least "
            "one column."
        )
    valid = f"positions 0..{n_features - 1}" if n_features > 1 else "position 0"
    if labels is not None:
        valid += f" or names {labels}"
    positions = []
    for col in requested:
        if isinstance(col, (Integral, np.integer)) and not isinstance(col, bool):
            if not -n_features <= col < n_features:
                raise ValueError(
                    f"{what} column {col} is out of range for a series with "
                    f"{n_features} column(s); use {valid}."
                )
            positions.append(int(col) % n_features)
        elif labels is not None and col in labels:
            positions.append(labels.index(col))
        else:
            raise ValueError(f"unknown {what} column {col!r}; use {valid}.")
    return positions


def cut(values, n_steps_in, n_steps_out, targets, stride, start=0, future=None):
    """Windows of a 2-D ``(n_times, n_features)`` array: 3-D ``X`` and ``y``.

    The first window starts at ``start``, the next ones every ``stride``
    steps; ``values`` must hold at least one window. The arrays are fresh
    C-contiguous copies (``targets`` picks the target columns). With
    ``future`` (column positions), ``X`` also spans the forecast period,
    where every other column is NaN (see :func:`future_window`).
    """
    window = n_steps_in + n_steps_out
    # (n_windows, n_features, window) -> (n_windows, window, n_features)
    windows = sliding_window_view(values[start:], window, axis=0)[::stride]
    windows = windows.transpose(0, 2, 1)
    steps = n_steps_in if future is None else window
    X = np.array(windows[:, :steps, :], order="C", copy=True)
    if future is not None:
        X = future_window(X, n_steps_out, future)
    y = np.array(windows[:, n_steps_in:, targets], order="C", copy=True)
    return X, y


def future_window(X, n_steps_out, future):
    """``X`` (float) with NaN over its last ``n_steps_out`` steps, except in
    the ``future`` columns: the values not known ahead are not given."""
    X = X if X.dtype.kind == "f" else X.astype(np.float64)
    return fill_unread(X, future, n_steps_out, np.nan)


def resolve_future(future_columns, n_features, labels, targets):
    """Positions of ``future_columns`` (None: None); none may be a target."""
    if future_columns is None:
        return None
    future = resolve_targets(future_columns, n_features, labels, what="future")
    clash = sorted(set(future) & set(targets))
    if clash:
        raise ValueError(
            f"future_columns {future_columns!r} include the target column(s) "
            f"{clash}: a target's future is what is forecast, not an input. "
            "Drop them from future_columns."
        )
    return future


def make_windows(
    series,
    n_steps_in,
    n_steps_out=1,
    *,
    target_columns=None,
    future_columns=None,
    stride=1,
    flatten_target=False,
):
    """Cut a time series into supervised windows for sequence regression.

    Each sample is a window of `n_steps_in` consecutive time steps (the
    input) followed by the next `n_steps_out` time steps (the target).
    Windows start every `stride` steps. The windows are built with
    :func:`numpy.lib.stride_tricks.sliding_window_view` (no Python loop) and
    then copied, so the returned arrays are C-contiguous, writeable and never
    share memory with `series`. They keep the dtype of `series`.

    Parameters
    ----------
    series : array-like of shape (n_times,) or (n_times, n_features)
        Numeric series ordered in time: a NumPy array, list, pandas Series
        or pandas DataFrame.

    n_steps_in : int
        Number of time steps in each input window.

    n_steps_out : int, default=1
        Number of following time steps to predict.

    target_columns : int, str or list of those, default=None
        Columns of a 2-D series to predict; None predicts all of them.
        Integers are positions (as with ``.iloc``, negatives allowed); other
        values are column labels of a DataFrame (or the name of a Series).

    future_columns : int, str or list of those, default=None
        Columns known over the forecast period (calendar, weather forecasts,
        planned prices), for ``LSTMSeqRegressor(future_features=...)``.
        With them every input window also spans the forecast period:
        ``X`` has ``n_steps_in + n_steps_out`` steps (and a float dtype),
        and over its last ``n_steps_out`` steps every other column is NaN.
        No target column may be among them.

    stride : int, default=1
        Number of time steps between the starts of consecutive windows.

    flatten_target : bool, default=False
        For a 2-D series, return `y` as ``(n_windows, n_steps_out *
        n_targets)`` in time-major order (all targets of step 1, then of
        step 2, ...) instead of 3-D. Ignored for a 1-D series, whose `y` is
        always 2-D.

    Returns
    -------
    X : ndarray of shape (n_windows, n_steps_in, n_features)
        Input windows; a 1-D series has ``n_features=1``. With
        ``future_columns``: ``(n_windows, n_steps_in + n_steps_out,
        n_features)``.

    y : ndarray
        Values following each window: shape ``(n_windows, n_steps_out)`` for
        a 1-D series (ready for scikit-learn scorers); shape ``(n_windows,
        n_steps_out, n_targets)`` for a 2-D series, or ``(n_windows,
        n_steps_out * n_targets)`` with ``flatten_target=True``.

    Notes
    -----
    ``n_windows = (n_times - n_steps_in - n_steps_out) // stride + 1``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import make_windows
    >>> X, y = make_windows(np.array([1, 2, 3, 4, 5, 6]), n_steps_in=3, n_steps_out=2)
    >>> X.shape, y.shape
    ((2, 3, 1), (2, 2))
    >>> X[..., 0]
    array([[1, 2, 3],
           [2, 3, 4]])
    >>> y
    array([[4, 5],
           [5, 6]])
    """
    n_steps_in = check_positive_int(n_steps_in, "n_steps_in")
    n_steps_out = check_positive_int(n_steps_out, "n_steps_out")
    stride = check_positive_int(stride, "stride")

    values, labels = to_array(series)
    if values.ndim not in (1, 2):
        raise ValueError(
            f"series must be 1-D (n_times,) or 2-D (n_times, n_features), got "
            f"{values.ndim}-D with shape {values.shape}; pass one series at a "
            "time, with features as columns."
        )
    if values.size == 0:
        raise ValueError(
            f"series is empty (shape {values.shape}); pass at least "
            f"n_steps_in + n_steps_out = {n_steps_in + n_steps_out} time steps "
            "of at least one feature."
        )
    one_d = values.ndim == 1
    if one_d:
        values = values[:, np.newaxis]
    n_times, n_features = values.shape
    targets = resolve_targets(target_columns, n_features, labels)
    future = resolve_future(future_columns, n_features, labels, targets)

    window = n_steps_in + n_steps_out
    if n_times < window:
        raise ValueError(
            f"series has {n_times} time steps but n_steps_in={n_steps_in} + "
            f"n_steps_out={n_steps_out} needs at least {window}; pass a series "
            f"of length >= {window} or use shorter windows."
        )

    X, y = cut(values, n_steps_in, n_steps_out, targets, stride, future=future)
    if one_d or flatten_target:
        y = y.reshape(y.shape[0], -1)
    return X, y
