"""Tests for the training contract: sklstm._training (contract, stopping, ...)."""

import pickle
import random

import keras
import numpy as np
import pytest
import tensorflow as tf

from sklstm import LSTMSeqRegressor, TrainingDivergedError
from sklstm._model import compile as compile_module
from sklstm._training.divergence import check_loss_did_not_explode, reference_loss
from sklstm._training.stopping import FitResult, for_estimator

RNG = np.random.default_rng(3)
X, Y = RNG.normal(size=(30, 4, 2)), RNG.normal(size=(30, 2))
# The contract under explicit settings: no validation or early stopping unless
# a test asks for them (the defaults have both).
TINY = dict(
    architecture="simple",
    units=4,
    epochs=4,
    batch_size=8,
    random_state=0,
    validation_split=0.0,
    early_stopping=False,
)


@pytest.mark.parametrize("engine", ["fused", "keras"])
@pytest.mark.parametrize(
    "params",
    [
        dict(),
        dict(validation_split=0.3),
        dict(validation_split=0.3, early_stopping=True, patience=1, epochs=30),
        dict(early_stopping=True, patience=1, min_delta=1e9, epochs=30),
    ],
)
def test_both_engines_report_the_same_fitted_attributes(engine, params):
    kw = {**TINY, **params}
    est = LSTMSeqRegressor(engine=engine, **kw).fit(X, Y)
    other = "keras" if engine == "fused" else "fused"
    ref = LSTMSeqRegressor(engine=other, **kw).fit(X, Y)
    for e in (est, ref):
        monitor = "val_loss" if kw.get("validation_split") else "loss"
        assert e.n_iter_ == len(e.history_["loss"]) == len(e.history_[monitor])
        assert e.best_loss_ == e.history_["loss"][e.best_epoch_]  # as MLPRegressor
        val = e.history_.get("val_loss")
        assert e.best_validation_loss_ == (val[e.best_epoch_] if val else None)
    assert (est.n_iter_, est.best_epoch_, est.stopped_epoch_) == (
        ref.n_iter_,
        ref.best_epoch_,
        ref.stopped_epoch_,
    )
    if kw.get("early_stopping"):
        assert est.stopped_epoch_ == est.n_iter_ - 1 < kw["epochs"] - 1
    else:
        assert est.stopped_epoch_ is None and est.n_iter_ == kw["epochs"]
    if kw.get("min_delta"):
        assert est.best_epoch_ == 0  # nothing improves by 1e9


def test_keras_engine_leaves_global_random_state_alone():
    tf.random.set_seed(123)
    expected = [float(tf.random.uniform([])) for _ in range(2)]
    random.seed(5)
    np.random.seed(5)  # noqa: NPY002
    py_state, np_state = random.getstate(), np.random.get_state()  # noqa: NPY002
    tf.random.set_seed(123)
    first = float(tf.random.uniform([]))
    LSTMSeqRegressor(engine="keras", **TINY).fit(X, Y)
    assert [first, float(tf.random.uniform([]))] == expected
    assert random.getstate() == py_state
    np.testing.assert_array_equal(np.random.get_state()[1], np_state[1])  # noqa: NPY002


def test_keras_engine_threaded_fits_equal_sequential_ones(
    assert_threaded_fits_equal_sequential,
):
    params = [dict(TINY, engine="keras", random_state=s) for s in range(3)]
    assert_threaded_fits_equal_sequential(params, X, Y)


def _warm(**params):
    return LSTMSeqRegressor(warm_start=True, standardize=False, **{**TINY, **params})


def test_warm_start_with_a_new_learning_rate_trains_with_it():
    est = _warm(learning_rate=1e-3).fit(X, Y)
    slow, fast = pickle.loads(pickle.dumps(est)), pickle.loads(pickle.dumps(est))
    slow.fit(X, Y)
    fast.set_params(learning_rate=0.1).fit(X, Y)
    assert float(fast.model_.optimizer.learning_rate) == pytest.approx(0.1)
    assert fast.history_["loss"] != slow.history_["loss"]
    steps = 2 * 4 * 4  # two fits of 4 epochs of 4 batches: the state carried over
    assert int(fast.model_.optimizer.iterations) == steps
    assert int(slow.model_.optimizer.iterations) == steps


