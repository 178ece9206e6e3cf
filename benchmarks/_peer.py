"""The peer of ``realdata``: skforecast's ``ForecasterRnn``, on our windows.

skforecast is an optional ``bench`` extra, never a runtime or test
dependency: :func:`available` says whether it is installed, and ``realdata``
leaves its column out when it is not.

The forecaster is built the way skforecast's documentation does it:
``create_and_compile_model`` with its defaults (an LSTM of 100 units, a
64-unit dense layer per step, Adam, MSE) and ``ForecasterRnn`` with its
default ``MinMaxScaler``, lags = our input steps and steps = our horizon. It
is fitted on the training part of the series only (up to the end of the last
training target), so it cuts exactly our training windows; :func:`fit_predict`
raises if it does not. It then forecasts every held-out window.
"""

import contextlib
import io
import time
import warnings

import numpy as np

__all__ = [
    "available",
    "fit",
    "fit_predict",
    "fit_predict_exog",
    "predict",
    "predict_interval",
    "predict_interval_rolling",
    "version",
]


def available():
    """Whether skforecast can be imported."""
    from importlib.util import find_spec

    return find_spec("skforecast") is not None


def version():
    from importlib import metadata

    return metadata.version("skforecast")


@contextlib.contextmanager
def _quiet():
    """skforecast prints versions and warns on its own; keep the report clean.

    ``create_and_compile_model`` prints the Keras and TensorFlow versions, and
    copying the compiled model into the forecaster makes Keras warn that it
    skipped the (unbuilt) optimizer's variables.
    """
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _scale(forecaster, values, inverse=False):
    """Values through the forecaster's fitted series transformer, same shape."""
    from skforecast.utils import transform_numpy

    flat = np.asarray(values, dtype=float).reshape(-1, 1)
    out = transform_numpy(
        flat, forecaster.transformer_series_["y"], inverse_transform=inverse
    )
    return np.asarray(out).reshape(np.shape(values))


def _predict_one(forecaster, window):
    """``ForecasterRnn.predict`` from one window (its public, per-window path)."""
    import pandas as pd

    last_window = pd.DataFrame({"y": window})
    pred = forecaster.predict(last_window=last_window, suppress_warnings=True)
    return pred["pred"].to_numpy()


def _predict_batched(forecaster, X):
    """All windows in one ``predict`` of the Keras model, as ``predict`` does."""
    scaled = _scale(forecaster, X[:, :, 0])[:, :, None]
    out = forecaster.estimator.predict(scaled, verbose=0)[:, :, 0]
    return _scale(forecaster, out, inverse=True)


def fit(train_series, X, y, epochs, batch_size, seed=0):
    """Fit ``ForecasterRnn`` on ``train_series``, which must cut into X and y.

    ``X`` (n, n_in, 1) and ``y`` (n, horizon) are our training windows, which
    ``train_series`` must cut into exactly (its last value ends the last
    training target); raises if it does not. Returns ``(forecaster,
    fit_seconds)``.
    """
    import keras
    import pandas as pd
    from skforecast.deep_learning import ForecasterRnn, create_and_compile_model

    n_in, horizon = X.shape[1], y.shape[1]
    series = pd.DataFrame({"y": np.asarray(train_series, dtype=float)})
    start = time.perf_counter()
    with _quiet():
        keras.utils.set_random_seed(seed)
        model = create_and_compile_model(series, lags=n_in, steps=horizon)
        forecaster = ForecasterRnn(
            model,
            levels="y",
            lags=n_in,
            fit_kwargs={"epochs": epochs, "batch_size": batch_size, "verbose": 0},
        )
        if forecaster.fit_kwargs.get("epochs") != epochs:  # dropped with a warning
            raise RuntimeError(f"ForecasterRnn ignored epochs={epochs}")
        X_sk, _, y_sk, _ = forecaster.create_train_X_y(series, suppress_warnings=True)
        if X_sk.shape[:2] != X.shape[:2] or y_sk.shape[:2] != y.shape:
            raise RuntimeError(
                f"ForecasterRnn cuts {X_sk.shape[0]} training windows "
                f"{X_sk.shape[1]}->{y_sk.shape[1]}, we cut {len(X)} "
                f"{n_in}->{horizon}: the two sides would not train on the same "
                "windows"
            )
        same = np.allclose(
            _scale(forecaster, X_sk[:, :, 0], inverse=True), X[:, :, 0]
        ) and np.allclose(_scale(forecaster, y_sk[:, :, 0], inverse=True), y)
        if not same:
            raise RuntimeError("ForecasterRnn's training windows differ from ours")
        forecaster.fit(series, suppress_warnings=True)
    return forecaster, time.perf_counter() - start


def predict(forecaster, X_test, y_scale):
    """Forecasts of every window of X_test, checked against skforecast's own.

    ``y_scale`` (the largest absolute target) sets the absolute tolerance.
    """
    with _quiet():
        pred = _predict_batched(forecaster, X_test)
        # The batched path must agree with skforecast's own predict.
        for i in (0, len(X_test) - 1):
            own = _predict_one(forecaster, X_test[i, :, 0])
            if not np.allclose(own, pred[i], rtol=1e-4, atol=1e-6 * y_scale):
                raise RuntimeError(
                    f"batched forecast of held-out window {i} differs from "
                    f"ForecasterRnn.predict: {pred[i][:3]} vs {own[:3]}"
                )
    return pred


