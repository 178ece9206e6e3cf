"""Tests for the fused in-graph training engine (sklstm._training.engine)."""

import keras
import numpy as np
import pytest

from sklstm._model import predict as _predict
from sklstm._model.compile import with_fresh_names
from sklstm._model.graph_cache import graph_key
from sklstm._training import engine
from sklstm._training.engine import (
    EarlyStopping,
    TrainingDivergedError,
    trace_count,
)

X_REF = np.arange(1, 44, 3, dtype="float32").reshape(15, 1, 1)
Y_REF = np.concatenate([X_REF + 1, X_REF + 2], axis=1) / 10.0


def _model(units=8, optimizer="adam", seed=1, l2=None):
    """A tiny LSTM with deterministic initial weights, output shape (2, 1)."""
    init = keras.initializers
    inp = keras.Input((1, 1))
    h = keras.layers.LSTM(
        units,
        kernel_initializer=init.GlorotUniform(seed=seed),
        recurrent_initializer=init.Orthogonal(seed=seed + 1),
    )(inp)
    h = keras.layers.Dense(
        2,
        kernel_initializer=init.GlorotUniform(seed=seed + 2),
        kernel_regularizer=None if l2 is None else keras.regularizers.L2(l2),
    )(h)
    model = keras.Model(inp, keras.layers.Reshape((2, 1))(h))
    model.compile(optimizer=optimizer, loss="mse")
    return model


def fused_fit(model, x, y, **kw):
    """The engine as the training contract calls it: keyed by configuration."""
    return engine.fused_fit(model, x, y, cache_key=graph_key(model), **kw)


def _assert_same_weights(a, b, **tol):
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        if tol:
            np.testing.assert_allclose(wa, wb, **tol)
        else:
            np.testing.assert_array_equal(wa, wb)


def _mse(model, x, y):
    return float(np.mean((model(x, training=False).numpy() - y) ** 2))


def test_history_keys_and_lengths():
    model = _model()
    res = fused_fit(model, X_REF, Y_REF, epochs=4, batch_size=4)
    assert list(res.history) == ["loss"] and len(res.history["loss"]) == 4
    assert (res.epochs_run, res.stopped_epoch) == (4, None)
    assert 0 <= res.best_epoch < 4
    res = fused_fit(model, X_REF, Y_REF, epochs=3, batch_size=4, validation_split=0.2)
    assert sorted(res.history) == ["loss", "val_loss"]
    assert [len(v) for v in res.history.values()] == [3, 3]


def test_loss_definitions_match_keras_split():
    # With a zero learning rate the weights stay put, so the recorded losses
    # must be the plain MSE on the first 12 (train) and last 3 (val) samples,
    # even with a partial last batch (12 = 5 + 5 + 2).
    model = _model(optimizer=keras.optimizers.SGD(0.0))
    res = fused_fit(model, X_REF, Y_REF, epochs=2, batch_size=5, validation_split=0.2)
    np.testing.assert_allclose(
        res.history["loss"], _mse(model, X_REF[:12], Y_REF[:12]), rtol=1e-5
    )
    np.testing.assert_allclose(
        res.history["val_loss"], _mse(model, X_REF[12:], Y_REF[12:]), rtol=1e-5
    )


@pytest.mark.parametrize("chunk", [2, 4])
def test_large_validation_sets_are_evaluated_in_chunks(monkeypatch, chunk):
    # 6 validation samples in chunks of 2 (three) or 4 (4 + 2): the same
    # validation loss as one pass, and training is untouched.
    kw = dict(epochs=3, batch_size=2, validation_split=0.4, seed=3)
    whole, chunked = _model(), _model()
    expected = fused_fit(whole, X_REF, Y_REF, **kw).history
    monkeypatch.setattr(engine, "VAL_CHUNK", chunk)
    got = fused_fit(chunked, X_REF, Y_REF, **kw).history
    assert got["loss"] == expected["loss"]
    np.testing.assert_allclose(got["val_loss"], expected["val_loss"], rtol=1e-6)
    _assert_same_weights(whole, chunked)
    np.testing.assert_allclose(
        got["val_loss"][-1], _mse(chunked, X_REF[9:], Y_REF[9:]), rtol=1e-6
    )


def test_matches_keras_fit_without_shuffling():
    # Without shuffling both loops see the same batches in the same order, so
    # the trajectories agree up to float32 round-off (the L2 penalty checks
    # that regularization losses are included).
    kw = dict(epochs=15, batch_size=5, validation_split=0.2, shuffle=False)
    ours, ref = _model(l2=0.1), _model(l2=0.1)
    res = fused_fit(ours, X_REF, Y_REF, **kw)
    hist = ref.fit(X_REF, Y_REF, verbose=0, **kw).history
    np.testing.assert_allclose(res.history["loss"], hist["loss"], rtol=1e-4)
    np.testing.assert_allclose(res.history["val_loss"], hist["val_loss"], rtol=1e-4)
    _assert_same_weights(ours, ref, rtol=1e-4, atol=1e-6)


