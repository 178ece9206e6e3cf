"""The competitions benchmark's choices on a validation period: every
series' last horizon of its training part held out, nothing of the test part
seen (the input length, the recency weights, sklstm's setting, its forecast's
quantile level and a second setting to average with)."""

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


def validation_score(metric, actual, forecast):
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
    its forecast's quantile level and a second setting to average with,
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
    Then the mean of that forecast and the next best setting's (with its
    half-life) is kept if it scores lower than the forecast alone: averaging
    two fits takes out some of each fit's noise rather than adding a
    choice, so no margin is asked.

    Returns
    -------
    choices : dict
        ``{"n_steps_in": input length, "RidgeCV": half-life, "sklstm":
        (setting, half-life, level), "second": (setting, half-life)}``, None
        for no weights, the point forecast or no second setting; a setting
        is a dict of sklstm parameters.
    line : str
        How they were chosen: the validation scores.
    """
    params = dict(params, refit_full=False)  # the refit trains all alike
    fits = {}  # (input length, series kept): the defaults' validation forecast
    actual, series = _validation_panel(train, max(inputs), horizon)
    for n in inputs:
        fits[n, len(actual)] = _sklstm(params)(make_panel_windows(series, n, horizon))
    scored = {n: validation_score(metric, actual, fits[n, len(actual)]) for n in inputs}
    n_in = min(inputs, key=scored.get)
    line = "inputs " + ", ".join(f"{n} {v:.2f}" for n, v in scored.items())
    actual, series = _validation_panel(train, n_in, horizon)
    panel = make_panel_windows(series, n_in, horizon)

    def weights(half_life):
        return recency_weights(panel.steps_to_end, half_life)

    def forecast(setting, half_life=None):
        if setting == SETTINGS[0] and half_life is None and (n_in, len(actual)) in fits:
            return fits[n_in, len(actual)]  # fitted above, on the same series
        return _sklstm(dict(params, **setting))(panel, weights(half_life))

    ridge = {
        hl: validation_score(metric, actual, global_ridge(panel, weights(hl)))
        for hl in (None, *(m * horizon for m in HALF_LIVES))
    }
    best = min((hl for hl in ridge if hl is not None), key=ridge.get)
    line += f"; RidgeCV {ridge[None]:.2f} without, {ridge[best]:.2f} at {best}"
    proposal = best if _wins(ridge[best], ridge[None]) else None
    net, forecasts = {}, {}
    for i, setting in enumerate(SETTINGS):
        for hl in dict.fromkeys((None, proposal)):
            forecasts[i, hl] = forecast(setting, hl)
            net[i, hl] = validation_score(metric, actual, forecasts[i, hl])
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
    chosen, score = forecasts[i, half_life], net[i, half_life]
    if level is not None:
        chosen = q[..., LEVELS.index(level)]
        score = validation_score(metric, actual, chosen)
    j, second_hl = min((k for k in net if k[0] != i), key=net.get)
    pair = validation_score(metric, actual, (chosen + forecasts[j, second_hl]) / 2)
    line += f"; mean with {setting_label(SETTINGS[j])}, {second_hl} {pair:.2f}"
    second = (SETTINGS[j], second_hl) if pair < score else None
    choices = {"RidgeCV": proposal, "sklstm": (SETTINGS[i], half_life, level)}
    return {"n_steps_in": n_in, **choices, "second": second}, line


def _level(train, panel, actual, n_in, horizon, metric, setting, half_life, own):
    """The quantile level of the point forecast (None for the setting's own
    forecast, which scored ``own`` on ``panel``), its quantile fit's
    forecasts on ``panel`` and the scores' line.

    The levels and the setting's forecast are scored on two origins where
    the series hold them, the validation period and the horizon before it:
    the level a percentage error rewards moves with the years (Tourism
    yearly: 0.2 on the last horizon, 0.3 on the one before).
    """
    q = _quantiles(setting, panel, recency_weights(panel.steps_to_end, half_life))
    levels = {
        lv: [validation_score(metric, actual, q[..., j])] for j, lv in enumerate(LEVELS)
    }
    own = [own]
    actual2, series2 = _validation_panel(train, n_in, horizon, origin=2)
    if len(actual2):
        panel2 = make_panel_windows(series2, n_in, horizon)
        weights2 = recency_weights(panel2.steps_to_end, half_life)
        q2 = _quantiles(setting, panel2, weights2)
        for j, lv in enumerate(LEVELS):
            levels[lv].append(validation_score(metric, actual2, q2[..., j]))
        forecast = _sklstm(setting)(panel2, weights2)
        own.append(validation_score(metric, actual2, forecast))
    levels = {lv: np.mean(v) for lv, v in levels.items()}
    line = f"; levels (mean of {len(own)} origins; the setting's {np.mean(own):.2f}) "
    line += ", ".join(f"{lv} {v:.2f}" for lv, v in levels.items())
    level = min(levels, key=levels.get)
    return (level if _wins(levels[level], np.mean(own)) else None), q, line


def validated_sklstm(params, choices):
    """The forecast of the validated sklstm column (:func:`validated_choices`):
    the chosen setting's, at its level, or its mean with the second setting's.
    """
    setting, half_life, level = choices["sklstm"]
    members = [(dict(params, **setting), half_life, level)]
    if choices["second"] is not None:
        second, second_hl = choices["second"]
        members.append((dict(params, **second), second_hl, None))

    def forecast(panel):
        return np.mean(
            [
                _sklstm(p, lv)(panel, recency_weights(panel.steps_to_end, hl))
                for p, hl, lv in members
            ],
            axis=0,
        )

    return forecast


def setting_label(setting):
    """A setting of :data:`SETTINGS`, short."""
    return "/".join(str(value) for value in setting.values())
