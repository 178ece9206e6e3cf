"""reference: the ten reference experiments, plain Keras ``model.fit`` vs sklstm.

Each experiment of :data:`sklstm._tutorial.EXPERIMENTS` is trained twice, side
by side, at the reference settings (1000 epochs, batch 3, validation split
0.2, relu, adam, mse, units from the data set), the network alone on both
sides (sklstm's ``REFERENCE_SETTINGS`` have no linear path and no early
stopping; sklstm keeps its window normalization, standardization and
best-validation checkpoint):

- Keras: the identical model from :func:`sklstm._model.builders.build_model` (with
  the same initial weights as the estimator's), compiled with adam and mse,
  trained by ``model.fit`` on the targets reshaped to the model's 3-D output;
- sklstm: ``LSTMSeqRegressor(**settings, random_state=seed).fit(X, y)``.

Both times cover building, compiling and training. Each side then predicts
the test point, and its worst absolute error is reported.

Target: sklstm at least 40x faster in total, and its median worst error over
the experiments no worse than Keras's (within 0.1, the size of the errors
the tutorial itself printed for its best fits).
"""

import statistics
import time

import numpy as np

import sklstm  # noqa: F401  (quiet TensorFlow import before Keras)
from sklstm._model.builders import build_model
from sklstm._tutorial import EXPERIMENTS, REFERENCE_SETTINGS, run_experiment
from sklstm._utils.tf import keras
from sklstm.datasets import load_reference

from ._common import estimator_seeds, ratio, verdict

TITLE = "reference: ten reference experiments, Keras model.fit vs LSTMSeqRegressor"
SPEED_TARGET = 40.0
ERROR_TOLERANCE = 0.1
SEED = 0
# Quick mode: one one-to-many and one many-to-many experiment, 3 epochs.
QUICK_EXPERIMENTS = (EXPERIMENTS[0], EXPERIMENTS[6])
QUICK_EPOCHS = 3


def _worst_error(predicted, expected):
    return float(np.max(np.abs(np.ravel(predicted) - np.ravel(expected))))


def fit_keras(data, architecture, settings, seed):
    """Build, compile and ``fit`` the model; return (seconds, worst error)."""
    y3 = data.y if data.y.ndim == 3 else data.y[:, :, np.newaxis]
    meta = dict(
        n_timesteps_in=data.X.shape[1],
        n_features_in=data.X.shape[2],
        n_steps_out=y3.shape[1],
        n_features_out=y3.shape[2],
    )
    build_seed, shuffle_seed = estimator_seeds(seed)
    start = time.perf_counter()
    model = build_model(
        meta,
        architecture=architecture,
        units=settings["units"],
        activation=settings["activation"],
        seed=build_seed,
    )
    model.compile(optimizer=settings["optimizer"], loss=settings["loss"])
    keras.utils.set_random_seed(shuffle_seed)
    model.fit(
        data.X,
        y3,
        epochs=settings["epochs"],
        batch_size=settings["batch_size"],
        validation_split=settings["validation_split"],
        verbose=0,
    )
    seconds = time.perf_counter() - start
    return seconds, _worst_error(model.predict(data.X_test, verbose=0), data.y_test)


def fit_sklstm(data, architecture, settings, seed):
    """Fit ``LSTMSeqRegressor`` as ``sklstm tutorial`` does; (seconds, worst error)."""
    result = run_experiment(data.problem, architecture, seed=seed, **settings)
    return result["fit_time"], result["error"]


def run(report, quick=False):
    experiments = QUICK_EXPERIMENTS if quick else EXPERIMENTS
    epochs = QUICK_EPOCHS if quick else REFERENCE_SETTINGS["epochs"]
    report.heading(TITLE)
    report.text(
        f"{len(experiments)} experiments, {epochs} epochs, batch "
        f"{REFERENCE_SETTINGS['batch_size']}, validation_split "
        f"{REFERENCE_SETTINGS['validation_split']}, relu, adam, mse, seed {SEED}. "
        "Times include building and compiling the model."
    )
    rows, results = [], []
    for problem, architecture in experiments:
        data = load_reference(problem)
        settings = {**REFERENCE_SETTINGS, "units": data.units, "epochs": epochs}
        keras_s, keras_err = fit_keras(data, architecture, settings, SEED)
        sk_s, sk_err = fit_sklstm(data, architecture, settings, SEED)
        tut_err = _worst_error(data.printed[architecture], data.y_test)
        results.append((keras_s, sk_s, keras_err, sk_err, tut_err))
        rows.append(
            [problem, architecture, f"{keras_s:.2f}", f"{sk_s:.2f}"]
            + [ratio(keras_s, sk_s), f"{keras_err:.3f}", f"{sk_err:.3f}"]
            + [f"{tut_err:.2f}"]
        )
    keras_s, sk_s, keras_err, sk_err, tut_err = (list(c) for c in zip(*results))
    rows.append(
        ["TOTAL", "", f"{sum(keras_s):.2f}", f"{sum(sk_s):.2f}"]
        + [ratio(sum(keras_s), sum(sk_s)), f"{sum(keras_err):.3f}"]
        + [f"{sum(sk_err):.3f}", f"{sum(tut_err):.2f}"]
    )
    header = ["problem", "architecture", "keras s", "sklstm s", "speedup"]
    header += ["keras err", "sklstm err", "tutorial err"]
    report.table(header, rows)
    report.text(
        "err: worst absolute error at the test point (X_test, y_test); tutorial "
        "err: that of the predictions the original tutorial printed."
    )
    speedup = sum(keras_s) / sum(sk_s)
    report.text(
        f"speed ratio of totals (keras / sklstm): {ratio(sum(keras_s), sum(sk_s))}"
        f" -- target >= {SPEED_TARGET:.0f}x: {verdict(speedup >= SPEED_TARGET, quick)}"
    )
    keras_med, sk_med = statistics.median(keras_err), statistics.median(sk_err)
    report.text(
        f"median worst error (keras / sklstm): {keras_med:.3f} / {sk_med:.3f}; "
        f"sum: {sum(keras_err):.3f} / {sum(sk_err):.3f}; sklstm better in "
        f"{sum(s < k for k, s in zip(keras_err, sk_err))} of {len(sk_err)} "
        f"experiments -- target: sklstm median no worse than keras's "
        f"(+{ERROR_TOLERANCE}): {verdict(sk_med <= keras_med + ERROR_TOLERANCE, quick)}"
    )
