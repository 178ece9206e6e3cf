"""Quantile forecasts: levels, pinball loss, non-crossing head, estimator surface."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.metrics import make_scorer, mean_pinball_loss
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from sklstm import LSTMSeqRegressor, load
from sklstm._model.architectures import ARCHITECTURES
from sklstm._model.builders import build_model
from sklstm._model.quantiles import (
    NonCrossingQuantiles,
    PinballLoss,
    quantile_levels,
    quantile_positions,
)

TINY = dict(units=4, epochs=2, random_state=0)


def _noisy(n, seed):
    """y = a known linear signal + Gaussian noise (sd 1 and 2) per step."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3, 1))
    noise = rng.normal(size=(n, 2)) * [1.0, 2.0]
    return X, np.hstack([X[:, -1], X[:, -2]]) + noise


@pytest.fixture(scope="module")
def fitted():
    """A quantile model of the 5% and 95% levels (and the median)."""
    X, y = _noisy(800, 0)
    est = LSTMSeqRegressor(
        architecture="simple",
        units=4,
        loss="quantile",
        quantiles=[0.05, 0.95],
        learning_rate=0.02,
        epochs=30,
        random_state=0,
    )
    return est.fit(X, y)


@pytest.mark.parametrize(
    "quantiles, expected",
    [
        (None, (0.1, 0.5, 0.9)),
        ([0.05, 0.95], (0.05, 0.5, 0.95)),
        (0.9, (0.5, 0.9)),
        ((0.25, 0.5, 0.75), (0.25, 0.5, 0.75)),
    ],
)
def test_levels_add_the_median(quantiles, expected):
    assert quantile_levels("quantile", quantiles) == expected


@pytest.mark.parametrize(
    "loss, quantiles, message",
    [
        ("quantile", [0.0, 0.5], "strictly between 0 and 1"),
        ("quantile", [0.5, 1.2], "strictly between 0 and 1"),
        ("quantile", [0.9, 0.1], r"strictly increasing.*pass \[0.1, 0.9\]"),
        ("quantile", [0.1, 0.1], "strictly increasing"),
        ("quantile", [], "non-empty"),
        ("mse", [0.1, 0.9], "only with loss='quantile'"),
    ],
)
def test_bad_quantiles_are_refused_and_leave_the_estimator_as_it_was(
    fitted, loss, quantiles, message
):
    with pytest.raises(ValueError, match=message):
        quantile_levels(loss, quantiles)
    est = pickle.loads(pickle.dumps(fitted))
    before = est.predict_quantiles(fitted_X())
    with pytest.raises(ValueError, match=message):
        est.set_params(loss=loss, quantiles=quantiles).fit(*_noisy(40, 1))
    assert_array_equal(est.quantiles_, fitted.quantiles_)
    assert_array_equal(est.predict_quantiles(fitted_X()), before)


def fitted_X():
    return _noisy(50, 2)[0]


def test_pinball_loss_is_scikit_learns_mean_over_levels():
    rng = np.random.default_rng(0)
    levels = (0.1, 0.5, 0.9)
    y = rng.normal(size=(20, 4, 1))
    pred = np.sort(rng.normal(size=(20, 4, 1, 3)), axis=-1)
    ours = float(PinballLoss(levels)(y, pred))
    theirs = np.mean(
        [
            mean_pinball_loss(y.ravel(), pred[..., j].ravel(), alpha=q)
            for j, q in enumerate(levels)
        ]
    )
    assert_allclose(ours, theirs, rtol=1e-5)


def test_head_never_crosses_and_keeps_the_median():
    raw = np.random.default_rng(0).normal(scale=5, size=(64, 3, 2, 5))
    out = np.asarray(NonCrossingQuantiles(median_index=2)(raw.astype("float32")))
    assert np.all(np.diff(out, axis=-1) >= 0)
    assert_allclose(out[..., 2], raw[..., 2], rtol=1e-6)


