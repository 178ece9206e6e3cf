"""The data mapping: input checks (``validation``), windows cut from a series
(``windows``), the 2-D/3-D transformers (``reshape``), per-window
normalization (``normalization``), standardization (``scaling``) and the one
place that maps data into the model's units and back (``units``).
NumPy and scikit-learn only; may import :mod:`sklstm._utils`."""
