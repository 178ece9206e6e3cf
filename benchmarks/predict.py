"""predict: latency of ``LSTMSeqRegressor.predict`` vs Keras ``model.predict``.

One estimator is fitted (briefly: only the latency matters) on the
many-to-many reference data. Its ``predict`` (input checks included) is then
timed against ``model_.predict(x, verbose=0)``, the same fitted Keras model
predicting through Keras, for 1 and 1,000 samples: the median of 30 and of
10 calls after a warm-up of both.

Target: sklstm at least 20x faster for one sample.
"""

import numpy as np

from sklstm import LSTMSeqRegressor
from sklstm.datasets import load_reference

from ._common import median_seconds, ratio, verdict

TITLE = "predict: LSTMSeqRegressor.predict vs model_.predict, latency"
SPEED_TARGET = 20.0
FULL = dict(epochs=20, repeats={1: 30, 1000: 10})
QUICK = dict(epochs=2, repeats={1: 3, 1000: 3})


def run(report, quick=False):
    settings = QUICK if quick else FULL
    data = load_reference("many_to_many_1")
    est = LSTMSeqRegressor(
        architecture="stacked",
        units=50,
        epochs=settings["epochs"],
        random_state=0,
        standardize=False,  # so that model_.predict sees the same inputs
    )
    est.fit(data.X, data.y)
    report.heading(TITLE)
    report.text(
        f"stacked model, 50 units, input (3 steps, 1 feature), output (3, 1), "
        f"fitted for {settings['epochs']} epochs on the many-to-many reference "
        "data; median of the repeats after a warm-up of both."
    )
    rng = np.random.default_rng(0)
    rows, speedups = [], {}
    for n, repeats in settings["repeats"].items():
        X = rng.uniform(5, 300, size=(n, 3, 1))

        def keras_predict(X=X):
            return est.model_.predict(X, verbose=0)

        def sklstm_predict(X=X):
            return est.predict(X)

        # The first call of each is the warm-up (tracing, Keras's predict
        # function); it also checks that both predict the same.
        gap = np.max(np.abs(keras_predict().ravel() - sklstm_predict().ravel()))
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
        "max abs diff: largest difference between the two predictions (both "
        "float32 forward passes of the same model)."
    )
    report.text(
        f"speed ratio for 1 sample (keras / sklstm): {speedups[1]:.1f}x -- target "
        f">= {SPEED_TARGET:.0f}x: {verdict(speedups[1] >= SPEED_TARGET, quick)}"
    )
    report.text(f"speed ratio for 1,000 samples: {speedups[1000]:.1f}x (no target)")
