"""The data mapping: input checks (``validation``), windows cut from a series
(``windows``), the 2-D/3-D transformers (``reshape``, ``flatten``), per-window
normalization (``normalization``), standardization (``scaling``), the R² of
sequence targets (``scoring``) and the one place that maps data into the
model's units and back (``units``), which also takes the linear path's
forecast off the targets. NumPy and scikit-learn only; may import
:mod:`sklstm._utils` and :mod:`sklstm._model.linear` (no TensorFlow)."""
