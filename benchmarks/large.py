"""large: 200,000 windows of 24 steps x 4 features, time and peak memory.

The identical "stacked" model (50 units, tanh) is trained for 2 epochs with
batch 256 on random float32 data (the target: 3 values, a linear function of
the last 3 steps) by three sides, each alone in a fresh subprocess so that
their memory peaks do not mix:

- ``keras``: plain Keras ``model.fit``;
- ``sklstm``: ``LSTMSeqRegressor`` training exactly what Keras trains (all
  samples, no validation split, no linear path, no window normalization, no
  standardization): the engines side by side, like with like;
- ``sklstm defaults``: ``LSTMSeqRegressor`` as a user runs it (a 20%
  validation split with early stopping, the ridge linear path, window
  normalization, standardization): what a default fit costs, shown beside
  them; it trains on 80% of the windows, so its time is not a ratio to
  Keras's.

Each child first trains a tiny model of another configuration (so nothing
of it is cached for the big fit): what TensorFlow's runtime allocates once
per process (thread pools, kernels, allocator arenas) is then in place for
every side. It then makes the data and reports its resident memory (the
baseline), trains, and reports its peak resident memory (``VmHWM``; see
:func:`_memory` for why not ``ru_maxrss``). Extra is peak - baseline: the
memory the fit itself needed above that floor.

Targets (issue #18): the ``sklstm`` side at least 2x faster than Keras, with
peak and extra memory no higher than Keras's.
"""

import argparse
import json
import resource
import time

import numpy as np

from ._common import child_output, estimator_seeds, ratio, verdict

TITLE = "large: many windows, Keras model.fit vs LSTMSeqRegressor, time and memory"
FULL = dict(n=200_000, epochs=2)
QUICK = dict(n=2_000, epochs=1)
TIMESTEPS, FEATURES, OUT_STEPS = 24, 4, 3
BATCH, UNITS, SEED = 256, 50, 0
SPEED_TARGET = 2.0
MB = 1024**2
SIDES = ("keras", "sklstm", "sklstm defaults")
#: The ``sklstm`` side: the same training as Keras's model.fit.
SAME_AS_KERAS = dict(
    validation_split=0.0,
    early_stopping=False,
    linear_path=None,
    window_normalization=None,
    standardize=False,
)


