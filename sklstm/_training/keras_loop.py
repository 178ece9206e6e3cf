"""Training through Keras's own ``model.fit`` (the ``engine="keras"`` path).

Used when something needs Keras's loop, such as user callbacks; the fused
engine in :mod:`sklstm._training.engine` is the fast default. Both take the same
arguments and return the same :class:`~sklstm._training.stopping.FitResult`.

Shuffling is seeded through the data pipeline (a ``tf.data`` shuffle with
its own seed), so no global random state is set, read or restored: fits in
parallel threads do not disturb each other or the user's seeds.
"""

from .._model.graph_cache import TEMPLATES, clone_compiled
from .._utils.seeds import dataset_seed
from .._utils.tf import keras, tf
from .arrays import split_arrays
from .divergence import check_finite_history
from .stopping import (
    FitResult,
    RuleCallback,
    as_early_stopping,
    best_epoch,
)

__all__ = ["TEMPLATES", "keras_fit"]


def _dataset(arrays, batch_size, shuffle, seed):
    data = tf.data.Dataset.from_tensor_slices(tuple(a for a in arrays if a is not None))
    if shuffle:
        data = data.shuffle(len(arrays[0]), seed=seed, reshuffle_each_iteration=True)
    return data.batch(batch_size)


def keras_fit(
    model,
    x,
    y,
    *,
    sample_weight=None,
    epochs,
    batch_size=None,
    validation_split=0.0,
    shuffle=True,
    seed=0,
    early_stopping=None,
    callbacks=(),
    verbose=0,
    initial_epoch=0,
    cache_key,
):
    """Train ``model`` with ``model.fit``; arguments as :func:`fused_fit`.

    Parameters
    ----------
    model : keras.Model
        Built and compiled model.
    x, y : ndarray
        Inputs ``(n, timesteps, features)`` and targets, cast to float32.
    sample_weight : ndarray of shape (n,) or None, default=None
        Per-sample weights (broadcast over output steps and features).
    epochs : int
        Index of the final epoch, as in Keras.
    batch_size : int, default=None
        Minibatch size (32 if None).
    validation_split : float, default=0.0
        Fraction of the last samples held out, as in ``model.fit``.
    shuffle : bool, default=True
        Reshuffle the training samples every epoch.
    seed : int, default=0
        Seed of the shuffling (with ``initial_epoch``).
    early_stopping : EarlyStopping, dict or keras.callbacks.EarlyStopping
        Early stopping, run by :class:`~sklstm._training.stopping.RuleCallback`.
    callbacks : sequence of keras.callbacks.Callback, default=()
        Further callbacks.
    verbose : int, default=0
        Keras's verbosity.
    initial_epoch : int, default=0
        Absolute index of the first epoch.
    cache_key : hashable
        The model's configuration; fits with one key run ``fit`` on one
        cached template model (see :mod:`sklstm._model.graph_cache`), so Keras
        traces its training function once. Callbacks then see the template.

    Returns
    -------
    FitResult
        History and stopping information.

    Raises
    ------
    TrainingDivergedError
        If the training loss becomes NaN or infinite.
    """
    es = as_early_stopping(early_stopping)
    train, val = split_arrays(x, y, sample_weight, validation_split, es)
    batch_size = 32 if batch_size is None else int(batch_size)
    data = _dataset(train, batch_size, shuffle, dataset_seed(seed, initial_epoch))
    val = None if val is None else tuple(a for a in val if a is not None)
    stopper = None if es is None else RuleCallback(es)
    callbacks = [*callbacks, keras.callbacks.TerminateOnNaN()]
    callbacks += [] if stopper is None else [stopper]
    fit = dict(
        validation_data=val,
        validation_batch_size=batch_size,
        shuffle=False,  # the dataset shuffles, with its own seed
        epochs=int(epochs),
        initial_epoch=int(initial_epoch),
        callbacks=callbacks,
        verbose=verbose,
    )
    with TEMPLATES.lend(cache_key, model, lambda: clone_compiled(model)) as template:
        new = template.fit(data, **fit).history
    history = {}
    for key, values in new.items():
        history.setdefault(key, []).extend(float(v) for v in values)
    monitor = "val_loss" if val is not None else "loss"
    monitor = monitor if es is None else es.monitor
    n_run = len(new.get("loss", []))
    best = best_epoch(new.get(monitor, []), initial_epoch)
    if stopper is not None and stopper.best is not None:
        best = stopper.best_epoch
    stopped = None if stopper is None else stopper.stopped_epoch
    result = FitResult(history, n_run, stopped, best, monitor)
    check_finite_history(result, epochs, initial_epoch)
    return result
