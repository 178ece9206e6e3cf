"""Early stopping, the one home of its rules, and what a fit reports.

The rules (Keras's ``EarlyStopping`` semantics): an epoch *improves* when
its monitored loss is below the best so far by more than ``min_delta``;
training stops when ``patience`` epochs in a row have not improved (never
after the first epoch). With ``restore_best_weights`` the model ends with
the weights of the best epoch. Both engines decide with :func:`improved`
and :func:`patience_ran_out`: the fused engine in-graph, the Keras engine
through :class:`RuleCallback`, a Keras callback that calls them after every
epoch.
"""

import dataclasses

import numpy as np

from .._model.compile import many_windows
from .._utils.tf import keras

__all__ = [
    "EarlyStopping",
    "FitResult",
    "as_early_stopping",
    "best_epoch",
    "for_estimator",
    "RuleCallback",
    "improved",
    "patience_for",
    "patience_ran_out",
    "refit_epochs",
]

#: Patience of the best-only checkpoint mode: it never runs out.
NEVER = 2**31 - 1
#: ``patience="auto"``: epochs without improvement before stopping, below
#: :data:`~sklstm._model.compile.MANY_SAMPLES` windows and from there on,
#: where one epoch is hundreds of updates (measured on the M3 and Tourism
#: competitions: the same best epoch in half the epochs; see the benchmarks).
AUTO_PATIENCE = 20
AUTO_PATIENCE_MANY = 10


@dataclasses.dataclass(frozen=True)
class EarlyStopping:
    """Settings with the semantics of :class:`keras.callbacks.EarlyStopping`.

    Parameters
    ----------
    monitor : {"val_loss", "loss"}
        Quantity to minimize.
    patience : int
        Epochs without improvement after which training stops.
    min_delta : float
        Minimum decrease that counts as an improvement.
    restore_best_weights : bool
        Restore the weights of the best epoch when training ends.
    """

    monitor: str = "val_loss"
    patience: int = 0
    min_delta: float = 0.0
    restore_best_weights: bool = False


@dataclasses.dataclass
class FitResult:
    """What a fit reports, whatever the engine.

    Attributes
    ----------
    history : dict of list of float
        Per-epoch ``"loss"`` (and ``"val_loss"``), after earlier epochs of the
        ``history`` passed in.
    epochs_run : int
        Number of epochs run by this call.
    stopped_epoch : int or None
        0-based absolute epoch at which early stopping triggered.
    best_epoch : int or None
        0-based absolute epoch of this call with the best monitored value
        (``val_loss`` if there is validation data, else ``loss``), as the
        early-stopping rule judges it (with ``min_delta``); the lowest value
        without early stopping. With ``restore_best_weights`` the model
        holds this epoch's weights.
    monitor : {"loss", "val_loss"}
        The monitored history key.
    """

    history: dict
    epochs_run: int
    stopped_epoch: int | None
    best_epoch: int | None
    monitor: str = "loss"


def as_early_stopping(es):
    """Normalize a dict, Keras callback or None to :class:`EarlyStopping`."""
    if isinstance(es, dict):
        es = EarlyStopping(**es)
    elif isinstance(es, keras.callbacks.EarlyStopping):
        if es.mode == "max" or es.baseline is not None or es.start_from_epoch:
            raise ValueError("Only mode='min' or 'auto' early stopping is supported.")
        es = EarlyStopping(
            es.monitor, es.patience, abs(es.min_delta), es.restore_best_weights
        )
    elif es is not None and not isinstance(es, EarlyStopping):
        es = EarlyStopping(**dataclasses.asdict(es))
    if es is not None and es.monitor not in ("loss", "val_loss"):
        raise ValueError(f"Can only monitor 'loss' or 'val_loss', not {es.monitor!r}.")
    return es


