"""Pickle, joblib, deepcopy and clone without SciKeras's patches of Keras."""

import copy
import io
import os
import pickle
import tempfile

import joblib
import keras
import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.base import clone

from sklstm import LSTMSeqRegressor

FAST = dict(units=4, epochs=2, batch_size=4, random_state=0)
_PATCHED = (
    keras.Model,
    keras.losses.Loss,
    keras.metrics.Metric,
    keras.optimizers.Optimizer,
)


@pytest.fixture
def no_scikeras_patches(monkeypatch, tmp_path):
    """Keras classes as Keras ships them: SciKeras's import-time patches undone.

    Also points ``tempfile`` at an empty folder, to see that nothing is left.
    """
    for cls in _PATCHED:
        monkeypatch.setattr(cls, "__reduce__", object.__reduce__)
    monkeypatch.delattr(keras.Model, "__deepcopy__", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    yield tmp_path
    assert os.listdir(tmp_path) == []  # no temporary file left behind


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(16, 3, 2)), rng.normal(size=(16, 2))


def _joblib(est):
    buffer = io.BytesIO()
    joblib.dump(est, buffer)
    buffer.seek(0)
    return joblib.load(buffer)


def test_the_patches_are_really_undone(no_scikeras_patches, data):
    model = LSTMSeqRegressor(**FAST).fit(*data).model_
    with pytest.raises((TypeError, AttributeError, pickle.PicklingError)):
        pickle.dumps(model)


@pytest.mark.parametrize(
    "round_trip",
    [lambda e: pickle.loads(pickle.dumps(e)), _joblib, copy.deepcopy],
    ids=["pickle", "joblib", "deepcopy"],
)
def test_fitted_round_trip_keeps_weights_and_optimizer_state(
    no_scikeras_patches, data, round_trip
):
    X, y = data
    est = LSTMSeqRegressor(optimizer__beta_1=0.8, **FAST).fit(X, y)
    est.note = "kept"
    loaded = round_trip(est)
    assert loaded.model_ is not est.model_
    assert_array_equal(loaded.predict(X), est.predict(X))
    assert loaded.get_params() == est.get_params() and loaded.note == "kept"
    assert loaded.history_ == est.history_
    # The optimizer state came along: one more epoch on each gives the same.
    assert_array_equal(
        loaded.partial_fit(X, y).predict(X), est.partial_fit(X, y).predict(X)
    )


def test_keras_objects_as_parameters(no_scikeras_patches, data):
    X, y = data
    est = LSTMSeqRegressor(
        optimizer=keras.optimizers.Adam(learning_rate=0.05),
        loss=keras.losses.MeanAbsoluteError(),
        **FAST,
    )
    for copied in (clone(est), pickle.loads(pickle.dumps(est))):
        assert copied.optimizer is not est.optimizer
        assert copied.optimizer.get_config() == est.optimizer.get_config()
        assert type(copied.loss) is keras.losses.MeanAbsoluteError
    est.fit(X, y)
    loaded = pickle.loads(pickle.dumps(est))
    assert_array_equal(loaded.predict(X), est.predict(X))
    assert float(loaded.model_.optimizer.learning_rate) == pytest.approx(0.05)


def test_unfitted_round_trip(no_scikeras_patches):
    est = LSTMSeqRegressor(units=3, loss__delta=2.0, loss="huber")
    loaded = pickle.loads(pickle.dumps(est))
    assert loaded.get_params() == est.get_params()
    assert not hasattr(loaded, "model_")


def test_fitted_with_callbacks(no_scikeras_patches, data):
    X, y = data
    stop = keras.callbacks.EarlyStopping(monitor="loss", patience=5)
    est = LSTMSeqRegressor(engine="keras", callbacks=[stop], **FAST).fit(X, y)
    linked = stop.model  # Keras links the callback to the model it trained
    assert isinstance(linked, keras.Model)
    loaded = pickle.loads(pickle.dumps(est))
    assert_array_equal(loaded.predict(X), est.predict(X))
    assert stop.model is linked  # the estimator's own callback is untouched
    assert loaded.callbacks[0].model is None  # it travelled without the model
    assert isinstance(loaded.fit(X, y).callbacks[0].model, keras.Model)
