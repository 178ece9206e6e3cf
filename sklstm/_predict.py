"""Fast prediction: the model's forward pass in a cached compiled graph.

:meth:`keras.Model.predict` builds a data pipeline on every call, which costs
tens of milliseconds even for one sample. These functions call the model
directly instead.
"""

import functools
import types

import numpy as np

from ._tf import tf

__all__ = ["make_predict_function", "predict_function"]


def _call_inference(model, x):
    return model(x, training=False)


def make_predict_function(model, *, batch_size=8192, jit_compile=False):
    """Return a fast ``predict(x)`` that calls ``model`` in a cached graph.

    Unlike :meth:`keras.Model.predict`, no data pipeline is built per call,
    which matters for small inputs such as a single sample.

    Parameters
    ----------
    model : keras.Model
        Built model with a single output.
    batch_size : int, default=8192
        Larger inputs are processed in chunks of this many rows.
    jit_compile : bool, default=False
        Compile the forward pass with XLA.

    Returns
    -------
    callable
        ``predict(x: ndarray) -> ndarray`` computing ``model(x, training=False)``.
    """
    forward = tf.function(
        functools.partial(_call_inference, model),
        reduce_retracing=True,
        jit_compile=jit_compile,
        autograph=False,
    )

    def predict(x):
        x = np.asarray(x, dtype="float32")
        parts = [
            forward(tf.constant(x[i : i + batch_size])).numpy()
            for i in range(0, max(len(x), 1), batch_size)
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    return predict


def predict_function(model):
    """The model's compiled forward pass, cached on the model itself.

    Cached outside the estimator's ``__dict__``, which ``predict`` must not
    change; a plain namespace is neither tracked nor saved by Keras.
    """
    cache = getattr(model, "_sklstm_predict", None)
    if cache is None:
        cache = model._sklstm_predict = types.SimpleNamespace(
            fn=make_predict_function(model)
        )
    return cache.fn
