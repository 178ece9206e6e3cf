"""SplitConformalForecaster: coverage, shapes, errors and the scikit-learn surface.

The statistical tests use a RidgeCV pipeline (milliseconds per fit); one
small LSTMSeqRegressor fit checks the integration.
"""

import io
import re
import subprocess
import sys

import joblib
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.dummy import DummyRegressor
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import Ridge, RidgeCV
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.utils import get_tags

from sklstm import SequenceFlattener, SplitConformalForecaster, make_windows
from sklstm._intervals.quantiles import conformal_rank, min_calibration_size

HORIZON = 3


def _ridge():
    return make_pipeline(SequenceFlattener(), RidgeCV())


class _FlatTargetRidge(RegressorMixin, BaseEstimator):
    """Ridge on flattened windows and targets that forecasts the target's shape.

    Stands in for LSTMSeqRegressor on 3-D targets (n, steps, features), which
    scikit-learn's linear models refuse.
    """

    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y):
        y = np.asarray(y)
        self.target_shape_ = y.shape[1:]
        self.pipe_ = make_pipeline(SequenceFlattener(), Ridge(alpha=self.alpha))
        self.pipe_.fit(X, y.reshape(len(y), -1))
        self.n_features_in_ = self.pipe_.n_features_in_
        return self

    def predict(self, X):
        return self.pipe_.predict(X).reshape((-1, *self.target_shape_))


def _model_for(y):
    return _ridge() if np.ndim(y) < 3 else _FlatTargetRidge()


def _ar1(n, phi=0.8, seed=0, n_features=1):
    """A stationary AR(1) series with standard normal innovations."""
    rng = np.random.default_rng(seed)
    e = rng.standard_normal((n + 100, n_features))
    x = np.zeros_like(e)
    for t in range(1, len(e)):
        x[t] = phi * x[t - 1] + e[t]
    x = x[100:]
    return x[:, 0] if n_features == 1 else x


def _windows(n=300, n_features=1, horizon=HORIZON, seed=0, **kwargs):
    return make_windows(_ar1(n, seed=seed, n_features=n_features), 8, horizon, **kwargs)


def _covered(y, y_pis):
    """Which targets lie inside their interval: shape y.shape + (n_levels,)."""
    y = y[..., np.newaxis]
    return (y_pis[..., 0, :] <= y) & (y <= y_pis[..., 1, :])


# --------------------------------------------------------------------------
# Coverage
# --------------------------------------------------------------------------


def test_coverage_per_step_and_overall():
    # 2,000 held-out windows after 2,606 for training and calibration.
    X, y = make_windows(_ar1(4620), 12, HORIZON)
    X_fit, y_fit, X_test, y_test = X[:-2000], y[:-2000], X[-2000:], y[-2000:]
    cf = SplitConformalForecaster(
        _ridge(), confidence_level=0.9, calibration_size=0.3, gap=HORIZON
    ).fit(X_fit, y_fit)
    _, y_pis = cf.predict_interval(X_test)
    covered = _covered(y_test, y_pis)[..., 0]
    per_step = covered.mean(axis=0)
    assert np.all((0.85 <= per_step) & (per_step <= 0.95)), per_step
    assert 0.85 <= covered.mean() <= 0.95
    # The per-step half-widths follow the AR(1) forecast error of step h,
    # 1.645 * sqrt(1 + phi^2 + ... + phi^(2(h-1))), within 10%.
    theory = 1.645 * np.sqrt(np.cumsum(0.8 ** (2 * np.arange(HORIZON))))
    assert_allclose(cf.quantiles_[0], theory, rtol=0.1)
    assert np.all(np.diff(cf.quantiles_[0]) > 0)  # wider further ahead


def test_wider_level_contains_narrower():
    X, y = _windows(600)
    cf = SplitConformalForecaster(_ridge(), confidence_level=[0.8, 0.95], gap=HORIZON)
    y_pred, y_pis = cf.fit(X[:-100], y[:-100]).predict_interval(X[-100:])
    lower, upper = y_pis[..., 0, :], y_pis[..., 1, :]
    assert np.all(lower[..., 1] <= lower[..., 0])
    assert np.all(lower[..., 0] <= y_pred)
    assert np.all(y_pred <= upper[..., 0])
    assert np.all(upper[..., 0] <= upper[..., 1])
    assert np.all(cf.quantiles_[1] > cf.quantiles_[0])


