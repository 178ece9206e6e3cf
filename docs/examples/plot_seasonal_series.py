"""
========================================================
Forecasting a seasonal series: El Niño sea temperature
========================================================

A year-ahead forecast of the monthly sea surface temperature of the El Niño
region, a series with a strong yearly season, no trend and irregular warm
and cold years. Small seasonal series like this one are where a recurrent
network alone struggles: it must learn the season from a few hundred
windows, and tends to fall back on the last value. By default
(``linear_path="ridge"``) :class:`~sklstm.LSTMSeqRegressor` forecasts a ridge
regression of the window *plus* the network, which learns only what the ridge
regression leaves and stops early on the most recent training windows.

The series is statsmodels' ``elnino`` data set (1950-2010); it ships inside
statsmodels, nothing is downloaded.
"""

# %%
# Windows and a time-ordered hold-out
# -----------------------------------
# 24 months in, the next 12 out. The last 20% of windows are held out; the 12
# windows before them are dropped, so that no training target reaches into
# the held-out period.
import matplotlib.pyplot as plt
import numpy as np
import statsmodels.api as sm
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline

from sklstm import ForecastDisplay, LSTMSeqRegressor, SequenceFlattener, make_windows

table = sm.datasets.elnino.load_pandas().data
series = table.drop(columns="YEAR").to_numpy().ravel()

n_in, horizon = 24, 12
X, y = make_windows(series, n_in, horizon)
first_test = len(X) - int(np.ceil(0.2 * len(X)))
X_train, y_train = X[: first_test - horizon + 1], y[: first_test - horizon + 1]
X_test, y_test = X[first_test:], y[first_test:]
print(X_train.shape, y_train.shape, X_test.shape, y_test.shape)

# %%
# The contenders
# --------------
# The LSTM with its defaults (the linear path, early stopping on the last 20%
# of the training windows), the same network without the linear path, a ridge
# regression on the flattened window with its penalty tuned by leave-one-out,
# and the naive forecasts.
lstm = LSTMSeqRegressor(random_state=0).fit(X_train, y_train)
network_alone = LSTMSeqRegressor(linear_path=None, random_state=0)
network_alone.fit(X_train, y_train)
ridge = make_pipeline(SequenceFlattener(), RidgeCV(alphas=np.logspace(-4, 4, 17)))
ridge.fit(X_train, y_train)

forecasts = {
    "LSTM (defaults)": lstm.predict(X_test),
    "LSTM without linear path": network_alone.predict(X_test),
    "RidgeCV on the window": ridge.predict(X_test),
    "same month last year": X_test[:, n_in - 12 :, 0],
    "last value": np.repeat(X_test[:, -1], horizon, axis=1),
}
for name, pred in forecasts.items():
    print(f"{name:>26}: MAE {np.mean(np.abs(pred - y_test)):.3f} deg C")
print(
    f"ridge penalty {lstm.linear_alpha_:g}; the network stopped after "
    f"{lstm.n_iter_} epochs and kept epoch {lstm.best_epoch_}"
)

# %%
# Forecasts against the truth
# ---------------------------
# :class:`~sklstm.ForecastDisplay` draws the input window (the last 24 months)
# and the 12-month forecast for three held-out windows, with and without the
# linear path.
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True, layout="constrained")
shown = [0, len(X_test) // 2, len(X_test) - 1]
models = [("LSTM (defaults)", lstm), ("LSTM without linear path", network_alone)]
for ax, (name, model) in zip(axes, models):
    ForecastDisplay.from_estimator(model, X_test, y_test, sample_indices=shown, ax=ax)
    ax.set(title=name, xlabel="months from the forecast origin", ylabel="")
axes[0].set_ylabel("sea surface temperature (deg C)")
plt.show()

# %%
# The whole held-out period
# -------------------------
# Every 12th test window starts where the previous forecast ended, so the
# forecasts tile the held-out years.
tiles = np.arange(0, len(X_test), horizon)
fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
months = np.arange(len(tiles) * horizon)
ax.plot(months, y_test[tiles].ravel(), color="black", lw=1.5, label="measured")
for name, color in zip(list(forecasts)[:3], ["C3", "C1", "C0"]):
    ax.plot(months, forecasts[name][tiles].ravel(), color=color, lw=1, label=name)
ax.set(
    xlabel="months into the held-out period",
    ylabel="deg C",
    title="Year-ahead forecasts over the held-out years",
)
ax.legend(loc="upper left", fontsize="small")
plt.show()
