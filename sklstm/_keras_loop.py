"""Training through Keras's own ``model.fit`` (the ``engine="keras"`` path).

Used when something needs Keras's loop, such as user callbacks; the fused
engine in :mod:`sklstm._engine` is the fast default.
"""

import random
import types

import numpy as np

from ._stopping import DIVERGENCE_ADVICE, TrainingDivergedError
from ._tf import keras, tf

__all__ = ["check_finite_history", "keras_fit"]


def keras_fit(
    model,
    x,
    y,
    *,
    sample_weight=None,
    epochs,
    batch_size,
    validation_split=0.0,
    shuffle=True,
    seed=0,
    early_stopping=None,
    callbacks=(),
    verbose=0,
    initial_epoch=0,
):
    """Train ``model`` with ``model.fit`` and return its history as a dict.

    Shuffling is made reproducible by seeding TensorFlow's global generator
    for the duration of the call and restoring it afterwards.

    Parameters
    ----------
    model : keras.Model
        Built and compiled model.
    x, y : ndarray
        Inputs ``(n, timesteps, features)`` and targets
        ``(n, out_steps, out_features)``, float32.
    sample_weight : ndarray of shape (n,) or None, default=None
        Per-sample weights.
    epochs, batch_size : int
        As in ``model.fit``.
    validation_split : float, default=0.0
        Fraction of the last samples held out, as in ``model.fit``.
    shuffle : bool, default=True
        Reshuffle the training samples every epoch.
    seed : int, default=0
        Seed for the shuffling.
    early_stopping : dict or None, default=None
        Keyword arguments of :class:`keras.callbacks.EarlyStopping`.
    callbacks : sequence of keras.callbacks.Callback, default=()
        Further callbacks.
    verbose : int, default=0
        Keras's verbosity.
    initial_epoch : int, default=0
        Epoch to start counting from.

    Returns
    -------
    history : dict of list
        Keras's ``History.history``.
    """
    callbacks = [*callbacks, keras.callbacks.TerminateOnNaN()]
    if early_stopping is not None:
        callbacks.append(keras.callbacks.EarlyStopping(**early_stopping))
    states = random.getstate(), np.random.get_state(), _global_tf_seed()  # noqa: NPY002
    keras.utils.set_random_seed(int(seed))
    if sample_weight is not None:  # broadcast over output steps and features
        sample_weight = sample_weight.reshape((len(y),) + (1,) * (y.ndim - 2))
    try:
        history = model.fit(
            x,
            y,
            sample_weight=sample_weight,
            epochs=initial_epoch + epochs,
            initial_epoch=initial_epoch,
            batch_size=batch_size,
            validation_split=validation_split,
            shuffle=shuffle,
            callbacks=callbacks,
            verbose=verbose,
        )
    finally:
        random.setstate(states[0])
        np.random.set_state(states[1])  # noqa: NPY002
        tf.random.set_seed(states[2])
    return {k: [float(v) for v in vals] for k, vals in history.history.items()}


def _global_tf_seed():
    from tensorflow.python.eager import context

    return context.global_seed()


def check_finite_history(history):
    """Raise :class:`TrainingDivergedError` if a recorded loss is NaN or inf."""
    losses = np.asarray(history.get("loss", []), dtype=float)
    bad = np.flatnonzero(~np.isfinite(losses))
    if bad.size:
        raise TrainingDivergedError(
            f"Training diverged at epoch {bad[0] + 1}: the loss became NaN or "
            f"infinite. {DIVERGENCE_ADVICE}",
            epoch=int(bad[0]),
            result=types.SimpleNamespace(history=history),
        )
