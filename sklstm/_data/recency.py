"""Recency weights: windows that weigh less the further back they end.

When many series have changed course, the most recent windows tell more
about the next steps than the old ones (measured on the Tourism competition:
see the benchmarks). :func:`recency_weights` turns each window's distance
from its series' end (``steps_to_end`` of :func:`make_panel_windows`) into
sample weights that halve every ``half_life`` steps, for ``fit(...,
sample_weight=...)`` of any estimator. The half-life is data's business:
choose it on a validation period (the last horizon of every series held
out), as the competitions benchmark does.
"""

from numbers import Real

import numpy as np

__all__ = ["recency_weights"]


def recency_weights(steps_to_end, half_life):
    """Sample weights that halve every ``half_life`` steps back in time.

    Parameters
    ----------
    steps_to_end : array-like of shape (n_windows,)
        How many steps before its series' end each window's target ends, as
        :func:`make_panel_windows` gives it (``panel.steps_to_end``; 0 for
        the windows that end their series). For one series cut by
        :func:`make_windows` with ``stride``, the windows are in time order:
        ``stride * np.arange(len(X))[::-1]``.
    half_life : float or None
        Steps after which a window's weight halves. None weighs every window
        alike (weights of one): the half-life's "no decay" candidate.

    Returns
    -------
    sample_weight : ndarray of shape (n_windows,)
        ``0.5 ** (steps_to_end / half_life)``: 1 for the most recent windows,
        1/2 for those ``half_life`` steps older, and so on (windows thousands
        of half-lives old get weight zero, which ``fit`` leaves out).

    Raises
    ------
    TypeError
        When ``half_life`` is neither a number nor None.
    ValueError
        When ``half_life`` is not positive, or ``steps_to_end`` is not a 1-D
        array of finite values of zero or more.

    See Also
    --------
    make_panel_windows : Windows of many series, with their ``steps_to_end``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import make_panel_windows, recency_weights
    >>> series = {"a": np.arange(6.0), "b": np.arange(100.0, 105.0)}
    >>> panel = make_panel_windows(series, n_steps_in=3, n_steps_out=1)
    >>> panel.steps_to_end.tolist()
    [2, 1, 1, 0, 0]
    >>> recency_weights(panel.steps_to_end, half_life=1).tolist()
    [0.25, 0.5, 0.5, 1.0, 1.0]
    """
    if isinstance(half_life, bool) or not isinstance(half_life, Real | None):
        raise TypeError(
            f"half_life must be a positive number of steps or None, got "
            f"{type(half_life).__name__}; pass e.g. half_life=8."
        )
    steps = np.asarray(steps_to_end)
    if steps.dtype.kind not in "iuf" or steps.ndim != 1:
        raise ValueError(
            f"steps_to_end must be a 1-D array of step counts (got shape "
            f"{steps.shape}, dtype {steps.dtype}); pass panel.steps_to_end."
        )
    if not np.isfinite(steps).all() or (steps < 0).any():
        raise ValueError(
            "steps_to_end must hold finite step counts of zero or more; pass "
            "panel.steps_to_end."
        )
    if half_life is None:
        return np.ones(len(steps))
    if not np.isfinite(half_life) or half_life <= 0:
        raise ValueError(
            f"half_life={half_life} must be a positive number of steps (or None "
            "for no decay); try the forecast horizon."
        )
    return 0.5 ** (steps / float(half_life))
