"""The competitions benchmark's choices on a validation period: every
series' last horizon of its training part held out, nothing of the test part
seen (the input length, the recency weights, sklstm's setting, its forecast's
quantile level and a second member to average with)."""

import time

import numpy as np

from sklstm import LSTMSeqRegressor, make_panel_windows, recency_weights

from . import _competitions_data as data
from ._competitions_ridge import global_ridge

#: Half-lives of the recency weights tried on the validation period, in
#: horizons; a half-life must beat no weights there by :data:`MIN_GAIN`.
HALF_LIVES = (0.25, 0.5, 1.0, 2.0, 4.0)
MIN_GAIN = 0.02
#: Longer inputs tried on the validation period beside a set's own (``SETS``):
#: up to this many, one season apart (one horizon for yearly and "other"
#: series), as long as every series can be forecast from them, at least
#: half the series' validation parts hold them and at least
#: :data:`MIN_TRAINED` of the series still give a training window (a global
#: network forecasts poorly the short series it never saw: at 48 input months
#: a quarter of M3 monthly's series had no window).
LONGER_INPUTS = 2
MIN_TRAINED = 0.9
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


#: Seconds every sklstm column may take to fit a set (the issue's "10
#: minutes per data set"): the second member is fitted only where the first
#: fit's seconds and the second's predicted ones stay within it.
FIT_LIMIT = 600.0


def validation_score(metric, actual, forecast):
    """The set's metric on the validation period (MAPE without zero actuals,
    which training parts hold and test parts do not)."""
    actual, forecast = np.asarray(actual), np.asarray(forecast)
    if metric == "sMAPE":
        return data.smape(actual, forecast)
    known = actual != 0
    return data.mape(actual[known], forecast[known])


def _fit(params, panel, sample_weight=None, levels=None):
    """sklstm's global forecast of a panel, as :func:`global_ridge`'s (with
    ``levels``, a quantile fit's forecasts of those levels, last axis), and
    the seconds per window the same fit takes on more windows.

    The seconds per window: this fit's seconds per epoch and window, times
    its epochs and those of a refit on every window (``refit_full``; counted
    whether the larger fit refits or not, an upper bound).
    """
    if levels is not None:
        params = dict(params, loss="quantile", quantiles=levels)
    est = LSTMSeqRegressor(**params)
    start = time.perf_counter()
    est.fit(panel.X, panel.y, sample_weight=sample_weight)
    seconds = time.perf_counter() - start
    epochs = est.n_iter_ + (est.refit_epochs_ or 0)
    larger = est.n_iter_ + (0 if est.best_epoch_ is None else est.best_epoch_ + 1)
    per_window = seconds / epochs * larger / len(panel.X)
    if levels is not None:
        return est.predict_quantiles(panel.X_last, levels), per_window
    return est.predict(panel.X_last), per_window


def _sklstm(params, level=None):
    """sklstm's global forecast of a panel (:func:`_fit`): its point
    forecast, or the quantile fit's forecast at ``level`` (the fit of every
    level of :data:`LEVELS`, the fit the level was chosen with)."""

    def forecast(panel, sample_weight=None):
        if level is None:
            return _fit(params, panel, sample_weight)[0]
        return _fit(params, panel, sample_weight, LEVELS)[0][..., LEVELS.index(level)]

    return forecast


def _wins(score, baseline):
    """Whether ``score`` beats ``baseline`` by :data:`MIN_GAIN`."""
    return score <= (1 - MIN_GAIN) * baseline


def input_lengths(n_in, horizon, period, train):
    """The input lengths tried on the validation period: the set's own
    ``n_in``, then up to :data:`LONGER_INPUTS` longer ones.

    >>> input_lengths(36, 24, 12, [np.zeros(67)] + [np.zeros(300)] * 9)
    (36, 48, 60)
    >>> input_lengths(6, 4, 1, [np.zeros(7), np.zeros(23)])
    (6,)
    >>> input_lengths(24, 18, 12, [np.zeros(48)] + [np.zeros(126)] * 8)
    (24,)
    """
    step = period if period > 1 else horizon
    lengths = np.array([len(x) for x in train])
    longest = min(lengths.min(), np.median(lengths) - horizon)
    longer = (n_in + k * step for k in range(1, LONGER_INPUTS + 1))
    return (n_in, *(
        n for n in longer
        if n <= longest and np.mean(lengths >= n + horizon) >= MIN_TRAINED
    ))  # fmt: skip


