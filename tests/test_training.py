"""Tests for the training contract: sklstm._training (contract, stopping, ...)."""

import pickle
import random

import keras
import numpy as np
import pytest
import tensorflow as tf

from sklstm import LSTMSeqRegressor, TrainingDivergedError
from sklstm._training.divergence import check_loss_did_not_explode
from sklstm._training.stopping import FitResult

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
    "losses, diverged",
    [
        ([1e-11, 2e-10], False),  # converged: tiny losses are below the floor
        ([1e-11, 2e-5], True),  # 20x the floor
        ([1.0, 0.01, 1.5], True),  # 150x its best, above its first
        ([1.0, 0.011, 0.196], False),  # minibatch noise: 18x its best
        ([5.0, 0.0006, 1.2], False),  # a last-epoch spike, below its first
        ([1.0, 20.0], True),  # 20x its first
    ],
)
def test_explosion_is_judged_against_the_best_loss_with_a_floor(losses, diverged):
    result = FitResult({"loss": losses}, len(losses), None, 0)
    if diverged:
        with pytest.raises(TrainingDivergedError, match="grew from") as info:
            check_loss_did_not_explode(losses, result)
        assert info.value.epoch == len(losses) - 1 and info.value.result is result
    else:
        check_loss_did_not_explode(losses, result)


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
