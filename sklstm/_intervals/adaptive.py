"""Online updating of conformal intervals: adaptive conformal inference.

A forecaster calibrated once keeps its width while the series moves on.
:meth:`OnlineUpdateMixin.update` feeds it each newly observed target and
adapts, per output (horizon step x target feature) and confidence level,
the miscoverage it aims for, as adaptive conformal inference does (ACI,
Gibbs and Candès, NeurIPS 2021)::

    alpha <- alpha + step_size * ((1 - L) - miss)

where ``miss`` is 1 when the new target fell outside the interval the
forecaster gave at the current ``alpha``, else 0: every miss widens the next
intervals, every hit narrows them a little, so the long-run share of misses
tends to ``1 - L`` whatever the drift. The interval at ``alpha`` is the
``ceil((n + 1) * (1 - alpha))``-th smallest of the latest ``n`` conformity
scores (the new windows' scores replace the oldest, a rolling calibration),
read as the largest score when ``alpha <= 0`` and the smallest when
``alpha >= 1`` (ACI's infinite and empty intervals, kept finite).
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .methods import scores

__all__ = ["OnlineUpdateMixin", "adaptive_quantiles"]


def adaptive_quantiles(pool, alpha):
    """Per level and output, the conformal quantile of ``pool`` at ``1 - alpha``.

    Parameters
    ----------
    pool : ndarray of shape (n, n_outputs) or (n_levels, n, n_outputs)
        Conformity scores: shared by the levels ("split") or per level.
    alpha : ndarray of shape (n_levels, n_outputs)
        The miscoverage each output aims for at each level.

    Returns
    -------
    quantiles : ndarray of shape (n_levels, n_outputs)
    """
    ordered = np.sort(pool, axis=-2)
    if ordered.ndim == 2:
        ordered = np.broadcast_to(ordered, (len(alpha),) + ordered.shape)
    n = ordered.shape[1]
    ranks = np.clip(np.ceil((n + 1) * (1.0 - alpha) - 1e-9), 1, n).astype(int)
    return np.take_along_axis(ordered, ranks[:, np.newaxis, :] - 1, axis=1)[:, 0]


class OnlineUpdateMixin:
    """:meth:`update` for :class:`~sklstm.SplitConformalForecaster`."""

    def update(self, X, y):
        """Feed newly observed targets; adapt the intervals to them (ACI).

        For each window in order (oldest first): was its target inside the
        interval the forecaster gives now? Then adapt the level every output
        aims for by ``step_size`` (see :mod:`sklstm._intervals.adaptive`) and
        let its conformity score replace the oldest one. Call it in a loop
        over a held-out period with each window whose target has just been
        observed in full; :meth:`predict_interval` then gives the adapted
        intervals. The estimator is not refitted. On error nothing changes.

        Parameters
        ----------
        X : array-like of shape (n_new, ...)
            Input windows whose targets are now known, in time order.
        y : array-like of shape (n_new,) or (n_new,) + target_shape
            Their targets.

        Returns
        -------
        self : SplitConformalForecaster
            The updated forecaster.
        """
        self._validate_params()  # a step_size set since fit
        check_is_fitted(
            self,
            msg=(
                "This %(name)s is not calibrated yet, so it has no intervals "
                "to update: call fit(X, y) (or conformalize) first."
            ),
        )
        X, y = self._check_Xy(X, y)
        if y.reshape(len(y), -1).shape[1] != int(np.prod(self.target_shape_)):
            raise ValueError(
                f"y has samples of shape {y.shape[1:]}, but the forecaster "
                f"forecasts {self.target_shape_}; feed the observed targets of "
                "the windows, of the shape it was calibrated on."
            )
        y = y.reshape((len(y),) + self.target_shape_)
        y_pred = self.predict(X)
        levels = self.confidence_levels_
        new = scores(
            self.method_, self.estimator_, X, y, y_pred, levels, self._scales(X)
        )
        pool, alpha = self.conformity_scores_.copy(), self.miscoverage_.copy()
        aim = (1.0 - levels)[:, np.newaxis]
        for t in range(len(y)):
            score = new[t] if new.ndim == 2 else new[:, t]
            miss = score > adaptive_quantiles(pool, alpha)
            alpha += self.step_size * (aim - miss)
            pool = np.concatenate([pool[..., 1:, :], score[..., np.newaxis, :]], -2)
        self.conformity_scores_ = pool
        self.miscoverage_ = alpha
        quantiles = adaptive_quantiles(pool, alpha)
        self.quantiles_ = quantiles.reshape((len(levels),) + self.target_shape_)
        self.n_updates_ += len(y)
        return self
