"""The scikit-learn surface: :class:`~sklstm.LSTMSeqRegressor` (``regressor``:
its parameters, tags and ``save``), its training methods (``training``: fit,
partial_fit, initialize), its forecasting methods (``forecasts``: predict,
predict_quantiles, score), what it keeps and hides of SciKeras (``surface``),
how it pickles (``pickling``) and the public ``save``/``load``
(``saving``). May import every other part; nothing imports it but the
package's lazy attributes."""
