"""
================================================
Forecasting a trending series: CO2 at Mauna Loa
================================================

A year-ahead forecast of the monthly CO2 concentration at Mauna Loa, a series
that rises every year: the held-out years lie above every level seen in
training. :class:`~sklstm.LSTMSeqRegressor` normalizes each window by its
own last value (``window_normalization="auto"``, the default), so it learns
the seasonal shape and the yearly rise, not the level. It is compared with a
ridge regression on the same windows and with the naive forecasts, on a
time-ordered hold-out.

The series is statsmodels' ``co2`` data set (weekly, 1958-2001), averaged
to months; it ships inside statsmodels, nothing is downloaded.
"""

# %%
# Windows and a time-ordered hold-out
# -----------------------------------
# 36 months in, the next 12 out. The last 20% of windows are held out; the
# 12 windows before them are dropped, so that no training target reaches
# into the held-out period.
import matplotlib.pyplot as plt
import numpy as np
import statsmodels.api as sm
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline

from sklstm import ForecastDisplay, LSTMSeqRegressor, SequenceFlattener, make_windows

weekly = sm.datasets.co2.load_pandas().data["co2"]
monthly = weekly.resample("MS").mean().interpolate()
series = monthly.to_numpy()

n_in, horizon = 36, 12
X, y = make_windows(series, n_in, horizon)
first_test = len(X) - int(np.ceil(0.2 * len(X)))
X_train, y_train = X[: first_test - horizon + 1], y[: first_test - horizon + 1]
X_test, y_test = X[first_test:], y[first_test:]
print(X_train.shape, y_train.shape, X_test.shape, y_test.shape)
print(
    f"training targets end at {y_train.max():.1f} ppm; test starts at "
    f"{y_test.min():.1f} and reaches {y_test.max():.1f} ppm"
)

# %%
# The contenders
# --------------
# An encoder-decoder LSTM with early stopping on its own validation split
# (the last 20% of the training windows, the most recent ones), a ridge
# regression on the flattened window with its penalty tuned by
# leave-one-out, and the naive forecasts.
lstm = LSTMSeqRegressor(
    architecture="encoder_decoder",
    units=32,
    epochs=300,
    validation_split=0.2,
    early_stopping=True,
    patience=20,
    random_state=0,
).fit(X_train, y_train)
ridge = make_pipeline(SequenceFlattener(), RidgeCV(alphas=np.logspace(-4, 4, 17)))
ridge.fit(X_train, y_train)

forecasts = {
    "LSTM (window-normalized)": lstm.predict(X_test),
    "RidgeCV on the window": ridge.predict(X_test),
    "last value": np.repeat(X_test[:, -1], horizon, axis=1),
    "same month last year": X_test[:, n_in - 12 :, 0],
}
for name, pred in forecasts.items():
    print(f"{name:>26}: MAE {np.mean(np.abs(pred - y_test)):.3f} ppm")
print(f"the LSTM stopped after {len(lstm.history_['loss'])} epochs")

# %%
# Forecasts against the truth
# ---------------------------
# :class:`~sklstm.ForecastDisplay` draws the input window (the last 36 months)
# and the 12-month forecast for three held-out windows, for each model.
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True, layout="constrained")
shown = [0, len(X_test) // 2, len(X_test) - 1]
for ax, (name, model) in zip(axes, [("LSTM", lstm), ("RidgeCV", ridge)]):
    ForecastDisplay.from_estimator(model, X_test, y_test, sample_indices=shown, ax=ax)
    ax.set(title=name, xlabel="months from the forecast origin", ylabel="")
axes[0].set_ylabel("CO2 (ppm)")
plt.show()

# %%
# The whole held-out period
# -------------------------
# Every 12th test window starts where the previous forecast ended, so the
# forecasts tile the held-out years.
tiles = np.arange(0, len(X_test), horizon)
start = len(series) - len(X_test) - horizon + 1  # series index of y_test[0, 0]
times = monthly.index[start : start + len(tiles) * horizon]
fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
ax.plot(times, y_test[tiles].ravel(), color="black", lw=1.5, label="measured")
for name, color in zip(list(forecasts)[:2], ["C3", "C0"]):
    ax.plot(times, forecasts[name][tiles].ravel(), color=color, lw=1, label=name)
ax.set(ylabel="CO2 (ppm)", title="Year-ahead forecasts over the held-out years")
ax.legend(loc="upper left", fontsize="small")
plt.show()
