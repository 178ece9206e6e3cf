"""predict: latency of ``LSTMSeqRegressor.predict`` vs Keras ``model.predict``.

One estimator is fitted (briefly: only the latency matters) on the
many-to-many reference data, with its defaults. Its ``predict`` (input checks
included) is then timed against the same job done through Keras: the inputs
mapped into the model's units as sklstm maps them (window normalization,
standardization, the linear path), ``model_.predict(x, verbose=0)``, and the
outputs mapped back, for 1 and 1,000 samples: the median of 30 and of 10
calls after a warm-up of both. Both sides must forecast the same values
(float32 tolerance); the benchmark fails if they do not.

Target: sklstm at least 100x faster for one sample.
"""

import numpy as np

from sklstm import LSTMSeqRegressor
from sklstm._data.units import from_model_units, inputs_to_model_units
from sklstm.datasets import load_reference

from ._common import median_seconds, ratio, verdict

TITLE = "predict: LSTMSeqRegressor.predict vs model_.predict, latency"
SPEED_TARGET = 100.0
FULL = dict(epochs=20, repeats={1: 30, 1000: 10})
QUICK = dict(epochs=2, repeats={1: 3, 1000: 3})
RTOL = 1e-4  # float32 forward passes of one model, relative to the values


def check_same(keras_pred, sklstm_pred, n):
    """The largest difference of the two sides; raise if they disagree."""
    keras_pred, sklstm_pred = (np.asarray(a, float) for a in (keras_pred, sklstm_pred))
    if keras_pred.shape != sklstm_pred.shape:
        raise RuntimeError(
            f"predict: for {n} samples Keras gives shape {keras_pred.shape} and "
            f"sklstm {sklstm_pred.shape}; the two sides do not compute the same thing"
        )
    gap = float(np.max(np.abs(keras_pred - sklstm_pred)))
    scale = max(1.0, float(np.max(np.abs(keras_pred))))
    if not gap <= RTOL * scale:
        raise RuntimeError(
            f"predict: for {n} samples the two sides disagree by {gap:.3g} "
            f"(values up to {scale:.3g}); they must compute the same forecasts"
        )
    return gap


def run(report, quick=False):
    settings = QUICK if quick else FULL
    data = load_reference("many_to_many_1")
    est = LSTMSeqRegressor(
        architecture="stacked", units=50, epochs=settings["epochs"], random_state=0
    )
    est.fit(data.X, data.y)
    report.heading(TITLE)
    report.text(
        f"stacked model, 50 units, input (3 steps, 1 feature), output (3, 1), "
        f"fitted for {settings['epochs']} epochs on the many-to-many reference "
        "data with the defaults; Keras side: sklstm's mapping into the model's "
        "units, model_.predict, the mapping back. Median of the repeats after a "
        "warm-up of both."
    )
    rng = np.random.default_rng(0)
    rows, speedups = [], {}
    for n, repeats in settings["repeats"].items():
        X = rng.uniform(5, 300, size=(n, 3, 1))

        def keras_predict(X=X):
            x, context = inputs_to_model_units(est, X)
            out = from_model_units(est, est.model_.predict(x, verbose=0), context)
            return out.reshape((len(X),) + est.target_shape_)

        def sklstm_predict(X=X):
            return est.predict(X)

        # The first call of each is the warm-up (tracing, Keras's predict
        # function); it also checks that both predict the same.
        gap = check_same(keras_predict(), sklstm_predict(), n)
        keras_s = median_seconds(keras_predict, repeats)
        sk_s = median_seconds(sklstm_predict, repeats)
        speedups[n] = keras_s / sk_s
        rows.append(
            [f"{n:,}", str(repeats), f"{keras_s * 1e3:.2f}", f"{sk_s * 1e3:.2f}"]
            + [ratio(keras_s, sk_s), f"{gap:.1e}"]
        )
    header = ["samples", "repeats", "keras ms", "sklstm ms", "speedup"]
    report.table(header + ["max abs diff"], rows)
    report.text(
        "max abs diff: largest difference between the two sides' forecasts, "
        f"in the target's units (checked: at most {RTOL:g} of the largest value)."
    )
    report.text(
        f"speed ratio for 1 sample (keras / sklstm): {speedups[1]:.1f}x -- target "
        f">= {SPEED_TARGET:.0f}x: {verdict(speedups[1] >= SPEED_TARGET, quick)}"
    )
    report.text(f"speed ratio for 1,000 samples: {speedups[1000]:.1f}x (no target)")
