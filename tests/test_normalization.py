import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import (
    LSTMSeqRegressor,
    SplitConformalForecaster,
    load,
    make_windows,
    save,
)
from sklstm._data.normalization import (
    from_log,
    infer_index,
    locations,
    resolve,
    shift_inputs,
    shift_targets,
    to_log,
    unshift_targets,
    window_scales,
)

# The network alone: these tests isolate what window normalization does to it.
FAST = dict(units=4, epochs=2, batch_size=8, random_state=0, linear_path=None)
RNG = np.random.default_rng(0)


# ---------------------------------------------------------------- the rule
@pytest.mark.parametrize(
    "option, index, shapes, expected",
    [
        ("auto", None, ((5, 2), (3, 2)), ("last", [0, 1])),
        ("mean", None, ((5, 1), (3, 2)), ("mean", [0, 0])),
        ("auto", None, ((5, 3), (3, 1)), (None, None)),
        ("auto", 2, ((5, 3), (3, 1)), ("last", [2])),
        ("last", [-1, 0], ((5, 3), (3, 2)), ("last", [2, 0])),
        ("last", 1, ((5, 3), (3, 2)), ("last", [1, 1])),
        (None, 0, ((5, 1), (3, 1)), (None, None)),
    ],
)
def test_resolve_maps_each_target_feature_to_an_input_feature(
    option, index, shapes, expected
):
    method, idx = resolve(option, index, *shapes)
    assert method == expected[0]
    assert (idx if idx is None else idx.tolist()) == expected[1]


@pytest.mark.parametrize(
    "option, index, shapes, error, match",
    [
        ("last", None, ((5, 3), (3, 2)), ValueError, r"target_feature_index=\[0, 1\]"),
        ("auto", [0, 1], ((5, 3), (3, 3)), ValueError, "3 features"),
        ("auto", 3, ((5, 3), (3, 1)), ValueError, "from 0 to 2"),
        ("auto", 0.5, ((5, 3), (3, 1)), TypeError, "list of ints"),
    ],
)
def test_resolve_errors_say_how_to_fix(option, index, shapes, error, match):
    with pytest.raises(error, match=match):
        resolve(option, index, *shapes)


def test_locations_and_shift():
    X = np.arange(12, dtype=np.float32).reshape(2, 3, 2)
    assert_array_equal(locations(X, "last")[:, 0], X[:, -1])
    assert_allclose(locations(X, "mean")[:, 0], X.mean(axis=1))
    shifted = shift_inputs(X, locations(X, "last"))
    assert_array_equal(shifted[:, -1], 0)
    assert shifted[0, 0, 0] == -4
    one_step = X[:, :1]
    assert shift_inputs(one_step, locations(one_step, "last")) is one_step


# ------------------------------------------------------- in the estimator
def _trend(n=60, slope=0.7):
    t = np.arange(n, dtype=float)
    return slope * t + np.sin(t / 2)


@pytest.mark.parametrize("method", ["last", "mean"])
def test_predictions_follow_the_level_of_the_window(method):
    """Shifting a window by c shifts its forecast by exactly c."""
    X, y = make_windows(_trend(), 8, 3)
    est = LSTMSeqRegressor(window_normalization=method, **FAST).fit(X, y)
    assert est.window_normalization_ == method
    assert_array_equal(est.target_feature_index_, [0])
    base = est.predict(X[:5])
    assert_allclose(est.predict(X[:5] + 1000.0), base + 1000.0, atol=2e-3)


def test_without_window_normalization_the_level_matters():
    X, y = make_windows(_trend(), 8, 3)
    est = LSTMSeqRegressor(window_normalization=None, **FAST).fit(X, y)
    assert est.window_normalization_ is None and est.target_feature_index_ is None
    assert est.linear_alpha_ is None  # no linear path
    shifted = est.predict(X[:5] + 1000.0) - 1000.0
    assert np.max(np.abs(shifted - est.predict(X[:5]))) > 1.0


def test_window_normalization_forecasts_past_the_training_range():
    """A trend that leaves the training range: the window-normalized model follows."""
    series = _trend(140)
    X, y = make_windows(series, 8, 3)
    X_train, y_train, X_test, y_test = X[:60], y[:60], X[-20:], y[-20:]
    params = dict(
        units=8, epochs=60, batch_size=8, learning_rate=0.01, linear_path=None
    )
    errors = {}
    for option in ("auto", None):
        est = LSTMSeqRegressor(window_normalization=option, random_state=0, **params)
        est.fit(X_train, y_train)
        errors[option] = np.mean(np.abs(est.predict(X_test) - y_test))
    # The test windows lie 40-90 units above every training target.
    assert errors["auto"] < 1.0
    assert errors[None] > 10 * errors["auto"]


def test_one_step_windows_keep_their_inputs_and_shift_the_target():
    X = np.arange(1, 46, 3, dtype=float).reshape(15, 1, 1)
    y = np.hstack([X[:, 0] + 1, X[:, 0] + 2])
    est = LSTMSeqRegressor(architecture="simple", **FAST).fit(X, y)
    assert est.window_normalization_ == "last"
    # the inputs were not zeroed: they were standardized as they came
    assert_allclose(est.x_mean_, X.mean(), rtol=1e-6)
    assert_allclose(est.y_mean_, [1.5])  # the targets as changes: 1 and 2


