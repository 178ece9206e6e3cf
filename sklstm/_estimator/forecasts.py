"""Forecasting with a fitted estimator: points, quantiles and their score.

The methods :class:`~sklstm.LSTMSeqRegressor` forecasts with, as a mixin
that reads only fitted attributes: inputs mapped into the model's units
(:mod:`sklstm._data.units`), the cached forward pass
(:mod:`sklstm._model.predict`) and its outputs mapped back.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .._data.scoring import SequenceScoreMixin
from .._data.units import from_model_units, inputs_to_model_units
from .._model.predict import predict_function
from .._model.quantiles import quantile_positions

__all__ = ["SequenceForecasts"]


class SequenceForecasts(SequenceScoreMixin):
    """``predict``, ``predict_quantiles`` and ``score`` of a fitted estimator."""

    def predict(self, X):
        """Predict targets for the sequences X.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or \
(n_samples, timesteps, features)
            Input sequences, shaped like those given to ``fit``.

        Returns
        -------
        y_pred : ndarray
            Predictions, of shape ``(n_samples,) + target_shape_``: the shape
            of the target given to ``fit``.
        """
        y_pred = self._forecast(X)
        if self.quantiles_ is not None:  # the median
            y_pred = y_pred[..., list(self.quantiles_).index(0.5)]
        return y_pred

    def predict_quantiles(self, X, quantiles=None):
        """Predict quantiles of the targets, for a model fitted with them.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or \
(n_samples, timesteps, features)
            Input sequences, shaped like those given to ``fit``.
        quantiles : array-like of float, default=None
            Levels among ``quantiles_``, in any order; None means all.

        Returns
        -------
        y_quantiles : ndarray of shape (n_samples, ..., n_levels)
            Of shape ``(n_samples,) + target_shape_ + (n_levels,)``: one
            forecast per level along the last axis, in the order asked;
            increasing in the level.

        Examples
        --------
        >>> import numpy as np
        >>> from sklstm import LSTMSeqRegressor
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(40, 3, 1))
        >>> y = X[:, -1, 0] + rng.normal(size=40)
        >>> est = LSTMSeqRegressor(loss="quantile", quantiles=[0.1, 0.9],
        ...                        epochs=2, random_state=0).fit(X, y)
        >>> q = est.predict_quantiles(X[:5])
        >>> q.shape, bool(np.all(np.diff(q, axis=-1) >= 0))
        ((5, 3), True)
        """
        check_is_fitted(self)
        if self.quantiles_ is None:
            raise ValueError(
                f"this {type(self).__name__} forecasts points (loss="
                f"{self.loss!r}); refit with loss='quantile' and quantiles=[...] "
                "to predict quantiles."
            )
        index = quantile_positions(self.quantiles_, quantiles)
        return self._forecast(X)[..., index]

    def _forecast(self, X):
        """The forecasts of X in the target's shape (and one per level)."""
        check_is_fitted(self)
        X, context = inputs_to_model_units(self, X)
        y_pred = from_model_units(self, predict_function(self.model_)(X), context)
        if not np.all(np.isfinite(y_pred)):
            raise ValueError(
                "the model predicts NaN or inf for this X: its weights or the "
                "inputs are out of range. Scale X (StandardScaler) and refit with "
                "a lower learning_rate."
            )
        levels = () if self.quantiles_ is None else (len(self.quantiles_),)
        shape = (len(X), *self.target_shape_, *levels)
        return y_pred.reshape(shape).astype(np.float64, copy=False)
