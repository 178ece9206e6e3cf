"""When a training has diverged, and the error that says so (both engines).

Two rules, applied to every fit whatever the engine:

- a loss or a weight that becomes NaN or infinite ends the training at once
  (checked in-graph by the fused engine, by ``TerminateOnNaN`` in Keras's
  loop); the weights are those of the last finite epoch;
- a loss that *explodes* while staying finite (relu layers on large
  unscaled inputs do this, and a learning rate of 10): the last training
  loss is above the first one and more than :data:`EXPLOSION_FACTOR` times
  the best one, where the best counts as at least a floor that means
  something for the data: :data:`FLOOR_FRACTION` of the *reference loss*,
  the loss of the constant forecast (each output's mean) of the training
  targets in the model's units, before the linear path takes its forecast
  off (:func:`reference_loss`); and never less than :data:`LOSS_FLOOR`.
  A last loss more than :data:`CEILING_FACTOR` times the reference (taken
  as at least :data:`LOSS_FLOOR`) has exploded too, above its first or
  not: a warm start with a learning rate of 10 can explode within its
  first epoch.

So a model whose loss stays a thousandth of what a constant forecast would
score is never called diverged: a network beside a linear path that fits
the data exactly starts from a loss of 1e-11, and a learning rate of 0.1
may move it to 1e-4, still far below any meaningful error. Nor has a long
training diverged whose loss, far below where it started, spikes a
thousandfold above its best in the last epoch (small minibatches do this;
``restore_best_weights`` then ends with the best weights anyway).
"""

import numpy as np

__all__ = [
    "CEILING_FACTOR",
    "DIVERGENCE_ADVICE",
    "EXPLOSION_FACTOR",
    "FLOOR_FRACTION",
    "LOSS_FLOOR",
    "TrainingDivergedError",
    "check_finite_history",
    "check_loss_did_not_explode",
    "non_finite_message",
    "reference_loss",
]

#: What every divergence error advises.
DIVERGENCE_ADVICE = (
    "Scale the inputs and targets (e.g. StandardScaler, "
    "TransformedTargetRegressor), lower the learning rate, or use "
    'activation="tanh".'
)
#: A last training loss above the first and this many times the best one...
EXPLOSION_FACTOR = 10.0
#: ... where a smaller best loss counts as this fraction of the reference
#: loss (the constant forecast's, :func:`reference_loss`)...
FLOOR_FRACTION = 1e-3
#: ... and never less than this absolute floor (targets that are constant
#: in the model's units have a reference loss of 0).
LOSS_FLOOR = 1e-6
#: A last loss above this many times the reference loss has exploded.
CEILING_FACTOR = 1e3


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


def reference_loss(model, y):
    """The loss of the constant forecast of ``y``: the explosion rule's scale.

    Parameters
    ----------
    model : keras.Model
        The compiled model; its ``loss`` scores the forecast, so the
        reference is in the units of ``history_``'s losses, whatever the
        loss (squared, absolute, pinball).
    y : ndarray of shape (n, out_steps, out_features)
        The training targets in the model's units (window-normalized and
        standardized), *before* the linear path's forecast is taken off.

    Returns
    -------
    loss : float
        The mean loss of forecasting every target by its output's mean over
        the samples (at every quantile level, for quantile models).
    """
    y = np.asarray(y, dtype=np.float32)
    if len(y) == 0:
        return 0.0
    forecast = y.mean(axis=0, dtype=np.float64).astype(np.float32)
    shape = (len(y), *model.output_shape[1:])
    if len(shape) > y.ndim:  # one output per quantile level
        forecast = forecast[..., np.newaxis]
    scores = model.loss(y, np.broadcast_to(forecast, shape))
    return float(np.mean(np.asarray(scores)))


def check_loss_did_not_explode(losses, result, reference=0.0):
    """Raise :class:`TrainingDivergedError` if the training loss exploded.

    Exploded: the last loss is above the first and more than
    :data:`EXPLOSION_FACTOR` times the best (lowest) one, taken as at least
    :data:`FLOOR_FRACTION` times ``reference`` and at least
    :data:`LOSS_FLOOR`; or, with a positive ``reference``, the last loss is
    more than :data:`CEILING_FACTOR` times ``reference`` (taken as at least
    :data:`LOSS_FLOOR`). ``losses`` are every epoch's from epoch 0, those of
    earlier ``partial_fit`` calls included, so that the rule also judges a
    training run one epoch per call; ``result`` is the last call's
    :class:`~sklstm._training.stopping.FitResult`, which the error carries;
    ``reference`` is the loss of the constant forecast
    (:func:`reference_loss`).
    """
    losses = np.asarray(losses, dtype=float)
    if len(losses) < 2:
        return
    floor = max(FLOOR_FRACTION * float(reference), LOSS_FLOOR)
    best, last = max(float(np.min(losses)), floor), losses[-1]
    grew = last > losses[0] and last > EXPLOSION_FACTOR * best
    ceiling = CEILING_FACTOR * max(float(reference), LOSS_FLOOR)
    if not (grew or (reference > 0 and last > ceiling)):
        return
    raise TrainingDivergedError(
        f"Training diverged: the training loss grew from {np.min(losses):.4g} "
        f"(its lowest) to {losses[-1]:.4g} in the last epoch; a constant "
        f"forecast scores {float(reference):.4g}. {DIVERGENCE_ADVICE}",
        epoch=len(losses) - 1,
        result=result,
    )