@pytest.mark.parametrize("level, n_min", [(0.5, 1), (0.8, 4), (0.9, 9), (0.95, 19)])
def test_finite_sample_quantile_is_the_kth_smallest_score(level, n_min):
    assert min_calibration_size(level) == n_min
    # A constant forecast of 0 makes the scores exactly |y|.
    dummy = DummyRegressor(strategy="constant", constant=0.0).fit([[0]], [0])
    cf = SplitConformalForecaster(dummy, confidence_level=level, prefit=True)
    X = np.zeros((n_min, 1))
    scores = np.arange(n_min, 0, -1, dtype=float)  # n_min, ..., 1
    cf.conformalize(X, -scores)
    # rank ceil((n + 1) * level) = n at the minimum: the largest score
    assert conformal_rank(n_min, level) == n_min
    assert cf.quantiles_[0] == n_min
    if n_min > 1:
        with pytest.raises(ValueError, match=f"needs at least {n_min} "):
            cf.conformalize(X[1:], scores[1:])
    X, scores = np.zeros((2 * n_min + 1, 1)), np.arange(2 * n_min + 1.0)[::-1]
    k = conformal_rank(len(scores), level)
    assert cf.conformalize(X, scores).quantiles_[0] == np.sort(scores)[k - 1]


# --------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------


@pytest.mark.parametrize("levels, n_levels", [(0.9, 1), ([0.5, 0.8, 0.9], 3)])
@pytest.mark.parametrize(
    "n_features, horizon, kwargs, target_shape",
    [
        (1, 1, {}, (1,)),  # one step of a 1-D series
        (1, HORIZON, {}, (HORIZON,)),  # multi-step
        (2, HORIZON, {}, (HORIZON, 2)),  # multi-step, multi-feature (3-D y)
        (2, HORIZON, {"flatten_target": True}, (2 * HORIZON,)),  # time-major 2-D
    ],
)
def test_interval_shapes(levels, n_levels, n_features, horizon, kwargs, target_shape):
    X, y = _windows(200, n_features=n_features, horizon=horizon, **kwargs)
    cf = SplitConformalForecaster(_model_for(y), confidence_level=levels).fit(X, y)
    y_pred, y_pis = cf.predict_interval(X[:7])
    assert y_pred.shape == (7, *target_shape) == cf.predict(X[:7]).shape
    assert y_pis.shape == (7, *target_shape, 2, n_levels)
    assert cf.target_shape_ == target_shape
    assert cf.quantiles_.shape == (n_levels, *target_shape)
    n_outputs = int(np.prod(target_shape))
    assert cf.conformity_scores_.shape == (cf.n_calibration_, n_outputs)
    assert cf.n_calibration_ == np.ceil(0.2 * len(X))
    assert_array_equal(cf.confidence_levels_, np.atleast_1d(levels))


def test_one_d_target_has_mapies_shape():
    X, y = _windows(200, horizon=1)
    cf = SplitConformalForecaster(_ridge(), confidence_level=[0.8, 0.9])
    y_pred, y_pis = cf.fit(X, y[:, 0]).predict_interval(X[:5])
    assert y_pred.shape == (5,)
    assert y_pis.shape == (5, 2, 2)


def test_levels_keep_their_order():
    X, y = _windows(300)
    cf = SplitConformalForecaster(_ridge(), confidence_level=[0.95, 0.8]).fit(X, y)
    assert np.all(cf.quantiles_[0] > cf.quantiles_[1])


def test_split_is_time_ordered_with_gap():
    X, y = _windows(200)
    n = len(X)
    cf = SplitConformalForecaster(_ridge(), calibration_size=40, gap=5).fit(X, y)
    assert cf.n_calibration_ == 40
    ref = clone(_ridge()).fit(X[: n - 45], y[: n - 45])
    assert_allclose(cf.predict(X), ref.predict(X))
    residuals = np.abs(y[-40:] - ref.predict(X[-40:]))
    assert_allclose(cf.conformity_scores_, residuals)


# --------------------------------------------------------------------------
# The prefit path
# --------------------------------------------------------------------------