def test_reduces_loss_like_keras_fit_with_shuffling():
    # Shuffled orders differ, so compare outcomes: from the same weights both
    # loops cut the training loss ~30x in 20 epochs and end within 1.5x of
    # each other (seen: 0.89x to 1.13x over seeds and model sizes).
    kw = dict(epochs=20, batch_size=3, validation_split=0.2)
    ours, ref = (_model(optimizer=keras.optimizers.Adam(0.01)) for _ in range(2))
    start = _mse(ours, X_REF[:12], Y_REF[:12])
    ours_final = fused_fit(ours, X_REF, Y_REF, **kw).history["loss"][-1]
    keras_final = ref.fit(X_REF, Y_REF, verbose=0, **kw).history["loss"][-1]
    assert ours_final < start / 10 and keras_final < start / 10
    assert 1 / 1.5 < ours_final / keras_final < 1.5


def test_deterministic_and_independent_of_chunking(monkeypatch):
    kw = dict(epochs=12, batch_size=4, validation_split=0.2, seed=7)
    models = [_model() for _ in range(4)]
    hists = [
        fused_fit(models[0], X_REF, Y_REF, **kw).history,
        fused_fit(models[1], X_REF, Y_REF, **kw).history,
    ]
    monkeypatch.setattr(engine, "MAX_CHUNK", 5)  # three graph calls: 5, 5, 2
    hists.append(fused_fit(models[2], X_REF, Y_REF, **kw).history)
    assert hists[0] == hists[1] == hists[2]
    _assert_same_weights(models[0], models[1])
    _assert_same_weights(models[0], models[2])
    fused_fit(models[3], X_REF, Y_REF, **{**kw, "seed": 8})
    assert not np.array_equal(models[0].get_weights()[0], models[3].get_weights()[0])


def test_chunks_and_repeated_fits_do_not_retrace(monkeypatch):
    monkeypatch.setattr(engine, "MAX_CHUNK", 2)
    kw = dict(epochs=6, batch_size=4)
    # Models of one configuration (built with the same layer names, as the
    # estimator builds them) share one traced loop.
    models = [with_fresh_names(_model, 5) for _ in range(3)]
    before = trace_count()
    fused_fit(models[0], X_REF, Y_REF, **kw)  # a configuration of its own
    fused_fit(models[1], X_REF, Y_REF, seed=3, **kw)
    fused_fit(models[2], X_REF[:9], Y_REF[:9], **kw)  # any sample count
    assert trace_count() - before == 1


def test_recompiling_invalidates_the_cached_loop():
    model = _model()
    fused_fit(model, X_REF, Y_REF, epochs=2, batch_size=4)
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
    before = model.get_weights()
    fused_fit(model, X_REF, Y_REF, epochs=2, batch_size=4)  # a stale loop: Adam
    for w, w0 in zip(model.get_weights(), before):
        np.testing.assert_array_equal(w, w0)


def test_initial_epoch_continues_training():
    kw = dict(batch_size=4, validation_split=0.2, seed=3)
    whole, parts = _model(), _model()
    expected = fused_fit(whole, X_REF, Y_REF, epochs=6, **kw).history
    first = fused_fit(parts, X_REF, Y_REF, epochs=2, **kw).history
    res = fused_fit(parts, X_REF, Y_REF, epochs=6, initial_epoch=2, **kw)
    assert res.epochs_run == 4 and len(res.history["loss"]) == 4  # this call's
    losses = first["loss"] + res.history["loss"]
    np.testing.assert_allclose(losses, expected["loss"], rtol=1e-6)
    _assert_same_weights(whole, parts, rtol=1e-6, atol=1e-7)


# Validation targets are the negated training targets (the last half of the
# samples): the better the model fits the training data, the worse the
# validation loss, so val_loss rises after every (full-batch, plain SGD) epoch.
X_ES, Y_ES = np.concatenate([X_REF, X_REF]), np.concatenate([Y_REF, -Y_REF])


def _early_stopping_data():
    return dict(validation_split=0.5, batch_size=15, shuffle=False)


@pytest.mark.parametrize("restore", [True, False])
def test_early_stopping_stops_and_restores_best_weights(restore):
    kw = _early_stopping_data()
    es = {"patience": 2, "restore_best_weights": restore}
    model = _model(optimizer=keras.optimizers.SGD(0.05))
    res = fused_fit(model, X_ES, Y_ES, epochs=50, early_stopping=es, **kw)
    val = res.history["val_loss"]
    assert np.all(np.diff(val) > 0)
    assert (res.stopped_epoch, res.best_epoch, len(val)) == (2, 0, 3)
    best = _model(optimizer=keras.optimizers.SGD(0.05))
    fused_fit(best, X_ES, Y_ES, epochs=1 if restore else 3, **kw)
    _assert_same_weights(model, best)


