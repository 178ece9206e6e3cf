"""Fused training engine: many epochs of minibatch training in one TF graph.

For tiny data sets, :meth:`keras.Model.fit` spends almost all of its time in
per-step and per-epoch framework overhead (a data pipeline per epoch,
callbacks, an ``evaluate`` per epoch, Python dispatch). :func:`fused_fit`
instead holds the data as tensors and runs whole chunks of epochs
(shuffle, minibatch steps, validation loss, early stopping and divergence
checks) inside a single :func:`tf.function`, using the model's own compiled
loss (:meth:`keras.Model.compute_loss`, which includes regularization losses)
and the optimizer's own update rule (``optimizer.apply_gradients``).
"""

import dataclasses
import math
import weakref

import keras
import numpy as np
import tensorflow as tf

__all__ = [
    "EarlyStopping",
    "FitResult",
    "TrainingDivergedError",
    "fused_fit",
    "make_predict_function",
]

_MAX_CHUNK = 1024  # epochs per graph call (bounds the per-call loss buffer)
_RUNNING, _STOPPED, _DIVERGED = 0, 1, 2


class TrainingDivergedError(RuntimeError):
    """The training loss became NaN or infinite.

    The model's weights (and optimizer state) have been reset to those at the
    end of the last epoch whose loss was finite.

    Attributes
    ----------
    epoch : int
        0-based absolute index of the epoch whose loss was non-finite.
    history : dict of list of float
        The history up to and including that epoch.
    result : FitResult
        The full result object of the interrupted fit.
    """

    def __init__(self, message, *, epoch, result):
        super().__init__(message)
        self.epoch = epoch
        self.result = result
        self.history = result.history


@dataclasses.dataclass(frozen=True)
class EarlyStopping:
    """Early-stopping settings with :class:`keras.callbacks.EarlyStopping` semantics.

    Parameters
    ----------
    monitor : {"val_loss", "loss"}
        Quantity to minimize.
    patience : int
        Number of epochs without improvement after which training stops.
    min_delta : float
        Minimum decrease of the monitored quantity that counts as improvement.
    restore_best_weights : bool
        Whether to restore the weights of the best epoch when training ends.
    """

    monitor: str = "val_loss"
    patience: int = 0
    min_delta: float = 0.0
    restore_best_weights: bool = False


@dataclasses.dataclass
class FitResult:
    """Outcome of :func:`fused_fit`.

    Attributes
    ----------
    history : dict of list of float
        Per-epoch ``"loss"`` (and ``"val_loss"``), including earlier epochs of
        the ``history`` passed in.
    epochs_run : int
        Number of epochs run by this call.
    stopped_epoch : int or None
        0-based absolute epoch at which early stopping triggered, else None.
    best_epoch : int or None
        0-based absolute epoch with the best monitored value in this call
        (``val_loss`` if available, else ``loss``).
    """

    history: dict
    epochs_run: int
    stopped_epoch: int | None
    best_epoch: int | None


@dataclasses.dataclass(frozen=True)
class _Spec:
    """Everything that is baked into a traced training graph."""

    n_train: int
    batch_size: int
    has_weight: bool
    has_val: bool
    shuffle: bool
    cap: int
    jit_compile: bool
    es: EarlyStopping | None


class _LoopCache:
    """Per-model store of traced loops (an untracked attribute of the model)."""

    def __init__(self):
        self.loops = {}


def _shadow(variable):
    return tf.Variable(tf.zeros(variable.shape, variable.dtype), trainable=False)


def _assign_all(targets, sources):
    for target, source in zip(targets, sources):
        target.assign(source)