def _validation_panel(train, n_in, horizon, origin=1):
    """The validation period's windows: every series' last ``horizon``
    training steps held out (series left without ``n_in`` steps sit out):
    their actual values, one row per series kept, and the series before
    them. ``origin=2`` holds out the horizon before those, and forecasts it
    from the steps before it."""
    cut = origin * horizon
    kept = [x for x in train if len(x) - cut >= n_in]
    actual = np.array([x[len(x) - cut :][:horizon] for x in kept])
    return actual, dict(enumerate(x[:-cut] for x in kept))


def validated_choices(train, inputs, horizon, metric, params):
    """The input length, the recency weights' half-lives, sklstm's settings,
    its forecast's quantile level and a second member to average with,
    chosen on a validation period.

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
    if it beats the setting's own forecast by :data:`MIN_GAIN`, both scored
    on the validation period and the horizon before it (:func:`_level`).
    Then a second member may join (:func:`_second`): the setting, at this
    input or at the set's own (``inputs[0]``), whose mean with that forecast
    scores lowest, kept if it scores lower than the forecast alone (and
    fitted only within :data:`FIT_LIMIT`, :func:`validated_sklstm`).
    Averaging two fits takes out some of each fit's noise rather than
    adding a choice, so no margin is asked; fits of two input lengths
    differ more than two fits of one (M3 quarterly's best pair: 16 and 8
    steps).

    Returns
    -------
    choices : dict
        ``{"n_steps_in": input length, "RidgeCV": half-life, "sklstm":
        (setting, half-life, level), "second": (input length, setting,
        half-life, predicted seconds per window)}``, None for no weights,
        the point forecast or no second member; a setting is a dict of
        sklstm parameters.
    line : str
        How they were chosen: the validation scores.
    """
    params = dict(params, refit_full=False)  # the refit trains all alike
    fits = {}  # (input length, series kept): the defaults' validation fit
    actual, series = _validation_panel(train, max(inputs), horizon)
    for n in inputs:
        fits[n, len(actual)] = _fit(params, make_panel_windows(series, n, horizon))
    scored = {
        n: validation_score(metric, actual, fits[n, len(actual)][0]) for n in inputs
    }  # fmt: skip
    n_in = min(inputs, key=scored.get)
    line = "inputs " + ", ".join(f"{n} {v:.2f}" for n, v in scored.items())
    actual, series = _validation_panel(train, n_in, horizon)
    panel = make_panel_windows(series, n_in, horizon)

    def fit(setting, half_life=None, n=n_in):
        if setting == SETTINGS[0] and half_life is None and (n, len(actual)) in fits:
            return fits[n, len(actual)]  # fitted above, on the same series
        windows = panel if n == n_in else make_panel_windows(series, n, horizon)
        weights = recency_weights(windows.steps_to_end, half_life)
        return _fit(dict(params, **setting), windows, weights)

    ridge = {
        hl: validation_score(
            metric, actual, global_ridge(panel, recency_weights(panel.steps_to_end, hl))
        )
        for hl in (None, *(m * horizon for m in HALF_LIVES))
    }
    best = min((hl for hl in ridge if hl is not None), key=ridge.get)
    line += f"; RidgeCV {ridge[None]:.2f} without, {ridge[best]:.2f} at {best}"
    proposal = best if _wins(ridge[best], ridge[None]) else None
    net, fitted = {}, {}  # scores by (setting, half-life); fits by input too
    for i, setting in enumerate(SETTINGS):
        for hl in dict.fromkeys((None, proposal)):
            fitted[n_in, i, hl] = fit(setting, hl)
            net[i, hl] = validation_score(metric, actual, fitted[n_in, i, hl][0])
        line += f"; {setting_label(setting)} {net[i, None]:.2f}"
        if proposal is not None:
            line += f", at {proposal} {net[i, proposal]:.2f}"
            if not _wins(net[i, proposal], net[i, None]):
                del net[i, proposal]
    i, half_life = min(net, key=net.get)  # ties: the first, the defaults
    level, q, levels_line = _level(
        train, panel, actual, n_in, horizon, metric, dict(params, **SETTINGS[i]),
        half_life, net[i, half_life],
    )  # fmt: skip
    line += levels_line
    chosen = fitted[n_in, i, half_life][0]
    if level is not None:
        chosen = q[..., LEVELS.index(level)]
    score = validation_score(metric, actual, chosen)
    second, pair_line = _second(
        metric, actual, (n_in, i, score, chosen), net, fitted,
        lambda k, hl: fit(SETTINGS[k], hl, inputs[0]), inputs[0],
    )  # fmt: skip
    choices = {"RidgeCV": proposal, "sklstm": (SETTINGS[i], half_life, level)}
    return {"n_steps_in": n_in, **choices, "second": second}, line + pair_line