def make_data(n):
    """Random float32 windows and a target linear in their last steps."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, TIMESTEPS, FEATURES), dtype=np.float32)
    y = X[:, -OUT_STEPS:, 0] + 0.5 * X[:, -OUT_STEPS:, 1]  # (n, 3) float32
    return X, y


def _memory():
    """(current, peak) resident memory of this process, in bytes.

    On Linux the peak is ``VmHWM``, the high-water mark of this process's own
    address space, rather than ``ru_maxrss``: Linux carries the parent's
    resident size over fork and exec into the child's ``ru_maxrss``, so the
    child of a large process would report the parent's size as its peak.
    """
    try:
        with open("/proc/self/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return tuple(int(fields[k].split()[0]) * 1024 for k in ("VmRSS", "VmHWM"))
    except (OSError, KeyError):  # not Linux: psutil and ru_maxrss (bytes on macOS)
        import psutil

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return psutil.Process().memory_info().rss, peak


def _keras_fit(X, y, epochs, units):
    """Plain Keras: build the reference model, ``model.fit`` it; the history."""
    from sklstm._model.builders import build_model
    from sklstm._utils.tf import keras

    meta = dict(
        n_timesteps_in=X.shape[1],
        n_features_in=X.shape[2],
        n_steps_out=y.shape[1],
        n_features_out=1,
    )
    build_seed, shuffle_seed = estimator_seeds(SEED)
    model = build_model(meta, architecture="stacked", units=units, seed=build_seed)
    model.compile(optimizer="adam", loss="mse")
    keras.utils.set_random_seed(shuffle_seed)
    return model.fit(
        X, y[:, :, np.newaxis], epochs=epochs, batch_size=BATCH, verbose=0
    ).history


def _sklstm_fit(X, y, epochs, units, params):
    from sklstm import LSTMSeqRegressor

    est = LSTMSeqRegressor(
        architecture="stacked",
        units=units,
        epochs=epochs,
        batch_size=BATCH,
        random_state=SEED,
        **params,
    )
    return est.fit(X, y).history_


def _fit(side, X, y, epochs, units=UNITS):
    if side == "keras":
        return _keras_fit(X, y, epochs, units)
    params = SAME_AS_KERAS if side == "sklstm" else {}
    return _sklstm_fit(X, y, epochs, units, params)


def _child(side, n, epochs):
    """Run one side in this (fresh) process; print its measures as JSON."""
    _fit(side, *make_data(BATCH), epochs=1, units=4)  # TensorFlow's own floor
    X, y = make_data(n)
    baseline = _memory()[0]
    start = time.perf_counter()
    history = _fit(side, X, y, epochs)
    seconds = time.perf_counter() - start
    result = dict(
        seconds=seconds,
        baseline=baseline,
        peak=_memory()[1],
        x_bytes=X.nbytes,
        loss=float(history["loss"][-1]),
    )
    print(json.dumps(result))


def _measure(side, n, epochs, *, isolated=True):
    """Run ``_child`` (in a subprocess if ``isolated``); return its measures."""
    args = ["--child", side, "--n", str(n), "--epochs", str(epochs)]
    out = child_output("large", args, isolated=isolated)
    return json.loads(out.strip().splitlines()[-1])


def run(report, quick=False):
    settings = QUICK if quick else FULL
    n, epochs = settings["n"], settings["epochs"]
    report.heading(TITLE)
    report.text(
        f"{n:,} windows x {TIMESTEPS} steps x {FEATURES} features (float32), "
        f"target (n, {OUT_STEPS}); stacked, {UNITS} units, tanh, adam, mse, batch "
        f"{BATCH}, {epochs} epoch(s). Each side in its own subprocess, after a "
        "tiny fit of another model; times include building the model. sklstm: "
        "the same training as Keras (all windows, no validation, linear path, "
        "normalization or standardization); sklstm defaults: as a user runs it "
        "(trains on 80% of the windows)."
    )
    results = {side: _measure(side, n, epochs, isolated=not quick) for side in SIDES}
    rows = []
    for side, r in results.items():
        extra = r["peak"] - r["baseline"]
        rows.append(
            [side, f"{r['seconds']:.1f}", f"{r['loss']:.4f}"]
            + [f"{r['baseline'] / MB:.0f}", f"{r['peak'] / MB:.0f}"]
            + [f"{extra / MB:.0f}", f"{extra / r['x_bytes']:.2f}x"]
        )
    header = ["side", "fit s", "final loss", "baseline MB", "peak MB"]
    header += ["extra MB", "extra / X"]
    report.table(header, rows)
    x_mb = results["keras"]["x_bytes"] / MB
    report.text(
        f"X (float32) is {x_mb:.1f} MB. baseline: resident memory after imports, "
        "a tiny fit and the data; peak: the process's peak resident memory "
        "(VmHWM); extra: peak - baseline. The final losses of keras and sklstm "
        "differ only by their shuffling (sklstm defaults: the residuals of the "
        "linear path, in standardized units)."
    )
    keras_r, sk_r = results["keras"], results["sklstm"]
    speed = keras_r["seconds"] / sk_r["seconds"]
    report.text(
        f"speed ratio (keras / sklstm, same training): "
        f"{ratio(keras_r['seconds'], sk_r['seconds'])} -- target >= "
        f"{SPEED_TARGET:.0f}x: {verdict(speed >= SPEED_TARGET, quick)}"
    )
    report.text(
        f"peak memory ratio (keras / sklstm): {ratio(keras_r['peak'], sk_r['peak'])}"
        f" -- target: sklstm peak no higher: "
        f"{verdict(sk_r['peak'] <= keras_r['peak'], quick)}"
    )
    extras = [r["peak"] - r["baseline"] for r in (keras_r, sk_r)]
    report.text(
        f"extra memory (keras / sklstm): {extras[0] / MB:.0f} / {extras[1] / MB:.0f} "
        f"MB -- target: sklstm no higher: {verdict(extras[1] <= extras[0], quick)}"
    )


def main(argv=None):
    """``python -m benchmarks.large --child SIDE``: one side, as JSON."""
    parser = argparse.ArgumentParser(description="one side of the large benchmark")
    parser.add_argument("--child", choices=SIDES, required=True)
    parser.add_argument("--n", type=int, default=FULL["n"])
    parser.add_argument("--epochs", type=int, default=FULL["epochs"])
    args = parser.parse_args(argv)
    _child(args.child, args.n, args.epochs)


if __name__ == "__main__":
    main()
