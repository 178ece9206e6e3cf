"""Fused training engine: many epochs of minibatch training in one TF graph.

On tiny data sets :meth:`keras.Model.fit` spends almost all its time in
framework overhead (a data pipeline per epoch, callbacks, an ``evaluate`` per
epoch, Python dispatch per step). :func:`fused_fit` holds the data as tensors
and runs whole chunks of epochs (shuffling, minibatch steps, validation loss,
early stopping and divergence checks) inside a single :func:`tf.function`,
with the model's compiled loss (:meth:`keras.Model.compute_loss`, which adds
regularization losses) and the optimizer's own update rule.

The loop is traced once per configuration (``cache_key``) and process, on a
template model from :data:`~sklstm._model.graph_cache.LOOPS`, for
any number of samples; the data are shared with NumPy, not copied
(:func:`sklstm._training.arrays.as_tensor`).
"""

import collections
import functools
import math
import threading

from .._model.graph_cache import LOOPS, clone_compiled
from .._utils.seeds import epoch_key
from .._utils.tf import keras, tf
from .arrays import as_tensor, split_arrays
from .divergence import TrainingDivergedError, non_finite_message
from .stopping import (
    EarlyStopping,
    FitResult,
    as_early_stopping,
    best_epoch,
    improved,
    patience_ran_out,
)

__all__ = [
    "EarlyStopping",
    "FitResult",
    "TrainingDivergedError",
    "fused_fit",
    "trace_count",
]

#: Epochs per graph call at most: bounds the per-call loss buffers. A fit
#: runs all its epochs in one call up to this (1/50 of them per call with a
#: progress bar); the chunking has no effect on the results.
MAX_CHUNK = 1024
#: Validation data of more samples than this (or than the batch size, if
#: larger) are evaluated in chunks of that many: one forward pass over
#: 40,000 long windows would hold all their activations at once. Smaller
#: validation sets take one pass, as before.
VAL_CHUNK = 1024
_traces = collections.Counter()
_traces_lock = threading.Lock()
_RUNNING, _STOPPED, _DIVERGED = 0, 1, 2

# Everything baked into one traced training graph (and the loop cache key).
# ``shapes`` are the data arrays' shapes, with None leading dimensions: any
# number of samples.
_Spec = collections.namedtuple(
    "_Spec", "shapes batch_size has_weight has_val val_chunk shuffle es"
)


def trace_count():
    """How many times a training loop has been traced in this process."""
    return _traces["loop"]


def _shadow(variable):
    return tf.Variable(tf.zeros(variable.shape, variable.dtype), trainable=False)


def _mean_over_chunks(n, size, chunk_sum):
    """Sum ``chunk_sum(lo, length)`` over ``[0, n)`` in chunks of ``size``
    rows (the last one partial if need be), in one ``tf.while_loop``, and
    divide by ``n``: one traced body for every chunk."""
    _, total = tf.while_loop(
        lambda c, t: c * size < n,
        lambda c, t: (
            c + 1,
            t + chunk_sum(c * size, tf.minimum(size, n - c * size)),
        ),
        (tf.constant(0), tf.constant(0.0)),
    )
    return total / tf.cast(n, tf.float32)


def _assign_all(targets, sources):
    for target, source in zip(targets, sources):
        target.assign(source)


