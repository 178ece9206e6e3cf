"""
=======================================
Multi-step forecast of a real recording
=======================================

Forecast the next 10 ms of a neuron's membrane potential from the previous
40 ms with :func:`~sklstm.make_windows` and
:class:`~sklstm.LSTMSeqRegressor`.

The recording is the ``membrane.dat`` sample file that ships inside
matplotlib, read with :func:`matplotlib.cbook.get_sample_data` (it is the
trace drawn in matplotlib's original logo): a membrane potential sampled
every 0.5 ms, stored as float32 values that matplotlib's own example
multiplies by 100 to get millivolts. Nothing is downloaded.
"""

# %%
# The series
# ----------
# The neuron is at rest for the first half second, then fires regularly. We
# keep 2.75 s of the regular firing, subsampled to one value per millisecond.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import cbook
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from sklstm import LSTMSeqRegressor, SequenceFlattener, make_windows

with cbook.get_sample_data("membrane.dat") as f:
    raw = np.fromfile(f, dtype=np.float32)
mv = 100.0 * raw.astype(np.float64)  # millivolts, one value per 0.5 ms
series = mv[1500:7000:2]  # one value per ms
print(series.shape)

# %%
# Train on the past, test on the future
# -------------------------------------
# The first 80% of the series trains, the rest tests; the windows never mix
# the two. The series is standardized with the training part's mean and
# standard deviation. Training windows start every 2 ms; test windows start
# every 10 ms, so consecutive forecasts tile the test period.
n_in, n_out = 40, 10
split = int(0.8 * len(series))
mean, std = series[:split].mean(), series[:split].std()
z = (series - mean) / std

X_train, y_train = make_windows(z[:split], n_in, n_out, stride=2)
X_test, y_test = make_windows(z[split:], n_in, n_out, stride=n_out)
print(X_train.shape, y_train.shape, X_test.shape, y_test.shape)

# %%
# Three forecasters
# -----------------
# A small encoder-decoder LSTM, a ridge regression on the flattened window
# (:class:`~sklstm.SequenceFlattener` makes the 3-D windows a table), and the
# naive forecast that repeats the last observed value.
lstm = LSTMSeqRegressor(
    architecture="encoder_decoder",
    units=32,
    learning_rate=0.005,
    epochs=15,
    batch_size=64,
    random_state=0,
)
lstm.fit(X_train, y_train)
ridge = make_pipeline(SequenceFlattener(), Ridge(alpha=1.0)).fit(X_train, y_train)

forecasts = {
    "LSTM (encoder-decoder)": lstm.predict(X_test),
    "ridge on the window": ridge.predict(X_test),
    "naive (last value)": np.repeat(X_test[:, -1, :], n_out, axis=1),
}
for name, pred in forecasts.items():
    mae = np.mean(np.abs(pred - y_test)) * std
    print(f"{name:>24}: mean absolute error {mae:.2f} mV")

# %%
# The forecasts
# -------------
# Each forecast starts where its input window ends; the test windows follow
# each other, so the forecasts line up into one trace. Shown: the first 300 ms
# of the test period.
t0 = split + n_in  # series index of the first forecast step
n_show = 30  # forecasts of 10 ms each
times = np.arange(t0, t0 + n_show * n_out)

fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
ax.plot(times, series[times], color="black", lw=1.5, label="recording")
for (name, pred), color in zip(forecasts.items(), ["C3", "C0", "C2"]):
    ax.plot(times, pred[:n_show].ravel() * std + mean, color=color, lw=1, label=name)
ax.set(xlabel="time in the kept segment (ms)", ylabel="membrane potential (mV)")
ax.set_title("10 ms forecasts from the previous 40 ms")
ax.legend(loc="upper left", fontsize="small")
plt.show()
