"""Tests for sklstm._data.covariates: covariates known over the forecast period."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklstm import (
    LSTMSeqRegressor,
    SplitConformalForecaster,
    load,
    make_windows,
    save,
)
from sklstm._data.units import inputs_to_model_units
from sklstm._model.architectures import ARCHITECTURES

RNG = np.random.default_rng(0)
N_IN, N_OUT = 6, 3
# Demand driven by the same step's temperature (known ahead), on a trend.
TEMP = RNG.normal(size=150)
DEMAND = 5.0 + 0.05 * np.arange(150) + 2.0 * TEMP + 0.1 * RNG.normal(size=150)
X, Y = make_windows(
    np.c_[DEMAND, TEMP], N_IN, N_OUT, target_columns=0, future_columns=1,
    flatten_target=True,
)  # fmt: skip
TRAIN, TEST = slice(0, 110), slice(110, None)
FAST = dict(units=4, epochs=2, batch_size=16, random_state=0)


@pytest.fixture(scope="module")
def fitted():
    """The network alone (no linear path), so that only it can read ahead."""
    est = LSTMSeqRegressor(
        architecture="encoder_decoder", future_features=1, linear_path=None, **FAST
    )
    return est.fit(X[TRAIN], Y[TRAIN])


@pytest.fixture(scope="module")
def blind_mae():
    """The error of the same windows without the forecast period."""
    blind = LSTMSeqRegressor(target_feature_index=0, **FAST)
    return _mae(blind.fit(X[TRAIN, :N_IN], Y[TRAIN]), X[TEST, :N_IN])


def _mae(est, X_test):
    return np.abs(est.predict(X_test) - Y[TEST]).mean()


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_every_architecture_forecasts_better_knowing_the_future(
    architecture, blind_mae
):
    est = LSTMSeqRegressor(architecture=architecture, future_features=[1], **FAST)
    est.fit(X[TRAIN], Y[TRAIN])
    assert_array_equal(est.future_features_, [1])
    assert est.predict(X[TEST]).shape == Y[TEST].shape
    # temperature moves demand by 2 per unit: blind, the error is about 1.6
    assert _mae(est, X[TEST]) < 0.3 * blind_mae


def test_the_network_reads_the_future_features_and_nothing_else_ahead(fitted):
    base = fitted.predict(X[TEST])
    other = X[TEST].copy()
    other[:, N_IN:, 0] = 1e6  # the target's forecast period: never read
    assert_array_equal(fitted.predict(other), base)
    warmer = X[TEST].copy()
    warmer[:, N_IN:, 1] += 1.0  # the forecast period's temperature
    assert np.abs(fitted.predict(warmer) - base).max() > 1e-3


def test_future_features_keep_their_level_and_the_unread_values_are_zero():
    est = LSTMSeqRegressor(
        future_features=1, standardize=False, window_normalization="last", **FAST
    ).fit(X[TRAIN], Y[TRAIN])
    model_X, (loc, _, _) = inputs_to_model_units(est, X[TEST])
    assert_allclose(model_X[:, :, 1], X[TEST, :, 1])  # unshifted, past and ahead
    assert_allclose(model_X[:, :N_IN, 0], X[TEST, :N_IN, 0] - loc[:, :, 0], atol=1e-5)
    assert_array_equal(model_X[:, N_IN:, 0], 0.0)
    assert_allclose(loc[:, 0, 0], X[TEST, N_IN - 1, 0])  # the last *input* step


def _with(index, value):
    bad = X[:20].copy()
    bad[index] = value
    return bad


@pytest.mark.parametrize(
    "params, X_bad, match",
    [
        ({"future_features": 1}, _with((3, N_IN + 1, 1), np.nan), "future feature 1 "
         "is missing .+ window 3, step 1"),
        ({"future_features": 1}, _with((0, 2, 0), np.nan), "in its input steps"),
        ({"future_features": 0, "target_feature_index": 0}, X[:20],
         r"feature\(s\) \[0\], which the target"),
        ({"future_features": 2}, X[:20], "from 0 to 1"),
        ({"future_features": 1}, X[:20, :N_OUT], "they have 3 timesteps"),
        ({"future_features": 0.5}, X[:20], "'future_features' parameter"),
    ],
)  # fmt: skip
def test_bad_layouts_get_a_clear_error_before_any_training(params, X_bad, match):
    est = LSTMSeqRegressor(**params, **FAST)
    with pytest.raises((ValueError, TypeError), match=match):
        est.fit(X_bad, Y[:20])
    assert not hasattr(est, "model_")


def test_predict_refuses_a_missing_future_and_changes_nothing(fitted):
    before = fitted.predict(X[TEST])
    with pytest.raises(ValueError, match="future feature 1 is missing"):
        fitted.predict(_with((0, N_IN, 1), np.nan))
    assert_array_equal(fitted.predict(X[TEST]), before)


def test_pickle_save_load_clone_and_continuations(fitted, tmp_path):
    base = fitted.predict(X[TEST])
    assert_array_equal(pickle.loads(pickle.dumps(fitted)).predict(X[TEST]), base)
    save(fitted, tmp_path / "m.sklstm")
    loaded = load(tmp_path / "m.sklstm")
    assert_array_equal(loaded.future_features_, [1])
    assert_array_equal(loaded.predict(X[TEST]), base)
    assert clone(fitted).future_features == 1
    loaded.partial_fit(X[TRAIN], Y[TRAIN])
    assert len(loaded.history_["loss"]) == fitted.n_iter_ + 1
    loaded.set_params(warm_start=True, future_features=None)
    with pytest.raises(ValueError, match="future_features"):
        loaded.fit(X[TRAIN], Y[TRAIN])


def test_search_cross_validation_quantiles_and_intervals():
    est = LSTMSeqRegressor(future_features=1, **{**FAST, "epochs": 1})
    grid = GridSearchCV(
        est, {"architecture": ["simple", "encoder_decoder"]}, cv=TimeSeriesSplit(2)
    ).fit(X, Y)
    assert grid.best_params_["architecture"] in ("simple", "encoder_decoder")
    assert np.isfinite(cross_val_score(est, X, Y, cv=TimeSeriesSplit(2))).all()
    quantile = clone(est).set_params(loss="quantile").fit(X[TRAIN], Y[TRAIN])
    q = quantile.predict_quantiles(X[TEST])
    assert q.shape == (*Y[TEST].shape, 3) and np.all(np.diff(q, axis=-1) >= 0)
    conformal = SplitConformalForecaster(est, confidence_level=0.8).fit(X, Y)
    y_pred, bounds = conformal.predict_interval(X[TEST])
    assert np.all(bounds[..., 0, 0] <= y_pred) and np.all(y_pred <= bounds[..., 1, 0])


def test_a_pipeline_passes_the_windows_and_their_nan_through(fitted):
    """A step before the estimator sees the forecast period's NaN and keeps it."""
    pipe = make_pipeline(FunctionTransformer(lambda Z: Z), clone(fitted))
    pipe.fit(X[TRAIN], Y[TRAIN])
    assert_allclose(pipe.predict(X[TEST]), fitted.predict(X[TEST]), rtol=1e-5)
