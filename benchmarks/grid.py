"""grid: ``GridSearchCV`` over the five architectures, SciKeras vs sklstm.

The same search, side by side: five architectures, ``KFold(3)``, 200 epochs,
batch 3, relu, 100 units, adam, mse, no validation split, scored by
``neg_mean_squared_error`` on the many-to-many reference data (y flattened to
``(n, 3)`` so that the standard scorers apply), refit included.

- SciKeras: ``KerasRegressor`` with hand-written build functions, as a
  SciKeras user writes them (the architecture routed as
  ``model__architecture``; the encoder-decoders end in a ``Flatten`` so that
  they predict the 2-D target);
- sklstm: ``LSTMSeqRegressor`` with ``param_grid={"architecture": [...]}``.

The models are the same layers with the same parameter counts (shown).

Target (issue #18): sklstm at least 20x faster.

Then ``cross_validate`` with ``KFold(5)`` of one new configuration (64
units, so that no graph of the search above is reused): fit 1 traces the
training and predict graphs, fits 2-5 reuse them. The difference is the
fixed cost of a new configuration (target of issue #18: at most 0.5 s).
"""

import time

import numpy as np
from sklearn.model_selection import GridSearchCV, KFold, cross_validate

from sklstm import LSTMSeqRegressor
from sklstm._model.builders import ARCHITECTURES, build_model
from sklstm._utils.tf import keras
from sklstm.datasets import load_reference

from ._common import ratio, verdict

TITLE = "grid: GridSearchCV over the architectures, SciKeras vs LSTMSeqRegressor"
SPEED_TARGET = 20.0
FIXED_COST_TARGET = 0.5  # seconds
SETTINGS = dict(units=100, activation="relu", epochs=200, batch_size=3)
FULL = dict(architectures=ARCHITECTURES, folds=3, epochs=200)
QUICK = dict(architectures=("simple",), folds=2, epochs=2)  # every code path
CV_FOLDS = 5
layers = keras.layers


# ---- What a SciKeras user writes: one build function per architecture. ----
def simple(inputs, n_out, units, activation):
    x = layers.LSTM(units, activation=activation)(inputs)
    return layers.Dense(n_out)(x)


def stacked(inputs, n_out, units, activation):
    x = layers.LSTM(units, activation=activation, return_sequences=True)(inputs)
    x = layers.LSTM(units, activation=activation)(x)
    return layers.Dense(n_out)(x)


def bidirectional(inputs, n_out, units, activation):
    x = layers.Bidirectional(layers.LSTM(units, activation=activation))(inputs)
    return layers.Dense(n_out)(x)


def encoder_decoder(inputs, n_out, units, activation):
    x = layers.LSTM(units, activation=activation)(inputs)
    x = layers.RepeatVector(n_out)(x)
    x = layers.LSTM(units, activation=activation, return_sequences=True)(x)
    x = layers.TimeDistributed(layers.Dense(1))(x)
    return layers.Flatten()(x)


def bidirectional_encoder_decoder(inputs, n_out, units, activation):
    x = layers.Bidirectional(layers.LSTM(units, activation=activation))(inputs)
    x = layers.RepeatVector(n_out)(x)
    lstm = layers.LSTM(units, activation=activation, return_sequences=True)
    x = layers.Bidirectional(lstm)(x)
    x = layers.TimeDistributed(layers.Dense(1))(x)
    return layers.Flatten()(x)


BUILDERS = {
    "simple": simple,
    "stacked": stacked,
    "bidirectional": bidirectional,
    "encoder_decoder": encoder_decoder,
    "bidirectional_encoder_decoder": bidirectional_encoder_decoder,
}


def build_fn(architecture, units, activation, meta):
    """SciKeras model function: ``meta`` gives the shapes of X and y."""
    inputs = keras.Input(meta["X_shape_"][1:])
    outputs = BUILDERS[architecture](inputs, meta["n_outputs_"], units, activation)
    return keras.Model(inputs, outputs)


# ---------------------------------------------------------------------------
def _param_counts(X):
    """Parameters of the SciKeras and the sklstm model of all architectures."""
    meta = dict(n_timesteps_in=3, n_features_in=1, n_steps_out=3, n_features_out=1)
    scikeras_meta = {"X_shape_": X.shape, "n_outputs_": 3}
    kw = dict(units=SETTINGS["units"], activation=SETTINGS["activation"])
    return {
        arch: (
            build_fn(arch, meta=scikeras_meta, **kw).count_params(),
            build_model(meta, architecture=arch, **kw).count_params(),
        )
        for arch in ARCHITECTURES
    }


def _search(estimator, param, architectures, folds, X, y):
    search = GridSearchCV(
        estimator,
        {param: list(architectures)},
        cv=KFold(folds),
        scoring="neg_mean_squared_error",
    )
    start = time.perf_counter()
    search.fit(X, y)
    return time.perf_counter() - start, search


