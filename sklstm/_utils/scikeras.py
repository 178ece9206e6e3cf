# ruff: noqa: I001  (TensorFlow must be imported quietly before SciKeras)
"""The one module that imports SciKeras.

SciKeras 0.13 is its final release and predates scikit-learn 1.6's tag API
(``__sklearn_tags__``, ``validate_data``). What sklstm needs from it is
re-exported here, so that a future replacement touches one file. What
SciKeras lacks for the current scikit-learn is fixed in
:class:`sklstm.LSTMSeqRegressor` itself (explicit tags, mixin order,
``validate_data``, parameter validation).

The ``scikeras._utils`` routing helpers are private SciKeras API, kept
because SciKeras has no public spelling of its ``optimizer__*``/``loss__*``
routing (see :mod:`sklstm._utils.private_api`). Importing SciKeras also patches
``__reduce__`` of Keras models, losses, metrics and optimizers for the whole
process; sklstm does not rely on that: its estimators pickle through their
own ``__getstate__`` (:mod:`sklstm._estimator.pickling`).
"""

from .._utils.tf import keras  # noqa: F401  (TensorFlow must be imported quietly first)

from scikeras._utils import (  # noqa: E402
    get_loss_class_function_or_string,
    get_optimizer_class,
    route_params,
    try_to_convert_strings_to_classes,
    unflatten_params,
)
from scikeras.wrappers import BaseWrapper  # noqa: E402

__all__ = [
    "BaseWrapper",
    "get_loss_class_function_or_string",
    "get_optimizer_class",
    "route_params",
    "try_to_convert_strings_to_classes",
    "unflatten_params",
]
