import json

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklstm import LSTMSeqRegressor, make_windows
from sklstm._persistence.fitted_json import fitted_from_json, fitted_to_json


@pytest.fixture(scope="module")
def fitted():
    X, y = make_windows(np.arange(40.0), 6, 2)
    return LSTMSeqRegressor(units=3, epochs=2, random_state=0).fit(X, y)


def test_round_trip_through_json_text(fitted):
    back = fitted_from_json(json.loads(json.dumps(fitted_to_json(fitted))))
    for name in ("input_shape_", "output_shape_", "target_shape_", "history_"):
        assert back[name] == getattr(fitted, name)
    for name in ("n_features_in_", "n_iter_", "best_epoch_", "window_normalization_"):
        assert back[name] == getattr(fitted, name)
    for name in ("x_mean_", "x_scale_", "y_mean_", "y_scale_", "target_feature_index_"):
        assert_array_equal(back[name], getattr(fitted, name))
    assert back["linear_alpha_"] == fitted.linear_alpha_
    for name in ("linear_coef_", "linear_intercept_", "level_mean_", "level_scale_"):
        assert_array_equal(back[name], getattr(fitted, name))


@pytest.mark.parametrize(
    "name, value",
    [
        ("x_scale_", [0.0]),
        ("y_mean_", [float("nan")]),
        ("target_feature_index_", [1]),
        ("window_normalization_", "median"),
        ("n_iter_", "3"),
        ("output_shape_", [2, True]),
        ("unknown_", 1),
        ("linear_coef_", [[0.0]]),
        ("linear_intercept_", [float("inf"), 0.0]),
        ("linear_alpha_", -1.0),
        ("level_scale_", None),
    ],
)
def test_malformed_values_are_refused(fitted, name, value):
    data = fitted_to_json(fitted)
    data[name] = value
    with pytest.raises(ValueError, match="malformed"):
        fitted_from_json(data)
