"""Plotting Display in scikit-learn style: multi-step forecasts vs the truth.

matplotlib is imported only inside ``plot``, so importing this module is cheap.
"""

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils._optional_dependencies import check_matplotlib_support

from .plot_utils import _check_int, _finish

__all__ = ["ForecastDisplay"]


def _as_3d(a, name):
    a = np.asarray(a, dtype=float)
    if a.ndim not in (1, 2, 3) or len(a) == 0:
        raise ValueError(f"{name} must be non-empty 1-D, 2-D or 3-D; got {a.shape}.")
    return a.reshape(a.shape + (1,) * (3 - a.ndim))


class ForecastDisplay:
    """Multi-step forecasts against the truth for a few samples.

    Build it with :meth:`from_estimator` or :meth:`from_predictions`. On the
    time axis the input window sits at ``t = -timesteps+1 .. 0`` and the
    forecast at ``t = 1 .. out_steps``; the truth is drawn solid with circle
    markers, the prediction dashed with crosses, one color per sample, and
    prediction intervals, when given, as shaded bands (the wider the
    interval, the lighter its band). All parameters are stored as
    attributes.

    Parameters
    ----------
    y_true : ndarray of shape (n_shown, out_steps)
        True values of the plotted output feature, one row per sample.
    y_pred : ndarray of shape (n_shown, out_steps)
        Predicted values, likewise.
    X : ndarray of shape (n_shown, timesteps), default=None
        Input windows of the shown samples (one feature); None draws none.
    sample_indices : array-like of int, default=None
        Sample numbers used in the labels; None means ``0 .. n_shown-1``.
    estimator_name : str, default=None
        Used as the axes title when given.
    y_pis : ndarray of shape (n_shown, out_steps, 2, n_levels), default=None
        Lower (``[..., 0, :]``) and upper bounds of the prediction intervals,
        as :meth:`SplitConformalForecaster.predict_interval` returns them.
    confidence_levels : array-like of shape (n_levels,), default=None
        The level of each interval, for the legend.

    Attributes
    ----------
    lines_ : dict of str to list of matplotlib Line2D
        ``"true"``, ``"pred"`` and ``"input"`` lines, one per sample
        (``"input"`` is empty when no input is drawn).
    bands_ : list of matplotlib PolyCollection
        One band per sample and interval (empty without ``y_pis``).
    ax_ : matplotlib Axes
        Axes with the lines.
    figure_ : matplotlib Figure
        Figure containing the lines.

    See Also
    --------
    HistoryDisplay : Training loss per epoch.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklstm import ForecastDisplay
    >>> y_true = np.arange(12.0).reshape(4, 3)
    >>> disp = ForecastDisplay.from_predictions(y_true, y_true + 0.5, n_samples=2)
    >>> len(disp.lines_["true"]), disp.lines_["pred"][0].get_xdata().tolist()
    (2, [1, 2, 3])
    """

    def __init__(
        self,
        *,
        y_true,
        y_pred,
        X=None,
        sample_indices=None,
        estimator_name=None,
        y_pis=None,
        confidence_levels=None,
    ):
        self.y_true = y_true
        self.y_pred = y_pred
        self.X = X
        self.sample_indices = sample_indices
        self.estimator_name = estimator_name
        self.y_pis = y_pis
        self.confidence_levels = confidence_levels

    def plot(self, ax=None, *, show_input=True):
        """Plot the forecasts.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to plot on; None creates a new figure and axes.
        show_input : bool, default=True
            Draw the input windows (when ``X`` is set) before the forecasts.

        Returns
        -------
        display : ForecastDisplay
            The display, with its artists stored as attributes.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        y_true = np.atleast_2d(np.asarray(self.y_true, dtype=float))
        y_pred = np.atleast_2d(np.asarray(self.y_pred, dtype=float))
        if y_true.ndim != 2 or y_true.shape != y_pred.shape:
            raise ValueError(
                "y_true and y_pred must both have shape (n_shown, out_steps); "
                f"got {y_true.shape} and {y_pred.shape}."
            )
        X = None if self.X is None or not show_input else np.asarray(self.X, float)
        if X is not None and (X.ndim != 2 or len(X) != len(y_true)):
            raise ValueError(f"X must have shape ({len(y_true)}, timesteps).")
        pis = None if self.y_pis is None else np.asarray(self.y_pis, dtype=float)
        if pis is not None and (pis.ndim != 4 or pis.shape[:3] != (*y_true.shape, 2)):
            raise ValueError(
                f"y_pis must have shape {(*y_true.shape, 2)} + (n_levels,), the "
                f"bounds of every forecast; got {pis.shape}."
            )
        levels = self.confidence_levels
        if pis is not None:
            n_levels = pis.shape[-1]
            levels = [None] * n_levels if levels is None else np.ravel(levels)
            if len(levels) != n_levels:
                raise ValueError(
                    f"confidence_levels has {len(levels)} levels but y_pis has "
                    f"bounds for {n_levels}; pass one level per interval."
                )
        idx = self.sample_indices
        idx = np.arange(len(y_true)) if idx is None else np.ravel(idx)
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        steps = np.arange(1, y_true.shape[1] + 1)
        lines = self.lines_ = {"true": [], "pred": [], "input": []}
        self.bands_ = []
        for i, s in enumerate(idx):
            kw = {"color": f"C{i % 10}"}  # one color per sample
            if pis is not None:  # widest first, lightest
                widths = (pis[i, :, 1] - pis[i, :, 0]).mean(axis=0)
                for rank, j in enumerate(np.argsort(-widths)):
                    level = levels[j]
                    name = "interval" if level is None else f"{float(level):.0%}"
                    self.bands_.append(
                        ax.fill_between(
                            steps,
                            pis[i, :, 0, j],
                            pis[i, :, 1, j],
                            alpha=0.12 + 0.12 * rank,
                            linewidth=0,
                            label=f"{name} #{s}",
                            **kw,
                        )
                    )
            if X is not None:
                t_in = np.arange(-X.shape[1] + 1, 1)
                lines["input"] += ax.plot(
                    t_in, X[i], alpha=0.6, label=f"input #{s}", **kw
                )
            lines["true"] += ax.plot(steps, y_true[i], "o-", label=f"true #{s}", **kw)
            lines["pred"] += ax.plot(steps, y_pred[i], "x--", label=f"pred #{s}", **kw)
        handles = [line for pair in zip(lines["true"], lines["pred"]) for line in pair]
        handles += self.bands_
        xlabel = "time step (0: last input)" if X is not None else "output step"
        ax.set(xlabel=xlabel, ylabel="value")
        return _finish(self, ax, self.estimator_name, handles=handles, fontsize="small")

    @classmethod
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        n_samples=3,
        sample_indices=None,
        feature=0,
        ax=None,
        show_input=True,
    ):
        """Plot the estimator's forecasts for a few samples of (X, y).

        Parameters
        ----------
        estimator : estimator
            Fitted sequence regressor (or Pipeline) with ``predict``.
        X : array-like of shape (n, timesteps) or (n, timesteps, features)
            Input sequences.
        y : array-like of shape (n,), (n, out_steps) or (n, out_steps, out_features)
            True targets.
        n_samples : int, default=3
            Number of samples shown, spread evenly over the data.
        sample_indices : array-like of int, default=None
            The samples to show; overrides ``n_samples``.
        feature : int, default=0
            Output feature to plot (and input feature, if X has that many).
        ax : matplotlib Axes, default=None
            Axes to plot on; None creates a new figure and axes.
        show_input : bool, default=True
            Draw the input window before each forecast.

        Returns
        -------
        display : ForecastDisplay
            The plotted display.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        y, y_pis, levels = np.asarray(y), None, None
        if hasattr(estimator, "predict_interval"):  # a conformal forecaster
            y_pred, y_pis = estimator.predict_interval(X)
            levels = estimator.confidence_levels_
            final = estimator.estimator_
        else:
            y_pred = np.asarray(estimator.predict(X))
            final = estimator
        final = final[-1] if isinstance(final, Pipeline) else final
        out = getattr(final, "output_shape_", (0, 1))
        if show_input and getattr(final, "future_features_", None) is not None:
            X = np.asarray(X)[:, : -out[0]]  # the input steps, not the horizon's
        if y_pred.ndim == 2 and out[1] > 1 and y.shape == y_pred.shape:
            # 2-D targets with several features per step are time-major.
            y_pred, y = y_pred.reshape((-1, *out)), y.reshape((-1, *out))
            if y_pis is not None:
                y_pis = y_pis.reshape((-1, *out, *y_pis.shape[-2:]))
        display = cls._from_arrays(
            y,
            y_pred,
            X if show_input else None,
            n_samples,
            sample_indices,
            feature,
            y_pis,
        )
        display.estimator_name = type(final).__name__
        display.confidence_levels = levels
        return display.plot(ax=ax)

    @classmethod
    def from_predictions(
        cls,
        y_true,
        y_pred,
        *,
        X=None,
        n_samples=3,
        sample_indices=None,
        feature=0,
        ax=None,
        y_pis=None,
        confidence_levels=None,
    ):
        """Plot given forecasts against the truth for a few samples.

        Parameters
        ----------
        y_true : array-like of shape (n,), (n, out_steps) or \
(n, out_steps, out_features)
            True targets.
        y_pred : array-like of the same shape as y_true
            Predicted targets.
        X : array-like of shape (n, timesteps) or (n, timesteps, features), \
default=None
            Input sequences, drawn before the forecasts when given.
        n_samples : int, default=3
            Number of samples shown, spread evenly over the data.
        sample_indices : array-like of int, default=None
            The samples to show; overrides ``n_samples``.
        feature : int, default=0
            Output feature to plot (and input feature, if X has that many).
        ax : matplotlib Axes, default=None
            Axes to plot on; None creates a new figure and axes.
        y_pis : array-like of shape y_pred.shape + (2, n_levels), default=None
            Prediction intervals, lower bound first, drawn as bands.
        confidence_levels : array-like of shape (n_levels,), default=None
            The level of each interval, for the legend.

        Returns
        -------
        display : ForecastDisplay
            The plotted display.
        """
        check_matplotlib_support(f"{cls.__name__}.from_predictions")
        display = cls._from_arrays(
            y_true, y_pred, X, n_samples, sample_indices, feature, y_pis
        )
        display.confidence_levels = confidence_levels
        return display.plot(ax=ax)

    @classmethod
    def _from_arrays(
        cls, y_true, y_pred, X, n_samples, sample_indices, feature, y_pis=None
    ):
        """Validate the arrays, pick samples and feature; return the display."""
        if np.shape(y_true) != np.shape(y_pred):
            raise ValueError(
                "y_true and y_pred must have the same shape; got "
                f"{np.shape(y_true)} and {np.shape(y_pred)}."
            )
        pis = None
        if y_pis is not None:
            pis = np.asarray(y_pis, dtype=float)
            if pis.ndim < 2 or pis.shape[:-2] != np.shape(y_pred) or pis.shape[-2] != 2:
                raise ValueError(
                    f"y_pis must have shape {np.shape(y_pred)} + (2, n_levels), "
                    f"as predict_interval returns it; got {pis.shape}."
                )
            pis = pis.reshape(_as_3d(y_pred, "y_pred").shape + pis.shape[-2:])
        yt, yp = _as_3d(y_true, "y_true"), _as_3d(y_pred, "y_pred")
        n, n_out = yt.shape[0], yt.shape[2]
        hint = f" (y has {n_out} output feature{'s' * (n_out > 1)})"
        feature = _check_int(feature, "feature", 0, n_out - 1, hint)
        if sample_indices is None:
            k = min(_check_int(n_samples, "n_samples", 1), n)
            idx = np.linspace(0, n - 1, k).round().astype(int)
        else:
            idx = np.asarray(sample_indices).ravel()
            if not (idx.size and np.issubdtype(idx.dtype, np.integer)):
                raise ValueError("sample_indices must be a non-empty list of ints.")
            if idx.min() < 0 or idx.max() >= n:
                raise ValueError(
                    f"sample_indices {idx.tolist()} out of range: there are {n} "
                    f"samples (0..{n - 1})."
                )
        x = None
        if X is not None:
            X = np.asarray(X, dtype=float)
            if X.ndim not in (2, 3) or len(X) != n:
                raise ValueError(
                    f"X must have shape ({n}, timesteps) or ({n}, timesteps, "
                    f"features), like y; got {X.shape}."
                )
            X = X.reshape(X.shape + (1,) * (3 - X.ndim))
            x = X[idx, :, feature if X.shape[2] > feature else 0]
        yt, yp = yt[idx, :, feature], yp[idx, :, feature]
        pis = None if pis is None else pis[idx, :, feature]
        return cls(y_true=yt, y_pred=yp, X=x, sample_indices=idx, y_pis=pis)