@pytest.mark.parametrize(
    "change, check",
    [
        (
            dict(optimizer="sgd"),
            lambda m: isinstance(m.optimizer, keras.optimizers.SGD),
        ),
        (dict(loss="mae"), lambda m: m.loss is keras.losses.get("mae")),
        (dict(optimizer__beta_1=0.5), lambda m: m.optimizer.beta_1 == 0.5),
    ],
)
def test_warm_start_with_a_new_optimizer_or_loss_trains_with_it(change, check):
    est = _warm().fit(X, Y)
    old_model, old_weights = est.model_, est.model_.get_weights()
    est.set_params(**change).fit(X, Y)
    assert check(est.model_)
    assert old_model is not est.model_  # the old model was not recompiled
    for w, w0 in zip(old_model.get_weights(), old_weights, strict=True):
        np.testing.assert_array_equal(w, w0)
    # the optimizer's state is kept only where the optimizer is unchanged
    same_optimizer = "loss" in change
    assert int(est.model_.optimizer.iterations) == (32 if same_optimizer else 16)


@pytest.mark.parametrize(
    "change", [dict(units=5), dict(architecture="stacked"), dict(dropout=0.1)]
)
def test_warm_start_with_a_new_network_parameter_raises(change):
    est = _warm().fit(X, Y)
    before = est.predict(X)
    (name,) = change
    with pytest.raises(ValueError, match=f"{name} .*warm_start=False"):
        est.set_params(**change).fit(X, Y)
    np.testing.assert_array_equal(est.predict(X), before)


@pytest.mark.parametrize(
    "losses, reference, diverged",
    [
        ([1e-11, 2e-10], 0.0, False),  # converged: tiny losses are below the floor
        ([1e-11, 2e-5], 0.0, True),  # 20x the absolute floor, constant targets
        ([3e-11, 1e-4], 1.0, False),  # a ten-thousandth of the constant forecast
        ([3e-11, 2e-2], 1.0, True),  # 20x the floor a reference of 1 sets
        ([1.0, 0.01, 1.5], 1.0, True),  # 150x its best, above its first
        ([1.0, 0.011, 0.196], 1.0, False),  # minibatch noise: 18x its best
        ([5.0, 0.0006, 1.2], 1.0, False),  # a last-epoch spike, below its first
        ([1.0, 20.0], 1.0, True),  # 20x its first
        ([1e6, 1e4, 5e6], 1e9, False),  # large units: a floor of 1e6, not 1e-6
        ([3e9, 5e8, 2e9], 1e6, True),  # 2,000x the constant forecast's loss
        ([3e9, 5e8, 2e9], 0.0, False),  # below its first, 4x its best
        ([3e-8, 5e-8, 4e-8], 4e-12, False),  # 1e4x a reference far below 1e-6
    ],
)
def test_explosion_is_judged_against_the_best_loss_with_a_floor(
    losses, reference, diverged
):
    result = FitResult({"loss": losses}, len(losses), None, 0)
    if diverged:
        with pytest.raises(TrainingDivergedError, match="grew from") as info:
            check_loss_did_not_explode(losses, result, reference)
        assert info.value.epoch == len(losses) - 1 and info.value.result is result
    else:
        check_loss_did_not_explode(losses, result, reference)


@pytest.mark.parametrize(
    "loss, levels", [("mse", None), ("mae", None), ("quantile", [0.1, 0.9])]
)
def test_reference_loss_is_the_constant_forecasts_loss(loss, levels):
    y = RNG.normal(size=(50, 2, 1)) * 3.0
    est = LSTMSeqRegressor(loss=loss, quantiles=levels, **TINY).initialize(X, Y)
    dev = y - y.mean(axis=0)
    expected = {
        "mse": np.mean(dev**2),
        "mae": np.mean(np.abs(dev)),
        # the mean pinball loss of the mean at every level (0.1, 0.5, 0.9)
        "quantile": np.mean(
            [np.mean(np.maximum(q * dev, (q - 1) * dev)) for q in (0.1, 0.5, 0.9)]
        ),
    }[loss]
    assert reference_loss(est.model_, y) == pytest.approx(expected, rel=1e-5)


