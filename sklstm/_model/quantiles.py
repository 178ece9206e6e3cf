"""Quantile forecasts: the levels, the pinball loss and the non-crossing head.

With ``loss="quantile"`` the network predicts every requested quantile level
of every target value at once (one output per level), trained with the mean
pinball loss of all levels (Koenker and Bassett, 1978), the loss of
scikit-learn's ``QuantileRegressor`` and ``mean_pinball_loss``.

Quantiles never cross by construction: the head's raw outputs ``r`` become
``q[m] = r[m]`` at the median and, away from it, ``q[j] = q[j-1] +
softplus(r[j])`` upwards and ``q[j] = q[j+1] - softplus(r[j])`` downwards.
Every map back into the user's units (adding the linear forecast and the
window's level, undoing the standardization with a positive scale) keeps
that order.

The median (0.5) is always trained, so that ``predict`` returns it; the
layer and the loss are registered Keras objects, so a saved model loads in
Keras's safe mode.
"""

from numbers import Real

import numpy as np

from .._utils.tf import keras

__all__ = [
    "NonCrossingQuantiles",
    "PinballLoss",
    "quantile_levels",
    "quantile_positions",
]

#: The levels ``quantiles=None`` means: the median and the 80% interval.
DEFAULT_QUANTILES = (0.1, 0.5, 0.9)


def quantile_levels(loss, quantiles):
    """The quantile levels a fit trains, or None for a point loss.

    Parameters
    ----------
    loss : str or keras.losses.Loss
        The estimator's ``loss``; only ``"quantile"`` trains quantiles.
    quantiles : array-like of float or None
        The requested levels: strictly increasing, each in (0, 1). None
        means ``(0.1, 0.5, 0.9)``. The median is added when missing.

    Returns
    -------
    levels : tuple of float or None
        The levels, increasing, 0.5 among them.

    Examples
    --------
    >>> quantile_levels("quantile", [0.05, 0.95])
    (0.05, 0.5, 0.95)
    >>> quantile_levels("mse", None) is None
    True
    """
    if not (isinstance(loss, str) and loss == "quantile"):
        if quantiles is not None:
            raise ValueError(
                f"quantiles={quantiles!r} is used only with loss='quantile'; "
                "set loss='quantile' to train quantile forecasts, or "
                "quantiles=None."
            )
        return None
    if quantiles is None:
        return DEFAULT_QUANTILES
    scalar = isinstance(quantiles, Real)
    levels = np.atleast_1d(np.asarray(quantiles, dtype=np.float64))
    if levels.ndim != 1 or levels.size == 0:
        raise ValueError(
            f"quantiles must be a non-empty list of levels, got {quantiles!r}; "
            "pass e.g. [0.1, 0.5, 0.9]."
        )
    outside = [float(q) for q in levels if not 0.0 < q < 1.0]
    if outside:
        raise ValueError(
            f"quantiles must lie strictly between 0 and 1, got {outside}; pass "
            "levels such as 0.05 and 0.95 (the 5% and 95% quantiles)."
        )
    if not scalar and np.any(np.diff(levels) <= 0):
        raise ValueError(
            f"quantiles must be strictly increasing (each level once), got "
            f"{levels.tolist()}; pass {sorted(set(levels.tolist()))}."
        )
    return tuple(sorted({*levels.tolist(), 0.5}))


def quantile_positions(fitted, quantiles):
    """Positions of the levels ``quantiles`` (None: all) among ``fitted``.

    Examples
    --------
    >>> quantile_positions([0.1, 0.5, 0.9], [0.9, 0.1])
    [2, 0]
    """
    fitted = [float(q) for q in fitted]
    if quantiles is None:
        return list(range(len(fitted)))
    asked = np.atleast_1d(np.asarray(quantiles, dtype=np.float64))
    missing = [float(q) for q in asked.ravel() if not np.isclose(fitted, q).any()]
    if asked.ndim != 1 or asked.size == 0 or missing:
        raise ValueError(
            f"quantiles={asked.tolist()} asks for levels the model was not "
            f"fitted for ({missing}); it forecasts {fitted}. Ask for some of those, or "
            "refit with quantiles including the levels you need."
        )
    return [int(np.argmin(np.abs(np.subtract(fitted, q)))) for q in asked]


@keras.saving.register_keras_serializable(package="sklstm")
class NonCrossingQuantiles(keras.layers.Layer):
    """Turn raw outputs ``(..., n_levels)`` into increasing quantiles.

    Parameters
    ----------
    median_index : int
        Position of the median among the levels: its output is kept as it
        is; the others are the median plus or minus cumulative softplus
        increments.
    """

    def __init__(self, median_index, **kwargs):
        super().__init__(**kwargs)
        self.median_index = int(median_index)

    def call(self, raw):
        ops, m = keras.ops, self.median_index
        base = raw[..., m : m + 1]
        step = ops.softplus(raw)
        up = base + ops.cumsum(step[..., m + 1 :], axis=-1)
        down = base - ops.flip(ops.cumsum(ops.flip(step[..., :m], -1), -1), -1)
        return ops.concatenate([down, base, up], axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "median_index": self.median_index}


@keras.saving.register_keras_serializable(package="sklstm")
class PinballLoss(keras.losses.Loss):
    """Mean pinball loss of every quantile level.

    ``y_true`` has the model's output shape without the last axis of
    ``y_pred``, which holds one prediction per level.

    Parameters
    ----------
    quantiles : sequence of float
        The levels, in the order of ``y_pred``'s last axis.
    """

    def __init__(self, quantiles, name="pinball", **kwargs):
        super().__init__(name=name, **kwargs)
        self.quantiles = tuple(float(q) for q in quantiles)

    def call(self, y_true, y_pred):
        ops = keras.ops
        y_true = ops.cast(y_true, y_pred.dtype)
        if len(y_true.shape) < len(y_pred.shape):
            y_true = ops.expand_dims(y_true, -1)
        q = ops.convert_to_tensor(self.quantiles, dtype=y_pred.dtype)
        err = y_true - y_pred
        loss = ops.maximum(q * err, (q - 1.0) * err)
        # Averaged over levels and features: per sample and output step, as
        # Keras's mean squared error is.
        return ops.mean(loss, axis=(-2, -1))

    def get_config(self):
        return {**super().get_config(), "quantiles": list(self.quantiles)}
