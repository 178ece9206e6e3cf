"""Bad input gets a clear scikit-learn style error before any training."""

import copy
import warnings

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import InvalidParameterError

from sklstm import LSTMSeqRegressor
from sklstm._training import contract
from sklstm._training.divergence import check_loss_did_not_explode
from sklstm._training.engine import TrainingDivergedError

FAST = dict(units=4, epochs=2, random_state=0)
# The network alone under explicit training settings: what diverges is the
# network's training, which the linear path and early stopping would hide.
NETWORK = dict(linear_path=None, validation_split=0.0, early_stopping=False)
rng = np.random.default_rng(0)
X = rng.normal(size=(12, 3, 2))
Y = rng.normal(size=(12, 2))


def _with(a, index, value):
    a = a.copy()
    a[index] = value
    return a


@pytest.mark.parametrize(
    "X_bad, y_bad, error, match",
    [
        (_with(X, (0, 0, 0), np.nan), Y, ValueError, "Input X contains NaN"),
        (_with(X, (1, 2, 1), np.inf), Y, ValueError, "X contains infinity"),
        (X, _with(Y, (0, 0), np.nan), ValueError, "Input y contains NaN"),
        (X, _with(Y, (1, 1), -np.inf), ValueError, "y contains infinity"),
        (X[:, 0, 0], Y, ValueError, "Expected 2D array, got 1D"),
        (X[..., None], Y, ValueError, "Merge the extra axes into features"),
        (X, np.zeros((12, 2, 1, 1)), ValueError, "Merge the extra axes"),
        (X, Y[:10], ValueError, "inconsistent numbers of samples"),
        (X[:0], Y[:0], ValueError, "0 sample"),
        (np.array([["a", "b"]] * 12), Y, ValueError, "could not convert string"),
        (X, np.array([["a", "b"]] * 12, dtype=object), ValueError, "convert string"),
        (X + 1j, Y, ValueError, "Complex data not supported"),
        (X, Y + 1j, ValueError, "Complex data not supported"),
        (X[:, :0], Y, ValueError, "no timesteps"),
    ],
)
def test_bad_fit_input_is_refused_clearly(X_bad, y_bad, error, match):
    with pytest.raises(error, match=match):
        LSTMSeqRegressor(**FAST).fit(X_bad, y_bad)


def test_too_few_samples_for_validation_split():
    # The error comes before anything is fitted: no warning of the linear
    # path's leave-one-out on one or two samples on the way.
    est = LSTMSeqRegressor(validation_split=0.2, **FAST)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="no training sample of n_samples=1"):
            est.fit(X[:1], Y[:1])
        with pytest.raises(ValueError, match="pass at least 3 samples"):
            est.set_params(validation_split=0.6).fit(X[:2], Y[:2])


@pytest.mark.parametrize(
    "params, name",
    [
        (dict(architecture="lstm2"), "architecture"),
        (dict(units=0), "units"),
        (dict(epochs=-1), "epochs"),
        (dict(validation_split=1.5), "validation_split"),
        (dict(batch_size=0), "batch_size"),
        (dict(cell="rnn"), "cell"),
        (dict(dropout=1.0), "dropout"),
        (dict(engine="turbo"), "engine"),
        (dict(learning_rate=0.0), "learning_rate"),
    ],
)
def test_invalid_hyperparameters_raise_before_building(params, name, monkeypatch):
    import sklstm._model.compile as module

    def no_build(*args, **kwargs):  # pragma: no cover - must not be reached
        raise AssertionError("a model was built")

    monkeypatch.setattr(module, "build_model", no_build)
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        LSTMSeqRegressor(**params).fit(X, Y)


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(activation="relux"), "activation='relux'"),
        (dict(optimizer="adamx"), "optimizer='adamx'"),
        (dict(loss="msex"), "loss='msex'"),
        (dict(architecture="simple", n_layers=2), "exactly one recurrent layer"),
        (dict(engine="fused", callbacks=[]), None),
    ],
)
def test_unknown_keras_names_are_explained(params, match):
    est = LSTMSeqRegressor(**{**FAST, **params})
    if match is None:  # an empty callbacks list is fine with the fused engine
        est.fit(X, Y)
        return
    with pytest.raises(ValueError, match=match):
        est.fit(X, Y)


def test_fused_engine_refuses_callbacks():
    import keras

    est = LSTMSeqRegressor(engine="fused", callbacks=[keras.callbacks.History()])
    with pytest.raises(ValueError, match="engine='keras'"):
        est.set_params(**FAST).fit(X, Y)


@pytest.fixture(scope="module")
def fitted():
    return LSTMSeqRegressor(**FAST).fit(X, Y)


@pytest.mark.parametrize(
    "X_bad, match",
    [
        (X[:, :2], "X has 2 features, but LSTMSeqRegressor is expecting 3"),
        (X[:, :, :1], r"fitted on \(3, 2\)"),
        (_with(X, (0, 0, 0), np.nan), "Input X contains NaN"),
        (X[0], r"X.shape\[1\] counts timesteps"),
    ],
)
def test_bad_predict_input(fitted, X_bad, match):
    with pytest.raises(ValueError, match=match):
        fitted.predict(X_bad)


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        LSTMSeqRegressor().predict(X)