# Data the linear path fits exactly (the example): the network starts
# from a loss of about 1e-11 and a large learning rate moves it to about 1e-4.
X_EXACT = np.random.default_rng(0).random((20, 3, 1))
Y_EXACT = X_EXACT[:, :2, 0] + 1
ON_EXACT = dict(architecture="simple", units=8, random_state=0)


@pytest.mark.parametrize("engine", ["fused", "keras"])
@pytest.mark.parametrize("how", ["fit", "early stopping", "warm start", "partial_fit"])
def test_a_loss_that_stays_tiny_is_not_called_diverged(engine, how):
    est = LSTMSeqRegressor(engine=engine, **ON_EXACT)
    if how == "partial_fit":
        est.set_params(learning_rate=0.1)
        for _ in range(12):
            est.partial_fit(X_EXACT, Y_EXACT)
    elif how == "warm start":
        est.set_params(epochs=3, warm_start=True).fit(X_EXACT, Y_EXACT)
        est.set_params(learning_rate=0.1, epochs=12).fit(X_EXACT, Y_EXACT)
    else:
        es = how == "early stopping"
        est.set_params(learning_rate=0.1, epochs=12, early_stopping=es)
        est.fit(X_EXACT, Y_EXACT)
    losses = est.history_["loss"]
    with pytest.raises(TrainingDivergedError):  # an absolute floor cries wolf
        check_loss_did_not_explode(losses, FitResult({"loss": losses}, 1, None, 0))
    np.testing.assert_allclose(est.predict(X_EXACT), Y_EXACT, atol=0.05)


@pytest.mark.parametrize("engine", ["fused", "keras"])
@pytest.mark.parametrize("how", ["warm start", "partial_fit"])
def test_a_real_explosion_is_still_diverged_when_continued(engine, how):
    # relu layers on large unscaled inputs with a learning rate of 10
    params = dict(activation="relu", standardize=False, linear_path=None)
    est = LSTMSeqRegressor(engine=engine, **TINY, **params, warm_start=True)
    est.fit(X * 1e6, Y * 1e6)
    before = est.predict(X * 1e6)
    est.set_params(learning_rate=10.0, epochs=8)
    with pytest.raises(TrainingDivergedError, match="Scale the inputs"):
        if how == "warm start":
            est.fit(X * 1e6, Y * 1e6)
        for _ in range(8):
            est.partial_fit(X * 1e6, Y * 1e6)
    np.testing.assert_array_equal(est.predict(X * 1e6), before)


def test_converged_warm_start_is_not_called_diverged():
    Xz, yz = np.zeros((24, 4, 1)), np.full((24, 2), 1e-5)
    params = dict(batch_size=32, shuffle=False, linear_path=None)  # the network
    est = _warm(**params, epochs=60).fit(Xz, yz)
    assert est.history_["loss"][-1] < 1e-8  # converged
    est.set_params(learning_rate=0.01, epochs=3).fit(Xz, yz)  # wobbles, no error
    losses = est.history_["loss"]
    assert losses[-1] > 10 * losses[0]  # what a rule relative to the first fails


@pytest.mark.parametrize("engine", ["fused", "keras"])
def test_divergence_in_partial_fit_reports_the_absolute_epoch(engine):
    est = LSTMSeqRegressor(engine=engine, **TINY)
    est.partial_fit(X, Y).partial_fit(X, Y)
    before = est.predict(X)
    with pytest.raises(TrainingDivergedError, match="epoch 3/3") as info:
        est.partial_fit(X, np.full_like(Y, 1e25))  # the squared error overflows
    assert info.value.epoch == 2  # counted from the first fit, as history_ is
    assert isinstance(info.value.result, FitResult)
    assert info.value.history is info.value.result.history
    assert est.n_iter_ == 2
    np.testing.assert_array_equal(est.predict(X), before)