class _FusedLoop:
    """A traced ``run(start, count, seed, x, y, w, xv, yv, wv)`` for one spec.

    Each call runs up to ``count`` (<= ``spec.cap``) epochs starting at the
    absolute epoch ``start`` and returns ``(n_run, status, losses,
    val_losses)``. Best-so-far state and weight snapshots live in variables,
    so that chunked calls behave exactly like one long call.
    """

    def __init__(self, model, spec):
        self.spec = spec
        self._model = weakref.ref(model)
        self._optimizer = weakref.ref(model.optimizer)
        self._loss = weakref.ref(model._compile_loss)
        self.weights = list(model.weights)
        self.state = self.weights + list(model.optimizer.variables)
        self.good = [_shadow(v) for v in self.state]
        restore = spec.es is not None and spec.es.restore_best_weights
        self.best = [_shadow(v) for v in self.weights] if restore else []
        self.es_best = tf.Variable(0.0)
        self.es_wait = tf.Variable(0)
        self.es_epoch = tf.Variable(tf.constant(-1, tf.int64))
        self.es_has = tf.Variable(False)
        self.run = tf.function(self._run, jit_compile=spec.jit_compile, autograph=False)

    def matches(self, model):
        return (
            self._optimizer() is model.optimizer and self._loss() is model._compile_loss
        )

    def reset(self):
        _assign_all(self.good, self.state)
        self.es_has.assign(False)
        self.es_wait.assign(0)
        self.es_epoch.assign(-1)

    def _run(self, start, count, seed, x, y, w, xv, yv, wv):
        model, spec = self._model(), self.spec
        opt, tvars = model.optimizer, model.trainable_variables

        def step(xb, yb, wb):
            with tf.GradientTape() as tape:
                pred = model(xb, training=True)
                loss = model.compute_loss(
                    x=xb, y=yb, y_pred=pred, sample_weight=wb, training=True
                )
                scaled = opt.scale_loss(loss)
            opt.apply_gradients(zip(tape.gradient(scaled, tvars), tvars))
            return tf.cast(loss, tf.float32)

        def batch(perm, lo, size):
            idx = tf.slice(perm, [lo], [size])
            wb = tf.gather(w, idx) if spec.has_weight else None
            return step(tf.gather(x, idx), tf.gather(y, idx), wb) * size

        def train_epoch(epoch):
            n, bs = spec.n_train, spec.batch_size
            if spec.shuffle:
                key = tf.stack([seed, epoch])
                noise = tf.random.stateless_uniform([n], key, alg="philox")
                perm = tf.argsort(noise, stable=True)
            else:
                perm = tf.range(n)
            total = tf.constant(0.0)
            if n // bs:
                _, total = tf.while_loop(
                    lambda b, t: b < n // bs,
                    lambda b, t: (b + 1, t + batch(perm, b * bs, bs)),
                    (tf.constant(0), total),
                )
            if n % bs:
                total += batch(perm, n - n % bs, n % bs)
            return total / n

        def val_epoch():
            if not spec.has_val:
                return tf.constant(float("nan"))
            pred = model(xv, training=False)
            loss = model.compute_loss(
                x=xv, y=yv, y_pred=pred, sample_weight=wv, training=False
            )
            return tf.cast(loss, tf.float32)

        def good_epoch(epoch, loss, val_loss):
            _assign_all(self.good, self.state)
            es = spec.es
            if es is None:
                return tf.constant(_RUNNING)
            cur = val_loss if es.monitor == "val_loss" else loss
            better = tf.logical_or(
                tf.logical_not(self.es_has), cur + abs(es.min_delta) < self.es_best
            )
            self.es_has.assign(True)
            self.es_best.assign(tf.where(better, cur, self.es_best))
            self.es_epoch.assign(tf.where(better, epoch, self.es_epoch))
            wait = self.es_wait.assign(tf.where(better, 0, self.es_wait + 1))
            if self.best:

                def save():
                    _assign_all(self.best, self.weights)
                    return tf.constant(True)

                tf.cond(better, save, lambda: tf.constant(False))
            stop = ~better & (wait >= es.patience) & (epoch > 0)
            return tf.where(stop, _STOPPED, _RUNNING)

        def body(i, status, losses, val_losses):
            epoch = start + tf.cast(i, tf.int64)
            loss = train_epoch(epoch)
            val_loss = val_epoch()
            status = tf.cond(
                tf.math.is_finite(loss),
                lambda: good_epoch(epoch, loss, val_loss),
                lambda: tf.constant(_DIVERGED),
            )
            losses = losses.write(i, loss)
            return i + 1, status, losses, val_losses.write(i, val_loss)

        buffers = [tf.TensorArray(tf.float32, size=spec.cap) for _ in range(2)]
        n_run, status, losses, val_losses = tf.while_loop(
            lambda i, s, *_: (i < count) & tf.equal(s, _RUNNING),
            body,
            (tf.constant(0), tf.constant(_RUNNING), *buffers),
            maximum_iterations=spec.cap,
        )
        return n_run, status, losses.stack(), val_losses.stack()


def _early_stopping(early_stopping):
    if early_stopping is None or isinstance(early_stopping, EarlyStopping):
        es = early_stopping
    elif isinstance(early_stopping, dict):
        es = EarlyStopping(**early_stopping)
    elif isinstance(early_stopping, keras.callbacks.EarlyStopping):
        cb = early_stopping
        if cb.mode == "max" or cb.baseline is not None or cb.start_from_epoch:
            raise ValueError("Only mode='min'/'auto' early stopping is supported.")
        es = EarlyStopping(
            cb.monitor, cb.patience, abs(cb.min_delta), cb.restore_best_weights
        )
    else:
        es = EarlyStopping(**dataclasses.asdict(early_stopping))
    if es is not None and es.monitor not in ("loss", "val_loss"):
        raise ValueError(
            f"early_stopping monitor must be 'loss' or 'val_loss', got {es.monitor!r}."
        )
    return es


