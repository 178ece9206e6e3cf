"""Pickle, joblib and ``copy.deepcopy`` support that needs no SciKeras patch.

Importing SciKeras replaces ``__reduce__`` (and ``__deepcopy__``) of every
``keras.Model``, ``Loss``, ``Metric`` and ``Optimizer`` in the process with
functions that call private Keras saving code. sklstm does not rely on them:
:class:`~sklstm.LSTMSeqRegressor` packs its own state. The fitted Keras
model travels as the bytes of Keras's native ``.keras`` format (layers,
weights and optimizer state, see :func:`sklstm._persistence.files.model_to_bytes`),
Keras optimizer and loss instances given as parameters travel as their
Keras configuration, and Keras callbacks without the model of their last fit.
Everything else in the estimator's ``__dict__`` is
pickled as it is.

Pickles run code when loaded: load only those you made yourself, and use
:func:`sklstm.save` / :func:`sklstm.load` to share models.
"""

import copy

from .._persistence.files import model_from_bytes, model_to_bytes

__all__ = ["copy_keras_params", "pack_state", "unpack_state"]


class _Packed:
    """A Keras object in a pickle: its kind and plain-data payload."""

    __slots__ = ("kind", "payload")

    def __init__(self, kind, payload):
        self.kind, self.payload = kind, payload

    def __reduce__(self):
        return _Packed, (self.kind, self.payload)


def _keras_config_types():
    from .._utils.tf import keras

    return (keras.optimizers.Optimizer, keras.losses.Loss, keras.metrics.Metric)


def copy_keras_params(params):
    """Fresh copies of the Keras optimizer/loss instances among ``params``.

    ``clone`` deep-copies parameters, which Keras objects support only through
    SciKeras's patch; a copy made from the object's Keras configuration needs
    none. Returns only the parameters that were copied.
    """
    from .._utils.tf import keras

    types = _keras_config_types()
    return {
        name: keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(value)
        )
        for name, value in params.items()
        if isinstance(value, types)
    }


def pack_state(state):
    """Return a copy of ``state`` (an estimator's ``__dict__``) fit to pickle."""
    from .._utils.tf import keras

    types = _keras_config_types()
    packed = {}
    for name, value in state.items():
        if name == "model_" and isinstance(value, keras.Model):
            value = _Packed("model", model_to_bytes(value))
        elif isinstance(value, types):
            value = _Packed("config", keras.saving.serialize_keras_object(value))
        elif name == "callbacks" and isinstance(value, list):
            value = [_detached(cb, keras) for cb in value]
        packed[name] = value
    return packed


def _detached(callback, keras):
    """A shallow copy of a Keras callback without its link to the last model.

    After a fit, a callback keeps the model it trained; the copy drops it (the
    next fit sets it again), so that the callback pickles without the model.
    """
    if isinstance(callback, keras.callbacks.Callback) and callback.model is not None:
        callback = copy.copy(callback)
        callback.set_model(None)
    return callback


def unpack_state(state):
    """Inverse of :func:`pack_state`."""
    from .._utils.tf import keras

    unpacked = {}
    for name, value in state.items():
        if isinstance(value, _Packed):
            if value.kind == "model":
                value = model_from_bytes(value.payload)
            else:
                value = keras.saving.deserialize_keras_object(value.payload)
        unpacked[name] = value
    return unpacked
