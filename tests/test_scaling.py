import numpy as np
import pytest

from sklstm import LSTMSeqRegressor
from sklstm._data.scaling import fit_stats, scale, unscale

FAST = dict(units=4, epochs=3, batch_size=4, random_state=0)
rng = np.random.default_rng(0)
X = rng.normal(50, 10, size=(16, 3, 2)).astype(np.float32)
Y = rng.normal(-5, 3, size=(16, 2, 1))


def test_stats_scale_and_unscale_round_trip():
    mean, std = fit_stats(X)
    assert mean.shape == std.shape == (2,)
    Z = scale(X, mean, std)
    np.testing.assert_allclose(Z.mean(axis=(0, 1)), 0, atol=1e-5)
    np.testing.assert_allclose(Z.std(axis=(0, 1)), 1, rtol=1e-4)
    np.testing.assert_allclose(unscale(Z, mean, std), X, rtol=1e-5)


def test_constant_feature_is_only_centred():
    A = np.ones((4, 2, 1), dtype=np.float32)
    mean, std = fit_stats(A)
    assert std[0] == 1.0 and np.all(scale(A, mean, std) == 0)


@pytest.mark.parametrize(
    "activation, standardize, expected",
    [("tanh", "auto", True), ("relu", "auto", False), ("relu", True, True)],
)
def test_auto_standardizes_saturating_activations(activation, standardize, expected):
    est = LSTMSeqRegressor(activation=activation, standardize=standardize, **FAST)
    est.fit(X, Y)
    assert (est.x_mean_ is not None) is expected
    assert (est.y_scale_ is not None) is expected


def test_internal_standardization_equals_scaling_by_hand():
    inner = LSTMSeqRegressor(standardize=True, **FAST).fit(X, Y)
    xm, xs = fit_stats(X)
    ym, ys = fit_stats(Y.astype(np.float32))
    Xs, Ys = scale(X, xm, xs), scale(Y.astype(np.float32), ym, ys)
    outer = LSTMSeqRegressor(standardize=False, **FAST).fit(Xs, Ys)
    np.testing.assert_allclose(
        inner.predict(X), unscale(outer.predict(Xs), ym, ys), rtol=1e-4, atol=1e-4
    )


def test_user_arrays_are_never_modified():
    X32, Y64 = X.copy(), Y.copy()
    est = LSTMSeqRegressor(standardize=True, **FAST).fit(X32, Y64)
    est.predict(X32)
    np.testing.assert_array_equal(X32, X)
    np.testing.assert_array_equal(Y64, Y)


@pytest.mark.parametrize("restore", [True, False])
def test_best_validation_weights_are_restored_by_default(restore):
    est = LSTMSeqRegressor(
        units=4,
        epochs=15,
        batch_size=4,
        learning_rate=0.05,
        validation_split=0.25,
        standardize=False,
        restore_best_weights=restore,
        random_state=0,
    ).fit(X / 50, Y)
    val_pred = est.predict(X[12:] / 50)
    val_mse = float(np.mean((val_pred - Y[12:]) ** 2))
    expected = (
        min(est.history_["val_loss"]) if restore else est.history_["val_loss"][-1]
    )
    assert len(est.history_["val_loss"]) == 15  # no early stop: all epochs ran
    assert val_mse == pytest.approx(expected, rel=1e-4)