def _as_tensor(a, dtype="float32"):
    return tf.convert_to_tensor(np.asarray(a, dtype=dtype))


def _split(x, y, sample_weight, validation_split, validation_data):
    """Return ``(train, val)`` as tuples ``(x, y, w)``; val may be None."""
    x, y = np.asarray(x, "float32"), np.asarray(y, "float32")
    w = None if sample_weight is None else np.asarray(sample_weight, "float32")
    if len(x) != len(y) or (w is not None and len(w) != len(x)):
        raise ValueError("x, y and sample_weight must have the same length.")
    val = None
    if validation_data is not None:
        if len(validation_data) not in (2, 3):
            raise ValueError("validation_data must be (x, y) or (x, y, w).")
        xv, yv, *wv = validation_data
        val = (np.asarray(xv, "float32"), np.asarray(yv, "float32"), *wv)
        val = val if wv else (*val, None)
    elif validation_split:
        if not 0.0 < validation_split < 1.0:
            raise ValueError("validation_split must be in [0, 1).")
        split_at = int(len(x) * (1.0 - validation_split))
        if split_at == 0 or split_at == len(x):
            raise ValueError(
                f"validation_split={validation_split} leaves an empty training "
                f"or validation set with {len(x)} samples."
            )
        wv = None if w is None else w[split_at:]
        val = (x[split_at:], y[split_at:], wv)
        x, y, w = x[:split_at], y[:split_at], None if w is None else w[:split_at]
    if len(x) == 0:
        raise ValueError("Cannot fit on an empty data set.")
    return (x, y, w), val


def _get_loop(model, spec):
    cache = getattr(model, "_sklstm_fused_loops", None)
    if cache is None:
        cache = _LoopCache()
        model._sklstm_fused_loops = cache
    loop = cache.loops.get(spec)
    if loop is None or not loop.matches(model):
        loop = cache.loops[spec] = _FusedLoop(model, spec)
    return loop


def _best_epoch(values):
    values = np.asarray(values, dtype=float)
    if not np.isfinite(values).any():
        return None
    return int(np.nanargmin(np.where(np.isfinite(values), values, np.nan)))


def _chunk_size(n_epochs, verbose, chunk_epochs):
    if chunk_epochs is None:
        chunk_epochs = math.ceil(n_epochs / 50) if verbose else n_epochs
    return max(1, min(int(chunk_epochs), _MAX_CHUNK))


def _diverged_message(epoch, epochs, loss):
    return (
        f"Training loss became non-finite ({loss}) at epoch {epoch + 1}/{epochs}; "
        "the weights were reset to the end of the last epoch with a finite loss. "
        "Try scaling the inputs and targets (e.g. StandardScaler, "
        "TransformedTargetRegressor), lowering the learning rate, or using "
        'activation="tanh" in the LSTM layers.'
    )


