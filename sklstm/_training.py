"""Running a fit: engine choice, determinism, all-or-nothing updates, predict.

The functions take the estimator as their first argument and read its
parameters; they hold no state of their own.
"""

import contextlib

from ._compile import graph_key
from ._engine import fused_fit
from ._keras_loop import check_finite_history, keras_fit
from ._tf import tf

__all__ = [
    "deterministic_ops",
    "engine_name",
    "train",
    "transaction",
]


@contextlib.contextmanager
def deterministic_ops(wanted):
    """Enable TensorFlow's op determinism for one fit, then restore the setting.

    Only needed on GPUs: on CPUs the kernels sklstm uses are deterministic
    already (two fits with one seed give bit-identical weights), and the
    switch would cost time for nothing.
    """
    from tensorflow.python.framework import config as cfg

    if not wanted or cfg.is_op_determinism_enabled():
        yield
        return
    if not tf.config.list_physical_devices("GPU"):
        yield
        return
    cfg.enable_op_determinism()
    try:
        yield
    finally:
        cfg.disable_op_determinism()


def engine_name(est):
    """The engine a fit of ``est`` uses: "fused" or "keras"."""
    if est.engine == "auto":
        return "keras" if est.callbacks else "fused"
    if est.engine == "fused" and est.callbacks:
        raise ValueError(
            "engine='fused' cannot run Keras callbacks; use engine='keras' "
            "(or 'auto') with callbacks, or drop the callbacks."
        )
    return est.engine


def train(est, model, X, y, w, epochs, seed, initial_epoch):
    """Train ``model`` in place with the chosen engine; return the history."""
    monitor = "val_loss" if est.validation_split else "loss"
    es = None
    if est.early_stopping:
        es = dict(
            monitor=monitor,
            patience=est.patience,
            min_delta=est.min_delta,
            restore_best_weights=est.restore_best_weights,
        )
    elif est.restore_best_weights and est.validation_split:
        # No early stopping, but a validation split: keep training for all
        # epochs and end with the weights of the lowest val_loss, as a
        # best-only checkpoint would (patience can never run out).
        es = dict(
            monitor="val_loss",
            patience=2**31 - 1,  # never runs out
            min_delta=0.0,
            restore_best_weights=True,
        )
    common = dict(
        sample_weight=w,
        batch_size=est.batch_size,
        validation_split=est.validation_split,
        shuffle=est.shuffle,
        early_stopping=es,
        verbose=est.verbose,
        initial_epoch=initial_epoch,
    )
    if engine_name(est) == "keras":
        history = keras_fit(
            model,
            X,
            y,
            epochs=epochs,
            seed=seed + initial_epoch,
            callbacks=est.callbacks or (),
            **common,
        )
        check_finite_history(history)
        return history
    return fused_fit(
        model,
        X,
        y,
        epochs=initial_epoch + epochs,
        seed=seed,
        cache_key=graph_key(model),
        **common,
    ).history


@contextlib.contextmanager
def transaction(est, reuse):
    """Leave ``est`` as it was if the block raises (or is interrupted)."""
    saved = dict(est.__dict__)
    weights = est.model_.get_weights() if reuse else None
    opt_vars = [v.numpy() for v in est.model_.optimizer.variables] if reuse else None
    try:
        yield
    except BaseException:
        if reuse:
            saved["model_"].set_weights(weights)
            for var, value in zip(saved["model_"].optimizer.variables, opt_vars):
                var.assign(value)
        est.__dict__.clear()
        est.__dict__.update(saved)
        raise
