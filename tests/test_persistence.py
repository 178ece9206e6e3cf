"""Tests of sklstm's safe file format (``sklstm.save`` / ``sklstm.load``)."""

import io
import json
import os
import pickle
import tempfile
import zipfile

import joblib
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import sklstm
from sklstm import LSTMSeqRegressor, SequenceReshaper, UnsafeModelError, load, save
from sklstm._persistence import files as P
from sklstm._utils.tf import keras

FAST = dict(units=4, epochs=2, batch_size=8, random_state=0)
RNG = np.random.default_rng(0)
X = RNG.normal(size=(20, 4, 2))
Y2 = RNG.normal(size=(20, 3))


def _save_bytes(est):
    buffer = io.BytesIO()
    save(est, buffer)
    return buffer.getvalue()


def _load_bytes(data):
    return load(io.BytesIO(data))


def _members(data):
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def _with_state(data, change):
    """Return ``data`` with ``change(state)`` applied to its estimator.json."""
    members = _members(data)
    state = json.loads(members["estimator.json"])
    change(state)
    members["estimator.json"] = json.dumps(state)
    return _zip(members)


def _keras_bytes(model, tmp_path):
    path = tmp_path / "other.keras"
    keras.saving.save_model(model, path)
    return path.read_bytes()


@pytest.fixture(scope="module")
def fitted():
    return LSTMSeqRegressor(optimizer__beta_1=0.8, **FAST).fit(X, Y2)


@pytest.fixture(scope="module")
def saved(fitted):
    return _save_bytes(fitted)


def _fitted_copy(fitted, **params):
    """An unshared estimator with ``fitted``'s fitted state and new params."""
    est = clone(fitted).set_params(**params)
    vars(est).update({k: v for k, v in vars(fitted).items() if k.endswith("_")})
    return est


# ------------------------------------------------------------- round trips
@pytest.mark.parametrize(
    "architecture, y_shape, params",
    [
        ("simple", (20,), {}),
        ("stacked", (20, 6), {"n_target_features": 2}),
        ("bidirectional", (20, 3, 2), {}),
        ("encoder_decoder", (20,), {"cell": "gru"}),
        ("bidirectional_encoder_decoder", (20, 6), {}),
    ],
)
def test_round_trip_gives_identical_predictions(
    architecture, y_shape, params, tmp_path
):
    y = RNG.normal(size=y_shape)
    est = LSTMSeqRegressor(architecture=architecture, **params, **FAST).fit(X, y)
    save(est, tmp_path / "model.sklstm")
    loaded = load(str(tmp_path / "model.sklstm"))
    assert type(loaded) is LSTMSeqRegressor
    assert_array_equal(loaded.predict(X), est.predict(X))
    assert loaded.get_params() == est.get_params()
    for name in (
        *("history_", "input_shape_", "output_shape_", "target_shape_"),
        *("n_iter_", "best_epoch_", "best_loss_", "stopped_epoch_"),
        "refit_epochs_",
    ):
        assert getattr(loaded, name) == getattr(est, name)
    assert loaded.window_normalization_ == est.window_normalization_
    assert_array_equal(loaded.target_feature_index_, est.target_feature_index_)
    assert loaded.n_features_in_ == est.n_features_in_ == 4
    assert not hasattr(loaded, "feature_names_in_")


def test_archive_holds_the_keras_model_and_plain_json(saved):
    members = _members(saved)
    assert sorted(members) == ["estimator.json", "model.keras"]
    assert zipfile.is_zipfile(io.BytesIO(members["model.keras"]))
    state = json.loads(members["estimator.json"])
    assert state["sklstm_version"] == sklstm.__version__
    assert state["params"]["optimizer__beta_1"] == 0.8
    assert state["fitted"]["output_shape_"] == [3, 1]


def test_loaded_estimator_can_be_refit_cloned_and_pickled(fitted, saved):
    loaded = _load_bytes(saved)
    again = pickle.loads(pickle.dumps(loaded))
    assert_array_equal(again.predict(X), fitted.predict(X))
    twin = clone(loaded)
    assert twin.get_params() == fitted.get_params()
    assert not hasattr(twin, "model_")
    refit = loaded.fit(X[:, :3], Y2[:, :2])  # a new model: other shapes
    assert refit.predict(X[:5, :3]).shape == (5, 2)
    assert len(refit.history_["loss"]) == 2


