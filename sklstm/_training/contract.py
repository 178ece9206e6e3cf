"""Running a fit: engine choice, the training contract, all-or-nothing updates.

:func:`fit_estimator` and :func:`initialize_estimator` are the bodies of
``LSTMSeqRegressor.fit``/``partial_fit`` and ``initialize``: data mapped into
the model's units (:mod:`sklstm._data.units`), a new or continued model, training,
and the fitted attributes, set together or not at all.

The functions take the estimator as their first argument and read its
parameters; they hold no state of their own.
"""

import contextlib

import numpy as np

from .._data.units import prepare_fit
from .._model.compile import (
    batch_size_for,
    build_compiled_model,
    network_params,
    warm_start_model,
)
from .._model.graph_cache import graph_key
from .._utils.seeds import fit_seeds
from .divergence import check_loss_did_not_explode, reference_loss
from .engine import fused_fit
from .keras_loop import keras_fit
from .stopping import for_estimator, refit_epochs

__all__ = [
    "engine_name",
    "fit_estimator",
    "initialize_estimator",
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


def train(est, model, X, y, w, epochs, seed, initial_epoch, batch_size, validate=True):
    """Train ``model`` in place for ``epochs`` epochs with ``est``'s engine.

    The one training contract: both engines get the same arguments (epoch
    indices are absolute, as in Keras: epochs ``initial_epoch`` to
    ``initial_epoch + epochs - 1`` are run), apply the same early-stopping
    and NaN rules (:mod:`sklstm._training.stopping`,
    :mod:`sklstm._training.divergence`) and return the same
    :class:`~sklstm._training.stopping.FitResult`, whose ``history`` holds
    only the epochs of this call. The explosion rule judges the whole
    history, earlier ``partial_fit`` calls included
    (:func:`fit_estimator`). ``batch_size`` is the fit's resolved one
    (``batch_size_``, :func:`~sklstm._model.compile.batch_size_for`).
    ``validate=False`` trains on every sample, without validation split or
    early stopping (the refit of ``refit_full``).
    """
    common = dict(
        sample_weight=w,
        epochs=initial_epoch + epochs,
        batch_size=batch_size,
        validation_split=est.validation_split if validate else 0.0,
        shuffle=est.shuffle,
        early_stopping=for_estimator(est, len(X)) if validate else None,
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


def _set_fitted(est, model, history, state, result=None):
    """Set every fitted attribute of ``est`` at once."""
    est.model_ = model
    est._network_params = network_params(est)  # for warm starts
    levels = est._network_params["quantiles"]
    est.quantiles_ = None if levels is None else np.asarray(levels)
    est.history_ = history
    est.n_iter_ = len(history.get("loss", []))
    best = None if result is None else result.best_epoch
    est.best_epoch_ = best
    # As MLPRegressor's: the training loss (at the best epoch; the lowest
    # without a validation split); the validation loss has its own attribute.
    est.best_loss_ = None if best is None else history["loss"][best]
    val = history.get("val_loss")
    est.best_validation_loss_ = None if best is None or not val else val[best]
    est.stopped_epoch_ = None if result is None else result.stopped_epoch
    vars(est).update(state)


def fit_estimator(est, X, y, sample_weight, *, epochs, partial):
    """Fit ``est``: a new model, or a continuation (warm start, partial fit)."""
    reuse = (partial or est.warm_start) and hasattr(est, "model_")
    with transaction(est, reuse):
        X, y3, w, state, targets = prepare_fit(est, X, y, sample_weight, reuse=reuse)
        state["batch_size_"] = batch_size_for(est.batch_size, len(X))
        build_seed, shuffle_seed = fit_seeds(est.random_state)
        if reuse:
            fitted = getattr(est, "_network_params", None)
            model = warm_start_model(est, est.model_, fitted, X.shape[1:])
            initial_epoch = len(est.history_.get("loss", [])) if partial else 0
        else:
            model = build_compiled_model(
                est, X.shape[1:], y3.shape[1:], build_seed, n_samples=len(X)
            )
            initial_epoch = 0
        result = train(
            est, model, X, y3, w, epochs, shuffle_seed, initial_epoch,
            state["batch_size_"],
        )  # fmt: skip
        history = result.history
        if partial and reuse:
            history = {k: est.history_.get(k, []) + v for k, v in history.items()}
        reference = reference_loss(model, targets)
        check_loss_did_not_explode(history["loss"], result, reference)
        refit = None if partial or reuse else refit_epochs(est, len(X), result)
        if refit is not None:  # a new network on every window, as long
            model = build_compiled_model(
                est, X.shape[1:], y3.shape[1:], build_seed, n_samples=len(X)
            )
            final = train(
                est, model, X, y3, w, refit, shuffle_seed, 0,
                state["batch_size_"], validate=False,
            )  # fmt: skip
            check_loss_did_not_explode(final.history["loss"], final, reference)
        state["refit_epochs_"] = refit
        _set_fitted(est, model, history, state, result)
    return est


def initialize_estimator(est, X, y):
    """Give ``est`` a new, compiled, untrained model for (X, y)."""
    with transaction(est, False):
        X, y3, _, state, _ = prepare_fit(est, X, y, None, reuse=False, split=False)
        state["batch_size_"] = batch_size_for(est.batch_size, len(X))
        build_seed = fit_seeds(est.random_state)[0]  # the seed fit would build with
        model = build_compiled_model(est, X.shape[1:], y3.shape[1:], build_seed)
        state["refit_epochs_"] = None
        _set_fitted(est, model, {}, state)
    return est
