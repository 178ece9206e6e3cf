"""Tests for sklstm._data.recency: recency weights of panel windows."""

import numpy as np
import pytest
from sklearn.dummy import DummyRegressor

from sklstm import make_panel_windows, make_windows, recency_weights


@pytest.mark.parametrize("half_life", [1, 2.5, 8])
def test_weights_halve_every_half_life_from_each_series_end(half_life):
    series = {"a": np.arange(20.0), "b": np.arange(13.0)}
    panel = make_panel_windows(series, 3, 2, stride=2)
    w = recency_weights(panel.steps_to_end, half_life)
    assert w.shape == panel.steps_to_end.shape
    assert np.all(w[panel.steps_to_end == 0] == 1.0)  # every series' last window
    older = panel.steps_to_end + half_life
    np.testing.assert_allclose(recency_weights(older, half_life), w / 2)
    assert np.all(np.diff(w) >= 0)  # panel windows are oldest first


def test_no_half_life_weighs_every_window_alike():
    steps = make_panel_windows({"a": np.arange(9.0)}, 2, 1).steps_to_end
    assert recency_weights(steps, None).tolist() == [1.0] * len(steps)


def test_one_series_of_make_windows_in_time_order():
    X, _ = make_windows(np.arange(12.0), 3, 2, stride=3)
    steps = 3 * np.arange(len(X))[::-1]
    panel = make_panel_windows({"s": np.arange(12.0)}, 3, 2, stride=3)
    np.testing.assert_array_equal(steps, panel.steps_to_end)
    assert recency_weights(steps, 3).tolist() == [0.25, 0.5, 1.0]


def test_weighted_fit_follows_the_series_recent_course():
    # every series climbs by 1 a step, then falls by 1 a step for its last 10
    t = np.arange(40.0)
    series = {k: np.where(t < 30, t, 60 - t) + 50 * k for k in range(3)}
    panel = make_panel_windows(series, 4, 1)
    step = panel.y[:, 0] - panel.X[:, -1, 0]  # each window's next step
    plain = DummyRegressor().fit(panel.X[..., 0], step)
    w = recency_weights(panel.steps_to_end, half_life=2)
    weighted = DummyRegressor().fit(panel.X[..., 0], step, sample_weight=w)
    assert plain.constant_[0, 0] > 0.3  # the long climb outweighs the fall
    assert weighted.constant_[0, 0] < -0.9  # the fall goes on


@pytest.mark.parametrize(
    "steps, half_life, error, match",
    [
        ([0, 1], 0, ValueError, "half_life=0 must be a positive number"),
        ([0, 1], -2.0, ValueError, "must be a positive number"),
        ([0, 1], np.nan, ValueError, "must be a positive number"),
        ([0, 1], "8", TypeError, "half_life must be a positive number"),
        ([0, 1], True, TypeError, "half_life must be a positive number"),
        ([[0, 1]], 8, ValueError, "1-D array of step counts"),
        (["a", "b"], 8, ValueError, "1-D array of step counts"),
        ([0, -1], 8, ValueError, "zero or more"),
        ([0, np.nan], 8, ValueError, "finite step counts"),
    ],
)
def test_bad_input_names_the_fix(steps, half_life, error, match):
    with pytest.raises(error, match=match):
        recency_weights(steps, half_life)
