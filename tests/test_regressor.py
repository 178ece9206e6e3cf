import numpy as np
import pytest
import sklearn
from sklearn.base import clone, is_regressor
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import KFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from sklstm import LSTMSeqRegressor, SequenceReshaper
from sklstm._model.builders import ARCHITECTURES
from sklstm.datasets import load_many_to_many, load_reference

# The network alone under explicit training settings: most tests here use the
# reference problems, which are exactly linear, so the default linear path
# would leave the network nothing to learn (tests/test_linear.py covers it).
FAST = dict(
    units=4,
    epochs=2,
    batch_size=8,
    random_state=0,
    linear_path=None,
    validation_split=0.0,
    early_stopping=False,
)


@pytest.fixture(scope="module")
def m2m():
    return load_many_to_many(n_features=2)


# Every architecture on the richest target (steps x features), and both
# builder families (Dense head, TimeDistributed head) on the other shapes.
@pytest.mark.parametrize(
    "architecture, y_shape",
    [(name, (20, 3, 2)) for name in ARCHITECTURES]
    + [
        (name, shape)
        for name in ("simple", "encoder_decoder")
        for shape in [(20,), (20, 6)]
    ],
)
def test_every_architecture_and_target_shape(architecture, y_shape):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 4, 2)), rng.normal(size=y_shape)
    est = LSTMSeqRegressor(architecture=architecture, **FAST).fit(X, y)
    assert est.predict(X[:5]).shape == (5,) + y_shape[1:]
    assert est.target_shape_ == y_shape[1:]
    assert len(est.history_["loss"]) == 2


def test_encoder_decoder_decodes_as_many_steps_as_the_target(m2m):
    est = LSTMSeqRegressor(architecture="encoder_decoder", **FAST)
    est.fit(m2m.X, m2m.y[:, :2])  # 2 output steps of 1 feature
    assert est.output_shape_ == (2, 1)
    assert est.model_.layers[2].n == 2  # RepeatVector(2)


def test_2d_target_with_several_features_per_step(m2m):
    y3 = np.concatenate([m2m.y, -m2m.y], axis=2)  # (20, 3, 2)
    y2 = y3.reshape(len(y3), -1)  # time-major columns
    est = LSTMSeqRegressor(architecture="encoder_decoder", n_target_features=2, **FAST)
    est.fit(m2m.X, y2)
    assert est.output_shape_ == (3, 2)
    assert est.predict(m2m.X).shape == (20, 6)
    with pytest.raises(ValueError, match="try one of"):
        clone(est).set_params(n_target_features=4).fit(m2m.X, y2)


def test_2d_X_is_read_as_univariate_series():
    rng = np.random.default_rng(1)
    X2, y = rng.normal(size=(12, 5)), rng.normal(size=12)
    a = LSTMSeqRegressor(**FAST).fit(X2, y)
    b = LSTMSeqRegressor(**FAST).fit(X2[:, :, None], y)
    assert a.input_shape_ == (5, 1)
    np.testing.assert_array_equal(a.predict(X2), b.predict(X2[:, :, None]))


# Each architecture once, on one of its reference problems (the tutorial runs
# all ten experiments, tests/test_main.py runs the tutorial).
@pytest.mark.parametrize(
    "problem, architecture",
    [
        ("one_to_many_1", "simple"),
        ("one_to_many_2", "stacked"),
        ("one_to_many_2", "bidirectional"),
    ],
)
def test_reference_one_to_many_experiments_are_expressible(problem, architecture):
    data = load_reference(problem)
    est = LSTMSeqRegressor(
        architecture=architecture,
        units=data.units,
        activation="relu",
        epochs=2,
        batch_size=3,
        validation_split=0.2,
        random_state=0,
    ).fit(data.X, data.y)
    assert est.predict(data.X_test).shape == data.y_test.shape
    assert set(est.history_) == {"loss", "val_loss"}


