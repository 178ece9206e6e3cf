"""When a training has diverged, and the error that says so (both engines).

Two rules, applied to every fit whatever the engine:

- a loss or a weight that becomes NaN or infinite ends the training at once
  (checked in-graph by the fused engine, by ``TerminateOnNaN`` in Keras's
  loop); the weights are those of the last finite epoch;
- a loss that *explodes* while staying finite (relu layers on large
  unscaled inputs do this): the last training loss is above the first one
  and more than :data:`EXPLOSION_FACTOR` times the best one, where a best
  loss below :data:`LOSS_FLOOR` counts as the floor. So a converged model
  whose loss wobbles from 1e-11 to 2e-10 has not diverged, and neither has
  a long training whose loss, far below where it started, spikes a
  thousandfold above its best in the last epoch (small minibatches do this;
  ``restore_best_weights`` then ends with the best weights anyway).
"""

import numpy as np

__all__ = [
    "DIVERGENCE_ADVICE",
    "EXPLOSION_FACTOR",
    "LOSS_FLOOR",
    "TrainingDivergedError",
    "check_finite_history",
    "check_loss_did_not_explode",
    "non_finite_message",
]

#: What every divergence error advises.
DIVERGENCE_ADVICE = (
    "Scale the inputs and targets (e.g. StandardScaler, "
    "TransformedTargetRegressor), lower the learning rate, or use "
    'activation="tanh".'
)
#: A last training loss above the first and this many times the best one...
EXPLOSION_FACTOR = 10.0
#: ... where a smaller best loss counts as this absolute floor.
LOSS_FLOOR = 1e-6


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


def non_finite_message(epoch, epochs, loss):
    """The message for a loss or weights that became NaN or infinite."""
    return (
        f"Training diverged at epoch {epoch + 1}/{epochs}: the loss (now "
        f"{loss:.4g}) or the weights became NaN or infinite; the weights were "
        f"reset to the end of the last finite epoch. {DIVERGENCE_ADVICE}"
    )


def check_finite_history(result, epochs, initial_epoch):
    """Raise :class:`TrainingDivergedError` if a loss of this call is NaN or inf.

    ``result`` is the call's :class:`~sklstm._training.stopping.FitResult`;
    its last ``epochs_run`` losses are this call's, the first of them epoch
    ``initial_epoch``. The error's ``epoch`` is absolute, as the fused
    engine reports it.
    """
    losses = np.asarray(result.history.get("loss", []), dtype=float)
    losses = losses[len(losses) - result.epochs_run :]
    bad = np.flatnonzero(~np.isfinite(losses))
    if bad.size:
        epoch = int(initial_epoch) + int(bad[0])
        raise TrainingDivergedError(
            non_finite_message(epoch, epochs, losses[bad[0]]),
            epoch=epoch,
            result=result,
        )


def check_loss_did_not_explode(losses, result):
    """Raise :class:`TrainingDivergedError` if the training loss exploded.

    Exploded: the last loss is above the first and more than
    :data:`EXPLOSION_FACTOR` times the best (lowest) one, taken as at least
    :data:`LOSS_FLOOR`. ``losses`` are every epoch's from epoch 0, those of
    earlier ``partial_fit`` calls included, so that the rule also judges a
    training run one epoch per call; ``result`` is the last call's
    :class:`~sklstm._training.stopping.FitResult`, which the error carries.
    """
    losses = np.asarray(losses, dtype=float)
    if len(losses) < 2:
        return
    best, last = max(float(np.min(losses)), LOSS_FLOOR), losses[-1]
    if not (last > losses[0] and last > EXPLOSION_FACTOR * best):
        return
    raise TrainingDivergedError(
        f"Training diverged: the training loss grew from {np.min(losses):.4g} "
        f"(its lowest) to {losses[-1]:.4g} in the last epoch. {DIVERGENCE_ADVICE}",
        epoch=len(losses) - 1,
        result=result,
    )