def test_early_stopping_matches_keras_callback():
    kw = dict(_early_stopping_data(), epochs=50)
    cb = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
    ours, ref = (_model(optimizer=keras.optimizers.SGD(0.05)) for _ in range(2))
    res = fused_fit(ours, X_ES, Y_ES, early_stopping=cb, **kw)
    hist = ref.fit(X_ES, Y_ES, callbacks=[cb], verbose=0, **kw).history
    assert res.stopped_epoch == cb.stopped_epoch == 3
    assert len(res.history["val_loss"]) == len(hist["val_loss"])
    _assert_same_weights(ours, ref, rtol=1e-5, atol=1e-7)


def test_early_stopping_on_loss_and_argument_errors():
    res = fused_fit(
        _model(optimizer=keras.optimizers.SGD(0.0)),
        X_REF,
        Y_REF,
        epochs=20,
        shuffle=False,
        early_stopping=EarlyStopping(monitor="loss", patience=1),
    )
    assert res.stopped_epoch == 1 and len(res.history["loss"]) == 2
    with pytest.raises(ValueError, match="no validation data"):
        fused_fit(_model(), X_REF, Y_REF, epochs=2, early_stopping={"patience": 1})
    with pytest.raises(ValueError, match="monitor"):
        fused_fit(_model(), X_REF, Y_REF, epochs=2, early_stopping={"monitor": "mae"})
    with pytest.raises(ValueError, match="compiled"):
        uncompiled = keras.Sequential([keras.layers.Dense(1)])
        engine.fused_fit(uncompiled, X_REF, Y_REF, epochs=1, cache_key="any")


def test_divergence_on_first_epoch_restores_initial_weights():
    model = _model()
    initial = model.get_weights()
    with pytest.raises(TrainingDivergedError, match="epoch 1/5") as info:
        fused_fit(model, X_REF, Y_REF * 1e30, epochs=5, batch_size=4)
    assert "StandardScaler" in str(info.value) and "learning rate" in str(info.value)
    assert info.value.epoch == 0 and len(info.value.history["loss"]) == 1
    assert not np.isfinite(info.value.history["loss"][0])
    for w, w0 in zip(model.get_weights(), initial):
        np.testing.assert_array_equal(w, w0)


def test_divergence_later_restores_last_finite_epoch():
    def build():
        return _model(units=16, optimizer=keras.optimizers.SGD(10.0))

    model = build()
    with pytest.raises(TrainingDivergedError) as info:
        fused_fit(model, X_REF * 10, Y_REF * 1e3, epochs=100, batch_size=3)
    epoch = info.value.epoch
    losses = info.value.history["loss"]
    assert epoch > 0 and len(losses) == epoch + 1 and np.isfinite(losses[:-1]).all()
    assert all(np.isfinite(w).all() for w in model.get_weights())
    assert int(model.optimizer.iterations) == epoch * 5
    reference = build()
    fused_fit(reference, X_REF * 10, Y_REF * 1e3, epochs=epoch, batch_size=3)
    _assert_same_weights(model, reference)


def test_zero_sample_weight_equals_training_on_subset():
    # Keras's "sum_over_batch_size" divides by the full batch size, so the
    # kept samples get weight n / n_kept to make the losses identical.
    keep = np.arange(15) % 3 != 0
    weights = np.where(keep, 15 / keep.sum(), 0.0)
    kw = dict(epochs=10, batch_size=15, shuffle=False)
    weighted, subset = (_model(optimizer=keras.optimizers.SGD(0.1)) for _ in range(2))
    h1 = fused_fit(weighted, X_REF, Y_REF, sample_weight=weights, **kw).history
    h2 = fused_fit(subset, X_REF[keep], Y_REF[keep], **kw).history
    np.testing.assert_allclose(h1["loss"], h2["loss"], rtol=1e-5)
    _assert_same_weights(weighted, subset, rtol=1e-5, atol=1e-7)


def test_verbose_output(capsys):
    fused_fit(_model(), X_REF, Y_REF, epochs=3, validation_split=0.2, verbose=0)
    assert capsys.readouterr() == ("", "")
    fused_fit(_model(), X_REF, Y_REF, epochs=10, validation_split=0.2, verbose=1)
    out = capsys.readouterr().out
    assert "10/10" in out and "loss:" in out and "val_loss:" in out


def test_predict_function_matches_model_predict(monkeypatch):
    model = _model()
    monkeypatch.setattr(_predict, "CHUNK_ROWS", 4)  # three chunks: 4, 4, 2
    predict = _predict.predict_function(model)
    x = np.linspace(0, 1, 10, dtype="float32").reshape(10, 1, 1)
    expected = model.predict(x, verbose=0)
    np.testing.assert_allclose(predict(x), expected, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(predict(x[:1]), expected[:1], rtol=1e-6, atol=1e-7)
    assert predict(x).shape == (10, 2, 1)