def test_target_feature_index_picks_the_continued_input():
    X = RNG.normal(size=(20, 4, 3))
    y = X[:, -1, 2:3] + RNG.normal(size=(20, 1)) * 0.1
    est = LSTMSeqRegressor(target_feature_index=2, **FAST).fit(X, y)
    assert est.window_normalization_ == "last"
    assert_array_equal(est.target_feature_index_, [2])
    shift = np.zeros((1, 1, 3))
    shift[..., 2] = 50.0  # only the continued feature moves the forecast
    assert_allclose(est.predict(X[:3] + shift), est.predict(X[:3]) + 50.0, atol=2e-3)
    auto = LSTMSeqRegressor(**FAST).fit(X, y)  # the data show feature 2
    assert auto.window_normalization_ == "last"
    assert_array_equal(auto.target_feature_index_, [2])
    unclear = LSTMSeqRegressor(**FAST).fit(X, RNG.normal(size=(20, 1)))
    assert unclear.window_normalization_ is None  # nothing says: no guess


def test_infer_index_on_the_reference_two_feature_problem():
    from sklstm.datasets import load_many_to_many

    data = load_many_to_many(n_features=2)
    assert_array_equal(infer_index(data.X, data.y), [data.target_feature_index])


@pytest.mark.parametrize(
    "gap, expected",
    [(0.1, [1, 0]), (1.5, None)],  # clear, or halfway between: no guess
)
def test_infer_index_refuses_to_guess_when_unclear(gap, expected):
    base = RNG.normal(size=(50, 5, 1)).cumsum(axis=1)
    X = np.concatenate([base + 3.0, base], axis=2)
    y = np.stack([X[:, -1, 1] + gap, X[:, -1, 0] - gap], axis=1)[:, None, :]
    got = infer_index(X, y)
    assert (got if got is None else got.tolist()) == expected


def test_an_unresolvable_mapping_fails_before_building_and_changes_nothing():
    X, y = RNG.normal(size=(20, 4, 3)), RNG.normal(size=(20, 2))
    est = LSTMSeqRegressor(**FAST).fit(X, y)
    before = est.predict(X)
    est.set_params(window_normalization="last", warm_start=False)
    with pytest.raises(ValueError, match="target_feature_index"):
        est.fit(X, y)
    assert est.window_normalization_ is None
    assert_array_equal(est.predict(X), before)


def test_single_sample_partial_fit_and_warm_start_keep_the_normalization():
    X, y = make_windows(_trend(), 8, 3)
    est = LSTMSeqRegressor(warm_start=True, **FAST).fit(X, y)
    assert_allclose(est.predict(X[:1]), est.predict(X)[:1], rtol=1e-5)
    stats = est.y_mean_.copy()
    est.set_params(window_normalization=None).fit(X, y)  # a continuation
    assert est.window_normalization_ == "last"
    assert_array_equal(est.y_mean_, stats)
    est.partial_fit(X, y)
    assert est.window_normalization_ == "last"
    assert len(est.history_["loss"]) == 3


@pytest.mark.parametrize("window_scale", [None, "mean_abs", "log"])
def test_pickle_save_and_load_round_trips(tmp_path, window_scale):
    X, y = make_windows(_trend() + 5.0, 8, 3)
    est = LSTMSeqRegressor(
        window_normalization="mean", window_scale=window_scale, **FAST
    ).fit(X, y)
    again = pickle.loads(pickle.dumps(est))
    assert_array_equal(again.predict(X), est.predict(X))
    save(est, tmp_path / "m.sklstm")
    loaded = load(tmp_path / "m.sklstm")
    assert loaded.window_normalization_ == "mean"
    assert loaded.window_scale_ == window_scale
    assert_array_equal(loaded.predict(X * 3.0), est.predict(X * 3.0))


def test_searchable_in_a_time_ordered_grid():
    # A drifting series: each later fold's test windows lie above every level
    # its training windows saw, which only window normalization can follow.
    X, y = make_windows(_trend(), 8, 3)
    grid = GridSearchCV(
        LSTMSeqRegressor(**FAST),
        {"window_normalization": ["auto", None]},
        cv=TimeSeriesSplit(2),
        scoring="neg_mean_absolute_error",
    ).fit(X, y)
    results = grid.cv_results_
    assert list(results["param_window_normalization"]) == ["auto", None]
    auto, none = np.transpose([-results[f"split{i}_test_score"] for i in range(2)])
    # mean absolute errors in each fold: about 0.8 with "auto", 15 with None
    assert np.all(auto < 2.0) and np.all(none > 5.0), (auto, none)
    assert grid.best_params_ == {"window_normalization": "auto"}
    assert grid.best_estimator_.window_normalization_ == "last"


