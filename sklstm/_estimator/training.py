"""Training an estimator: ``fit``, ``partial_fit`` and ``initialize``.

The methods :class:`~sklstm.LSTMSeqRegressor` trains with, as a mixin: each
validates the parameters (``_fit_context`` reads the class's
``_parameter_constraints``) and hands over to the one training contract,
:mod:`sklstm._training.contract`, which sets every fitted attribute at once
or none.
"""

from sklearn.base import _fit_context

from .._training.contract import fit_estimator, initialize_estimator

__all__ = ["SequenceTraining"]


class SequenceTraining:
    """``fit``, ``partial_fit`` and ``initialize`` of a sequence estimator."""

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Build a new model (unless ``warm_start``) and train it on (X, y).

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or \
(n_samples, timesteps, features)
            Input sequences. A 2-D X is read as univariate series (one
            feature, every column a timestep).
        y : array-like of shape (n_samples,), (n_samples, n_outputs) or \
(n_samples, out_steps, out_features)
            Targets. ``predict`` returns the same shape.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; samples of weight zero are left out.

        Returns
        -------
        self : LSTMSeqRegressor
            The fitted estimator.
        """
        return fit_estimator(
            self, X, y, sample_weight, epochs=self.epochs, partial=False
        )

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train for one more epoch, keeping weights, optimizer and history.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or \
(n_samples, timesteps, features)
            Input sequences.
        y : array-like of shape (n_samples,), (n_samples, n_outputs) or \
(n_samples, out_steps, out_features)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        self : LSTMSeqRegressor
            The updated estimator.
        """
        return fit_estimator(self, X, y, sample_weight, epochs=1, partial=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def initialize(self, X, y):
        """Build and compile a new model for (X, y) without training it.

        As in SciKeras: the estimator is then fitted (``predict`` works with
        the untrained weights, ``history_`` is empty), and ``partial_fit``, or
        ``fit`` with ``warm_start=True``, trains from these weights.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or \
(n_samples, timesteps, features)
            Input sequences: their shape sets the model's input, and with
            ``standardize`` their statistics scale the inputs.
        y : array-like of shape (n_samples,), (n_samples, n_outputs) or \
(n_samples, out_steps, out_features)
            Targets: their shape sets the model's output (required, unlike
            SciKeras, because sklstm builds the output head from it).

        Returns
        -------
        self : LSTMSeqRegressor
            The estimator with a new, untrained model.

        Examples
        --------
        >>> import numpy as np
        >>> from sklstm import LSTMSeqRegressor
        >>> X, y = np.ones((4, 3, 2)), np.ones((4, 2))
        >>> est = LSTMSeqRegressor(units=4, random_state=0).initialize(X, y)
        >>> est.predict(X).shape, est.history_
        ((4, 2), {})
        """
        return initialize_estimator(self, X, y)