def test_prefit_conformalize_equals_fit():
    X, y = _windows(300, n_features=2)
    n_cal, gap = 60, HORIZON
    n_train = len(X) - n_cal - gap
    levels = [0.8, 0.9]
    fitted = SplitConformalForecaster(
        _FlatTargetRidge(), confidence_level=levels, calibration_size=n_cal, gap=gap
    ).fit(X, y)
    model = _FlatTargetRidge().fit(X[:n_train], y[:n_train])
    prefit = SplitConformalForecaster(model, confidence_level=levels, prefit=True)
    prefit.conformalize(X[-n_cal:], y[-n_cal:])
    assert prefit.estimator_ is model
    assert_allclose(prefit.conformity_scores_, fitted.conformity_scores_)
    assert_allclose(prefit.quantiles_, fitted.quantiles_)
    for got, expected in zip(prefit.predict_interval(X), fitted.predict_interval(X)):
        assert_allclose(got, expected)
    # With prefit=True, fit calibrates on every window it is given; a
    # FrozenEstimator keeps the estimator fitted through clone.
    frozen = SplitConformalForecaster(
        FrozenEstimator(model), confidence_level=levels, prefit=True
    )
    refit = clone(frozen).fit(X[-n_cal:], y[-n_cal:])
    assert_allclose(refit.quantiles_, prefit.quantiles_)


def test_conformalize_recalibrates_the_fitted_estimator():
    X, y = _windows(400)
    cf = SplitConformalForecaster(_ridge()).fit(X[:200], y[:200])
    estimator = cf.estimator_
    cf.conformalize(X[250:], y[250:])
    assert cf.estimator_ is estimator
    assert cf.n_calibration_ == len(X) - 250


def test_user_estimator_is_not_fitted():
    model = _ridge()
    X, y = _windows(100)
    SplitConformalForecaster(model, confidence_level=0.5).fit(X, y)
    with pytest.raises(NotFittedError):
        model.predict(X)


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "level, message",
    [
        (1.0, "'confidence_level' parameter .* range \\(0.0, 1.0\\)"),
        (0.0, "'confidence_level' parameter .* range \\(0.0, 1.0\\)"),
        ([0.9, 1.2], "strictly between 0 and 1 .* got \\[1.2\\]"),
        ([0.9, -0.1], "strictly between 0 and 1 .* got \\[-0.1\\]"),
        ([0.8, 0.9, 0.8], re.escape("repeats [0.8]; pass each level once")),
        ([], "non-empty 1-D list of floats"),
        ([[0.8, 0.9]], "non-empty 1-D list of floats"),
    ],
)
def test_bad_confidence_level(level, message):
    X, y = _windows(100)
    cf = SplitConformalForecaster(_ridge(), confidence_level=level)
    with pytest.raises(ValueError, match=message):
        cf.fit(X, y)


@pytest.mark.parametrize(
    "params, n, message",
    [
        ({}, 40, "8 calibration window\\(s\\) are too few for confidence_level=0.9"),
        ({"confidence_level": [0.5, 0.95]}, 80, "needs at least 19 "),
        ({"calibration_size": 30, "gap": 10}, 40, "leaves 0 to train on"),
        ({"calibration_size": 0.99}, 40, "leaves 0 to train on"),
    ],
)
def test_too_few_windows(params, n, message):
    X, y = _windows(n + 8 + HORIZON - 1)
    assert len(X) == n
    with pytest.raises(ValueError, match=message):
        SplitConformalForecaster(_ridge(), **params).fit(X, y)


def test_mismatched_shapes():
    X, y = _windows(200)
    cf = SplitConformalForecaster(_ridge()).fit(X, y)
    msg = re.escape("forecasts samples of shape (3,), but y has samples of shape (2,)")
    with pytest.raises(ValueError, match=msg):
        cf.conformalize(X, y[:, :2])
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        cf.conformalize(X[:-1], y)
    with pytest.raises(ValueError, match="requires y to be passed"):
        clone(cf).fit(X, None)


