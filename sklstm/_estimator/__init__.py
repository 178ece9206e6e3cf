"""The scikit-learn surface: :class:`~sklstm.LSTMSeqRegressor`
(``regressor``), what it keeps and hides of SciKeras (``surface``) and how it
pickles (``pickling``). May import every other part."""