# ------------------------------------------------------------ window scale
def test_window_scales_round_trip_and_keep_zero_windows_at_scale_one():
    X = np.array([[[1.0], [3.0]], [[0.0], [0.0]], [[-2.0], [2.0]]], np.float32)
    sc = window_scales(X, "mean_abs")
    assert_array_equal(sc[:, 0, 0], [2.0, 1.0, 2.0])  # zeros keep scale 1
    loc, index = locations(X, "last"), np.array([0])
    y = np.array([[[5.0]], [[1.0]], [[4.0]]])
    moved = shift_targets(y, loc, index, sc)
    assert_allclose(moved[:, 0, 0], [1.0, 1.0, 1.0])  # the relative change
    assert_allclose(unshift_targets(moved, loc, index, sc), y)
    assert_allclose(shift_inputs(X, loc, sc)[:, 0, 0], [-1.0, 0.0, -2.0])
    with pytest.raises(ValueError, match="unknown window scale 'std'"):
        window_scales(X, "std")


@pytest.mark.parametrize("loss", ["mse", "quantile"])
def test_window_scale_makes_forecasts_scale_equivariant(loss):
    """Multiplying a window by c multiplies its forecast and quantiles by c."""
    X, y = make_windows(_trend() + 50.0, 8, 3)
    params = {**FAST, "linear_path": "ridge", "loss": loss}
    est = LSTMSeqRegressor(window_scale="mean_abs", **params).fit(X, y)
    assert est.window_scale_ == "mean_abs"
    base = est.predict(X[:5])
    assert_allclose(est.predict(X[:5] * 1000.0), base * 1000.0, rtol=1e-4)
    if loss == "quantile":
        q = est.predict_quantiles(X[:5])
        assert np.all(np.diff(q, axis=-1) >= 0)  # still in order
        assert_allclose(est.predict_quantiles(X[:5] * 1000.0), q * 1000.0, rtol=1e-4)
    else:  # without the window scale only shifts are undone
        plain = LSTMSeqRegressor(**params).fit(X, y)
        far = plain.predict(X[:5] * 1000.0) / (plain.predict(X[:5]) * 1000.0)
        assert np.max(np.abs(far - 1.0)) > 0.05


def test_window_scale_is_safe_on_zero_windows_and_undone_in_intervals():
    series = np.r_[np.zeros(12), 10.0 + _trend(40)]  # windows of zeros, then not
    X, y = make_windows(series, 6, 2)
    conformal = SplitConformalForecaster(
        LSTMSeqRegressor(window_scale="mean_abs", **FAST), confidence_level=0.8
    ).fit(X, y)
    y_pred, bounds = conformal.predict_interval(X)
    assert np.all(np.isfinite(bounds))
    assert np.all(bounds[..., 0, 0] <= y_pred) and np.all(y_pred <= bounds[..., 1, 0])
    assert_allclose(y_pred, conformal.estimator_.predict(X))


# ------------------------------------------------------------- log scale
def test_to_log_round_trips_chosen_features_and_refuses_values_at_minus_one():
    X = np.array([[[0.0, -5.0], [3.0, -7.0]]], np.float32)
    logged = to_log(X, "the inputs", np.array([0]))
    assert_allclose(logged[..., 0], np.log1p(X[..., 0]))
    assert_array_equal(logged[..., 1], X[..., 1])  # other features untouched
    assert_array_equal(X[0, :, 0], [0.0, 3.0])  # a copy, not the caller's array
    assert_allclose(from_log(logged[..., 0]), X[..., 0], rtol=1e-6)
    with pytest.raises(ValueError, match=r"above -1; the smallest is -7.+mean_abs"):
        to_log(X, "the inputs")


@pytest.mark.parametrize("loss", ["mse", "quantile"])
def test_log_scale_is_the_fit_in_log1p_mapped_back(loss):
    """window_scale="log" = the same fit on log1p(series), forecasts expm1'd."""
    series = (2.0 + np.sin(np.arange(60) * np.pi / 3)) * np.linspace(1, 30, 60)
    X, y = make_windows(series, 6, 3)
    params = {**FAST, "linear_path": "ridge", "loss": loss}
    est = LSTMSeqRegressor(window_scale="log", **params).fit(X, y)
    by_hand = LSTMSeqRegressor(**params).fit(np.log1p(X), np.log1p(y))
    assert est.window_scale_ == "log"
    assert_allclose(est.predict(X), np.expm1(by_hand.predict(np.log1p(X))), rtol=1e-4)
    if loss == "quantile":
        q = est.predict_quantiles(X)
        assert np.all(np.diff(q, axis=-1) >= 0)  # expm1 keeps them in order
        assert_allclose(q, np.expm1(by_hand.predict_quantiles(np.log1p(X))), rtol=1e-4)


def test_log_scale_refuses_values_at_minus_one_and_leaves_the_model_unchanged():
    X, y = make_windows(_trend() + 5.0, 8, 3)
    est = LSTMSeqRegressor(window_scale="log", **FAST).fit(X, y)
    before = est.predict(X)
    with pytest.raises(ValueError, match="log1p of the targets"):
        est.fit(X, y - 100.0)
    with pytest.raises(ValueError, match="log1p of the inputs' target features"):
        est.predict(X - 100.0)
    assert_array_equal(est.predict(X), before)
