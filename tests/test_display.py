import subprocess
import sys

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from sklstm import (  # noqa: E402
    ForecastDisplay,
    HistoryDisplay,
    LSTMSeqRegressor,  # noqa: E402
)

TINY = dict(units=4, epochs=3, validation_split=0.2, random_state=0)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def fitted3d():
    """3-D X (24, 5, 2) and 3-D y (24, 3, 2), with a validation split."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(24, 5, 2)), rng.normal(size=(24, 3, 2))
    return LSTMSeqRegressor(**TINY).fit(X, y), X, y


@pytest.fixture(scope="module")
def fitted_es():
    """2-D X (24, 5) and 2-D y (24, 3), early stopping on val_loss."""
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(24, 5)), rng.normal(size=(24, 3))
    est = LSTMSeqRegressor(early_stopping=True, patience=1, **TINY)
    return est.fit(X, y), X, y


class _Fake(BaseEstimator):
    """Minimal fitted estimator: a history and whatever else is set."""

    def __init__(self, **attrs):
        vars(self).update(attrs)

    def fit(self, X, y):
        return self


def _legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# ------------------------------------------------------------ HistoryDisplay
def test_history_from_estimator_draws_loss_and_val_loss(fitted3d):
    est = fitted3d[0]  # default best-only checkpoint: the lowest val_loss
    disp = HistoryDisplay.from_estimator(est)
    assert isinstance(disp, HistoryDisplay)
    assert disp.figure_ is disp.ax_.figure
    assert list(disp.lines_) == ["loss", "val_loss"]
    for key, line in disp.lines_.items():
        assert line.get_label() == key
        np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
        np.testing.assert_allclose(line.get_ydata(), est.history_[key])
    best = int(np.argmin(est.history_["val_loss"])) + 1
    assert disp.best_epoch == best
    np.testing.assert_array_equal(disp.best_line_.get_xdata(), [best, best])
    assert _legend(disp.ax_) == ["loss", "val_loss", "best epoch"]
    assert disp.ax_.get_xlabel() == "epoch"
    assert disp.ax_.get_title() == "LSTMSeqRegressor"


def test_history_early_stopping_marks_the_restored_epoch():
    # min_delta so large that no epoch improves on the first: early stopping
    # restores epoch 1 whatever the val_loss curve does afterwards.
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(24, 5)), rng.normal(size=(24, 3))
    params = dict(TINY, epochs=6, early_stopping=True, patience=2, min_delta=1e9)
    est = LSTMSeqRegressor(**params).fit(X, y)
    assert (est.best_epoch_, est.stopped_epoch_, est.n_iter_) == (0, 2, 3)
    disp = HistoryDisplay.from_estimator(est)
    assert (disp.best_epoch, disp.stopped_epoch) == (1, 3)
    np.testing.assert_array_equal(disp.best_line_.get_xdata(), [1, 1])
    assert disp.best_line_.get_label() == "best epoch"
    val = est.history_["val_loss"]
    np.testing.assert_allclose(disp.best_marker_.get_xydata(), [[1, val[0]]])
    assert disp.best_marker_.get_color() == disp.lines_["val_loss"].get_color()
    assert len(disp.ax_.get_lines()) == 4  # loss, val_loss, vline, marker
    assert _legend(disp.ax_) == ["loss", "val_loss", "best epoch"]
    # the model holds the weights of the marked epoch
    one = LSTMSeqRegressor(**{**TINY, "epochs": 1}).fit(X, y)
    np.testing.assert_array_equal(est.predict(X), one.predict(X))


def test_history_uses_best_and_stopped_epoch_attributes():
    history = {"loss": [3.0, 1.0, 2.0, 2.5]}
    est = _Fake(history_=history, best_epoch_=0, stopped_epoch_=3)
    disp = HistoryDisplay.from_estimator(Pipeline([("m", est)]))
    assert (disp.best_epoch, disp.stopped_epoch) == (1, 4)  # 0-based -> 1-based
    np.testing.assert_array_equal(disp.best_line_.get_xdata(), [1, 1])
    np.testing.assert_allclose(disp.best_marker_.get_xydata(), [[1, 3.0]])
    assert _legend(disp.ax_) == ["loss", "best epoch"]
    # no attribute: nothing is guessed from the curves
    disp = HistoryDisplay.from_estimator(_Fake(history_=history, early_stopping=True))
    assert disp.best_line_ is None and disp.best_epoch is None


def test_history_display_plot_on_given_axes():
    _, ax = plt.subplots()
    disp = HistoryDisplay({"loss": [1.0, 0.5]}, estimator_name="m")
    assert disp.plot(ax=ax) is disp
    assert disp.ax_ is ax and disp.figure_ is ax.figure
    assert ax.get_title() == "m" and disp.best_line_ is None


@pytest.mark.parametrize(
    "loss, log_scale, expected",
    [
        ([10.0, 1.0, 0.05], "auto", "log"),  # 2.3 decades
        ([10.0, 1.0, 0.2], "auto", "linear"),  # 1.7 decades
        ([1.0, 0.0, -1.0], "auto", "linear"),  # not all positive
        ([1.0, 0.9], True, "log"),
        ([10.0, 1e-3], False, "linear"),
    ],
)
def test_history_log_scale(loss, log_scale, expected):
    disp = HistoryDisplay({"loss": loss}).plot(log_scale=log_scale)
    assert disp.ax_.get_yscale() == expected


def test_history_auto_log_scale_counts_val_loss():
    disp = HistoryDisplay({"loss": [1.0, 0.5], "val_loss": [1.0, 1e-3]}).plot()
    assert disp.ax_.get_yscale() == "log"


def test_history_unfitted_estimator_raises_not_fitted():
    with pytest.raises(NotFittedError, match="not fitted"):
        HistoryDisplay.from_estimator(LSTMSeqRegressor())


@pytest.mark.parametrize(
    "history, kwargs, match",
    [
        ({"val_loss": [1.0]}, {}, "'loss'"),
        ([1.0, 2.0], {}, "'loss'"),
        ({"loss": []}, {}, "non-empty"),
        ({"loss": [1.0, 2.0], "val_loss": [1.0]}, {}, "must match"),
        ({"loss": [1.0, 2.0]}, {"best_epoch": 3}, r"best_epoch=3 .* 1\.\.2"),
        ({"loss": [1.0, 2.0]}, {"best_epoch": 0}, "out of range"),
        ({"loss": [1.0, 2.0]}, {"stopped_epoch": 1.5}, "must be an int"),
    ],
)
def test_history_invalid_input(history, kwargs, match):
    with pytest.raises(ValueError, match=match):
        HistoryDisplay(history, **kwargs).plot()


def test_history_invalid_log_scale():
    with pytest.raises(ValueError, match="log_scale"):
        HistoryDisplay({"loss": [1.0]}).plot(log_scale="yes")


# ----------------------------------------------------------- ForecastDisplay
def test_forecast_from_estimator_3d(fitted3d):
    est, X, y = fitted3d
    disp = ForecastDisplay.from_estimator(est, X, y, feature=1)
    assert isinstance(disp, ForecastDisplay)
    idx = [0, 12, 23]  # 3 samples spread evenly over 24
    np.testing.assert_array_equal(disp.sample_indices, idx)
    assert {k: len(v) for k, v in disp.lines_.items()} == {
        "true": 3,
        "pred": 3,
        "input": 3,
    }
    assert len(disp.ax_.get_lines()) == 9
    y_pred = est.predict(X)
    colors = set()
    for i, s in enumerate(idx):
        true, pred, inp = (disp.lines_[k][i] for k in ("true", "pred", "input"))
        np.testing.assert_array_equal(inp.get_xdata(), [-4, -3, -2, -1, 0])
        np.testing.assert_array_equal(true.get_xdata(), [1, 2, 3])
        np.testing.assert_array_equal(pred.get_xdata(), [1, 2, 3])
        np.testing.assert_allclose(inp.get_ydata(), X[s, :, 1])
        np.testing.assert_allclose(true.get_ydata(), y[s, :, 1])
        np.testing.assert_allclose(pred.get_ydata(), y_pred[s, :, 1])
        assert (true.get_linestyle(), pred.get_linestyle()) == ("-", "--")
        assert true.get_marker() == "o"
        assert true.get_color() == pred.get_color() == inp.get_color()
        colors.add(true.get_color())
    assert len(colors) == 3
    assert _legend(disp.ax_) == [f"{k} #{s}" for s in idx for k in ("true", "pred")]
    assert disp.ax_.get_title() == "LSTMSeqRegressor"


def test_forecast_from_estimator_without_input(fitted3d):
    est, X, y = fitted3d
    disp = ForecastDisplay.from_estimator(est, X, y, n_samples=2, show_input=False)
    assert [len(disp.lines_[k]) for k in ("true", "pred", "input")] == [2, 2, 0]
    assert all(min(line.get_xdata()) >= 1 for line in disp.ax_.get_lines())
    assert disp.ax_.get_xlabel() == "output step"


def test_forecast_from_estimator_2d_sample_indices(fitted_es):
    est, X, y = fitted_es
    _, ax = plt.subplots()
    disp = ForecastDisplay.from_estimator(est, X, y, sample_indices=[5, 1], ax=ax)
    assert disp.ax_ is ax
    assert [len(disp.lines_[k]) for k in ("true", "pred", "input")] == [2, 2, 2]
    np.testing.assert_allclose(disp.lines_["true"][0].get_ydata(), y[5])
    np.testing.assert_allclose(disp.lines_["input"][1].get_ydata(), X[1])
    np.testing.assert_allclose(disp.lines_["pred"][1].get_ydata(), est.predict(X)[1])
    assert _legend(ax)[0] == "true #5"


def test_forecast_from_estimator_time_major_2d_target():
    y3 = np.arange(24.0).reshape(4, 3, 2)  # (n, out_steps, out_features)
    est = _Fake(output_shape_=(3, 2), predict=lambda X: y3.reshape(4, 6) + 1)
    disp = ForecastDisplay.from_estimator(
        Pipeline([("m", est)]),
        np.zeros((4, 2)),
        y3.reshape(4, 6),
        feature=1,
        sample_indices=[2],
    )
    assert disp.ax_.get_title() == "_Fake"
    np.testing.assert_allclose(disp.lines_["true"][0].get_ydata(), y3[2, :, 1])
    np.testing.assert_allclose(disp.lines_["pred"][0].get_ydata(), y3[2, :, 1] + 1)


def test_forecast_from_predictions_1d_and_many_samples():
    y = np.arange(4.0)
    disp = ForecastDisplay.from_predictions(y, y + 1, n_samples=10)
    assert len(disp.lines_["true"]) == 4 and disp.lines_["input"] == []
    for i, line in enumerate(disp.lines_["pred"]):
        np.testing.assert_array_equal(line.get_xdata(), [1])
        np.testing.assert_array_equal(line.get_ydata(), [i + 1])


def test_forecast_from_predictions_input_feature_fallback():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 4, 1)), rng.normal(size=(6, 2, 3))
    disp = ForecastDisplay.from_predictions(
        y, y, X=X, feature=2, sample_indices=np.array([3])
    )
    inp, true = disp.lines_["input"][0], disp.lines_["true"][0]
    np.testing.assert_array_equal(inp.get_xdata(), [-3, -2, -1, 0])
    np.testing.assert_allclose(inp.get_ydata(), X[3, :, 0])  # X has 1 feature
    np.testing.assert_allclose(true.get_ydata(), y[3, :, 2])
    assert disp.ax_.get_xlabel().startswith("time step")


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(y_pred=np.zeros((5, 4))), "same shape"),
        (dict(sample_indices=[5]), r"out of range: there are 5 samples"),
        (dict(sample_indices=[-1]), "out of range"),
        (dict(sample_indices=[]), "non-empty"),
        (dict(sample_indices=[0.5]), "ints"),
        (dict(feature=1), r"feature=1 is out of range.*y has 1 output feature\)"),
        (dict(feature=-1), "feature=-1"),
        (dict(n_samples=0), "n_samples"),
        (dict(X=np.zeros((4, 2))), r"X must have shape \(5, timesteps\)"),
        (dict(X=np.zeros(5)), "X must have shape"),
        (dict(y_true=np.zeros((5, 3, 1, 1))), "1-D, 2-D or 3-D"),
        (dict(y_true=np.zeros((0, 3))), "non-empty"),
    ],
)
def test_forecast_invalid_input(kwargs, match):
    y_true = kwargs.pop("y_true", np.zeros((5, 3)))
    y_pred = kwargs.pop("y_pred", y_true)
    with pytest.raises(ValueError, match=match):
        ForecastDisplay.from_predictions(y_true, y_pred, **kwargs)


def test_forecast_unfitted_estimator_raises_not_fitted():
    with pytest.raises(NotFittedError):
        ForecastDisplay.from_estimator(LSTMSeqRegressor(), np.zeros((2, 3)), [1, 2])


def test_displays_import_matplotlib_lazily():
    code = (
        "import sys, sklstm\n"
        "sklstm.HistoryDisplay, sklstm.ForecastDisplay\n"
        "assert 'matplotlib' not in sys.modules\n"
        "assert 'tensorflow' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_forecast_draws_conformal_intervals_as_bands():
    from sklearn.linear_model import RidgeCV
    from sklearn.pipeline import make_pipeline

    from sklstm import SequenceFlattener, SplitConformalForecaster, make_windows

    series = np.sin(np.arange(300) / 6) + np.random.default_rng(0).normal(size=300)
    X, y = make_windows(series, n_steps_in=8, n_steps_out=3)
    cf = SplitConformalForecaster(
        make_pipeline(SequenceFlattener(), RidgeCV()), confidence_level=[0.8, 0.95]
    ).fit(X[:-40], y[:-40])
    disp = ForecastDisplay.from_estimator(cf, X[-40:], y[-40:], sample_indices=[7])
    _, y_pis = cf.predict_interval(X[-40:])
    wide, narrow = disp.bands_  # the wider band first, lighter
    assert [wide.get_label(), narrow.get_label()] == ["95% #7", "80% #7"]
    assert wide.get_alpha() < narrow.get_alpha()
    for band, j in ((wide, 1), (narrow, 0)):
        vertices = band.get_paths()[0].vertices[:, 1]
        np.testing.assert_allclose(vertices.min(), y_pis[7, :, 0, j].min())
        np.testing.assert_allclose(vertices.max(), y_pis[7, :, 1, j].max())
    assert disp.ax_.get_title() == "RidgeCV"


def test_forecast_from_predictions_checks_the_intervals():
    y = np.zeros((5, 3))
    y_pis = np.stack([y - 1, y + 1], axis=-1)[..., np.newaxis]  # (5, 3, 2, 1)
    disp = ForecastDisplay.from_predictions(y, y, y_pis=y_pis, n_samples=2)
    assert len(disp.bands_) == 2 and disp.bands_[0].get_label() == "interval #0"
    with pytest.raises(ValueError, match=r"y_pis must have shape \(5, 3\) \+ \(2"):
        ForecastDisplay.from_predictions(y, y, y_pis=y_pis[:, :2])
    with pytest.raises(ValueError, match="one level per interval"):
        ForecastDisplay.from_predictions(
            y, y, y_pis=y_pis, confidence_levels=[0.8, 0.9]
        )
