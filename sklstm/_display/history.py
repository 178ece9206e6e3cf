"""Plotting Display in scikit-learn style: the training history.

matplotlib is imported only inside ``plot``, so importing this module is cheap.
"""

from collections.abc import Mapping

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils._optional_dependencies import check_matplotlib_support
from sklearn.utils.validation import check_is_fitted

from .plot_utils import _check_int, _finish

__all__ = ["HistoryDisplay"]


def _check_history(history):
    """Return ``{"loss": array[, "val_loss": array]}`` from a history mapping."""
    if not isinstance(history, Mapping) and isinstance(
        getattr(history, "history", None), Mapping
    ):
        history = history.history  # a keras.callbacks.History
    if not isinstance(history, Mapping) or "loss" not in history:
        raise ValueError(
            "history must be a dict with a 'loss' list (and optionally "
            f"'val_loss'), one value per epoch; got {type(history).__name__}."
        )
    curves = {}
    for key in ("loss", "val_loss"):
        if key in history:
            values = np.asarray(history[key], dtype=float)
            if values.ndim != 1 or values.size == 0:
                raise ValueError(f"history[{key!r}] must be a non-empty 1-D list.")
            curves[key] = values
    if "val_loss" in curves and len(curves["val_loss"]) != len(curves["loss"]):
        raise ValueError(
            f"history has {len(curves['loss'])} 'loss' values but "
            f"{len(curves['val_loss'])} 'val_loss' values; they must match."
        )
    return curves


class HistoryDisplay:
    """Training history (loss and val_loss per epoch) of a fitted estimator.

    Build it with :meth:`from_estimator`, or from a history dict and then call
    :meth:`plot`. All parameters are stored as attributes.

    Parameters
    ----------
    history : dict of list
        ``"loss"`` and optionally ``"val_loss"``, one value per epoch, as in
        ``LSTMSeqRegressor.history_`` (a ``keras.callbacks.History`` works too).
    stopped_epoch : int, default=None
        1-based epoch at which early stopping ended training, for reference
        (the curves end there).
    best_epoch : int, default=None
        1-based epoch to mark with a vertical line and a marker on the
        monitored curve (``val_loss`` if present, else ``loss``).
    estimator_name : str, default=None
        Used as the axes title when given.

    Attributes
    ----------
    lines_ : dict of str to matplotlib Line2D
        The ``"loss"`` (and ``"val_loss"``) curves.
    best_line_ : matplotlib Line2D or None
        Vertical line at ``best_epoch``; None without one.
    best_marker_ : matplotlib Line2D or None
        Marker on the monitored curve at ``best_epoch``.
    ax_ : matplotlib Axes
        Axes with the curves.
    figure_ : matplotlib Figure
        Figure containing the curves.

    See Also
    --------
    ForecastDisplay : Multi-step forecasts against the truth.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklstm import HistoryDisplay
    >>> history = {"loss": [1.0, 0.5, 0.4], "val_loss": [1.1, 0.6, 0.7]}
    >>> disp = HistoryDisplay(history, best_epoch=2).plot()
    >>> sorted(disp.lines_), disp.best_line_.get_xdata()
    (['loss', 'val_loss'], [2, 2])
    """

    def __init__(
        self, history, *, stopped_epoch=None, best_epoch=None, estimator_name=None
    ):
        self.history = history
        self.stopped_epoch = stopped_epoch
        self.best_epoch = best_epoch
        self.estimator_name = estimator_name

    def plot(self, ax=None, *, log_scale="auto"):
        """Plot the loss curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to plot on; None creates a new figure and axes.
        log_scale : "auto" or bool, default="auto"
            Logarithmic y axis. "auto" uses one when all losses are positive
            and span more than two decades.

        Returns
        -------
        display : HistoryDisplay
            The display, with its artists stored as attributes.
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        if not (log_scale == "auto" or isinstance(log_scale, bool)):
            raise ValueError(
                f"log_scale must be 'auto', True or False; got {log_scale!r}."
            )
        curves = _check_history(self.history)
        n_epochs = len(curves["loss"])
        best = _check_int(self.best_epoch, "best_epoch", 1, n_epochs)
        _check_int(self.stopped_epoch, "stopped_epoch", 1, n_epochs)
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        if ax is None:
            _, ax = plt.subplots()
        epochs = np.arange(1, n_epochs + 1)
        marker = "o" if n_epochs == 1 else None
        self.lines_ = {
            key: ax.plot(epochs, values, marker=marker, label=key)[0]
            for key, values in curves.items()
        }
        handles, labels = list(self.lines_.values()), list(self.lines_)
        self.best_line_ = self.best_marker_ = None
        if best is not None:
            key = "val_loss" if "val_loss" in curves else "loss"
            self.best_line_ = ax.axvline(best, color="0.4", ls=":", label="best epoch")
            color = self.lines_[key].get_color()
            (self.best_marker_,) = ax.plot(
                best, curves[key][best - 1], "*", ms=12, color=color, label="_best"
            )
            handles.append((self.best_line_, self.best_marker_))
            labels.append("best epoch")
        if log_scale == "auto":
            v = np.concatenate(list(curves.values()))
            v = v[np.isfinite(v)]  # more than two decades, all positive:
            log_scale = bool(v.size and v.min() > 0 and v.max() > 100 * v.min())
        if log_scale:
            ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set(xlabel="epoch", ylabel="loss")
        return _finish(self, ax, self.estimator_name, handles=handles, labels=labels)

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, log_scale="auto"):
        """Plot the training history of a fitted estimator.

        Reads the fitted attributes ``history_``, ``best_epoch_`` and
        ``stopped_epoch_`` (0-based, as Keras counts; shown 1-based) and
        marks the best epoch, the one whose weights early stopping or the
        best-only checkpoint restores. Nothing is re-derived from the curves:
        an estimator without ``best_epoch_`` gets no mark.

        Parameters
        ----------
        estimator : estimator or Pipeline
            Fitted estimator with a ``history_`` attribute, or a Pipeline
            ending in one.
        ax : matplotlib Axes, default=None
            Axes to plot on; None creates a new figure and axes.
        log_scale : "auto" or bool, default="auto"
            Logarithmic y axis; see :meth:`plot`.

        Returns
        -------
        display : HistoryDisplay
            The plotted display.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        est = estimator[-1] if isinstance(estimator, Pipeline) else estimator
        check_is_fitted(est, "history_")
        best, stopped = (
            None if (v := getattr(est, a, None)) is None else int(v) + 1
            for a in ("best_epoch_", "stopped_epoch_")
        )
        name = type(est).__name__
        display = cls(est.history_, stopped_epoch=stopped, best_epoch=best)
        display.estimator_name = name
        return display.plot(ax=ax, log_scale=log_scale)
