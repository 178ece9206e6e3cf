"""realdata: forecasting real series against linear and naive baselines.

Seven real series that ship inside statsmodels and matplotlib (nothing is
downloaded), five of them with a trend or level shifts. Each is cut into
windows (``n_in`` steps in, ``horizon`` steps out, one window per time step);
the last 20% of windows are held out in time order, and training windows
whose target would reach into the test period are dropped, so no training
target overlaps it. Every contender sees the identical windows and is scored
by the mean absolute error over all held-out windows and steps, in the
series' own units:

- last value: the last input repeated over the horizon;
- seasonal naive (where a season exists): the value one season earlier;
- RidgeCV on the flattened windows (``SequenceFlattener`` + ``RidgeCV``, its
  penalty tuned by leave-one-out over 17 values);
- LSTMSeqRegressor, architecture chosen by ``GridSearchCV`` with
  ``TimeSeriesSplit(3)``, once with global standardization only
  (``window_normalization=None``, the behaviour before window normalization)
  and once with the default ``window_normalization="auto"`` (each window
  relative to its last value, then one global scale).

Targets: the window-normalized LSTM's MAE at most 1.0x RidgeCV's on every
trending series, and its median ratio over all series to the better of
RidgeCV and the best naive at most 1.0.
"""

import time

import numpy as np
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm import LSTMSeqRegressor, SequenceFlattener, make_windows

from ._common import verdict

TITLE = "realdata: real series, LSTMSeqRegressor vs RidgeCV and naive forecasts"
TEST_FRACTION = 0.2
ALPHAS = np.logspace(-4, 4, 17)
LSTM = dict(
    units=32,
    epochs=300,
    batch_size=32,
    validation_split=0.2,
    early_stopping=True,
    patience=20,
    random_state=0,
)
GRID = {"architecture": ["stacked", "encoder_decoder"]}
QUICK_LSTM = dict(LSTM, epochs=3)
QUICK_GRID = {"architecture": ["simple"]}


def _co2():
    import statsmodels.api as sm

    weekly = sm.datasets.co2.load_pandas().data["co2"]
    return weekly.resample("MS").mean().interpolate().to_numpy()


def _macro(column):
    def load():
        import statsmodels.api as sm

        return sm.datasets.macrodata.load_pandas().data[column].to_numpy()

    return load


def _nile():
    import statsmodels.api as sm

    return sm.datasets.nile.load_pandas().data["volume"].to_numpy()


def _sunspots():
    import statsmodels.api as sm

    return sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy()


def _elnino():
    import statsmodels.api as sm

    table = sm.datasets.elnino.load_pandas().data
    return table.drop(columns="YEAR").to_numpy().ravel()


def _goog():
    from matplotlib import cbook

    return np.asarray(cbook.get_sample_data("goog.npz")["price_data"]["adj_close"])


#: name: (loader, input steps, horizon, season or None, trend or level shifts,
#: what it is).
SERIES = {
    "co2": (_co2, 36, 12, 12, True, "Mauna Loa CO2, monthly 1958-2001 (ppm)"),
    "realgdp": (_macro("realgdp"), 12, 4, None, True, "US real GDP, quarterly"),
    "cpi": (_macro("cpi"), 12, 4, None, True, "US consumer prices, quarterly"),
    "unemp": (_macro("unemp"), 12, 4, None, True, "US unemployment %, quarterly"),
    "goog": (_goog, 20, 5, None, True, "Google daily close 2004-2008 (USD)"),
    "nile": (_nile, 10, 3, None, False, "Nile flow at Aswan, yearly 1871-1970"),
    "sunspots": (_sunspots, 22, 5, 11, False, "yearly sunspot number 1700-2008"),
    "elnino": (_elnino, 24, 12, 12, False, "El Nino SST, monthly 1950-2010"),
}
QUICK_SERIES = ("nile",)


def split_windows(series, n_in, horizon):
    """Windows of ``series``, held out in time order; no target overlap.

    Returns ``X_train, y_train, X_test, y_test`` with X of shape
    ``(n, n_in, 1)`` and y of shape ``(n, horizon)``.
    """
    X, y = make_windows(np.asarray(series, dtype=float), n_in, horizon)
    X = X.reshape(len(X), n_in, 1)
    first_test = len(X) - int(np.ceil(TEST_FRACTION * len(X)))
    # Window i's target ends at i + n_in + horizon; training targets must end
    # before the first test target (at first_test + n_in) begins.
    last_train = first_test - horizon
    return X[: last_train + 1], y[: last_train + 1], X[first_test:], y[first_test:]


def naive_forecasts(X, horizon, season):
    """Last-value and (where ``season``) seasonal-naive forecasts of windows X."""
    last = np.repeat(X[:, -1, :], horizon, axis=1)
    out = {"last value": last}
    if season:
        steps = X.shape[1] - season + np.arange(horizon) % season
        out["seasonal naive"] = X[:, steps, 0]
    return out