class _FusedLoop:
    """Traced ``run(start, count, seed, data)`` for one spec.

    A call runs up to ``count`` epochs from the absolute epoch ``start`` and
    returns ``(n_run, status, losses, val_losses)``; ``data`` holds the
    training (and validation) arrays. The early-stopping state and weight
    snapshots live in variables, so chunked calls behave exactly like one
    long call.
    """

    def __init__(self, model, spec):
        self.spec = spec
        self.model = model  # the cache's template, owned by the loop
        self.weights = list(model.weights)
        self.state = list(model.variables) + list(model.optimizer.variables)
        self.good = [_shadow(v) for v in self.state]
        restore = spec.es is not None and spec.es.restore_best_weights
        self.best = [_shadow(v) for v in self.weights] if restore else []
        self.es_best, self.es_wait = tf.Variable(0.0), tf.Variable(0)
        self.es_epoch = tf.Variable(tf.constant(-1, tf.int64))
        self.es_has = tf.Variable(False)
        scalar = [tf.TensorSpec([], tf.int64), tf.TensorSpec([], tf.int32)]
        data = [tf.TensorSpec(shape, tf.float32) for shape in spec.shapes]
        # A partial (not a bound method) gives each loop its own key in TF's
        # "frequent retracing" detector: one trace per loop is by design.
        run = functools.partial(type(self)._run, self)
        self.run = tf.function(
            run,
            input_signature=[*scalar, tf.TensorSpec([], tf.int64), data],
            autograph=False,
        )

    def reset(self):
        _assign_all(self.good, self.state)
        self.es_has.assign(False)
        self.es_wait.assign(0)
        self.es_epoch.assign(-1)

    def _run(self, start, count, seed, data):
        with _traces_lock:
            _traces["loop"] += 1
        model, spec = self.model, self.spec
        opt, tvars = model.optimizer, model.trainable_variables
        x, y, *rest = data
        w = rest.pop(0) if spec.has_weight else None
        xv, yv, *rest = rest if spec.has_val else (None, None)
        wv = rest[0] if rest else None

        def step(xb, yb, wb):
            with tf.GradientTape() as tape:
                pred = model(xb, training=True)
                loss = model.compute_loss(
                    x=xb, y=yb, y_pred=pred, sample_weight=wb, training=True
                )
                scaled = opt.scale_loss(loss)
            opt.apply_gradients(zip(tape.gradient(scaled, tvars), tvars))
            return tf.cast(loss, tf.float32)

        def batch(perm, lo, size):  # returns the batch loss times its size
            idx = tf.slice(perm, [lo], [size])
            wb = tf.gather(w, idx) if spec.has_weight else None
            loss = step(tf.gather(x, idx), tf.gather(y, idx), wb)
            return loss * tf.cast(size, tf.float32)

        def train_epoch(epoch):
            # One loop over the batches, the last one partial if need be: the
            # training step is traced (and optimized) once, not twice.
            bs = spec.batch_size
            n = tf.shape(x)[0]
            perm = tf.range(n)
            if spec.shuffle:
                key = epoch_key(seed, epoch)
                noise = tf.random.stateless_uniform([n], key, alg="philox")
                perm = tf.argsort(noise, stable=True)
            return _mean_over_chunks(n, bs, lambda lo, size: batch(perm, lo, size))

        def eval_loss(xb, yb, wb):  # the loss in inference mode
            pred = model(xb, training=False)
            loss = model.compute_loss(
                x=xb, y=yb, y_pred=pred, sample_weight=wb, training=False
            )
            return tf.cast(loss, tf.float32)

        def val_chunk(lo, size):  # the chunk's loss times its size
            rows = [a[lo : lo + size] if a is not None else None for a in (xv, yv, wv)]
            return eval_loss(*rows) * tf.cast(size, tf.float32)

        def val_epoch():
            if not spec.has_val:
                return tf.constant(float("nan"))
            if spec.val_chunk is None:
                return eval_loss(xv, yv, wv)
            return _mean_over_chunks(tf.shape(xv)[0], spec.val_chunk, val_chunk)

        def finite_epoch(epoch, loss, val_loss):
            _assign_all(self.good, self.state)
            es = spec.es
            if es is None:
                return tf.constant(_RUNNING)
            cur = val_loss if es.monitor == "val_loss" else loss
            better = ~self.es_has | improved(es, cur, self.es_best)
            self.es_has.assign(True)
            self.es_best.assign(tf.where(better, cur, self.es_best))
            self.es_epoch.assign(tf.where(better, epoch, self.es_epoch))
            wait = self.es_wait.assign(tf.where(better, 0, self.es_wait + 1))
            if self.best:

                def save():
                    _assign_all(self.best, self.weights)
                    return tf.constant(True)

                tf.cond(better, save, lambda: tf.constant(False))
            stop = ~better & patience_ran_out(es, wait, epoch)
            return tf.where(stop, _STOPPED, _RUNNING)

        def body(i, status, losses, val_losses):
            epoch = start + tf.cast(i, tf.int64)
            loss, val_loss = train_epoch(epoch), val_epoch()
            # A finite loss can come with an overflowing last update.
            finite = [tf.reduce_all(tf.math.is_finite(v)) for v in tvars]
            status = tf.cond(
                tf.reduce_all([tf.math.is_finite(loss), *finite]),
                lambda: finite_epoch(epoch, loss, val_loss),
                lambda: tf.constant(_DIVERGED),
            )
            losses = losses.write(i, loss)
            return i + 1, status, losses, val_losses.write(i, val_loss)

        size = count
        buffers = [tf.TensorArray(tf.float32, size=size) for _ in range(2)]
        n_run, status, losses, val_losses = tf.while_loop(
            lambda i, status, *_: (i < count) & tf.equal(status, _RUNNING),
            body,
            (tf.constant(0), tf.constant(_RUNNING), *buffers),
            maximum_iterations=size,
        )
        return n_run, status, losses.stack(), val_losses.stack()


def _run_chunks(loop, data, seed, initial_epoch, n_epochs, chunk, history, verbose):
    """Call the graph chunk by chunk; return ``(epochs run, status)``."""
    keys = list(history)
    bar = None
    if verbose:
        bar = keras.utils.Progbar(
            n_epochs, verbose=min(verbose, 2), unit_name="epoch", stateful_metrics=keys
        )
    seed = tf.constant(seed, tf.int64)
    done, status = 0, _RUNNING
    while done < n_epochs and status == _RUNNING:
        count = tf.constant(min(chunk, n_epochs - done))  # tensors: no retracing
        first = tf.constant(initial_epoch + done, tf.int64)
        n_run, status, *values = loop.run(first, count, seed, data)
        n_run, status = int(n_run), int(status)
        for key, vals in zip(keys, values):
            history[key].extend(vals.numpy()[:n_run].tolist())
        done += n_run
        if bar is not None:
            logs = [(key, history[key][-1]) for key in keys]
            bar.update(done, logs, finalize=bool(status) or done == n_epochs)
    return done, status


