"""The R² of sequence targets: the one ``score`` of every sklstm estimator."""

import numpy as np
from sklearn.metrics import r2_score

__all__ = ["SequenceScoreMixin", "sequence_r2"]


def sequence_r2(y, y_pred, sample_weight=None):
    """R² of ``y_pred`` against ``y``, multi-step targets flattened.

    Targets of more than two dimensions are flattened to ``(n_samples, -1)``
    and the R² of every output is averaged uniformly, as
    :func:`sklearn.metrics.r2_score` does for 2-D targets.
    """
    y = np.asarray(y)
    if y.ndim > 2:
        y, y_pred = y.reshape(len(y), -1), np.reshape(y_pred, (len(y_pred), -1))
    return r2_score(y, y_pred, sample_weight=sample_weight)


class SequenceScoreMixin:
    """``score``: the R² of ``predict`` on sequence targets of any shape."""

    def score(self, X, y, sample_weight=None):
        """Return the coefficient of determination R² of the prediction.

        Multi-step targets are flattened to ``(n_samples, -1)`` and the R² of
        every output is averaged uniformly.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Test sequences, as ``fit`` took them.
        y : array-like
            True targets, shaped like those given to ``fit``.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        Returns
        -------
        score : float
            R² of ``self.predict(X)`` against ``y``.
        """
        return sequence_r2(y, self.predict(X), sample_weight=sample_weight)
