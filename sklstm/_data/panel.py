"""Windows cut from many series at once, for one model over all of them.

A global model learns one network from the windows of many related series
(Montero-Manso and Hyndman, IJF 2021; Hewamalage, Bergmeir and Bandara, IJF
2021). :func:`make_panel_windows` cuts every series as :func:`make_windows`
does and stacks the windows **ordered by time across series**: windows are
aligned at the ends of their series (a window whose target ends ``k`` steps
before its series' last value sorts with every other series' windows that
end ``k`` steps before theirs), oldest first. So ``validation_split``,
``TimeSeriesSplit`` and a hold-out of the last windows take the most recent
windows of *every* series, whatever their lengths and calendars.
"""

import warnings
from numbers import Integral

import numpy as np
from sklearn.utils import Bunch

from .windows import (
    check_positive_int,
    cut,
    future_window,
    resolve_future,
    resolve_targets,
    to_array,
)

__all__ = ["make_panel_windows"]

#: How many series names an error or warning lists before "and N more".
_SHOWN = 5


def _names(ids):
    """The first series ids, as written in Python (``3``, not ``np.int64(3)``)."""
    plain = [i.item() if isinstance(i, np.generic) else i for i in ids[:_SHOWN]]
    shown = ", ".join(map(repr, plain))
    return shown + (f" and {len(ids) - _SHOWN} more" if len(ids) > _SHOWN else "")


def _from_long_frame(frame, id_col, time_col, target_columns):
    """Split a long ``unique_id, ds, y`` frame into ``{id: values}``."""
    missing = [c for c in (id_col, time_col) if c not in frame.columns]
    if missing:
        raise ValueError(
            f"the long DataFrame has no column {missing[0]!r}; name its series id "
            f"and time columns with id_col= and time_col= (it has columns "
            f"{list(frame.columns)})."
        )
    values = [c for c in frame.columns if c not in (id_col, time_col)]
    if target_columns is None:
        if "y" not in values:
            raise ValueError(
                "the long DataFrame has no column 'y'; name its target column(s) "
                f"with target_columns= (value columns: {values})."
            )
        target_columns = "y"
    frame = frame.sort_values([id_col, time_col], kind="stable")
    if frame.duplicated([id_col, time_col]).any():
        raise ValueError(
            f"the long DataFrame has repeated ({id_col}, {time_col}) pairs; give "
            "each series one row per time step (aggregate the duplicates first)."
        )
    series = {key: group[values] for key, group in frame.groupby(id_col, sort=False)}
    return series, target_columns


def _as_series_dict(data):
    """``{id: series}`` from a dict, or ids 0..n-1 from a list or tuple."""
    if isinstance(data, dict):
        return dict(data)
    if isinstance(data, (list, tuple)):
        return dict(enumerate(data))
    raise TypeError(
        "data must be a long DataFrame (unique_id, ds, y), a dict of series or a "
        f"list of series, got {type(data).__name__}; for a single series use "
        "make_windows."
    )