def lstm_search(window_normalization, lstm, grid):
    """GridSearchCV over architectures with time-ordered folds."""
    est = LSTMSeqRegressor(window_normalization=window_normalization, **lstm)
    return GridSearchCV(
        est, grid, cv=TimeSeriesSplit(3), scoring="neg_mean_absolute_error"
    )


def evaluate(name, lstm, grid):
    """Fit every contender on one series; return a dict of MAEs and times."""
    loader, n_in, horizon, season, _, _ = SERIES[name]
    X, y, X_test, y_test = split_windows(loader(), n_in, horizon)
    maes, times = {}, {}
    for label, pred in naive_forecasts(X_test, horizon, season).items():
        maes[label] = float(np.mean(np.abs(pred - y_test)))
    contenders = {
        "RidgeCV": make_pipeline(SequenceFlattener(), RidgeCV(alphas=ALPHAS)),
        "LSTM global": lstm_search(None, lstm, grid),
        "LSTM window": lstm_search("auto", lstm, grid),
    }
    chosen = {}
    for label, model in contenders.items():
        start = time.perf_counter()
        model.fit(X, y)
        times[label] = time.perf_counter() - start
        maes[label] = float(np.mean(np.abs(model.predict(X_test) - y_test)))
        if hasattr(model, "best_params_"):
            chosen[label] = model.best_params_["architecture"]
    return dict(
        name=name,
        shapes=(len(X), len(X_test), n_in, horizon),
        maes=maes,
        times=times,
        chosen=chosen,
    )


def run(report, quick=False):
    lstm, grid = (QUICK_LSTM, QUICK_GRID) if quick else (LSTM, GRID)
    names = QUICK_SERIES if quick else tuple(SERIES)
    report.heading(TITLE)
    report.text(
        f"Windows of each series (input steps, horizon below), the last "
        f"{TEST_FRACTION:.0%} held out in time order, no training target in the "
        "test period. LSTM: GridSearchCV over "
        f"{grid['architecture']} with TimeSeriesSplit(3), "
        + ", ".join(f"{k}={v}" for k, v in lstm.items())
        + "; RidgeCV on the flattened windows. MAE in the series' units."
    )
    results = [evaluate(name, lstm, grid) for name in names]
    rows, ratios_ridge, ratios_best = [], {}, {}
    for r in results:
        m = r["maes"]
        naive = min(v for k, v in m.items() if "naive" in k or k == "last value")
        best = min(naive, m["RidgeCV"])
        ratios_ridge[r["name"]] = m["LSTM window"] / m["RidgeCV"]
        ratios_best[r["name"]] = m["LSTM window"] / best
        n_train, n_test, n_in, horizon = r["shapes"]
        trend = SERIES[r["name"]][4]
        rows.append(
            [
                r["name"],
                "yes" if trend else "no",
                f"{n_in}->{horizon}",
                f"{n_train}/{n_test}",
                f"{m['last value']:.4g}",
                f"{m['seasonal naive']:.4g}" if "seasonal naive" in m else "-",
                f"{m['RidgeCV']:.4g}",
                f"{m['LSTM global'] / m['RidgeCV']:.3f}",
                f"{ratios_ridge[r['name']]:.3f}",
                f"{ratios_best[r['name']]:.3f}",
                f"{r['chosen']['LSTM window']}",
                f"{r['times']['RidgeCV']:.2f}",
                f"{r['times']['LSTM global']:.0f}",
                f"{r['times']['LSTM window']:.0f}",
            ]
        )
    header = [
        "series",
        "trend",
        "in->out",
        "train/test",
        "last MAE",
        "seas. MAE",
        "ridge MAE",
        "global/ridge",
        "window/ridge",
        "window/best",
        "window arch",
        "ridge s",
        "global s",
        "window s",
    ]
    report.table(header, rows)
    report.text(
        "global/ridge, window/ridge: MAE of the LSTM (global scaling only, or "
        "window-normalized) divided by RidgeCV's; window/best: divided by the "
        "best of RidgeCV, last value and seasonal naive. Times: fit seconds, "
        "the whole grid search for the LSTMs."
    )
    for r in results:
        report.text(f"{r['name']}: {SERIES[r['name']][5]}")
    trending = [n for n in ratios_ridge if SERIES[n][4]]
    worst = max((ratios_ridge[n] for n in trending), default=float("nan"))
    median = float(np.median(list(ratios_best.values())))
    report.text(
        f"worst window/ridge over the trending series: {worst:.3f} -- target "
        f"<= 1.0: {verdict(bool(worst <= 1.0), quick)}"
    )
    report.text(
        f"median window/best over all series: {median:.3f} -- target <= 1.0: "
        f"{verdict(median <= 1.0, quick)}"
    )
    return results
