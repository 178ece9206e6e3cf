"""Keras model building: the registry of architectures (``architectures``),
plain builders that know nothing of scikit-learn (``builders``), estimator
parameters to a compiled model (``compile``), the per-process cache of traced
graphs (``graph_cache``), the cached forward pass (``predict``) and the
linear path beside the network, a closed-form ridge regression
(``linear``, NumPy and scikit-learn only), and quantile forecasts: their
levels, pinball loss and non-crossing head (``quantiles``). May import
:mod:`sklstm._utils`."""