def test_optimizer_state_comes_back_and_training_continues(fitted, saved):
    loaded = _load_bytes(saved)
    before = [v.numpy() for v in fitted.model_.optimizer.variables]
    after = [v.numpy() for v in loaded.model_.optimizer.variables]
    assert len(after) == len(before) > 2  # iterations, learning rate, moments
    for a, b in zip(after, before):
        assert_array_equal(a, b)
    assert loaded.model_.optimizer.beta_1 == 0.8
    original = pickle.loads(pickle.dumps(fitted))  # leave the fixture alone
    original.partial_fit(X, Y2)
    loaded.partial_fit(X, Y2)
    assert len(loaded.history_["loss"]) == 3
    assert_allclose(loaded.predict(X), original.predict(X), rtol=1e-5)
    model = loaded.model_
    loaded.set_params(warm_start=True, epochs=1).fit(X, Y2)
    assert loaded.model_ is model  # warm start: trained further, not rebuilt


def test_feature_names_round_trip(tmp_path):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X[:, :, 0], columns=["a", "b", "c", "d"])
    est = LSTMSeqRegressor(architecture="simple", **FAST).fit(frame, Y2[:, 0])
    save(est, tmp_path / "m.sklstm")
    loaded = load(tmp_path / "m.sklstm")
    assert_array_equal(loaded.feature_names_in_, ["a", "b", "c", "d"])
    assert loaded.feature_names_in_.dtype == object
    assert_array_equal(loaded.predict(frame), est.predict(frame))


def test_numpy_scalar_params_are_stored_as_python_values(fitted):
    est = _fitted_copy(fitted, units=np.int64(4), learning_rate=np.float64(0.01))
    loaded = _load_bytes(_save_bytes(est))
    assert loaded.get_params() == est.get_params()
    assert type(loaded.units) is int and type(loaded.learning_rate) is float


# ------------------------------------------------------- what save refuses
@pytest.mark.parametrize(
    "params, match",
    [
        ({"optimizer": keras.optimizers.Adam()}, "optimizer.*'adam'"),
        ({"optimizer": keras.optimizers.Adam}, "optimizer.*'adam'"),
        ({"loss": keras.losses.MeanSquaredError()}, "loss.*'mse'"),
        ({"loss": keras.losses.mean_squared_error}, "loss.*'mse'"),
        ({"activation": keras.activations.relu}, "activation.*'tanh'"),
        ({"callbacks": [keras.callbacks.History()]}, "callbacks=None"),
        ({"random_state": np.random.RandomState(0)}, "random_state.*int"),
        ({"optimizer__betas": (0.9, 0.99)}, "optimizer__betas"),
    ],
)
def test_save_refuses_parameters_that_are_not_plain_data(
    fitted, params, match, tmp_path
):
    est = _fitted_copy(fitted, **params)
    with pytest.raises(TypeError, match=match) as info:
        save(est, tmp_path / "m.sklstm")
    assert "pickle/joblib" in str(info.value)
    assert not (tmp_path / "m.sklstm").exists()


def test_save_refuses_unfitted_and_foreign_estimators(tmp_path):
    with pytest.raises(NotFittedError):
        save(LSTMSeqRegressor(), tmp_path / "m.sklstm")
    with pytest.raises(TypeError, match="LSTMSeqRegressor"):
        save(SequenceReshaper(), tmp_path / "m.sklstm")


# ------------------------------------------------------- what load refuses
def _refused(data, match):
    with pytest.raises(UnsafeModelError, match=match) as info:
        _load_bytes(data)
    assert isinstance(info.value, ValueError)


def test_load_refuses_a_pickle_inside(saved):
    payload = pickle.dumps({"not": "run"})
    _refused(_zip({**_members(saved), "payload.pkl": payload}), "pickle")
    _refused(_zip({**_members(saved), "estimator.json": payload}), "JSON")
    _refused(_zip({**_members(saved), "model.keras": payload}), "truncated")
    del_model = {k: v for k, v in _members(saved).items() if k != "model.keras"}
    _refused(_zip(del_model), "such as a pickle")


@pytest.mark.parametrize("cut", [0, 10, 0.5, -10])
def test_load_refuses_a_truncated_archive(saved, cut):
    end = int(len(saved) * cut) if isinstance(cut, float) else cut
    _refused(saved[:end], "truncated or corrupted")


@pytest.mark.parametrize("version", ["0.999.0", "1.1.0", "", "unknown", 1.1, None])
def test_load_refuses_another_or_no_version(saved, version):
    def change(state):
        if version is None:
            del state["sklstm_version"]
        else:
            state["sklstm_version"] = version

    with pytest.raises(UnsafeModelError) as info:
        _load_bytes(_with_state(saved, change))
    assert repr(version) in str(info.value)
    assert repr(sklstm.__version__) in str(info.value)