def make_panel_windows(
    data,
    n_steps_in,
    n_steps_out=1,
    *,
    target_columns=None,
    future_columns=None,
    future=None,
    static=None,
    stride=1,
    id_col="unique_id",
    time_col="ds",
):
    """Cut many series into supervised windows for one global model.

    Every series is cut as :func:`make_windows` cuts one, with its windows
    aligned at its end (its last window ends with its last value). The
    windows of all series are stacked **ordered by time**: by how many steps
    before its series' end each window's target ends, oldest first (series
    in their given order within a step). So the last windows, which
    ``validation_split``, ``TimeSeriesSplit`` and a time-ordered hold-out
    take, are the most recent ones of every series.

    Parameters
    ----------
    data : DataFrame, dict or list
        The series: a long pandas DataFrame with a series id column, a time
        column and value columns (the layout of statsforecast,
        neuralforecast and skforecast: ``unique_id, ds, y``); a dict of
        series keyed by their id; or a list of series (ids 0, 1, ...). Each
        series is a 1-D or 2-D array-like (or pandas Series or DataFrame)
        ordered in time, as :func:`make_windows` takes; all have the same
        number of features. Series may have different lengths.
    n_steps_in : int
        Number of time steps in each input window.
    n_steps_out : int, default=1
        Number of following time steps to predict.
    target_columns : int, str or list of those, default=None
        Columns to predict, as in :func:`make_windows`. None predicts every
        column of array series, and the column ``"y"`` of a long DataFrame
        (whose other value columns are then input features).
    future_columns : int, str or list of those, default=None
        Columns known over the forecast period, as in :func:`make_windows`:
        every window of ``X`` (and of ``X_last``) then also spans the
        forecast period, NaN there except in these columns.
    future : DataFrame, dict or list, default=None
        With ``future_columns``: their values over the ``n_steps_out`` steps
        after each series' end, for ``X_last`` (as statsforecast's ``X_df``
        and neuralforecast's ``futr_df``): a long DataFrame with the id and
        time columns and the future columns, or a dict or list of arrays of
        shape ``(n_steps_out, n_future_columns)``, one per series. None
        leaves them NaN in ``X_last``, to fill before forecasting.
    static : DataFrame or dict, default=None
        Static covariates: values that describe each series and do not change
        over time (a store's size, a product's category, one-hot encoded), as
        neuralforecast's ``static_df`` gives them: a DataFrame with the id
        column and one numeric column per covariate, one row per series, or a
        dict ``{id: values}``. They are appended as the last features of
        every step of every window, known ahead (so ``X`` spans the forecast
        period, as with ``future_columns``), and filled in ``X_last`` too.
    stride : int, default=1
        Time steps between the ends of consecutive windows of a series.
    id_col, time_col : str, default="unique_id", "ds"
        The series id and time columns of a long DataFrame.

    Returns
    -------
    panel : :class:`~sklearn.utils.Bunch`
        - ``X``: ndarray of shape (n_windows, n_steps_in, n_features), the
          input windows of every series, ordered by time;
        - ``y``: their targets, ``(n_windows, n_steps_out)`` for one target
          column (ready for scikit-learn's scorers), else ``(n_windows,
          n_steps_out, n_targets)``;
        - ``series_id``: ndarray of shape (n_windows,), the id of each
          window's series (for ``groups=``, per-series metrics and plots);
        - ``steps_to_end``: ndarray of shape (n_windows,), how many steps
          before its series' end each window's target ends (0: at the end);
        - ``X_last``: ndarray of shape (n_series, n_steps_in, n_features),
          the last ``n_steps_in`` steps of every series, to forecast the
          ``n_steps_out`` steps after each series' end (with
          ``future_columns`` or ``static``, followed by the forecast period:
          its ``future`` and static values);
        - ``last_series_id``: ndarray of shape (n_series,), the series of
          each row of ``X_last``, in the given order;
        - ``future_features``: ndarray of int, the features of ``X`` known
          ahead (``future_columns``, then ``static``), for
          ``LSTMSeqRegressor(future_features=panel.future_features)``; None
          without them.

    Raises
    ------
    ValueError
        When a series is shorter than ``n_steps_in`` (it cannot be forecast)
        or holds a missing value, when series have different numbers of
        features, or when no series is long enough for one window.

    Warns
    -----
    UserWarning
        When some series are too short for one window
        (``n_steps_in + n_steps_out`` steps): they give no training window,
        but ``X_last`` still holds their last window.

    See Also
    --------
    make_windows : Cut one series into windows.
    recency_weights : Weigh the windows by how recently they end.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import make_panel_windows
    >>> series = {"a": np.arange(6.0), "b": np.arange(100.0, 105.0)}
    >>> panel = make_panel_windows(series, n_steps_in=3, n_steps_out=1)
    >>> panel.X.shape, panel.y.shape
    ((5, 3, 1), (5, 1))
    >>> panel.series_id.tolist(), panel.steps_to_end.tolist()
    (['a', 'a', 'b', 'a', 'b'], [2, 1, 1, 0, 0])
    >>> panel.y.ravel().tolist()
    [3.0, 4.0, 103.0, 5.0, 104.0]
    >>> panel.X_last[..., 0].tolist(), panel.last_series_id.tolist()
    ([[3.0, 4.0, 5.0], [102.0, 103.0, 104.0]], ['a', 'b'])
    """
    n_steps_in = check_positive_int(n_steps_in, "n_steps_in")
    n_steps_out = check_positive_int(n_steps_out, "n_steps_out")
    stride = check_positive_int(stride, "stride")
    if hasattr(data, "columns") and hasattr(data, "groupby"):  # a long DataFrame
        data, target_columns = _from_long_frame(data, id_col, time_col, target_columns)
    series = _as_series_dict(data)
    if not series:
        raise ValueError("data holds no series; pass at least one.")
    arrays = {}
    for key, values in series.items():
        values, labels = to_array(values)
        if values.ndim not in (1, 2):
            raise ValueError(
                f"series {key!r} is {values.ndim}-D; each series must be 1-D "
                "(n_times,) or 2-D (n_times, n_features)."
            )
        values = values.reshape(len(values), -1)
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            raise ValueError(
                f"series {key!r} holds a missing or infinite value; fill or "
                "interpolate it (or drop the series) before cutting windows."
            )
        arrays[key] = (values, labels)
    widths = {values.shape[1] for values, _ in arrays.values()}
    if len(widths) > 1:
        raise ValueError(
            f"the series have different numbers of features {sorted(widths)}; "
            "give every series the same columns."
        )
    (n_features,) = widths
    first_labels = next(iter(arrays.values()))[1]
    targets = resolve_targets(target_columns, n_features, first_labels)
    future_idx = resolve_future(future_columns, n_features, first_labels, targets)
    known = future_idx
    if static is not None:
        fixed = _static_values(static, list(arrays), id_col)
        for (key, (values, labels)), row in zip(list(arrays.items()), fixed):
            constant = np.broadcast_to(row, (len(values), len(row)))
            arrays[key] = (np.hstack([values, constant]), labels)
        static_idx = list(range(n_features, n_features + fixed.shape[1]))
        known = [*(future_idx or []), *static_idx]
    too_short = [k for k, (v, _) in arrays.items() if len(v) < n_steps_in]
    if too_short:
        shortest = min(len(arrays[k][0]) for k in too_short)
        raise ValueError(
            f"{len(too_short)} series are shorter than n_steps_in={n_steps_in} "
            f"and cannot be forecast: {_names(too_short)} (the shortest has "
            f"{shortest} steps); use n_steps_in <= {shortest} or drop them."
        )
    window = n_steps_in + n_steps_out
    dtype = np.result_type(*(values.dtype for values, _ in arrays.values()))
    series = [values.astype(dtype, copy=False) for values, _ in arrays.values()]
    keys = _ids(list(arrays))
    Xs, ys, positions, ends, no_window = [], [], [], [], []
    for position, values in enumerate(series):
        if len(values) < window:
            no_window.append(keys[position])
            continue
        start = (len(values) - window) % stride
        X, y = cut(values, n_steps_in, n_steps_out, targets, stride, start, known)
        Xs.append(X)
        ys.append(y)
        positions.append(np.full(len(X), position))
        ends.append(np.arange(len(X) - 1, -1, -1) * stride)
    if not Xs:
        raise ValueError(
            f"no series has n_steps_in + n_steps_out = {window} steps for one "
            "window; use shorter windows."
        )
    if no_window:
        warnings.warn(
            f"{len(no_window)} series have fewer than n_steps_in + n_steps_out "
            f"= {window} steps and give no training window: {_names(no_window)}; "
            "X_last still holds their last window.",
            UserWarning,
            stacklevel=2,
        )
    steps_to_end = np.concatenate(ends)
    order = np.argsort(-steps_to_end, kind="stable")  # oldest first
    y = np.concatenate(ys)[order]
    if len(targets) == 1:
        y = y.reshape(len(y), -1)
    X_last = np.stack([values[-n_steps_in:] for values in series])
    if known is not None:
        X_last = np.concatenate([X_last, np.zeros_like(X_last[:, :n_steps_out])], 1)
        X_last = future_window(X_last, n_steps_out, known)
    if future_idx is not None:
        names = [first_labels[i] if first_labels else i for i in future_idx]
        by_frame = id_col, time_col
        ahead = _future_values(future, list(arrays), n_steps_out, names, by_frame)
        X_last[:, n_steps_in:, future_idx] = ahead
    if static is not None:
        X_last[:, n_steps_in:, static_idx] = fixed[:, np.newaxis]
    return Bunch(
        X=np.concatenate(Xs)[order],
        y=y,
        series_id=keys[np.concatenate(positions)[order]],
        steps_to_end=steps_to_end[order],
        X_last=X_last,
        last_series_id=keys,
        future_features=None if known is None else np.asarray(known),
    )