def fused_fit(
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
    verbose=0,
    initial_epoch=0,
    cache_key,
):
    """Train a compiled Keras model, running many epochs per graph call.

    Like ``model.fit`` with the same arguments, but only the loss is tracked:
    no callbacks and no compiled metrics.

    Parameters
    ----------
    model : keras.Model
        Built and compiled model; its optimizer and compiled loss are used.
    x, y : ndarray
        Inputs ``(n, timesteps, features)`` and targets, cast to float32.
    sample_weight : ndarray of shape (n,), default=None
        Per-sample loss weights (broadcast over output steps and features).
    epochs : int
        Index of the final epoch, as in Keras: ``epochs - initial_epoch``
        epochs are run.
    batch_size : int, default=None
        Minibatch size (32 if None); the last batch of an epoch may be partial.
    validation_split : float, default=0.0
        Fraction of samples held out, taken from the end before shuffling.
    shuffle : bool, default=True
        Reshuffle the training samples every epoch.
    seed : int, default=0
        Shuffling seed; epoch ``e`` uses the permutation keyed by ``(seed, e)``.
    early_stopping : EarlyStopping, dict or keras.callbacks.EarlyStopping
        Early stopping, evaluated in-graph at the end of every epoch.
    verbose : int, default=0
        0 prints nothing, 1 shows a progress bar updated between chunks.
    initial_epoch : int, default=0
        Absolute index of the first epoch (to continue training).
    cache_key : hashable
        Identifies the model's configuration (architecture, shapes,
        optimizer and loss; :func:`sklstm._model.graph_cache.graph_key`). Fits
        with one key share one traced loop, run on a template model whose
        variables take this model's values in and out (see
        :mod:`sklstm._model.graph_cache`).

    Returns
    -------
    FitResult
        History and stopping information.

    Raises
    ------
    TrainingDivergedError
        If the training loss becomes NaN or infinite.
    """
    if getattr(model, "optimizer", None) is None or not model.compiled:
        raise ValueError("fused_fit needs a compiled model; call model.compile().")
    es = as_early_stopping(early_stopping)
    train, val = split_arrays(x, y, sample_weight, validation_split, es)
    keys = ["loss", "val_loss"] if val is not None else ["loss"]
    history = {key: [] for key in keys}
    n_epochs = max(int(epochs) - int(initial_epoch), 0)
    if n_epochs == 0:
        return FitResult(history, 0, None, None, keys[-1])
    chunk = math.ceil(n_epochs / 50) if verbose else n_epochs
    chunk = max(1, min(chunk, MAX_CHUNK))
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    arrays = [a for a in train + (val or []) if a is not None]
    batch_size = 32 if batch_size is None else int(batch_size)
    val_chunk = max(batch_size, VAL_CHUNK)
    spec = _Spec(
        shapes=tuple((None, *a.shape[1:]) for a in arrays),
        batch_size=batch_size,
        has_weight=train[2] is not None,
        has_val=val is not None,
        val_chunk=val_chunk if val is not None and len(val[0]) > val_chunk else None,
        shuffle=bool(shuffle),
        es=es,
    )
    data = [as_tensor(a) for a in arrays]  # no copies
    key = (cache_key, spec)

    def make():
        return _FusedLoop(clone_compiled(model), spec)

    with LOOPS.lend(key, model, make, template=lambda loop: loop.model) as loop:
        return _train(loop, data, seed, initial_epoch, epochs, chunk, history, verbose)


def _train(loop, data, seed, initial_epoch, epochs, chunk, history, verbose):
    """Run ``loop`` over all epochs; leave its model's state as documented."""
    model = loop.model
    keys = ["loss", "val_loss"] if loop.spec.has_val else ["loss"]
    lists = {key: history[key] for key in keys}
    n_old = len(lists[keys[-1]])
    n_epochs = int(epochs) - int(initial_epoch)
    loop.reset()
    done, status = _run_chunks(
        loop, data, seed, initial_epoch, n_epochs, chunk, lists, verbose
    )
    last = initial_epoch + done - 1
    best = best_epoch(lists[keys[-1]][n_old:], initial_epoch)
    if loop.spec.es is not None and bool(loop.es_has):
        best = int(loop.es_epoch)
    stopped = last if status == _STOPPED else None
    monitor = keys[-1] if loop.spec.es is None else loop.spec.es.monitor
    result = FitResult(history, done, stopped, best, monitor)
    if status == _DIVERGED:
        _assign_all(loop.state, loop.good)
        message = non_finite_message(last, epochs, lists["loss"][-1])
        raise TrainingDivergedError(message, epoch=last, result=result)
    model.optimizer.finalize_variable_values(model.trainable_weights)  # EMA
    if loop.best and bool(loop.es_has):
        _assign_all(loop.weights, loop.best)
    return result