def test_explosion_rule_judges_epochs_run_one_partial_fit_at_a_time():
    est = LSTMSeqRegressor(**TINY)
    for _ in range(3):
        est.partial_fit(X, Y)
    before = est.predict(X)
    with pytest.raises(TrainingDivergedError, match="grew from") as info:
        est.partial_fit(X, 100 * Y)  # 10,000 times the loss of the first calls
    assert info.value.epoch == 3 and isinstance(info.value.result, FitResult)
    assert est.n_iter_ == 3  # left as it was
    np.testing.assert_array_equal(est.predict(X), before)


def test_fits_on_many_windows_unroll_longer_sequences(monkeypatch):
    # Fewer windows than MANY_SAMPLES keep 17 steps rolled: every other test.
    monkeypatch.setattr(compile_module, "MANY_SAMPLES", 50)
    X = np.random.default_rng(0).random((60, 17, 1))
    est = LSTMSeqRegressor(units=2, epochs=1, random_state=0).fit(X, X[:, -2:, 0])
    cells = [la for la in est.model_.layers if type(la).__name__ == "LSTM"]
    assert cells and all(la.unroll for la in cells)


@pytest.mark.parametrize(
    "many, batch_size, patience, refit", [(False, 32, 20, None), (True, 256, 10, 1)]
)
def test_auto_batch_size_patience_and_refit_on_many_windows(
    monkeypatch, many, batch_size, patience, refit
):
    if many:  # 60 windows count as many
        monkeypatch.setattr(compile_module, "MANY_SAMPLES", 50)
    seen = []

    class CountBatches(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)

    X = np.random.default_rng(0).random((60, 3, 1))
    est = LSTMSeqRegressor(
        units=2, epochs=1, random_state=0, callbacks=[CountBatches()]
    )
    est.fit(X, X[:, -2:, 0])
    assert est.batch_size == "auto" and est.batch_size_ == batch_size
    assert est.refit_full == "auto" and est.refit_epochs_ == refit
    # 48 training windows in batches of 32; or one batch of 256, then the
    # refit's epoch on all 60 windows in one batch
    assert len(seen) == 2
    assert for_estimator(est, len(X)).patience == patience
    assert for_estimator(est.set_params(patience=3), len(X)).patience == 3
    assert LSTMSeqRegressor(batch_size=7).initialize(X, X[:, -2:, 0]).batch_size_ == 7


@pytest.mark.parametrize("engine", ["fused", "keras"])
@pytest.mark.parametrize("restore", [True, False])
def test_refit_full_trains_a_new_network_on_every_window(engine, restore):
    kw = dict(TINY, engine=engine, validation_split=0.3, epochs=12)
    kw.update(early_stopping=True, patience=2, restore_best_weights=restore)
    est = LSTMSeqRegressor(refit_full=True, **kw).fit(X, Y)
    epochs = est.best_epoch_ + 1 if restore else est.n_iter_
    assert est.refit_epochs_ == epochs
    assert len(est.history_["val_loss"]) == est.n_iter_  # the validated fit's
    # the same network as a fit on every window for that many epochs
    full = dict(kw, validation_split=0.0, early_stopping=False, epochs=epochs)
    ref = LSTMSeqRegressor(refit_full=True, **full).fit(X, Y)
    assert ref.refit_epochs_ is None  # nothing held out, nothing to refit
    np.testing.assert_array_equal(est.predict(X), ref.predict(X))
    validated = LSTMSeqRegressor(refit_full=False, **kw).fit(X, Y)
    assert validated.refit_epochs_ is None and validated.history_ == est.history_
    assert not np.array_equal(validated.predict(X), est.predict(X))


def test_no_refit_when_training_continues():
    kw = dict(TINY, validation_split=0.3, refit_full=True)
    est = LSTMSeqRegressor(**kw).partial_fit(X, Y)
    assert est.refit_epochs_ is None
    est = LSTMSeqRegressor(**kw).fit(X, Y)  # keeps the best of 4 epochs
    assert est.refit_epochs_ == est.best_epoch_ + 1
    est.set_params(warm_start=True).fit(X, Y)
    assert est.refit_epochs_ is None and est.n_iter_ == 4
