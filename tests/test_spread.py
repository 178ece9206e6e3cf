"""Scale-aware conformity scores (sklstm._intervals.spread)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline

from sklstm import SequenceFlattener, SplitConformalForecaster, make_windows
from sklstm._intervals.spread import FLOOR, floor, floored, spreads


def _ridge():
    return make_pipeline(SequenceFlattener(), RidgeCV())


def _growing(n=3100, seed=0):
    """Level and noise (and the season) both grow 100-fold over the series."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    level = 10 * np.exp(np.log(100) * t / n)
    season = 1 + 0.2 * np.sin(2 * np.pi * t / 12)
    return level * season * (1 + 0.05 * rng.standard_normal(n))


def test_spread_is_the_mean_absolute_step_change_of_the_input_steps():
    X = np.array([[[1.0, 0.0], [3.0, 5.0], [2.0, 5.0]]])  # one window, 2 features
    assert_allclose(spreads(_ridge(), X), [(2 + 1 + 5 + 0) / 4])
    assert_allclose(spreads(_ridge(), X[:, :, 0]), [1.5])  # 2-D: one sequence
    with_nan = np.array([[1.0, 2.0, 4.0, np.nan]])  # a forecast period left NaN
    assert_allclose(spreads(_ridge(), with_nan), [1.5])
    assert np.isnan(spreads(_ridge(), np.ones((1, 1))))  # no change at all
    low = floor(np.array([2.0, 4.0, np.nan, 6.0]))
    assert low == pytest.approx(FLOOR * 4.0)
    assert_allclose(floored(np.array([0.0, np.nan, 3.0]), low), [low, low, 3.0])


@pytest.mark.parametrize("method", ["split", "cqr"])
def test_scaled_scores_map_back_per_window(method):
    """Scaled intervals are the calibrated quantile times each window's spread."""
    X, y = make_windows(_growing(400), 12, 3)
    est = _ridge() if method == "split" else None
    if est is None:
        pytest.importorskip("tensorflow")
        from sklstm import LSTMSeqRegressor

        est = LSTMSeqRegressor(units=4, epochs=2, random_state=0)
    cf = SplitConformalForecaster(
        est, confidence_level=0.8, gap=3, conformity_score="scaled", method=method
    ).fit(X[:300], y[:300])
    y_pred, pis = cf.predict_interval(X[300:])
    scale = floored(spreads(cf.estimator_, X[300:]), cf.scale_floor_)
    widen = cf.quantiles_[0] * scale[:, None]
    if method == "split":
        assert_allclose(pis[..., 0, 0], y_pred - widen)
        assert_allclose(pis[..., 1, 0], y_pred + widen)
        far = cf.predict_interval(X[300:] * 10.0)[1]  # ten times the level
        assert_allclose(np.diff(far, axis=-2), 10.0 * np.diff(pis, axis=-2))
    else:
        q = cf.estimator_.predict_quantiles(X[300:], [0.1, 0.9])
        assert_allclose(pis[..., 0, 0], q[..., 0] - widen, rtol=1e-5)
        assert_allclose(pis[..., 1, 0], q[..., 1] + widen, rtol=1e-5)


def test_scaled_scores_keep_their_coverage_as_level_and_noise_grow():
    series = _growing()
    X, y = make_windows(series, 12, 3)
    X_fit, y_fit, X_test, y_test = X[:-2000], y[:-2000], X[-2000:], y[-2000:]
    coverage = {}
    for score in ("absolute", "scaled"):
        cf = SplitConformalForecaster(
            _ridge(), confidence_level=0.9, calibration_size=0.3, gap=3,
            conformity_score=score,
        ).fit(X_fit, y_fit)  # fmt: skip
        _, pis = cf.predict_interval(X_test)
        coverage[score] = np.mean(
            (pis[..., 0, 0] <= y_test) & (y_test <= pis[..., 1, 0])
        )
    # calibrated once, on the first tenth of the growth: 0.864 and 0.30
    assert abs(coverage["scaled"] - 0.9) <= 0.05, coverage
    assert coverage["absolute"] < 0.6, coverage