def run(report, quick=False):
    from scikeras.wrappers import KerasRegressor

    settings = QUICK if quick else FULL
    archs, folds, epochs = (settings[k] for k in ("architectures", "folds", "epochs"))
    data = load_reference("many_to_many_1")
    X, y = data.X, data.y.reshape(len(data.y), -1)
    common = dict(epochs=epochs, batch_size=SETTINGS["batch_size"], verbose=0)
    scikeras_est = KerasRegressor(
        build_fn,
        model__architecture=archs[0],
        model__units=SETTINGS["units"],
        model__activation=SETTINGS["activation"],
        optimizer="adam",
        loss="mse",
        random_state=0,
        **common,
    )
    sklstm_est = LSTMSeqRegressor(
        units=SETTINGS["units"],
        activation=SETTINGS["activation"],
        random_state=0,
        **common,
    )
    report.heading(TITLE)
    report.text(
        f"many_to_many_1: X {X.shape}, y {y.shape}; {len(archs)} architectures x "
        f"KFold({folds}) + refit = {len(archs) * folds + 1} fits per side; {epochs} "
        f"epochs, batch {SETTINGS['batch_size']}, {SETTINGS['units']} units, relu, "
        "adam, mse, no validation split; scoring neg_mean_squared_error."
    )
    scikeras_s, scikeras_gs = _search(
        scikeras_est, "model__architecture", archs, folds, X, y
    )
    sklstm_s, sklstm_gs = _search(sklstm_est, "architecture", archs, folds, X, y)
    counts = _param_counts(X)
    rows = []
    for i, arch in enumerate(archs):
        a, b = scikeras_gs.cv_results_, sklstm_gs.cv_results_
        rows.append(
            [arch, f"{counts[arch][0]:,}", f"{counts[arch][1]:,}"]
            + [f"{a['mean_fit_time'][i]:.2f}", f"{b['mean_fit_time'][i]:.2f}"]
            + [f"{a['mean_test_score'][i]:.1f}", f"{b['mean_test_score'][i]:.1f}"]
        )
    header = ["architecture", "scikeras params", "sklstm params"]
    header += ["scikeras fit s", "sklstm fit s", "scikeras score", "sklstm score"]
    report.table(header, rows)
    report.text(
        "fit s: mean time of one fit over the folds; score: mean test "
        "neg_mean_squared_error over the folds (higher is better). The times "
        "compare the same network; the scores compare each side as a user runs "
        "it: sklstm with its defaults (window normalization, the linear path), "
        "SciKeras with the bare network."
    )
    same = all(a == b for a, b in counts.values())
    report.text(
        f"same parameter count on both sides for all {len(counts)} architectures: "
        f"{'yes' if same else 'NO'}"
    )
    for name, gs in (("scikeras", scikeras_gs), ("sklstm", sklstm_gs)):
        report.text(
            f"{name}: best_params_ {gs.best_params_}, best_score_ {gs.best_score_:.2f}"
        )
    failed = [
        name
        for name, gs in (("scikeras", scikeras_gs), ("sklstm", sklstm_gs))
        if not np.all(np.isfinite(gs.cv_results_["mean_test_score"]))
    ]
    if failed:
        report.text(f"some fits failed (score nan) for: {', '.join(failed)}")
    report.text(
        f"search time: scikeras {scikeras_s:.1f} s, sklstm {sklstm_s:.1f} s; speed "
        f"ratio (scikeras / sklstm): {ratio(scikeras_s, sklstm_s)} -- target >= "
        f"{SPEED_TARGET:.0f}x: {verdict(scikeras_s / sklstm_s >= SPEED_TARGET, quick)}"
    )
    _cross_validate(report, sklstm_est, X, y, quick)


def _cross_validate(report, est, X, y, quick):
    """Fit times of ``cross_validate`` with 5 folds: fit 1 against fits 2-5."""
    est = est.set_params(units=64)
    times = cross_validate(est, X, y, cv=KFold(CV_FOLDS))["fit_time"]
    rest = float(np.mean(times[1:]))
    report.text(
        f"cross_validate, KFold({CV_FOLDS}), sklstm {est.architecture}, 64 units: "
        f"fit times {', '.join(f'{t:.2f}' for t in times)} s; fit 1 "
        f"{times[0]:.2f} s (traces), fits 2-{CV_FOLDS} {rest:.2f} s on average "
        f"({ratio(times[0], rest)} faster)."
    )
    fixed = times[0] - rest
    report.text(
        f"fixed cost of a new configuration (fit 1 - fits 2-{CV_FOLDS}): "
        f"{fixed:.2f} s -- target <= {FIXED_COST_TARGET} s: "
        f"{verdict(fixed <= FIXED_COST_TARGET, quick)}"
    )
