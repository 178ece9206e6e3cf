"""Keras model building: the registry of architectures (``architectures``),
plain builders that know nothing of scikit-learn (``builders``), estimator
parameters to a compiled model (``compile``), the per-process cache of traced
graphs (``graph_cache``) and the cached forward pass (``predict``).
May import :mod:`sklstm._utils`."""
