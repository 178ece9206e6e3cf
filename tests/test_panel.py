"""Tests for sklstm._data.panel: windows cut from many series at once."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from sklstm import make_panel_windows, make_windows

RNG = np.random.default_rng(0)
# Ragged lengths: 12, 9 and 7 steps, on very different levels.
SERIES = {
    "a": RNG.normal(size=12),
    "b": 100 + RNG.normal(size=9),
    "c": 1e4 + RNG.normal(size=7),
}


def _long(series):
    return pd.DataFrame(
        [
            {
                "unique_id": key,
                "ds": pd.Timestamp("2020-01-01") + pd.Timedelta(t, "D"),
                "y": v,
            }
            for key, values in series.items()
            for t, v in enumerate(values)
        ]
    )


@pytest.mark.parametrize("stride", [1, 2])
def test_windows_are_each_series_windows_ordered_by_time_across_series(stride):
    panel = make_panel_windows(SERIES, 3, 2, stride=stride)
    # oldest first: the last windows are the most recent of every series
    assert np.all(np.diff(panel.steps_to_end) <= 0)
    last = panel.steps_to_end == 0
    assert sorted(panel.series_id[last]) == ["a", "b", "c"]
    assert panel.series_id[-3:].tolist() == ["a", "b", "c"]  # given order in a step
    for key, values in SERIES.items():
        mine = panel.series_id == key
        # the same windows make_windows cuts, aligned at the series' end
        start = (len(values) - 5) % stride
        X, y = make_windows(values[start:], 3, 2, stride=stride)
        np.testing.assert_array_equal(panel.X[mine], X)
        np.testing.assert_array_equal(panel.y[mine], y)
        ends = np.arange(len(X))[::-1] * stride
        np.testing.assert_array_equal(panel.steps_to_end[mine], ends)
        assert panel.y[mine][-1, -1] == values[-1]  # the last window ends at the end
    np.testing.assert_array_equal(
        panel.X_last[:, :, 0], [v[-3:] for v in SERIES.values()]
    )
    assert panel.last_series_id.tolist() == ["a", "b", "c"]


def test_a_long_frame_gives_the_windows_of_its_series_in_any_row_order():
    frame = _long(SERIES).sample(frac=1.0, random_state=0)  # rows shuffled
    from_frame = make_panel_windows(frame, 3, 2)
    from_dict = make_panel_windows(SERIES, 3, 2)
    for key in ("X", "y", "series_id", "steps_to_end", "X_last", "last_series_id"):
        np.testing.assert_array_equal(from_frame[key], from_dict[key])


def test_a_long_frame_with_input_features_predicts_y():
    frame = _long(SERIES).assign(day=lambda f: f["ds"].dt.day_of_week.astype(float))
    panel = make_panel_windows(frame, 3, 2)
    assert panel.X.shape[2] == 2 and panel.y.shape == (len(panel.X), 2)
    np.testing.assert_array_equal(
        panel.X[:, :, 0], make_panel_windows(SERIES, 3, 2).X[..., 0]
    )


def test_a_list_of_series_is_keyed_by_position_and_2d_series_keep_features():
    two = [np.column_stack([v, 2 * v]) for v in SERIES.values()]
    panel = make_panel_windows(two, 3, 2, target_columns=1)
    assert panel.X.shape[1:] == (3, 2) and panel.y.shape[1:] == (2,)
    assert panel.last_series_id.tolist() == [0, 1, 2]
    both = make_panel_windows(two, 3, 2)
    assert both.y.shape[1:] == (2, 2)
    np.testing.assert_array_equal(both.y[..., 1], panel.y)


def test_series_too_short_for_a_window_are_skipped_with_a_warning():
    with pytest.warns(UserWarning, match=r"1 series have fewer than .* = 8 steps.*'c'"):
        panel = make_panel_windows(SERIES, 5, 3)
    assert "c" not in set(panel.series_id)
    assert panel.last_series_id.tolist() == ["a", "b", "c"]  # still forecastable


def test_warnings_name_numpy_ids_as_plain_python():
    short = {np.int64(k): np.arange(6.0) for k in range(7)}
    with pytest.warns(UserWarning, match=r": 0, 1, 2, 3, 4 and 2 more;"):
        make_panel_windows({**short, 9: np.arange(20.0)}, 5, 3)


@pytest.mark.parametrize(
    "data, kwargs, error, match",
    [
        (
            SERIES,
            dict(n_steps_in=8),
            ValueError,
            r"1 series are shorter .*'c'.*n_steps_in <= 7",
        ),
        (SERIES, dict(n_steps_in=7, n_steps_out=6), ValueError, "no series has"),
        ({"a": np.r_[1.0, np.nan, 3.0, 4.0]}, {}, ValueError, "'a' holds a missing"),
        (
            {"a": np.ones(6), "b": np.ones((6, 2))},
            {},
            ValueError,
            r"numbers of features \[1, 2\]",
        ),
        (np.ones((3, 6)), {}, TypeError, "a dict of series or a list of series"),
        ({}, {}, ValueError, "holds no series"),
        (_long(SERIES).drop(columns="ds"), {}, ValueError, "no column 'ds'.*time_col="),
        (
            _long(SERIES).rename(columns={"y": "sales"}),
            {},
            ValueError,
            "no column 'y'.*target_",
        ),
        (pd.concat([_long(SERIES)] * 2), {}, ValueError, r"repeated \(unique_id, ds\)"),
        (SERIES, dict(stride=0), ValueError, "stride=0 must be a positive int"),
    ],
)
def test_bad_panels_get_a_clear_error(data, kwargs, error, match):
    kwargs = {"n_steps_in": 3, "n_steps_out": 1, **kwargs}
    with pytest.raises(error, match=match):
        make_panel_windows(data, **kwargs)


def test_ids_of_any_hashable_kind_are_kept_as_they_are():
    series = {("store 1", "item 7"): np.arange(6.0), ("store 2", "item 7"): np.ones(5)}
    panel = make_panel_windows(series, 3, 1)
    assert panel.last_series_id.tolist() == list(series)
    assert panel.series_id.tolist()[-2:] == list(series)


def test_future_columns_fill_the_last_windows_forecast_period_from_future():
    frame = _long({k: v for k, v in SERIES.items() if k != "c"})
    frame["temp"] = np.arange(len(frame), dtype=float)
    ahead = pd.DataFrame(
        {
            "unique_id": ["b", "a", "a", "b"],  # any order: sorted by id and time
            "ds": pd.to_datetime(
                ["2020-03-02", "2020-03-01", "2020-03-02", "2020-03-01"]
            ),
            "temp": [4.0, 1.0, 2.0, 3.0],
        }
    )
    panel = make_panel_windows(frame, 3, 2, future_columns="temp", future=ahead)
    assert panel.X.shape[1:] == (5, 2) and panel.X_last.shape == (2, 5, 2)
    assert np.isnan(panel.X[:, 3:, 0]).all()  # the target is not known ahead
    assert np.isfinite(panel.X[:, :, 1]).all()  # known ahead
    assert_array_equal(panel.X_last[:, 3:, 1], [[1.0, 2.0], [3.0, 4.0]])
    assert_array_equal(panel.X_last[:, :3, 0], [SERIES["a"][-3:], SERIES["b"][-3:]])
    dict_future = {"a": [[1.0], [2.0]], "b": [3.0, 4.0]}
    by_dict = make_panel_windows(frame, 3, 2, future_columns="temp", future=dict_future)
    assert_array_equal(by_dict.X_last, panel.X_last)
    unfilled = make_panel_windows(frame, 3, 2, future_columns="temp")
    assert np.isnan(unfilled.X_last[:, 3:]).all()  # to fill before forecasting


@pytest.mark.parametrize(
    "future, match",
    [
        ({"a": [1.0, 2.0]}, "lacks the forecast period of 1 series: 'b'"),
        ({"a": [1.0, 2.0], "b": [3.0]}, r"series 'b' has shape \(1, 1\)"),
        ({"a": [1.0, np.nan], "b": [3.0, 4.0]}, "all finite"),
        (pd.DataFrame({"unique_id": ["a"], "ds": [0]}), "no column 'temp'"),
    ],
)
def test_future_errors_name_the_series_and_the_fix(future, match):
    frame = _long({k: v for k, v in SERIES.items() if k != "c"})
    frame["temp"] = 1.0
    with pytest.raises(ValueError, match=match):
        make_panel_windows(frame, 3, 2, future_columns="temp", future=future)


def test_static_covariates_are_constant_known_ahead_features_of_every_window():
    frame = _long({k: v for k, v in SERIES.items() if k != "c"})
    frame["temp"] = np.arange(len(frame), dtype=float)
    static = pd.DataFrame({"unique_id": ["b", "a"], "size": [2.0, 1.0]})
    ahead = {"a": [7.0, 8.0], "b": [9.0, 10.0]}
    panel = make_panel_windows(
        frame, 3, 2, future_columns="temp", future=ahead, static=static
    )
    assert panel.X.shape[1:] == (5, 3) and panel.X_last.shape == (2, 5, 3)
    assert_array_equal(panel.future_features, [1, 2])
    sizes = {"a": 1.0, "b": 2.0}
    expected = [[sizes[k]] * 5 for k in panel.series_id]
    assert_array_equal(panel.X[:, :, 2], expected)  # every step, ahead too
    assert_array_equal(panel.X_last[:, :, 2], [[1.0] * 5, [2.0] * 5])
    assert_array_equal(panel.X_last[:, 3:, 1], [[7.0, 8.0], [9.0, 10.0]])
    plain = make_panel_windows(frame, 3, 2, future_columns="temp", future=ahead)
    assert_array_equal(panel.X[:, :, :2], plain.X)  # nothing else changes
    assert_array_equal(panel.y, plain.y)
    alone = make_panel_windows(SERIES, 3, 1, static={k: [0.0, 1.0] for k in SERIES})
    assert_array_equal(alone.future_features, [1, 2])
    assert np.isnan(alone.X[:, 3:, 0]).all() and alone.y.shape == (len(alone.X), 1)
    assert make_panel_windows(SERIES, 3, 1).future_features is None


@pytest.mark.parametrize(
    "static, error, match",
    [
        ({"a": [1.0], "b": [2.0]}, ValueError, "lacks the covariates of 1 series: 'c'"),
        ({"a": [1.0], "b": [2.0], "c": [1.0, 2.0]}, ValueError, "same number"),
        ({"a": [np.nan], "b": [2.0], "c": [1.0]}, ValueError, "finite"),
        ({"a": ["x"], "b": ["y"], "c": ["z"]}, ValueError, "encode categories"),
        (pd.DataFrame({"id": ["a"], "size": [1.0]}), ValueError, "no column"),
        (pd.DataFrame({"unique_id": ["a", "a"]}), ValueError, "one row per series"),
        ([1.0, 2.0, 3.0], TypeError, "DataFrame with the id column"),
    ],
)
def test_bad_static_covariates_get_a_clear_error(static, error, match):
    with pytest.raises(error, match=match):
        make_panel_windows(SERIES, 3, 1, static=static)


def test_a_global_model_learns_from_a_static_covariate():
    # Each series drifts up or down by its static sign from a random level;
    # one input step does not show the drift, so only the static covariate
    # tells it: flipped, the forecasts go the wrong way.
    from sklstm import LSTMSeqRegressor

    rng = np.random.default_rng(0)
    signs = {i: 1.0 if i % 2 else -1.0 for i in range(8)}
    series = {
        i: rng.uniform(-100, 100) + np.cumsum(s + 0.1 * rng.normal(size=40))
        for i, s in signs.items()
    }
    panel = make_panel_windows(series, 1, 2, static={i: [s] for i, s in signs.items()})
    est = LSTMSeqRegressor(
        units=4, epochs=2, random_state=0, future_features=panel.future_features
    ).fit(panel.X[:-8], panel.y[:-8])
    X_test, y_test = panel.X[-8:], panel.y[-8:]
    flipped = X_test.copy()
    flipped[:, :, 1] *= -1
    assert np.abs(est.predict(X_test) - y_test).mean() < 0.3
    assert np.abs(est.predict(flipped) - y_test).mean() > 1.5
