"""Saving and loading: the safe ``.sklstm`` file format (``files``) and the
fitted attributes as plain JSON (``fitted_json``). It is given the estimator
class and imports no estimator; may import :mod:`sklstm._utils`, the
version, the architecture registry, the linear path's attribute names and
:mod:`sklstm._data` (never TensorFlow at import)."""