def test_load_accepts_another_patch_release(saved):
    major, minor = sklstm.__version__.split(".")[:2]
    data = _with_state(saved, lambda s: s.update(sklstm_version=f"{major}.{minor}.999"))
    assert _load_bytes(data).output_shape_ == (3, 1)


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda s: s.update(format="joblib"), "not a file written by sklstm"),
        (lambda s: s.pop("params"), "params"),
        (lambda s: s["params"].update(optimizer={"class_name": "Adam"}), "plain"),
        (lambda s: s["params"].update(loss=["os.system"]), "plain"),
        (lambda s: s["params"].update(foo=1), "unknown parameter 'foo'"),
        (lambda s: s["params"].update(units=-1), "units"),
        (lambda s: s["fitted"].update(history_={"loss": ["x"]}), "malformed"),
        (lambda s: s["fitted"].update(__class__="x"), "malformed"),
        (lambda s: s["fitted"].update(target_shape_=[7]), "inconsistent"),
        (lambda s: s["fitted"].update(input_shape_=[4, 2, 1]), "malformed"),
        (lambda s: s["fitted"].update(feature_names_in_=["a"]), "inconsistent"),
        (lambda s: s["fitted"].update(window_normalization_="max"), "window"),
        (lambda s: s["fitted"].update(target_feature_index_=[9]), "window"),
    ],
)
def test_load_refuses_tampered_json(saved, change, match):
    _refused(_with_state(saved, change), match)


def test_load_refuses_a_model_whose_shapes_disagree(saved, tmp_path):
    def five_steps(state):  # consistent fitted attributes, but not the model's
        state["fitted"].update(input_shape_=[5, 2], n_features_in_=5)
        linear = ("linear_coef_", "linear_intercept_", "linear_alpha_")
        state["fitted"].update(dict.fromkeys((*linear, "level_mean_", "level_scale_")))
        state["params"]["linear_path"] = None

    _refused(_with_state(saved, five_steps), "tampered")
    other = LSTMSeqRegressor(architecture="simple", **FAST).fit(X, Y2[:, :2])
    swapped = {**_members(saved), "model.keras": _keras_bytes(other.model_, tmp_path)}
    _refused(_zip(swapped), "tampered")


def _lambda_model():
    inputs = keras.Input((4, 2))
    outputs = keras.layers.Lambda(lambda t: t[:, :3, :1] * 0.0)(inputs)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model


def test_load_refuses_an_injected_lambda_layer(saved, tmp_path, monkeypatch):
    data = _zip(
        {**_members(saved), "model.keras": _keras_bytes(_lambda_model(), tmp_path)}
    )
    _refused(data, "'Lambda'.*never builds")
    # Without sklstm's own check, Keras's safe mode refuses it too.
    monkeypatch.setattr(P, "_check_keras_config", lambda *args: None)
    _refused(data, "safe mode.*Lambda")


def test_load_refuses_foreign_keras_objects(saved):
    members = _members(saved)
    inner = _members(members["model.keras"])
    config = inner["config.json"].decode()
    for old, new in [('"keras.layers"', '"subprocess"'), ('"Dense"', '"Embedding"')]:
        tampered = {**inner, "config.json": config.replace(old, new, 1)}
        _refused(_zip({**members, "model.keras": _zip(tampered)}), "never builds")
    extra = {**inner, "assets/payload.pkl": b"x"}
    _refused(_zip({**members, "model.keras": _zip(extra)}), "such as a pickle")


# ------------------------------------------------------------ temp files
def test_no_temporary_files_are_left_behind(fitted, tmp_path, monkeypatch):
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    assert tempfile.gettempdir() == str(private)
    before = os.listdir(private)
    assert_array_equal(pickle.loads(pickle.dumps(fitted)).predict(X), fitted.predict(X))
    buffer = io.BytesIO()
    joblib.dump(fitted, buffer)
    buffer.seek(0)
    assert_array_equal(joblib.load(buffer).predict(X), fitted.predict(X))
    loaded = _load_bytes(_save_bytes(fitted))
    assert_array_equal(loaded.predict(X), fitted.predict(X))
    _refused(b"not a zip", "truncated")
    assert os.listdir(private) == before == []


# ------------------------------------------------------------ public API
def test_public_api(fitted, tmp_path):
    assert sklstm.save is save and sklstm.load is load
    assert sklstm.UnsafeModelError is UnsafeModelError
    assert {"save", "load", "UnsafeModelError"} <= set(sklstm.__all__)
    assert fitted.save(tmp_path / "m.sklstm") is None
    assert_array_equal(sklstm.load(tmp_path / "m.sklstm").predict(X), fitted.predict(X))


def test_warm_start_after_load_names_the_changed_parameter(saved):
    # The parameters the network was built from are saved with it, so a warm
    # start compares with them instead of rebuilding a throwaway network.
    loaded = load(io.BytesIO(saved))
    assert loaded._network_params["units"] == FAST["units"]
    with pytest.raises(ValueError, match=r"units \(was 4, now 8\) changed"):
        loaded.set_params(warm_start=True, units=8).fit(X, Y2)
    assert loaded.model_.count_params() == load(io.BytesIO(saved)).model_.count_params()