@pytest.mark.parametrize(
    "weights, match",
    [
        (-np.ones(12), "Negative values"),
        (np.zeros(12), "at least one non-zero"),
        (np.ones(5), "sample_weight.shape"),
        (_with(np.ones(12), 3, np.nan), "NaN"),
    ],
)
def test_bad_sample_weight(weights, match):
    with pytest.raises(ValueError, match=match):
        LSTMSeqRegressor(**FAST).fit(X, Y, sample_weight=weights)


@pytest.mark.parametrize(
    "scale, lr", [(1e6, 1.0), (1e8, 10.0), (1e19, 0.001)], ids=["grows", "nan", "inf"]
)
@pytest.mark.parametrize("engine", ["fused", "keras"])
def test_divergence_is_reported_with_advice(scale, lr, engine):
    est = LSTMSeqRegressor(
        units=8,
        epochs=20,
        activation="relu",
        learning_rate=lr,
        engine=engine,
        standardize=False,  # relu layers on large unscaled inputs diverge
        **NETWORK,
    )
    with pytest.raises(TrainingDivergedError, match="Scale the inputs"):
        est.set_params(random_state=0).fit(X * scale, Y * scale)
    assert not hasattr(est, "model_")


def _state(est):
    """A copy of every attribute of ``est``, with its weights and optimizer state."""
    state = {k: copy.deepcopy(v) for k, v in vars(est).items() if k != "model_"}
    state["model_"] = est.model_
    state["model_.weights"] = [w.copy() for w in est.model_.get_weights()]
    optimizer = est.model_.optimizer.variables
    state["model_.optimizer.variables"] = [v.numpy().copy() for v in optimizer]
    return state


def _assert_unchanged(est, state):
    """Every attribute of ``est`` has the value it had (the model by identity)."""
    now = _state(est)
    assert now.pop("model_") is state["model_"]
    np.testing.assert_equal(now, {k: v for k, v in state.items() if k != "model_"})


def test_failed_fit_leaves_fitted_estimator_unchanged(fitted):
    before, state, params = fitted.predict(X), _state(fitted), fitted.get_params()
    with pytest.raises(ValueError, match="Input X contains NaN"):
        fitted.fit(_with(X, (0, 0, 0), np.nan), Y)
    _assert_unchanged(fitted, state)
    # X is valid (so n_features_in_ is set to 4 from it), then y is refused
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        fitted.fit(rng.normal(size=(12, 4, 3)), Y[:10])
    _assert_unchanged(fitted, state)
    try:
        with pytest.raises(TrainingDivergedError):
            fitted.set_params(learning_rate=10.0, activation="relu", standardize=False)
            fitted.set_params(**NETWORK).fit(X * 1e8, Y * 1e8)
    finally:
        fitted.set_params(**params)
    _assert_unchanged(fitted, state)
    np.testing.assert_array_equal(fitted.predict(X), before)


def test_failed_warm_start_fit_restores_weights_and_optimizer(monkeypatch):
    est = LSTMSeqRegressor(warm_start=True, standardize=False, **FAST).fit(X, Y)
    before, state = est.predict(X), _state(est)
    its = int(est.model_.optimizer.iterations)
    with pytest.raises(TrainingDivergedError):
        est.fit(X, Y * 1e19)  # the loss overflows float32 in the first epoch
    _assert_unchanged(est, state)
    # A loss that explodes while staying finite is found after the training,
    # whose weights the engine keeps: only the fit's rollback restores them.
    trained = []

    def exploded(losses, *args):
        trained.append(est.model_.get_weights())
        check_loss_did_not_explode([*losses, 100 * max(losses)], *args)  # it grew

    monkeypatch.setattr(contract, "check_loss_did_not_explode", exploded)
    for fit in (est.fit, est.partial_fit):
        with pytest.raises(TrainingDivergedError, match="training loss grew"):
            fit(X, Y)
        # it trained: the weights the check saw are not the ones of before
        assert not np.array_equal(trained[-1][0], state["model_.weights"][0])
        _assert_unchanged(est, state)
    np.testing.assert_array_equal(est.predict(X), before)
    assert int(est.model_.optimizer.iterations) == its


@pytest.mark.parametrize("where", ["after training", "setting the fitted attributes"])
def test_keyboard_interrupt_leaves_estimator_usable(fitted, monkeypatch, where):
    before, state = fitted.predict(X), _state(fitted)
    train = contract.train

    def trained_then_interrupted(*args, **kwargs):
        train(*args, **kwargs)
        raise KeyboardInterrupt

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    if where == "after training":  # partial_fit trains model_ itself, in place
        monkeypatch.setattr(contract, "train", trained_then_interrupted)
        fit = fitted.partial_fit
    else:  # _set_fitted calls network_params after it has set model_
        monkeypatch.setattr(contract, "network_params", interrupted)
        fit = fitted.fit
    with pytest.raises(KeyboardInterrupt):
        fit(X * 2, Y)
    monkeypatch.undo()
    _assert_unchanged(fitted, state)
    np.testing.assert_array_equal(fitted.predict(X), before)