def _static_values(static, keys, id_col):
    """The static covariates of every series ``keys``: ``(n_series, n_static)``."""
    if hasattr(static, "columns") and hasattr(static, "set_index"):
        if id_col not in static.columns:
            raise ValueError(
                f"static has no column {id_col!r}; give it the series id column "
                "and one column per static covariate, one row per series."
            )
        if static[id_col].duplicated().any():
            raise ValueError(
                f"static repeats series ids in {id_col!r}; give one row per series."
            )
        static = {k: row.to_numpy() for k, row in static.set_index(id_col).iterrows()}
    if not isinstance(static, dict):
        raise TypeError(
            "static must be a DataFrame with the id column and the static "
            f"covariates, or a dict {{id: values}}, got {type(static).__name__}."
        )
    absent = [k for k in keys if k not in static]
    if absent:
        raise ValueError(
            f"static lacks the covariates of {len(absent)} series: {_names(absent)}; "
            "give every series a row."
        )
    try:
        rows = [np.asarray(static[k], dtype=np.float64).reshape(-1) for k in keys]
    except (TypeError, ValueError):
        raise ValueError(
            "static covariates must be numbers; encode categories first (for "
            "example with pandas.get_dummies or OneHotEncoder)."
        ) from None
    if len({len(r) for r in rows}) > 1 or not all(np.isfinite(r).all() for r in rows):
        raise ValueError(
            "static covariates must give every series the same number of finite "
            "values; fill the missing ones."
        )
    return np.stack(rows)


