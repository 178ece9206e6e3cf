"""large: 200,000 windows of 24 steps x 4 features, time and peak memory.

The identical "stacked" model (50 units, tanh) is trained for 2 epochs with
batch 256 on random float32 data (the target: 3 values, a linear function of
the last 3 steps), once by plain Keras ``model.fit`` and once by
``LSTMSeqRegressor``. Each side runs alone in a fresh subprocess, so that
their memory peaks do not mix: the child reports its resident memory after
imports and data creation (the baseline) and its peak resident memory at
the end (``VmHWM``; see :func:`_memory` for why not ``ru_maxrss``).

Targets: sklstm no slower than Keras, with a peak no higher. Also shown: the
memory used beyond the baseline as a multiple of the float32 X array (another
issue targets at most 2x).
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
MEMORY_TARGET = 2.0
MB = 1024**2


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


def _child(side, n, epochs):
    """Run one side in this (fresh) process; print its measures as JSON."""
    from sklstm import LSTMSeqRegressor
    from sklstm._model.builders import build_model
    from sklstm._utils.tf import keras

    X, y = make_data(n)
    baseline = _memory()[0]
    start = time.perf_counter()
    if side == "keras":
        meta = dict(
            n_timesteps_in=TIMESTEPS,
            n_features_in=FEATURES,
            n_steps_out=OUT_STEPS,
            n_features_out=1,
        )
        build_seed, shuffle_seed = estimator_seeds(SEED)
        model = build_model(meta, architecture="stacked", units=UNITS, seed=build_seed)
        model.compile(optimizer="adam", loss="mse")
        keras.utils.set_random_seed(shuffle_seed)
        history = model.fit(
            X, y[:, :, np.newaxis], epochs=epochs, batch_size=BATCH, verbose=0
        ).history
    else:
        est = LSTMSeqRegressor(
            architecture="stacked",
            units=UNITS,
            epochs=epochs,
            batch_size=BATCH,
            random_state=SEED,
            standardize=False,  # the Keras side trains on the raw data too
        )
        history = est.fit(X, y).history_
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
        f"{BATCH}, {epochs} epoch(s). Each side in its own subprocess; times "
        "include building the model."
    )
    results = {
        side: _measure(side, n, epochs, isolated=not quick)
        for side in ("keras", "sklstm")
    }
    x_mb = results["keras"]["x_bytes"] / MB
    rows = []
    for side, r in results.items():
        extra = r["peak"] - r["baseline"]
        rows.append(
            [side, f"{r['seconds']:.1f}", f"{r['loss']:.4f}"]
            + [f"{r['baseline'] / MB:.0f}", f"{r['peak'] / MB:.0f}"]
            + [f"{extra / MB:.0f}", f"{r['peak'] / r['x_bytes']:.1f}x"]
            + [f"{extra / r['x_bytes']:.2f}x"]
        )
    header = ["side", "fit s", "final loss", "baseline MB", "peak MB"]
    header += ["extra MB", "peak / X", "extra / X"]
    report.table(header, rows)
    report.text(
        f"X (float32) is {x_mb:.1f} MB. baseline: resident memory after imports "
        "and data creation; peak: the process's peak resident memory (VmHWM); extra: "
        "peak - baseline."
    )
    keras_r, sk_r = results["keras"], results["sklstm"]
    report.text(
        f"speed ratio (keras / sklstm): {ratio(keras_r['seconds'], sk_r['seconds'])}"
        f" -- target >= 1x (no slower): "
        f"{verdict(sk_r['seconds'] <= keras_r['seconds'], quick)}"
    )
    report.text(
        f"peak memory ratio (keras / sklstm): {ratio(keras_r['peak'], sk_r['peak'])}"
        f" -- target: sklstm peak no higher: "
        f"{verdict(sk_r['peak'] <= keras_r['peak'], quick)}"
    )
    sk_extra = (sk_r["peak"] - sk_r["baseline"]) / sk_r["x_bytes"]
    report.text(
        f"sklstm extra memory / X size: {sk_extra:.2f}x -- target of the memory "
        f"issue <= {MEMORY_TARGET:.0f}x: {verdict(sk_extra <= MEMORY_TARGET, quick)}"
    )


def main(argv=None):
    """``python -m benchmarks.large --child SIDE``: one side, as JSON."""
    parser = argparse.ArgumentParser(description="one side of the large benchmark")
    parser.add_argument("--child", choices=("keras", "sklstm"), required=True)
    parser.add_argument("--n", type=int, default=FULL["n"])
    parser.add_argument("--epochs", type=int, default=FULL["epochs"])
    args = parser.parse_args(argv)
    _child(args.child, args.n, args.epochs)


if __name__ == "__main__":
    main()
