"""Fast prediction: the model's forward pass in a cached compiled graph.

:meth:`keras.Model.predict` builds a data pipeline on every call, which costs
tens of milliseconds even for one sample. These functions call the model
directly instead.
"""

import functools
import types

import numpy as np

from .._utils.tf import keras, tf
from .compile import structure_key
from .graph_cache import GraphCache

__all__ = ["make_predict_function", "predict_function"]

#: Process-wide forward passes, keyed by model structure.
FORWARDS = GraphCache(maxsize=16)


def _call_inference(model, x):
    return model(x, training=False)


def _chunked(forward, batch_size):
    def predict(x):
        x = np.asarray(x, dtype="float32")
        parts = [
            forward(tf.constant(x[i : i + batch_size])).numpy()
            for i in range(0, max(len(x), 1), batch_size)
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    return predict


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
    return _chunked(forward, batch_size)


def _stateless_forward(template):
    """The template's forward pass with its variables' values as inputs."""

    def forward(trainable, non_trainable, x):
        return template.stateless_call(trainable, non_trainable, x, training=False)[0]

    specs = [
        [tf.TensorSpec(v.shape, v.dtype) for v in variables]
        for variables in (
            template.trainable_variables,
            template.non_trainable_variables,
        )
    ]
    x_spec = tf.TensorSpec([None, *template.inputs[0].shape[1:]], tf.float32)
    return tf.function(forward, input_signature=[*specs, x_spec], autograph=False)


def predict_function(model):
    """The model's compiled forward pass.

    Models built by sklstm share one traced graph per structure (the weights
    are its inputs, so sharing it is thread-safe); other models get their own
    graph, cached on the model outside the estimator's ``__dict__``, which
    ``predict`` must not change (a plain namespace is neither tracked nor
    saved by Keras).
    """
    key = structure_key(model)
    if key is not None:
        fn = FORWARDS.get(
            key, lambda: _stateless_forward(keras.models.clone_model(model))
        )

        def forward(x):
            trainable = [v.value for v in model.trainable_variables]
            non_trainable = [v.value for v in model.non_trainable_variables]
            return fn(trainable, non_trainable, x)

        return _chunked(forward, 8192)
    cache = getattr(model, "_sklstm_predict", None)
    if cache is None:
        cache = model._sklstm_predict = types.SimpleNamespace(
            fn=make_predict_function(model)
        )
    return cache.fn