def _future_values(future, keys, n_out, columns, by_frame):
    """The forecast period's future ``columns`` of every series ``keys``:
    ``(n_series, n_out, n_future)``; NaN when ``future`` is None. A long
    DataFrame is read by its ``by_frame`` (id, time) columns."""
    (id_col, time_col), n_future = by_frame, len(columns)
    if future is None:
        return np.full((len(keys), n_out, n_future), np.nan)
    if hasattr(future, "columns") and hasattr(future, "groupby"):
        missing = [c for c in (id_col, time_col, *columns) if c not in future.columns]
        if missing:
            raise ValueError(
                f"future has no column {missing[0]!r}; it needs the id and time "
                f"columns and the future columns {columns}."
            )
        future = future.sort_values([id_col, time_col], kind="stable")
        future = {k: g[columns] for k, g in future.groupby(id_col, sort=False)}
    future = _as_series_dict(future)
    absent = [k for k in keys if k not in future]
    if absent:
        raise ValueError(
            f"future lacks the forecast period of {len(absent)} series: "
            f"{_names(absent)}; give every series' next {n_out} steps."
        )
    out = []
    for key in keys:
        values = np.asarray(to_array(future[key])[0], dtype=np.float64)
        values = values.reshape(len(values), -1)
        if values.shape != (n_out, n_future) or not np.isfinite(values).all():
            raise ValueError(
                f"future of series {key!r} has shape {values.shape} (or missing "
                f"values); give its next n_steps_out={n_out} steps of the "
                f"{n_future} future column(s), all finite."
            )
        out.append(values)
    return np.stack(out)


def _ids(keys):
    """The series ids as an array: of ints or strings when they all are."""
    if all(isinstance(k, (Integral, np.integer)) for k in keys):
        return np.asarray(keys, dtype=np.int64)
    if all(isinstance(k, str) for k in keys):
        return np.asarray(keys, dtype=str)
    ids = np.empty(len(keys), dtype=object)  # tuples and the like, as they are
    ids[:] = keys
    return ids