def fused_fit(
    model,
    x,
    y,
    *,
    sample_weight=None,
    epochs,
    batch_size=None,
    validation_split=0.0,
    validation_data=None,
    shuffle=True,
    seed=0,
    early_stopping=None,
    verbose=0,
    initial_epoch=0,
    history=None,
    jit_compile=False,
    chunk_epochs=None,
):
    """Train a compiled Keras model with many epochs per TensorFlow graph call.

    Equivalent in spirit to ``model.fit(x, y, ...)`` with the same arguments,
    but without callbacks or compiled metrics: only the loss is tracked.

    Parameters
    ----------
    model : keras.Model
        A built and compiled model; its optimizer and compiled loss are used.
    x, y : ndarray
        Inputs ``(n, timesteps, features)`` and targets, cast to float32.
    sample_weight : ndarray of shape (n,), default=None
        Per-sample loss weights.
    epochs : int
        Index of the final epoch, as in Keras: ``epochs - initial_epoch``
        epochs are run.
    batch_size : int, default=None
        Minibatch size (32 if None). The last batch of an epoch may be partial.
    validation_split : float, default=0.0
        Fraction of the data held out, taken from the end before shuffling.
    validation_data : tuple, default=None
        ``(x_val, y_val)`` or ``(x_val, y_val, w_val)``; overrides the split.
    shuffle : bool, default=True
        Reshuffle the training data every epoch.
    seed : int, default=0
        Shuffling seed; epoch ``e`` uses the permutation keyed by ``(seed, e)``.
    early_stopping : EarlyStopping, dict or keras.callbacks.EarlyStopping
        Early-stopping settings, evaluated at the end of each epoch in-graph.
    verbose : int, default=0
        0 prints nothing; 1 shows a progress bar updated between chunks.
    initial_epoch : int, default=0
        Absolute index of the first epoch (for continued training).
    history : dict, default=None
        History of an earlier fit; new epochs are appended to it in place.
    jit_compile : bool, default=False
        Compile the training graph with XLA (slower to start, faster per step).
    chunk_epochs : int, default=None
        Epochs per graph call (at most 1024). Defaults to all epochs with
        ``verbose=0`` and to about 1/50 of them otherwise. Does not change
        the results.

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
        raise ValueError("fused_fit needs a compiled model (call model.compile).")
    es = _early_stopping(early_stopping)
    (x, y, w), val = _split(x, y, sample_weight, validation_split, validation_data)
    if es is not None and es.monitor == "val_loss" and val is None:
        raise ValueError(
            "Early stopping monitors 'val_loss' but there is no validation data: "
            "set validation_split/validation_data or monitor='loss'."
        )
    keys = ["loss", "val_loss"] if val is not None else ["loss"]
    history = {} if history is None else history
    for key in keys:
        history.setdefault(key, [])
    n_epochs = max(int(epochs) - int(initial_epoch), 0)
    if n_epochs == 0:
        return FitResult(history, 0, None, None)
    chunk = _chunk_size(n_epochs, verbose, chunk_epochs)
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    spec = _Spec(
        n_train=len(x),
        batch_size=32 if batch_size is None else int(batch_size),
        has_weight=w is not None,
        has_val=val is not None,
        shuffle=bool(shuffle),
        cap=1 << (chunk - 1).bit_length(),
        jit_compile=bool(jit_compile),
        es=es,
    )
    loop = _get_loop(model, spec)
    loop.reset()
    data = [
        None if a is None else _as_tensor(a) for a in (x, y, w, *(val or [None] * 3))
    ]
    seed = tf.constant(seed, tf.int64)
    bar = None
    if verbose:
        bar = keras.utils.Progbar(n_epochs, unit_name="epoch", stateful_metrics=keys)
    new = {key: [] for key in keys}
    done, status = 0, _RUNNING
    while done < n_epochs and status == _RUNNING:
        count = tf.constant(min(chunk, n_epochs - done))
        start = tf.constant(initial_epoch + done, tf.int64)
        n_run, status, *values = loop.run(start, count, seed, *data)
        n_run, status = int(n_run), int(status)
        for key, vals in zip(keys, values):
            new[key].extend(vals.numpy()[:n_run].tolist())
        done += n_run
        if bar is not None:
            bar.update(done, [(k, new[k][-1]) for k in keys], finalize=status > 0)
    for key in keys:
        history[key].extend(new[key])
    best = _best_epoch(new[keys[-1]])
    best = None if best is None else initial_epoch + best
    if es is not None and bool(loop.es_has):
        best = int(loop.es_epoch.numpy())
    last = initial_epoch + done - 1
    result = FitResult(history, done, last if status == _STOPPED else None, best)
    if status == _DIVERGED:
        _assign_all(loop.state, loop.good)
        message = _diverged_message(last, int(epochs), new["loss"][-1])
        raise TrainingDivergedError(message, epoch=last, result=result)
    if loop.best and bool(loop.es_has):
        _assign_all(loop.weights, loop.best)
    return result


def make_predict_function(model, *, batch_size=8192, jit_compile=False):
    """Return a fast ``predict(x)`` that calls ``model`` in a cached graph.

    Unlike :meth:`keras.Model.predict`, no data pipeline is built per call,
    which matters for small inputs (a single sample).

    Parameters
    ----------
    model : keras.Model
        A built model with a single output.
    batch_size : int, default=8192
        Larger inputs are processed in chunks of this many rows.
    jit_compile : bool, default=False
        Compile the forward pass with XLA.

    Returns
    -------
    callable
        ``predict(x: ndarray) -> ndarray`` running ``model(x, training=False)``.
    """
    forward = tf.function(
        lambda x: model(x, training=False),
        reduce_retracing=True,
        jit_compile=jit_compile,
        autograph=False,
    )

    def predict(x):
        x = np.asarray(x, dtype="float32")
        parts = [
            forward(tf.convert_to_tensor(x[i : i + batch_size])).numpy()
            for i in range(0, max(len(x), 1), batch_size)
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    return predict
