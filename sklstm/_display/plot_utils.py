"""Checks and finishing touches shared by the plotting Displays."""

from numbers import Integral

__all__ = ["_check_int", "_finish"]


def _check_int(value, name, low, high=None, hint=""):
    """``value`` as an int in ``[low, high]``; None passes through."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ValueError(f"{name} must be an int; got {value!r}.")
    if value < low or (high is not None and value > high):
        bounds = f">= {low}" if high is None else f"in {low}..{high}"
        raise ValueError(f"{name}={value} is out of range: it must be {bounds}{hint}.")
    return int(value)


def _finish(display, ax, title, **legend):
    """Title, legend and the ``ax_``/``figure_`` attributes; return the display."""
    if title is not None:
        ax.set_title(title)
    ax.legend(**legend)
    display.ax_, display.figure_ = ax, ax.figure
    return display
