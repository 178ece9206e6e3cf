"""The linear path beside the network (sklstm._model.linear)."""

import io

import numpy as np
import pytest
from sklearn.linear_model import RidgeCV
from sklearn.metrics import mean_absolute_error

from sklstm import LSTMSeqRegressor, load, make_windows, save
from sklstm._model.architectures import ARCHITECTURES
from sklstm._model.linear import ALPHAS, features


def _seasonal(n=260, seed=0):
    """A noisy monthly-like season on a slow trend."""
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    return 0.02 * t + 2 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 0.3, n)


def _ridge(X, y, sample_weight=None):
    X2 = X.reshape(len(X), -1)
    return RidgeCV(alphas=ALPHAS).fit(X2, y, sample_weight=sample_weight), X2


@pytest.mark.parametrize("with_level", [False, True])
def test_features_are_the_flat_windows_then_the_levels_in_float64(with_level):
    X = np.arange(24, dtype=np.float32).reshape(4, 3, 2) / 7
    level = X[:, -1:, :] * 3 if with_level else None
    expected = X.reshape(4, 6)
    if with_level:
        expected = np.hstack([expected, level.reshape(4, 2)])
    Z = features(X, level)
    assert Z.dtype == np.float64 and Z.flags.c_contiguous
    np.testing.assert_array_equal(Z, expected.astype(np.float64))


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_untrained_estimator_forecasts_as_the_ridge_regression(architecture):
    X, y = make_windows(_seasonal(), 12, 3)
    est = LSTMSeqRegressor(
        architecture=architecture,
        units=4,
        window_normalization=None,
        standardize=False,
        random_state=0,
    ).initialize(X, y)
    ridge, X2 = _ridge(X, y)
    assert est.linear_alpha_ == ridge.alpha_
    np.testing.assert_allclose(est.linear_coef_, ridge.coef_.T, rtol=1e-5)
    np.testing.assert_allclose(est.predict(X), ridge.predict(X2), atol=1e-4)


def test_with_window_normalization_the_level_is_a_feature():
    X, y = make_windows(_seasonal(), 12, 3)
    est = LSTMSeqRegressor(units=4, random_state=0).initialize(X, y)
    assert est.linear_coef_.shape == (12 + 1, 3)  # the window, then its level
    np.testing.assert_allclose(est.level_mean_, [X[:, -1].mean()], rtol=1e-5)
    # The window relative to its last value, plus the level: a raw ridge
    # regression reparametrized, so a trend is followed past the training range.
    shifted = est.predict(X + 0.5) - 0.5
    np.testing.assert_allclose(shifted, est.predict(X), atol=0.5)


@pytest.mark.parametrize("window_scale", [None, "mean_abs"])
def test_ridge_window_reads_the_window_alone_and_moves_with_it(window_scale):
    X, y = make_windows(_seasonal() + 5, 12, 3)
    est = LSTMSeqRegressor(
        units=3,
        epochs=2,
        linear_path="ridge_window",
        window_scale=window_scale,
        random_state=0,
    ).fit(X, y)
    assert est.linear_coef_.shape == (12, 3)  # no level after the window
    assert est.level_mean_ is None and est.level_scale_ is None
    # Without the level the whole forecast (network included) is that of
    # the window relative to its last value (and over its scale).
    pred = est.predict(X)
    if window_scale is None:
        moved = est.predict(X + 50.0) - 50.0
        # ... which "ridge", reading where the window stands, does not do
        # (one fit, the same for both cases: checked once).
        level = LSTMSeqRegressor(units=3, epochs=2, random_state=0).fit(X, y)
        shift = level.predict(X + 50.0) - 50.0 - level.predict(X)
        assert np.abs(shift).max() > 0.1
    else:
        moved = est.predict(X * 10.0) / 10.0
    np.testing.assert_allclose(moved, pred, rtol=1e-4, atol=1e-3)
    buffer = io.BytesIO()
    save(est, buffer)
    back = load(io.BytesIO(buffer.getvalue()))
    assert back.level_mean_ is None
    np.testing.assert_array_equal(back.predict(X), pred)


def test_ridge_path_beats_the_network_alone_on_a_seasonal_series():
    X, y = make_windows(_seasonal(), 24, 6)
    X_train, y_train, X_test, y_test = X[:180], y[:180], X[-50:], y[-50:]
    maes = {}
    for linear_path in (None, "ridge"):
        est = LSTMSeqRegressor(
            units=8, epochs=5, linear_path=linear_path, random_state=0
        ).fit(X_train, y_train)
        maes[linear_path] = mean_absolute_error(y_test, est.predict(X_test))
    noise = 0.3 * np.sqrt(2 / np.pi)  # the MAE of the noise alone
    assert maes["ridge"] < 0.8 * maes[None]
    assert maes["ridge"] < 1.5 * noise


def test_sample_weight_reaches_the_ridge():
    X, y = make_windows(_seasonal(80), 6, 2)
    w = np.r_[np.ones(40), np.full(len(X) - 40, 5.0)]
    params = dict(units=3, window_normalization=None, standardize=False)
    est = LSTMSeqRegressor(epochs=1, learning_rate=1e-9, **params)
    est.fit(X, y, sample_weight=w)
    weighted, X2 = _ridge(X, y, sample_weight=w)
    unweighted, _ = _ridge(X, y)
    np.testing.assert_allclose(est.predict(X), weighted.predict(X2), atol=1e-4)
    assert not np.allclose(est.predict(X), unweighted.predict(X2), atol=1e-3)
