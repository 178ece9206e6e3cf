import re

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from sklstm._data.windows import make_windows


def test_hand_computed_1d():
    X, y = make_windows(np.arange(1, 7), n_steps_in=3, n_steps_out=2)
    assert X.shape == (2, 3, 1)
    assert y.shape == (2, 2)
    assert_array_equal(X[..., 0], [[1, 2, 3], [2, 3, 4]])
    assert_array_equal(y, [[4, 5], [5, 6]])


def test_list_input_and_default_n_steps_out():
    X, y = make_windows([1.0, 2.0, 3.0, 4.0], 2)
    assert_array_equal(X[..., 0], [[1, 2], [2, 3]])
    assert_array_equal(y, [[3], [4]])


def test_outputs_are_contiguous_writeable_copies():
    series = np.arange(10.0)
    X, y = make_windows(series, 3, 2)
    for out in (X, y):
        assert out.flags.c_contiguous
        assert out.flags.writeable
        assert not np.shares_memory(out, series)
    X[0, 0, 0] = -1.0
    assert series[0] == 0.0


def test_single_window_is_still_a_copy():
    series = np.arange(5.0)
    X, y = make_windows(series, 3, 2)
    assert X.shape == (1, 3, 1)
    assert not np.shares_memory(X, series)
    assert X.flags.writeable


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.float64])
def test_dtype_is_kept(dtype):
    X, y = make_windows(np.arange(8, dtype=dtype), 3, 1)
    assert X.dtype == dtype
    assert y.dtype == dtype


def _series_2d():
    # column 0: 0, 1, 2, ...; column 1: 100, 101, ...; column 2: 200, ...
    return np.arange(7)[:, None] + np.array([0, 100, 200])


def test_2d_all_targets():
    X, y = make_windows(_series_2d(), 3, 2)
    assert X.shape == (3, 3, 3)
    assert y.shape == (3, 2, 3)
    assert_array_equal(X[0], [[0, 100, 200], [1, 101, 201], [2, 102, 202]])
    assert_array_equal(y[0], [[3, 103, 203], [4, 104, 204]])
    assert_array_equal(y[2], [[5, 105, 205], [6, 106, 206]])


@pytest.mark.parametrize(
    "target_columns, expected_first",
    [
        (1, [[103], [104]]),
        (-1, [[203], [204]]),
        ([2, 0], [[203, 3], [204, 4]]),
    ],
)
def test_2d_target_columns(target_columns, expected_first):
    X, y = make_windows(_series_2d(), 3, 2, target_columns=target_columns)
    assert X.shape == (3, 3, 3)
    assert_array_equal(y[0], expected_first)


def test_flatten_target_is_time_major():
    _, y3d = make_windows(_series_2d(), 3, 2, target_columns=[0, 1])
    X, y = make_windows(_series_2d(), 3, 2, target_columns=[0, 1], flatten_target=True)
    assert y.shape == (3, 4)
    assert_array_equal(y[0], [3, 103, 4, 104])
    assert_array_equal(y, y3d.reshape(3, -1))


def test_flatten_target_ignored_for_1d():
    _, y = make_windows(np.arange(6), 3, 2, flatten_target=True)
    assert_array_equal(y, [[3, 4], [4, 5]])


@pytest.mark.parametrize(
    "stride, starts",
    [(1, [0, 1, 2, 3, 4, 5]), (2, [0, 2, 4]), (3, [0, 3]), (10, [0])],
)
def test_stride(stride, starts):
    X, y = make_windows(np.arange(8), 2, 1, stride=stride)
    assert_array_equal(X[:, 0, 0], starts)
    assert_array_equal(y[:, 0], np.array(starts) + 2)


def test_pandas_dataframe_with_names():
    df = pd.DataFrame({"temp": np.arange(6.0), "rain": np.arange(10.0, 16.0)})
    X, y = make_windows(df, 3, 1, target_columns="rain")
    assert isinstance(X, np.ndarray)
    assert X.shape == (3, 3, 2)
    assert_array_equal(y[:, :, 0], [[13.0], [14.0], [15.0]])
    _, y_both = make_windows(df, 3, 1, target_columns=["rain", "temp"])
    assert_array_equal(y_both[0], [[13.0, 3.0]])


