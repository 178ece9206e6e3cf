"""Running a fit: engine choice, the training contract, all-or-nothing updates.

The functions take the estimator as their first argument and read its
parameters; they hold no state of their own.
"""

import contextlib

from ._compile import graph_key
from ._divergence import check_loss_did_not_explode
from ._engine import fused_fit
from ._keras_loop import keras_fit
from ._stopping import for_estimator

__all__ = [
    "engine_name",
    "train",
    "transaction",
]


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
    """Train ``model`` in place for ``epochs`` epochs with ``est``'s engine.

    The one training contract: both engines get the same arguments (epoch
    indices are absolute, as in Keras: epochs ``initial_epoch`` to
    ``initial_epoch + epochs - 1`` are run), apply the same early-stopping
    and divergence rules (:mod:`sklstm._stopping`, :mod:`sklstm._divergence`)
    and return the same :class:`~sklstm._stopping.FitResult`, whose
    ``history`` holds only the epochs of this call.
    """
    common = dict(
        sample_weight=w,
        epochs=initial_epoch + epochs,
        batch_size=est.batch_size,
        validation_split=est.validation_split,
        shuffle=est.shuffle,
        early_stopping=for_estimator(est),
        verbose=est.verbose,
        initial_epoch=initial_epoch,
        cache_key=graph_key(model),
    )
    if engine_name(est) == "keras":
        result = keras_fit(
            model, X, y, seed=seed, callbacks=est.callbacks or (), **common
        )
    else:
        result = fused_fit(model, X, y, seed=seed, **common)
    check_loss_did_not_explode(result.history["loss"])
    return result


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
