"""The R² of sequence targets, shared by every estimator's ``score``."""

import numpy as np
from sklearn.metrics import r2_score

__all__ = ["sequence_r2"]


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
