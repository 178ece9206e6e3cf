"""Training: the one training contract and all-or-nothing fits
(``contract``), the fused in-graph engine (``engine``) and Keras's own loop
(``keras_loop``), the arrays both train on (``arrays``), early stopping
(``stopping``) and divergence (``divergence``).
May import :mod:`sklstm._utils`, :mod:`sklstm._data` and :mod:`sklstm._model`."""