def _second(metric, actual, first, net, fitted, fit_own, own):
    """The second member: the setting whose forecast's mean with the first
    member's scores lowest on the validation period, if lower than the first
    alone, else None; and the line of its scores.

    The candidates: every other setting at the first member's input (each
    with its better half-life of ``net``) and every setting at the set's own
    input ``own`` (fitted here by ``fit_own(setting, half_life)``). The
    member is ``(input length, setting, half-life, seconds per window)``:
    what its fit on more windows is predicted to take (:func:`_fit`).
    """
    n_in, i, score, chosen = first
    half_lives = {}  # each setting's better half-life
    for k, hl in sorted(net, key=net.get, reverse=True):
        half_lives[k] = hl
    pool = {(n_in, k, hl): fitted[n_in, k, hl] for k, hl in net if k != i}
    if own != n_in:
        for k, hl in half_lives.items():
            pool[own, k, hl] = fit_own(k, hl)
    pairs = {
        key: validation_score(metric, actual, (chosen + f) / 2)
        for key, (f, _) in pool.items()
    }
    best = min(pairs, key=pairs.get)  # ties: the first
    n, j, hl = best
    line = f"; mean with {setting_label(SETTINGS[j])}, {hl}, input {n} "
    line += f"{pairs[best]:.2f}"
    if pairs[best] >= score:
        return None, line
    return (n, SETTINGS[j], hl, pool[best][1]), line


def _level(train, panel, actual, n_in, horizon, metric, setting, half_life, own):
    """The quantile level of the point forecast (None for the setting's own
    forecast, which scored ``own`` on ``panel``), its quantile fit's
    forecasts on ``panel`` and the scores' line.

    The levels and the setting's forecast are scored on two origins where
    the series hold them, the validation period and the horizon before it:
    the level a percentage error rewards moves with the years (Tourism
    yearly: 0.2 on the last horizon, 0.3 on the one before).
    """
    q = _fit(setting, panel, recency_weights(panel.steps_to_end, half_life), LEVELS)[0]
    levels = {
        lv: [validation_score(metric, actual, q[..., j])] for j, lv in enumerate(LEVELS)
    }
    own = [own]
    actual2, series2 = _validation_panel(train, n_in, horizon, origin=2)
    if len(actual2):
        panel2 = make_panel_windows(series2, n_in, horizon)
        weights2 = recency_weights(panel2.steps_to_end, half_life)
        q2 = _fit(setting, panel2, weights2, LEVELS)[0]
        for j, lv in enumerate(LEVELS):
            levels[lv].append(validation_score(metric, actual2, q2[..., j]))
        forecast = _fit(setting, panel2, weights2)[0]
        own.append(validation_score(metric, actual2, forecast))
    levels = {lv: np.mean(v) for lv, v in levels.items()}
    line = f"; levels (mean of {len(own)} origins; the setting's {np.mean(own):.2f}) "
    line += ", ".join(f"{lv} {v:.2f}" for lv, v in levels.items())
    level = min(levels, key=levels.get)
    return (level if _wins(levels[level], np.mean(own)) else None), q, line


def validated_sklstm(params, choices, horizon):
    """The forecast of the validated sklstm column (:func:`validated_choices`)
    from a dict of series: the chosen setting's, at its level, or its mean
    with the second member's (each fitted on its own input's windows).

    The second member is fitted only where the first fit's seconds and the
    second's predicted ones (its seconds per window, :func:`_second`, times
    its windows) stay within :data:`FIT_LIMIT`. The forecast function
    returns the forecast and a line of the prediction (and of the second
    left out).
    """
    setting, half_life, level = choices["sklstm"]

    def member(panel, p, hl, lv):
        return _sklstm(p, lv)(panel, recency_weights(panel.steps_to_end, hl))

    def forecast(series):
        start = time.perf_counter()
        panel = make_panel_windows(series, choices["n_steps_in"], horizon)
        forecast = member(panel, dict(params, **setting), half_life, level)
        if choices["second"] is None:
            return forecast, ""
        n, second, second_hl, per_window = choices["second"]
        elapsed = time.perf_counter() - start
        panel = make_panel_windows(series, n, horizon)
        predicted = per_window * len(panel.X)
        line = f"; the second's fit {predicted:.0f} s predicted"
        if elapsed + predicted > FIT_LIMIT:
            line += f", second left out: {elapsed:.0f} s + {predicted:.0f} s"
            return forecast, line + f" > {FIT_LIMIT:.0f} s"
        pair = member(panel, dict(params, **second), second_hl, None)
        return (forecast + pair) / 2, line

    return forecast


def setting_label(setting):
    """A setting of :data:`SETTINGS`, short."""
    return "/".join(str(value) for value in setting.values())