def patience_for(patience, n_samples):
    """The patience of a fit on ``n_samples`` windows: an int as given;
    ``"auto"``: :data:`AUTO_PATIENCE`, or :data:`AUTO_PATIENCE_MANY` on at
    least :data:`~sklstm._model.compile.MANY_SAMPLES` windows."""
    if patience != "auto":
        return int(patience)
    return AUTO_PATIENCE_MANY if many_windows(n_samples) else AUTO_PATIENCE


def refit_epochs(est, n_samples, result):
    """Epochs of the refit on every window after a validated fit, or None.

    ``refit_full``: once the validation split has told how long to train,
    a new network trains on every window, the most recent ones included,
    for as many epochs as the model it replaces (the best epoch's count
    with ``restore_best_weights``, else every epoch run). ``"auto"``
    refits on :data:`~sklstm._model.compile.MANY_SAMPLES` windows or more,
    where the validation windows are the most recent steps of many series
    (measured on the M3 and Tourism competitions; see the benchmarks).
    None (no refit) without a validation split or a finite epoch.
    """
    refit = est.refit_full
    if refit == "auto":
        refit = many_windows(n_samples)
    if not refit or not est.validation_split or result.best_epoch is None:
        return None
    return result.best_epoch + 1 if est.restore_best_weights else result.epochs_run


def for_estimator(est, n_samples):
    """The early stopping an estimator's parameters ask for, or None.

    ``early_stopping=True`` monitors ``val_loss`` with a validation split,
    else ``loss``. Without early stopping but with ``restore_best_weights``
    and a validation split, training runs all epochs and ends with the
    weights of the lowest ``val_loss`` (a best-only checkpoint): early
    stopping whose patience never runs out.
    """
    if est.early_stopping:
        return EarlyStopping(
            monitor="val_loss" if est.validation_split else "loss",
            patience=patience_for(est.patience, n_samples),
            min_delta=est.min_delta,
            restore_best_weights=est.restore_best_weights,
        )
    if est.restore_best_weights and est.validation_split:
        return EarlyStopping("val_loss", NEVER, 0.0, restore_best_weights=True)
    return None


def improved(es, current, best):
    """Whether ``current`` improves on ``best`` (floats or tensors)."""
    return current + abs(es.min_delta) < best


def patience_ran_out(es, wait, epoch):
    """Whether training stops after ``wait`` epochs without improvement."""
    return (wait >= es.patience) & (epoch > 0)


class RuleCallback(keras.callbacks.Callback):
    """The rules of this module, run by Keras's loop after every epoch.

    The same decisions as the fused engine's: the first finite epoch is the
    best so far; an epoch that :func:`improved` becomes the best (its
    weights kept with ``restore_best_weights``); otherwise the wait grows
    and training stops when :func:`patience_ran_out`. When training ends,
    the best weights are restored (also without a stop: the best-only
    checkpoint). ``best_epoch`` and ``stopped_epoch`` (None if it ran all
    its epochs) are absolute epoch indices.

    Parameters
    ----------
    es : EarlyStopping
        The settings.
    """

    def __init__(self, es):
        super().__init__()
        self.es = es
        self.best = self.best_epoch = self.stopped_epoch = self._weights = None
        self.wait = 0

    def on_epoch_end(self, epoch, logs=None):
        current = (logs or {}).get(self.es.monitor)
        if current is None or not np.isfinite(current):
            return  # a diverged epoch: the divergence rule ends the fit
        if self.best is None or improved(self.es, current, self.best):
            self.best, self.best_epoch, self.wait = float(current), epoch, 0
            if self.es.restore_best_weights:
                self._weights = self.model.get_weights()
            return
        self.wait += 1
        if patience_ran_out(self.es, self.wait, epoch):
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self._weights is not None:
            self.model.set_weights(self._weights)


def best_epoch(values, initial_epoch=0):
    """Absolute index of the lowest finite value, or None if there is none."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    if not finite.any():
        return None
    return initial_epoch + int(np.argmin(np.where(finite, values, np.inf)))