def test_pandas_series_and_nullable_dtype():
    X, y = make_windows(
        pd.Series([1.0, 2.0, 3.0, 4.0], name="v"), 2, target_columns="v"
    )
    assert_array_equal(X[..., 0], [[1, 2], [2, 3]])
    assert_array_equal(y, [[3], [4]])
    df = pd.DataFrame({"a": pd.array([1, 2, 3, 4], dtype="Int64")})
    X, y = make_windows(df, 2)
    assert X.dtype.kind in "if"
    assert_array_equal(y[:, :, 0], [[3], [4]])


@pytest.mark.parametrize(
    "series, kwargs, error, message",
    [
        (np.arange(4), {"n_steps_in": 3, "n_steps_out": 2}, ValueError, "at least 5"),
        (np.arange(9), {"n_steps_in": 0}, ValueError, "n_steps_in=0 must be a pos"),
        (
            np.arange(9),
            {"n_steps_in": 2, "n_steps_out": -1},
            ValueError,
            "n_steps_out=-1",
        ),
        (np.arange(9), {"n_steps_in": 2, "stride": 0}, ValueError, "stride=0"),
        (np.arange(9), {"n_steps_in": 2.5}, TypeError, "positive int"),
        (np.arange(9), {"n_steps_in": True}, TypeError, "positive int"),
        (np.zeros((9, 2, 2)), {"n_steps_in": 2}, ValueError, "got 3-D"),
        (np.zeros(0), {"n_steps_in": 2}, ValueError, "series is empty"),
        (np.zeros((5, 0)), {"n_steps_in": 2}, ValueError, "series is empty"),
        (np.float64(3.0), {"n_steps_in": 2}, ValueError, "got 0-D"),
        (
            np.zeros((9, 2)),
            {"n_steps_in": 2, "target_columns": 2},
            ValueError,
            "out of range",
        ),
        (
            np.zeros((9, 2)),
            {"n_steps_in": 2, "target_columns": "a"},
            ValueError,
            "unknown target column 'a'",
        ),
        (
            pd.DataFrame({"a": np.zeros(9)}),
            {"n_steps_in": 2, "target_columns": ["b"]},
            ValueError,
            re.escape("unknown target column 'b'; use position 0 or names ['a']"),
        ),
        (
            np.zeros((9, 2)),
            {"n_steps_in": 2, "target_columns": []},
            ValueError,
            "target_columns is empty",
        ),
        (
            np.zeros((9, 2)),
            {"n_steps_in": 2, "target_columns": 0, "future_columns": [1, 0]},
            ValueError,
            re.escape("include the target column(s) [0]"),
        ),
        (
            np.zeros((9, 2)),
            {"n_steps_in": 2, "target_columns": 0, "future_columns": "t"},
            ValueError,
            "unknown future column 't'",
        ),
        (np.array(["a", "b", "c"]), {"n_steps_in": 1}, TypeError, "must be numeric"),
        (np.arange(9) * 1j, {"n_steps_in": 1}, TypeError, "must be numeric"),
        (
            pd.DataFrame({"x": np.arange(4.0), "s": list("abcd")}),
            {"n_steps_in": 1},
            TypeError,
            re.escape("columns ['s'] are not"),
        ),
    ],
)
def test_errors(series, kwargs, error, message):
    with pytest.raises(error, match=message):
        make_windows(series, **kwargs)


def test_short_series_message_says_how_long():
    msg = "series has 4 time steps but n_steps_in=3 + n_steps_out=2 needs at least 5"
    with pytest.raises(ValueError, match=re.escape(msg)):
        make_windows(np.arange(4), 3, 2)


def test_future_columns_span_the_forecast_period_with_the_rest_unknown():
    frame = pd.DataFrame(
        {"y": np.arange(8), "temp": np.arange(8) * 10, "hol": np.arange(8) % 2}
    )
    X, y = make_windows(frame, 3, 2, target_columns="y", future_columns=["temp"])
    assert X.shape == (4, 5, 3) and X.dtype == np.float64  # ints become float
    assert_array_equal(X[0, :, 1], [0, 10, 20, 30, 40])  # known ahead
    assert_array_equal(X[0, :3, [0, 2]], [[0, 1, 2], [0, 1, 0]])
    assert np.isnan(X[:, 3:, [0, 2]]).all()  # not known ahead: NaN
    assert_array_equal(y[:, :, 0], [[3, 4], [4, 5], [5, 6], [6, 7]])
