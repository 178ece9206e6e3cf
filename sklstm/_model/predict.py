"""Fast prediction: the model's forward pass in a cached compiled graph.

:meth:`keras.Model.predict` builds a data pipeline on every call, which costs
tens of milliseconds even for one sample. These functions call the model
directly instead.
"""

import numpy as np

from .._utils.tf import keras, tf
from .graph_cache import FORWARDS, structure_key

__all__ = ["predict_function"]

#: Larger inputs are predicted in chunks of this many rows.
CHUNK_ROWS = 8192


def _chunked(forward, batch_size):
    def predict(x):
        x = np.asarray(x, dtype="float32")
        parts = [
            forward(tf.constant(x[i : i + batch_size])).numpy()
            for i in range(0, max(len(x), 1), batch_size)
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    return predict


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

    Models of one structure share one traced graph (the weights are its
    inputs, so sharing it is thread-safe), from :data:`FORWARDS`.
    """
    fn = FORWARDS.get(
        structure_key(model),
        lambda: _stateless_forward(keras.models.clone_model(model)),
    )

    def forward(x):
        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]
        return fn(trainable, non_trainable, x)

    return _chunked(forward, CHUNK_ROWS)
