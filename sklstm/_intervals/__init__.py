"""Calibrated prediction intervals for multi-step, multi-feature forecasts:
the public meta-estimator :class:`~sklstm.SplitConformalForecaster`
(``forecaster``), the time-ordered train/calibration split (``split``), the
two conformal methods, split and conformalized quantile regression
(``methods``), and the conformity scores with their finite-sample quantiles
and the checks of the confidence levels (``quantiles``). NumPy and
scikit-learn only, so it never imports TensorFlow; may import
:mod:`sklstm._data` (the doc link, the R² of sequence targets) and nothing
else of sklstm."""