def test_failed_refit_leaves_the_estimator_unchanged():
    X, y = _windows(300)
    cf = SplitConformalForecaster(_ridge(), confidence_level=0.8).fit(X, y)
    before = dict(vars(cf))
    y_pred, y_pis = cf.predict_interval(X)
    failures = [
        lambda: cf.set_params(confidence_level=0.999).fit(X, y),  # too few
        lambda: cf.set_params(confidence_level=0.8).conformalize(X, y[:, :1]),
        lambda: cf.fit(X, y[:, :1] * np.nan),
    ]
    for failure in failures:
        with pytest.raises(ValueError):
            failure()
        cf.set_params(confidence_level=0.8)
        assert vars(cf).keys() == before.keys()
        assert all(vars(cf)[k] is v for k, v in before.items() if k.endswith("_"))
        for got, expected in zip(cf.predict_interval(X), (y_pred, y_pis)):
            assert_array_equal(got, expected)


def test_not_fitted_errors():
    X, y = _windows(100)
    with pytest.raises(NotFittedError):
        SplitConformalForecaster(_ridge()).predict_interval(X)
    with pytest.raises(NotFittedError, match="call fit\\(X, y\\) first"):
        SplitConformalForecaster(_ridge()).conformalize(X, y)
    with pytest.raises(NotFittedError, match="prefit=True needs a fitted estimator"):
        SplitConformalForecaster(_ridge(), prefit=True).conformalize(X, y)
    assert not hasattr(SplitConformalForecaster(_ridge()), "n_features_in_")


# --------------------------------------------------------------------------
# The scikit-learn surface
# --------------------------------------------------------------------------


def test_tags():
    tags = get_tags(SplitConformalForecaster(_ridge()))
    assert tags.estimator_type == "regressor"
    assert tags.input_tags.three_d_array
    assert tags.target_tags.multi_output and tags.target_tags.single_output


def test_clone_and_joblib_round_trip():
    X, y = _windows(200, n_features=2)
    cf = SplitConformalForecaster(
        _FlatTargetRidge(), confidence_level=[0.8, 0.9], gap=3
    )
    cloned = clone(cf)
    assert cloned.get_params()["confidence_level"] == [0.8, 0.9]
    assert not hasattr(cloned, "quantiles_")
    cf.fit(X, y)
    buffer = io.BytesIO()
    joblib.dump(cf, buffer)
    buffer.seek(0)
    loaded = joblib.load(buffer)
    for got, expected in zip(loaded.predict_interval(X), cf.predict_interval(X)):
        assert_array_equal(got, expected)
    assert loaded.n_features_in_ == cf.n_features_in_ == X.shape[1]


def test_grid_search_scores_the_point_forecast():
    X, y = _windows(300, n_features=2)  # 3-D target
    grid = GridSearchCV(
        SplitConformalForecaster(_FlatTargetRidge()),
        {"estimator__alpha": [0.01, 1e4]},
        cv=TimeSeriesSplit(3),
    ).fit(X, y)
    assert grid.best_params_ == {"estimator__alpha": 0.01}
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()
    assert grid.best_estimator_.predict_interval(X[:4])[1].shape == (
        4,
        HORIZON,
        2,
        2,
        1,
    )


