"""SplitConformalForecaster: split-conformal intervals for multi-step forecasts."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.exceptions import NotFittedError
from sklearn.utils import get_tags, indexable
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_array, check_is_fitted

from .._data.reshape import DOC_LINK_TEMPLATE
from .._data.scoring import SequenceScoreMixin
from .adaptive import OnlineUpdateMixin
from .methods import METHODS, bounds, calibrate, for_method
from .quantiles import check_calibration_size, check_confidence_levels
from .split import calibration_split
from .spread import SCORES, floor, floored, spreads

__all__ = ["SplitConformalForecaster"]


def _rows(X, start, stop):
    """Rows ``start:stop`` of an indexable X (array, list or DataFrame)."""
    return X.iloc[start:stop] if hasattr(X, "iloc") else X[start:stop]


def _squeezed(shape):
    return tuple(d for d in shape if d != 1)


class SplitConformalForecaster(
    OnlineUpdateMixin, SequenceScoreMixin, RegressorMixin, BaseEstimator
):
    """Split-conformal prediction intervals for multi-step, multi-feature forecasts.

    Wraps any scikit-learn regressor whose ``predict`` returns forecasts of
    shape ``(n_samples, ...)`` (a :class:`LSTMSeqRegressor`, or
    ``make_pipeline(SequenceFlattener(), RidgeCV())``) and calibrates one
    interval per output, that is per horizon step and target feature: its
    half-width at confidence level ``L`` is the ``ceil((n + 1) * L)``-th
    smallest absolute residual of that output over the ``n`` calibration
    windows (the quantile at level ``ceil((n + 1) * L) / n``). MAPIE's
    ``SplitConformalRegressor`` does this for 1-D targets only; the names of
    the parameters and methods follow it.

    ``fit`` splits the windows in time order, never shuffled: the last
    ``calibration_size`` of them calibrate, ``gap`` windows before those are
    dropped, and a clone of ``estimator`` is trained on the earlier ones.
    Windows cut from one series overlap, so the last training targets are
    also calibration targets unless ``gap`` is at least the horizon
    (``n_steps_out``). The coverage holds for exchangeable windows; on a
    drifting series recalibrate on recent windows with :meth:`conformalize`.

    Read more in the :ref:`User Guide <prediction_intervals>`.

    Parameters
    ----------
    estimator : estimator object
        A regressor with ``fit`` and ``predict``; ``predict`` returns an
        array of shape ``(n_samples,) + target_shape``. With
        ``prefit=False`` it is cloned and never changed.
    confidence_level : float or array-like of float, default=0.9
        The coverage of each interval, strictly between 0 and 1, none
        repeated. The last axis of the intervals follows this order.
    calibration_size : float or int, default=0.2
        The last windows used to calibrate: a fraction of the windows
        (rounded up) if a float in (0, 1), their number if an int.
    gap : int, default=0
        Windows dropped between the training and the calibration windows.
        Pass the horizon (``n_steps_out``) for overlapping windows, so that
        no training target is also a calibration target.
    method : {"split", "cqr"}, default="split"
        "split": intervals of one calibrated half-width per output, centred
        on the point forecast (any regressor). "cqr": conformalized quantile
        regression, the estimator's own quantile forecasts of each central
        interval (levels ``(1 - L) / 2`` and ``(1 + L) / 2``) widened or
        narrowed by a calibrated amount: intervals whose width follows the
        series. ``fit`` trains the clone with ``loss="quantile"`` and those
        levels; with ``prefit=True`` the estimator must forecast them.
    prefit : bool, default=False
        If True, ``estimator`` is already fitted and is used as it is:
        :meth:`conformalize` (or :meth:`fit`, which then calibrates on all
        the windows it is given) only calibrates.
    conformity_score : {"absolute", "scaled"}, default="absolute"
        "absolute": residuals in the target's units, one width for every
        window. "scaled": residuals divided by each window's spread (the
        mean absolute step-to-step change of its input steps), and
        intervals multiplied back by the new window's spread: intervals
        that widen as a season or noise grows with the series (see
        :mod:`sklstm._intervals.spread`).
    step_size : float, default=0.05
        How fast :meth:`update` adapts the level each output aims for
        (adaptive conformal inference's gamma), in (0, 1): larger follows
        a change faster, smaller keeps steadier widths.

    Attributes
    ----------
    estimator_ : estimator object
        The fitted estimator that forecasts: a fitted clone of ``estimator``,
        or ``estimator`` itself when ``prefit=True``.
    confidence_levels_ : ndarray of shape (n_levels,)
        The confidence levels, in the order of the last axis of the
        intervals.
    conformity_scores_ : ndarray of shape (n_calibration, n_outputs)
        Absolute residuals of the calibration windows, one column per output
        (the target flattened time-major, ``y.reshape(n, -1)``); with
        ``method="cqr"``, of shape ``(n_levels, n_calibration, n_outputs)``:
        ``max(lower - y, y - upper)`` per level.
    quantiles_ : ndarray of shape (n_levels,) + target_shape
        Half-width of the interval of every output at every level; with
        ``method="cqr"``, how much both quantile bounds are widened.
    n_calibration_ : int
        Number of calibration windows.
    method_ : {"split", "cqr"}
        The method the intervals were calibrated with.
    scale_floor_ : float or None
        With ``conformity_score="scaled"``: the smallest spread a window
        counts with (a tenth of the calibration windows' median); None
        with absolute scores.
    miscoverage_ : ndarray of shape (n_levels, n_outputs)
        The miscoverage each output aims for at each level: ``1 - level``
        after calibrating, adapted by :meth:`update`.
    n_updates_ : int
        Windows fed to :meth:`update` since the last calibration.
    target_shape_ : tuple of int
        Shape of one target sample; ``predict`` returns
        ``(n_samples,) + target_shape_``.
    n_features_in_ : int
        ``n_features_in_`` of ``estimator_`` (when it has one).
    feature_names_in_ : ndarray of str
        ``feature_names_in_`` of ``estimator_`` (when it has one).

    See Also
    --------
    LSTMSeqRegressor : The LSTM forecaster to wrap.
    make_windows : Cut a series into windows, in time order.

    Notes
    -----
    For a target of shape ``(n_samples,)`` the intervals have MAPIE's shape
    ``(n_samples, 2, n_levels)``; for a multi-step target ``(n_samples,
    n_steps_out)`` they are ``(n_samples, n_steps_out, 2, n_levels)`` and for
    a multi-feature target ``(n_samples, n_steps_out, n_features, 2,
    n_levels)``: always ``y_pred.shape + (2, n_levels)``, lower bound first.

    The coverage is marginal and per output: each step and feature is
    covered at the level on its own, not all of them jointly.

    References
    ----------
    .. [1] Lei, G'Sell, Rinaldo, Tibshirani and Wasserman, "Distribution-free
       predictive inference for regression", JASA 113 (2018).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import RidgeCV
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklstm import SequenceFlattener, SplitConformalForecaster, make_windows
    >>> rng = np.random.default_rng(0)
    >>> series = np.sin(np.arange(400) / 8) + 0.1 * rng.standard_normal(400)
    >>> X, y = make_windows(series, n_steps_in=12, n_steps_out=3)
    >>> model = make_pipeline(SequenceFlattener(), RidgeCV())
    >>> cf = SplitConformalForecaster(model, confidence_level=[0.8, 0.95], gap=3)
    >>> cf = cf.fit(X[:-50], y[:-50])
    >>> y_pred, y_pis = cf.predict_interval(X[-50:])
    >>> y_pred.shape, y_pis.shape
    ((50, 3), (50, 3, 2, 2))
    >>> bool(np.all(y_pis[..., 0, 1] <= y_pis[..., 0, 0]))  # 95% holds 80%
    True
    """

    _doc_link_module = "sklstm"
    _doc_link_template = DOC_LINK_TEMPLATE
    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "confidence_level": [Interval(Real, 0, 1, closed="neither"), "array-like"],
        "calibration_size": [
            Interval(Real, 0, 1, closed="neither"),
            Interval(Integral, 1, None, closed="left"),
        ],
        "gap": [Interval(Integral, 0, None, closed="left")],
        "method": [StrOptions(set(METHODS))],
        "prefit": ["boolean"],
        "conformity_score": [StrOptions(set(SCORES))],
        "step_size": [Interval(Real, 0, 1, closed="neither")],
    }

    def __init__(
        self,
        estimator,
        *,
        confidence_level=0.9,
        calibration_size=0.2,
        gap=0,
        method="split",
        prefit=False,
        conformity_score="absolute",
        step_size=0.05,
    ):
        self.estimator = estimator
        self.confidence_level = confidence_level
        self.calibration_size = calibration_size
        self.gap = gap
        self.method = method
        self.prefit = prefit
        self.conformity_score = conformity_score
        self.step_size = step_size

    # ----------------------------------------------------------------- tags
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.three_d_array = True
        tags.target_tags.required = True
        tags.target_tags.single_output = True
        tags.target_tags.multi_output = True
        if inner.regressor_tags is not None:
            tags.regressor_tags.poor_score = inner.regressor_tags.poor_score
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "quantiles_")

    def _fitted_attribute(self, name):
        try:
            check_is_fitted(self)
        except NotFittedError as exc:
            raise AttributeError(
                f"{type(self).__name__} is not fitted yet; it has no {name}."
            ) from exc
        return getattr(self.estimator_, name)

    @property
    def n_features_in_(self):
        """``n_features_in_`` of the fitted estimator."""
        return self._fitted_attribute("n_features_in_")

    @property
    def feature_names_in_(self):
        """``feature_names_in_`` of the fitted estimator."""
        return self._fitted_attribute("feature_names_in_")

    # -------------------------------------------------------------- fitting
    @staticmethod
    def _check_Xy(X, y):
        if y is None:
            raise ValueError(
                "requires y to be passed, but the target y is None; the "
                "intervals are calibrated on targets: pass them as fit(X, y)."
            )
        X, y = indexable(X, y)
        y = check_array(
            y, ensure_2d=False, allow_nd=True, dtype=np.float64, input_name="y"
        )
        return X, y

    def _prefitted(self):
        """The user's fitted estimator (prefit=True) or ``estimator_``."""
        if self.prefit:
            check_is_fitted(
                self.estimator,
                msg=(
                    "prefit=True needs a fitted estimator, but this %(name)s is "
                    "not fitted: fit it first, or pass prefit=False so that fit "
                    "trains a clone."
                ),
            )
            return self.estimator
        check_is_fitted(
            self,
            msg=(
                "This %(name)s has no fitted estimator to conformalize: call "
                "fit(X, y) first, or fit the estimator yourself and pass "
                "prefit=True."
            ),
        )
        return self.estimator_

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Train a clone of the estimator and calibrate it, in time order.

        The first windows train, ``gap`` windows are dropped and the last
        ``calibration_size`` windows calibrate. With ``prefit=True`` nothing
        is trained and all windows calibrate, as with :meth:`conformalize`.
        On error the estimator is left as it was.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input windows, in time order, as ``estimator`` takes them.
        y : array-like of shape (n_samples,) or (n_samples,) + target_shape
            Targets of the windows (horizon steps, target features).

        Returns
        -------
        self : SplitConformalForecaster
            The fitted and calibrated forecaster.
        """
        levels = check_confidence_levels(self.confidence_level)
        X, y = self._check_Xy(X, y)
        if self.prefit:
            return self._calibrate(self._prefitted(), X, y, levels)
        n_train, n_cal = calibration_split(len(y), self.calibration_size, self.gap)
        check_calibration_size(n_cal, levels)  # before any training
        estimator = for_method(self.estimator, self.method, levels)
        estimator.fit(_rows(X, 0, n_train), y[:n_train])
        start = n_train + self.gap
        return self._calibrate(estimator, _rows(X, start, None), y[start:], levels)

    @_fit_context(prefer_skip_nested_validation=False)
    def conformalize(self, X_conformalize, y_conformalize):
        """Calibrate the fitted estimator on separate windows.

        Uses ``estimator`` itself with ``prefit=True``, else the
        ``estimator_`` trained by :meth:`fit`, which is kept: this
        recalibrates on newer windows (the scores of the previous
        calibration are replaced). On error the estimator is left as it was.

        Parameters
        ----------
        X_conformalize : array-like of shape (n_calibration, ...)
            Input windows, later in time than the training windows.
        y_conformalize : array-like of shape (n_calibration,) or \
(n_calibration,) + target_shape
            Their targets, of the shape the estimator forecasts.

        Returns
        -------
        self : SplitConformalForecaster
            The calibrated forecaster.
        """
        levels = check_confidence_levels(self.confidence_level)
        estimator = self._prefitted()
        X, y = self._check_Xy(X_conformalize, y_conformalize)
        return self._calibrate(estimator, X, y, levels)

    def _calibrate(self, estimator, X, y, levels):
        """Score ``estimator`` on (X, y); set every fitted attribute at once."""
        check_calibration_size(len(y), levels)
        y_pred = np.asarray(estimator.predict(X), dtype=np.float64)
        target_shape = y.shape[1:]
        if len(y_pred) != len(y) or _squeezed(y_pred.shape[1:]) != _squeezed(
            target_shape
        ):
            raise ValueError(
                f"the estimator forecasts samples of shape {y_pred.shape[1:]}, but "
                f"y has samples of shape {target_shape}; pass targets of the shape "
                "the estimator was fitted on (the same n_steps_out and target "
                "columns), or refit it on targets of this shape."
            )
        low, scale = None, None
        if self.conformity_score == "scaled":
            raw = spreads(estimator, X)
            low = floor(raw)
            scale = floored(raw, low)
        scores, quantiles = calibrate(
            self.method, estimator, X, y, y_pred.reshape(y.shape), levels, scale
        )
        self.estimator_ = estimator
        self.confidence_levels_ = levels
        self.conformity_scores_ = scores
        self.quantiles_ = quantiles.reshape((len(levels),) + target_shape)
        self.n_calibration_ = len(y)
        self.target_shape_ = target_shape
        self.method_ = self.method
        self.scale_floor_ = low
        self.miscoverage_ = np.broadcast_to(
            1.0 - levels[:, np.newaxis], quantiles.shape
        ).copy()
        self.n_updates_ = 0
        return self

    def _scales(self, X):
        """Each window's spread for scaled scores (None for absolute ones)."""
        if self.scale_floor_ is None:
            return None
        return floored(spreads(self.estimator_, X), self.scale_floor_)

    # ----------------------------------------------------------- predicting
    def predict(self, X):
        """Forecast the point predictions of the fitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input windows, as the estimator takes them.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) + target_shape
            Point forecasts, each of shape ``target_shape_`` (that of the
            calibration target).
        """
        check_is_fitted(self)
        y_pred = np.asarray(self.estimator_.predict(X), dtype=np.float64)
        return y_pred.reshape((len(y_pred),) + self.target_shape_)

    def predict_interval(self, X):
        """Forecast points and their conformal intervals.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Input windows, as the estimator takes them.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) + target_shape
            Point forecasts, as :meth:`predict` returns them.
        y_pis : ndarray of shape y_pred.shape + (2, n_levels)
            Lower (``[..., 0, :]``) and upper (``[..., 1, :]``) bounds, one
            pair per confidence level, in the order of
            ``confidence_levels_``. For a 1-D target this is MAPIE's
            ``(n_samples, 2, n_levels)``.
        """
        y_pred = self.predict(X)
        levels, scale = self.confidence_levels_, self._scales(X)
        return y_pred, bounds(
            self.method_, self.estimator_, X, y_pred, self.quantiles_, levels, scale
        )