def fit_predict(train_series, X, y, X_test, epochs, batch_size, seed=0):
    """Fit ``ForecasterRnn`` on ``train_series``; forecast every window of X_test.

    Returns ``(predictions, fit_seconds)``; see :func:`fit`.
    """
    forecaster, seconds = fit(train_series, X, y, epochs, batch_size, seed)
    return predict(forecaster, X_test, np.abs(y).max()), seconds


def _interval(forecaster, window, levels, out):
    """skforecast's conformal bounds of one window at every level, into out."""
    import pandas as pd

    for j, level in enumerate(levels):
        frame = forecaster.predict_interval(
            last_window=pd.DataFrame({"y": window}),
            method="conformal",
            interval=float(level),
            use_in_sample_residuals=False,
            suppress_warnings=True,
        )
        out[:, 0, j] = frame["lower_bound"].to_numpy()
        out[:, 1, j] = frame["upper_bound"].to_numpy()


def _calibrate(forecaster, y_cal, pred_cal):
    forecaster.set_out_sample_residuals(
        y_true={"y": np.ravel(y_cal)}, y_pred={"y": np.ravel(pred_cal)}
    )


def predict_interval(forecaster, X_cal, y_cal, X_test, levels):
    """skforecast's conformal intervals, calibrated once on (X_cal, y_cal).

    As skforecast's documentation recommends for honest intervals: the
    calibration windows' residuals are set as out-of-sample residuals
    (``set_out_sample_residuals``) and ``predict_interval(method="conformal",
    use_in_sample_residuals=False)`` (binned residuals, its default) gives
    every held-out window's interval, one call per window and level.

    Returns
    -------
    y_pis : ndarray of shape (n_test, horizon, 2, n_levels)
    """
    out = np.empty((len(X_test), y_cal.shape[1], 2, len(levels)))
    with _quiet():
        _calibrate(forecaster, y_cal, predict(forecaster, X_cal, np.abs(y_cal).max()))
        for i, window in enumerate(X_test[:, :, 0]):
            _interval(forecaster, window, levels, out[i])
    return out


def predict_interval_rolling(forecaster, X_all, y_all, first_test, n_cal, levels):
    """skforecast's conformal intervals, recalibrated before every forecast.

    Held-out window ``j`` (index ``first_test + j`` of the windows of the
    whole series, ``X_all``) is forecast after calibrating on the latest
    ``n_cal`` windows whose targets are known by then (those ending at
    ``first_test + j - horizon`` at the latest), as for sklstm.
    """
    horizon = y_all.shape[1]
    start = first_test - horizon - n_cal + 1
    n_test = len(X_all) - first_test
    out = np.empty((n_test, horizon, 2, len(levels)))
    with _quiet():
        pred = predict(forecaster, X_all[start:], np.abs(y_all).max())
        for j in range(n_test):
            hi = first_test + j - horizon - start  # last known, in pred
            _calibrate(
                forecaster,
                y_all[start:][hi - n_cal + 1 : hi + 1],
                pred[hi - n_cal + 1 : hi + 1],
            )
            _interval(forecaster, X_all[first_test + j, :, 0], levels, out[j])
    return out


def fit_predict_exog(series, exog, n_in, horizon, train_end, test_starts, fit_kwargs):
    """``ForecasterRnn`` with future-known ``exog``: fit, then forecast windows.

    skforecast's own way: ``create_and_compile_model(..., exog=...)`` (its
    exog input joins the decoder over the forecast steps, as sklstm's
    encoder-decoder does) and ``fit(series, exog=exog)`` on the training
    part ``series[:train_end]``, which it cuts into every window (stride 1).
    Held-out window ``s`` of ``test_starts`` (the index of its first input
    step) is forecast by ``predict`` from ``last_window`` (its ``n_in``
    inputs) and the ``exog`` of its ``horizon`` forecast steps.

    Returns ``(predictions of shape (n_test, horizon), fit_seconds,
    n_training_windows)``.
    """
    import keras
    import pandas as pd
    from skforecast.deep_learning import ForecasterRnn, create_and_compile_model

    y = pd.DataFrame({"y": np.asarray(series, dtype=float)})
    x = pd.DataFrame(np.asarray(exog, dtype=float)).add_prefix("exog_")
    start = time.perf_counter()
    with _quiet():
        keras.utils.set_random_seed(0)
        model = create_and_compile_model(
            y[:train_end], lags=n_in, steps=horizon, exog=x[:train_end]
        )
        forecaster = ForecasterRnn(
            model, levels="y", lags=n_in, fit_kwargs={**fit_kwargs, "verbose": 0}
        )
        forecaster.fit(y[:train_end], exog=x[:train_end], suppress_warnings=True)
    seconds = time.perf_counter() - start
    n_windows = train_end - n_in - horizon + 1
    pred = np.empty((len(test_starts), horizon))
    with _quiet():
        for i, s in enumerate(test_starts):
            out = forecaster.predict(
                last_window=y[s : s + n_in],
                exog=x[s + n_in : s + n_in + horizon],
                suppress_warnings=True,
            )
            pred[i] = out["pred"].to_numpy()
    return pred, seconds, n_windows