@pytest.mark.parametrize(
    "problem, architecture",
    [
        ("many_to_many_1", "encoder_decoder"),
        ("many_to_many_2", "bidirectional_encoder_decoder"),
    ],
)
def test_reference_many_to_many_experiments_are_expressible(problem, architecture):
    data = load_reference(problem)
    est = LSTMSeqRegressor(
        architecture=architecture,
        units=data.units,
        activation="relu",
        epochs=1,
        batch_size=3,
        validation_split=0.2,
        random_state=0,
    ).fit(data.X, data.y)
    assert est.predict(data.X_test).shape == data.y_test.shape == (1, 3, 1)


def test_learns_a_one_to_many_problem():
    data = load_reference("one_to_many_1")
    X, y = data.X / 45.0, data.y / 45.0
    est = LSTMSeqRegressor(
        architecture="simple",
        units=16,
        epochs=150,
        batch_size=5,
        learning_rate=0.01,
        random_state=0,
    ).fit(X, y)
    assert est.history_["loss"][-1] < 0.01 * est.history_["loss"][0]
    assert est.score(X, y) > 0.95


def test_pipeline_with_reshaper_and_scaler():
    rng = np.random.default_rng(2)
    X2, y = rng.normal(size=(16, 6)), rng.normal(size=(16, 2))
    pipe = make_pipeline(
        StandardScaler(), SequenceReshaper(timesteps=3), LSTMSeqRegressor(**FAST)
    ).fit(X2, y)
    assert pipe[-1].input_shape_ == (3, 2)
    assert pipe.predict(X2).shape == (16, 2)


def test_cross_validate_on_2d_many_to_many_target(m2m):
    # One cross_validate scores every metric on the same two fits.
    scoring = ["r2", "neg_mean_squared_error", "neg_mean_absolute_error"]
    est = LSTMSeqRegressor(architecture="encoder_decoder", **FAST)
    results = cross_validate(
        est, m2m.X, m2m.y[:, :, 0], cv=KFold(2), scoring=scoring, error_score="raise"
    )
    for name in scoring:
        scores = results[f"test_{name}"]
        assert scores.shape == (2,) and np.all(np.isfinite(scores))
    assert np.all(results["test_neg_mean_squared_error"] < 0)


def test_transformed_target_regressor(m2m):
    y2 = m2m.y[:, :, 0]
    ttr = TransformedTargetRegressor(
        regressor=LSTMSeqRegressor(architecture="encoder_decoder", **FAST),
        transformer=StandardScaler(),
    ).fit(m2m.X, y2)
    inner = ttr.regressor_.predict(m2m.X)
    np.testing.assert_allclose(
        ttr.predict(m2m.X), ttr.transformer_.inverse_transform(inner), rtol=1e-6
    )


# Seeds reach every layer through one builder path; the bidirectional
# encoder-decoder has the most seeded layers (two directions, two stacks).
@pytest.mark.parametrize("architecture", ["simple", "bidirectional_encoder_decoder"])
def test_same_random_state_same_predictions(m2m, architecture):
    params = dict(FAST, architecture=architecture, dropout=0.1, validation_split=0.2)
    a = LSTMSeqRegressor(**params).fit(m2m.X, m2m.y)
    b = clone(a).fit(m2m.X, m2m.y)
    np.testing.assert_array_equal(a.predict(m2m.X), b.predict(m2m.X))
    c = clone(a).set_params(random_state=1).fit(m2m.X, m2m.y)
    assert not np.array_equal(a.predict(m2m.X), c.predict(m2m.X))


def test_clone_and_params_including_routed_ones():
    est = LSTMSeqRegressor(units=7, optimizer__beta_1=0.8)
    assert is_regressor(est)
    assert est.get_params()["optimizer__beta_1"] == 0.8
    copy = clone(est)
    assert copy.get_params() == est.get_params()
    copy.set_params(optimizer__learning_rate=0.05, units=3)
    assert copy.units == 3 and copy.optimizer__learning_rate == 0.05
    assert est.units == 7