def test_import_does_not_load_tensorflow():
    code = (
        "import sys, sklstm\n"
        "sklstm.SplitConformalForecaster\n"
        "assert 'tensorflow' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_wraps_lstm_seq_regressor():
    from sklstm import LSTMSeqRegressor

    X, y = _windows(120, n_features=2)  # y: (n, 3, 2)
    lstm = LSTMSeqRegressor(architecture="simple", units=4, epochs=2, random_state=0)
    cf = SplitConformalForecaster(lstm, confidence_level=[0.8, 0.9], gap=HORIZON)
    y_pred, y_pis = cf.fit(X, y).predict_interval(X[:5])
    assert isinstance(cf.estimator_, LSTMSeqRegressor)
    assert y_pis.shape == (5, HORIZON, 2, 2, 2)
    assert_allclose(y_pis.mean(axis=-2), np.repeat(y_pred[..., np.newaxis], 2, -1))
    assert cf.n_features_in_ == X.shape[1]


def test_mapie_gives_the_same_one_step_intervals():
    mapie = pytest.importorskip("mapie.regression")
    X, y = _windows(300, horizon=1)
    X, y = X.reshape(len(X), -1), y[:, 0]  # MAPIE takes 2-D X and 1-D y
    model = RidgeCV().fit(X[:200], y[:200])
    ours = SplitConformalForecaster(model, confidence_level=[0.8, 0.9], prefit=True)
    theirs = mapie.SplitConformalRegressor(
        model, confidence_level=[0.8, 0.9], prefit=True
    )
    ours.conformalize(X[200:], y[200:])
    theirs.conformalize(X[200:], y[200:])
    for got, expected in zip(ours.predict_interval(X), theirs.predict_interval(X)):
        assert_allclose(got, expected)


# --------------------------------------------------------------------------
# Conformalized quantile regression (method="cqr")
# --------------------------------------------------------------------------


def _two_regimes(n, seed):
    """Windows whose second feature says whether the noise is small or large."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4, 2))
    X[:, :, 1] = rng.integers(0, 2, size=(n, 1))  # the regime, for all steps
    sd = 0.3 + 1.7 * X[:, -1, 1:]
    return X, X[:, -1, :1] + sd * rng.normal(size=(n, 2))


def test_cqr_covers_and_adapts_its_width_to_the_noise():
    from sklstm import LSTMSeqRegressor

    lstm = LSTMSeqRegressor(
        architecture="simple", units=8, learning_rate=0.02, epochs=30, random_state=0
    )
    cf = SplitConformalForecaster(lstm, confidence_level=0.9, method="cqr")
    cf.fit(*_two_regimes(1000, 0))
    assert cf.estimator_.loss == "quantile"
    assert_allclose(cf.estimator_.quantiles_, [0.05, 0.5, 0.95])
    assert cf.conformity_scores_.shape == (1, 200, 2)
    X, y = _two_regimes(2000, 1)
    _, y_pis = cf.predict_interval(X)
    covered = _covered(y, y_pis)[..., 0]
    assert 0.85 <= covered.mean() <= 0.95, covered.mean()
    width = (y_pis[..., 1, 0] - y_pis[..., 0, 0]).mean(axis=1)
    noisy = X[:, -1, 1] == 1
    assert width[noisy].mean() > 3 * width[~noisy].mean()  # split: one width


def test_cqr_refuses_a_point_forecaster():
    X, y = _windows(200)
    model = _ridge()
    with pytest.raises(ValueError, match="no loss and quantiles parameters"):
        SplitConformalForecaster(model, method="cqr").fit(X, y)
    with pytest.raises(ValueError, match="has no predict_quantiles"):
        model.fit(X, y)
        SplitConformalForecaster(model, method="cqr", prefit=True).fit(X, y)


def test_cqr_prefit_needs_the_central_levels():
    from sklstm import LSTMSeqRegressor

    X, y = _two_regimes(60, 2)
    lstm = LSTMSeqRegressor(
        architecture="simple", units=2, epochs=1, loss="quantile", random_state=0
    ).fit(X, y)  # levels 0.1, 0.5, 0.9: the 80% interval only
    cf = SplitConformalForecaster(lstm, confidence_level=0.8, method="cqr", prefit=True)
    assert cf.fit(X, y).predict_interval(X)[1].shape == (60, 2, 2, 1)
    with pytest.raises(ValueError, match=r"needs the quantiles \[0.05, 0.95\]"):
        cf.set_params(confidence_level=0.9).fit(X, y)


def test_mapie_wraps_lstm_seq_regressor_for_one_step_targets():
    # The user guide's way for 1-D targets: MAPIE around the estimator itself,
    # on 3-D windows.
    mapie = pytest.importorskip("mapie.regression")
    from sklstm import LSTMSeqRegressor

    X, y = _windows(400, horizon=1)
    y = y[:, 0]
    lstm = LSTMSeqRegressor(architecture="simple", units=4, epochs=5, random_state=0)
    model = mapie.SplitConformalRegressor(
        lstm, confidence_level=[0.8, 0.95], prefit=False
    )
    model.fit(X[:200], y[:200]).conformalize(X[201:300], y[201:300])
    y_pred, y_pis = model.predict_interval(X[300:])
    assert y_pred.shape == (len(X) - 300,) and y_pis.shape == (len(X) - 300, 2, 2)
    covered = _covered(y[300:], y_pis).mean(axis=0)
    assert 0.65 <= covered[0] <= covered[1] and covered[1] >= 0.85, covered
