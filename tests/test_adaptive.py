"""Online updating of conformal intervals (sklstm._intervals.adaptive)."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline

from sklstm import SequenceFlattener, SplitConformalForecaster, make_windows
from sklstm._intervals.adaptive import adaptive_quantiles
from sklstm._intervals.quantiles import conformal_quantiles

RNG = np.random.default_rng(0)


def _ridge():
    return make_pipeline(SequenceFlattener(), RidgeCV())


def _regime_change(n=1600):
    """A season with noise 0.1, then (from step 600 on) noise 0.4."""
    t = np.arange(n)
    noise = np.where(t < 600, 0.1, 0.4) * RNG.standard_normal(n)
    return np.sin(2 * np.pi * t / 12) + noise


def _fitted(**kw):
    X, y = make_windows(_regime_change(), 12, 2)
    cf = SplitConformalForecaster(_ridge(), confidence_level=0.8, gap=2, **kw)
    return cf.fit(X[:500], y[:500]), X, y


def test_adaptive_quantiles_match_the_conformal_ones_and_stay_finite():
    pool = RNG.random((30, 4))
    levels = np.array([0.8, 0.9])
    alpha = np.broadcast_to(1 - levels[:, None], (2, 4))
    assert_allclose(adaptive_quantiles(pool, alpha), conformal_quantiles(pool, levels))
    extreme = adaptive_quantiles(pool, np.array([[-0.5] * 4, [1.5] * 4]))
    assert_allclose(extreme, [pool.max(axis=0), pool.min(axis=0)])


def test_update_converges_to_the_level_after_a_regime_change():
    """Calibrated on the quiet regime; fed the noisy one window by window."""
    covered = {}
    for adapt in (False, True):
        cf, X, y = _fitted(step_size=0.05)
        inside = []
        for i in range(600, len(X)):
            _, pis = cf.predict_interval(X[i : i + 1])
            inside.append((pis[0, :, 0, 0] <= y[i]) & (y[i] <= pis[0, :, 1, 0]))
            if adapt and i >= 602:  # the targets known by now (horizon 2)
                cf.update(X[i - 2 : i - 1], y[i - 2 : i - 1])
        covered[adapt] = np.mean(inside)
    assert covered[False] < 0.5, covered  # calibrated once: far too narrow
    assert abs(covered[True] - 0.8) <= 0.03, covered
    assert cf.n_updates_ == len(X) - 602


def test_update_keeps_the_pool_size_and_pickles_its_state():
    cf, X, y = _fitted(conformity_score="scaled")
    n = cf.n_calibration_
    cf.update(X[600:650], y[600:650])
    assert cf.conformity_scores_.shape[0] == n
    assert cf.n_updates_ == 50 and cf.miscoverage_.shape == (1, 2)
    again = pickle.loads(pickle.dumps(cf))
    assert_array_equal(again.miscoverage_, cf.miscoverage_)
    assert_array_equal(
        again.predict_interval(X[-5:])[1], cf.predict_interval(X[-5:])[1]
    )
    cf.conformalize(X[500:560], y[500:560])  # a new calibration starts afresh
    assert cf.n_updates_ == 0
    assert_allclose(cf.miscoverage_, 0.2)


@pytest.mark.parametrize(
    "change, error, match",
    [
        ({"step_size": 1.5}, ValueError, "step_size"),
        ({"y": "wide"}, ValueError, "forecasts \\(2,\\)"),
        ({"fitted": False}, NotFittedError, "not calibrated yet"),
    ],
)
def test_update_refuses_bad_input_and_changes_nothing(change, error, match):
    cf, X, y = _fitted()
    if change.get("fitted") is False:
        cf = SplitConformalForecaster(_ridge())
    cf.set_params(**{k: v for k, v in change.items() if k == "step_size"})
    y_new = np.c_[y[600:610], y[600:610]] if change.get("y") else y[600:610]
    before = {k: np.copy(v) for k, v in vars(cf).items() if k.endswith("_")}
    with pytest.raises(error, match=match):
        cf.update(X[600:610], y_new)
    after = {k: v for k, v in vars(cf).items() if k.endswith("_")}
    assert before.keys() == after.keys()
    for k in before:
        if isinstance(before[k], np.ndarray) and before[k].dtype != object:
            assert_array_equal(before[k], after[k])
