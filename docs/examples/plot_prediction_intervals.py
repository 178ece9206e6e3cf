"""
=====================================================
Prediction intervals on a real series: 80% and 95%
=====================================================

A year-ahead forecast of the El Niño sea surface temperature with its 80% and
95% prediction intervals over the held-out years.
:class:`~sklstm.SplitConformalForecaster` with ``method="cqr"`` trains
:class:`~sklstm.LSTMSeqRegressor` on the quantiles of both intervals (the
pinball loss, ``loss="quantile"``) and calibrates them on the most recent
training windows, per month ahead, so that the intervals cover as often as
they claim, whatever the network learned.

The series is statsmodels' ``elnino`` data set (1950-2010); it ships inside
statsmodels, nothing is downloaded.
"""

# %%
# Windows, held out in time order
# -------------------------------
# 24 months in, 12 out. The last 20% of windows are held out, and the 12
# windows before them are dropped, so that no training target reaches into
# the held-out period. Inside the training windows the forecaster keeps the
# last 20% for calibration, again after a gap of 12 windows.
import matplotlib.pyplot as plt
import numpy as np
import statsmodels.api as sm

from sklstm import (
    ForecastDisplay,
    LSTMSeqRegressor,
    SplitConformalForecaster,
    make_windows,
)

table = sm.datasets.elnino.load_pandas().data
series = table.drop(columns="YEAR").to_numpy().ravel()

n_in, horizon = 24, 12
X, y = make_windows(series, n_in, horizon)
first_test = len(X) - int(np.ceil(0.2 * len(X)))
X_train, y_train = X[: first_test - horizon + 1], y[: first_test - horizon + 1]
X_test, y_test = X[first_test:], y[first_test:]

forecaster = SplitConformalForecaster(
    LSTMSeqRegressor(random_state=0),
    confidence_level=[0.8, 0.95],
    calibration_size=0.2,
    gap=horizon,
    method="cqr",
)
forecaster.fit(X_train, y_train)
y_pred, y_pis = forecaster.predict_interval(X_test)
print(y_pred.shape, y_pis.shape)

# %%
# Do they cover?
# --------------
# The share of held-out values inside each interval, over all months ahead,
# and the mean width in degrees. The calibration windows (about 1989-1998)
# hold the strong El Niño of 1997-98, which sets the width of the 95%
# interval; the held-out years after it are calmer, so that interval covers
# more than it claims. Conformal intervals are calibrated on the past: they
# are as wide as the calibration years were rough.
inside = (y_pis[..., 0, :] <= y_test[..., None]) & (
    y_test[..., None] <= y_pis[..., 1, :]
)
for j, level in enumerate(forecaster.confidence_levels_):
    width = np.mean(y_pis[..., 1, j] - y_pis[..., 0, j])
    print(
        f"{level:.0%} interval: covers {inside[..., j].mean():.1%} of "
        f"{inside[..., j].size} held-out values, mean width {width:.2f} deg C"
    )

# %%
# One forecast with its bands
# ---------------------------
# :class:`~sklstm.ForecastDisplay` draws the intervals of a fitted forecaster
# as bands: the last 24 months, then the 12-month forecast.
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
ForecastDisplay.from_estimator(
    forecaster, X_test, y_test, sample_indices=[len(X_test) // 2], ax=ax
)
ax.set(xlabel="months from the forecast origin", ylabel="deg C")
plt.show()

# %%
# The held-out years
# ------------------
# Every 12th test window starts where the previous forecast ended, so the
# year-ahead forecasts and their bands tile the held-out period.
tiles = np.arange(0, len(X_test), horizon)
months = np.arange(len(tiles) * horizon)
fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
for j, alpha in ((1, 0.2), (0, 0.35)):
    level = forecaster.confidence_levels_[j]
    ax.fill_between(
        months,
        y_pis[tiles, :, 0, j].ravel(),
        y_pis[tiles, :, 1, j].ravel(),
        color="C0",
        alpha=alpha,
        linewidth=0,
        label=f"{level:.0%} interval",
    )
ax.plot(months, y_pred[tiles].ravel(), color="C0", lw=1, label="forecast (median)")
ax.plot(months, y_test[tiles].ravel(), color="black", lw=1.5, label="measured")
ax.set(
    xlabel="months into the held-out period",
    ylabel="deg C",
    title="Year-ahead forecasts and their intervals over the held-out years",
)
ax.legend(loc="upper left", fontsize="small")
plt.show()
