"""What a fit is told and what it reports: early stopping, results, divergence."""

import dataclasses
import types

from ._tf import keras

__all__ = [
    "DIVERGENCE_ADVICE",
    "EXPLOSION_FACTOR",
    "EarlyStopping",
    "FitResult",
    "TrainingDivergedError",
    "as_early_stopping",
    "check_loss_did_not_explode",
]

#: What every divergence error advises.
DIVERGENCE_ADVICE = (
    "Scale the inputs and targets (e.g. StandardScaler, "
    "TransformedTargetRegressor), lower the learning rate, or use "
    'activation="tanh".'
)
#: A final training loss this many times the first epoch's counts as diverged.
EXPLOSION_FACTOR = 10.0


class TrainingDivergedError(RuntimeError):
    """Training diverged: the loss became NaN, infinite or exploded.

    Weights and optimizer state are reset to the end of the last epoch with a
    finite loss (the initial ones if the first epoch diverged); an estimator
    whose fit raises this is left as it was before the fit.

    Parameters
    ----------
    message : str
        What happened and how to fix it.
    epoch : int
        0-based absolute index of the diverged epoch.
    result : FitResult
        The training result so far; its ``history`` is also ``self.history``.
    """

    def __init__(self, message, *, epoch, result):
        super().__init__(message)
        self.epoch = epoch
        self.result = result
        self.history = result.history


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
    """Outcome of :func:`fused_fit`.

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
        0-based absolute epoch of this call with the lowest monitored value
        (``val_loss`` if there is validation data, else ``loss``).
    """

    history: dict
    epochs_run: int
    stopped_epoch: int | None
    best_epoch: int | None


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


def check_loss_did_not_explode(losses):
    """Raise :class:`TrainingDivergedError` if the loss grew instead of shrinking.

    A run whose last training loss is :data:`EXPLOSION_FACTOR` times its first
    has diverged even if every number stayed finite (relu layers on large
    unscaled inputs do this); its model would predict garbage. Applies to
    both engines.
    """
    if len(losses) < 2 or not losses[-1] > EXPLOSION_FACTOR * losses[0]:
        return
    raise TrainingDivergedError(
        f"Training diverged: the training loss grew from {losses[0]:.4g} in the "
        f"first epoch to {losses[-1]:.4g} in the last. {DIVERGENCE_ADVICE}",
        epoch=len(losses) - 1,
        result=types.SimpleNamespace(history={"loss": list(losses)}),
    )