@pytest.mark.parametrize("architecture", ARCHITECTURES)
def test_every_architecture_builds_a_quantile_head(architecture):
    meta = dict(n_timesteps_in=4, n_features_in=2, n_steps_out=3, n_features_out=2)
    model = build_model(
        meta, architecture=architecture, units=3, quantiles=(0.1, 0.5, 0.9), seed=0
    )
    assert model.output_shape == (None, 3, 2, 3)
    with pytest.raises(ValueError, match="include the median"):
        build_model(meta, architecture=architecture, quantiles=(0.1, 0.9))


@pytest.mark.parametrize(
    "architecture, engine",
    [(name, "fused") for name in ARCHITECTURES] + [("encoder_decoder", "keras")],
)
def test_quantiles_are_ordered_in_the_targets_units(architecture, engine):
    # Two target features at different levels, window normalization and
    # standardization both active: every level is mapped back in order.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 4, 2)) + [100.0, -5.0]
    y = X[:, -2:, :] + rng.normal(size=(24, 2, 2))
    est = LSTMSeqRegressor(
        architecture=architecture, engine=engine, loss="quantile", **TINY
    ).fit(X, y)
    q = est.predict_quantiles(X)
    assert q.shape == (24, 2, 2, 3)
    assert np.all(np.diff(q, axis=-1) >= 0)
    assert_array_equal(est.predict(X), q[..., 1])  # predict is the median
    assert abs(np.median(q[..., 0, 1]) - 100) < 20  # back in the target's units


def test_ninety_percent_interval_covers_ninety_percent(fitted):
    X, y = _noisy(2000, 3)
    q = fitted.predict_quantiles(X, [0.05, 0.95])
    coverage = np.mean((y >= q[..., 0]) & (y <= q[..., 1]), axis=0)
    assert np.all((coverage > 0.85) & (coverage < 0.95)), coverage
    width = (q[..., 1] - q[..., 0]).mean(axis=0)  # the noise is 1 and 2
    assert 1.3 < width[1] / width[0] < 3, width


def test_predict_quantiles_orders_and_errors(fitted):
    X = fitted_X()
    q = fitted.predict_quantiles(X)
    assert_array_equal(fitted.predict_quantiles(X, [0.95, 0.05]), q[..., [2, 0]])
    with pytest.raises(ValueError, match=r"not fitted for \(\[0.9\]\)"):
        fitted.predict_quantiles(X, [0.9])
    point = LSTMSeqRegressor(**TINY).fit(X, X[:, -1, 0])
    assert point.quantiles_ is None
    with pytest.raises(ValueError, match="refit with loss='quantile'"):
        point.predict_quantiles(X)


def test_persistence_keeps_every_level(fitted, tmp_path):
    X = fitted_X()
    expected = fitted.predict_quantiles(X)
    fitted.save(tmp_path / "q.sklstm")
    for copy in (load(tmp_path / "q.sklstm"), pickle.loads(pickle.dumps(fitted))):
        assert_array_equal(copy.quantiles_, fitted.quantiles_)
        assert_allclose(copy.predict_quantiles(X), expected, rtol=1e-6)
    assert clone(fitted).get_params()["quantiles"] == [0.05, 0.95]


def test_warm_start_refuses_other_levels(fitted):
    est = pickle.loads(pickle.dumps(fitted)).set_params(
        warm_start=True, quantiles=[0.25, 0.75], epochs=1
    )
    with pytest.raises(ValueError, match="quantiles .*changed"):
        est.fit(*_noisy(40, 1))
    est.set_params(quantiles=[0.05, 0.95]).fit(*_noisy(40, 1))  # same: continues
    assert est.n_iter_ == 1


def test_grid_search_with_scikit_learns_pinball_scorer():
    X, y = _noisy(40, 4)
    scorer = make_scorer(mean_pinball_loss, alpha=0.5, greater_is_better=False)
    search = GridSearchCV(
        LSTMSeqRegressor(architecture="simple", loss="quantile", **TINY),
        {"quantiles": [None, [0.25, 0.75]]},
        scoring=scorer,
        cv=TimeSeriesSplit(2),
    ).fit(X, y)
    assert search.best_estimator_.quantiles_ is not None
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))


def test_positions_of_levels():
    assert quantile_positions([0.1, 0.5, 0.9], None) == [0, 1, 2]
    assert quantile_positions([0.05, 0.5, 0.95], [1 - 0.95]) == [0]