def test_learning_rate_and_routed_learning_rate(m2m):
    est = LSTMSeqRegressor(learning_rate=0.02, **FAST).fit(m2m.X, m2m.y)
    assert est.model_.optimizer.learning_rate.numpy() == pytest.approx(0.02)
    est = LSTMSeqRegressor(optimizer__learning_rate=0.03, **FAST).fit(m2m.X, m2m.y)
    assert est.model_.optimizer.learning_rate.numpy() == pytest.approx(0.03)
    both = LSTMSeqRegressor(learning_rate=0.1, optimizer__learning_rate=0.03, **FAST)
    with pytest.raises(ValueError, match="set only one"):
        both.fit(m2m.X, m2m.y)


def test_unknown_keyword_is_refused(m2m):
    with pytest.raises(TypeError, match="unit"):
        LSTMSeqRegressor(unit=3, **FAST).fit(m2m.X, m2m.y)
    # A routed name for a destination sklstm has no use for: refused at fit.
    with pytest.raises(TypeError, match="fit__x"):
        LSTMSeqRegressor(fit__x=3, **FAST).fit(m2m.X, m2m.y)


def test_warm_start_and_partial_fit_continue_training(m2m):
    est = LSTMSeqRegressor(warm_start=True, **FAST).fit(m2m.X, m2m.y)
    weights = [w.copy() for w in est.model_.get_weights()]
    model = est.model_
    est.fit(m2m.X, m2m.y)
    assert est.model_ is model
    assert not np.array_equal(weights[0], est.model_.get_weights()[0])
    p = LSTMSeqRegressor(**FAST)
    p.partial_fit(m2m.X, m2m.y).partial_fit(m2m.X, m2m.y)
    assert len(p.history_["loss"]) == 2


def _flatten(X):
    return X.reshape(len(X), -1)


def test_predict_with_function_transformer_pipeline(m2m):
    # 3-D X -> FunctionTransformer flattens -> SequenceReshaper restores 3-D:
    # the pipeline must predict exactly what the estimator alone predicts.
    pipe = make_pipeline(
        FunctionTransformer(_flatten),
        SequenceReshaper(n_features=2),
        LSTMSeqRegressor(**FAST),
    ).fit(m2m.X, m2m.y)
    n, timesteps, features = m2m.X.shape
    assert pipe[1].n_features_in_ == timesteps * features  # it saw flat rows
    assert pipe[1].timesteps_ == timesteps
    alone = LSTMSeqRegressor(**FAST).fit(m2m.X, m2m.y)
    np.testing.assert_array_equal(pipe.predict(m2m.X), alone.predict(m2m.X))


@pytest.mark.parametrize(
    "skip, error, match",
    [
        (
            False,
            InvalidParameterError,
            r"^The 'units' parameter of LSTMSeqRegressor must be an int in the "
            r"range \[1, inf\)\. Got 0 instead\.$",
        ),
        # scikit-learn's setting is honoured: Keras refuses later
        (True, ValueError, r"argument `units`, expected a positive integer, got 0"),
    ],
    ids=["validated", "skipped"],
)
def test_partial_fit_validates_parameters_like_fit(m2m, skip, error, match):
    X, y = m2m.X, m2m.y
    with sklearn.config_context(skip_parameter_validation=skip):
        for method in ("fit", "partial_fit"):
            est = LSTMSeqRegressor(**dict(FAST, units=0))
            with pytest.raises(error, match=match) as info:
                getattr(est, method)(X, y)
            assert type(info.value) is error, method
            assert not hasattr(est, "model_")


def test_score_of_a_three_d_target_is_the_flattened_r2(m2m):
    from sklearn.metrics import r2_score

    y3 = np.concatenate([m2m.y, -m2m.y], axis=2)  # (20, 3, 2)
    est = LSTMSeqRegressor(architecture="encoder_decoder", **FAST).fit(m2m.X, y3)
    expected = r2_score(y3.reshape(20, -1), est.predict(m2m.X).reshape(20, -1))
    assert est.score(m2m.X, y3) == pytest.approx(expected)
