"""What both training engines train on: float32 arrays, split for validation."""

import numpy as np

__all__ = ["split_arrays"]


def _arrays(x, y, w=None):
    x, y = np.asarray(x, "float32"), np.asarray(y, "float32")
    if len(x) != len(y) or (w is not None and len(w) != len(y)):
        raise ValueError("x, y and sample weights must have the same length.")
    if w is not None:  # broadcast (n,) weights over output steps and features
        w = np.asarray(w, "float32").reshape((len(y),) + (1,) * max(y.ndim - 2, 0))
    return [x, y, w]


def split_arrays(x, y, sample_weight, validation_split, validation_data, es=None):
    """Return the training and validation (or None) ``[x, y, w]`` arrays.

    ``es`` (an :class:`~sklstm._stopping.EarlyStopping` or None) is checked
    to have validation data if it monitors ``val_loss``.
    """
    train, val = _arrays(x, y, sample_weight), None
    if validation_data is not None:
        if len(validation_data) not in (2, 3):
            raise ValueError("validation_data must be (x, y) or (x, y, w).")
        val = _arrays(*validation_data)
    elif validation_split:
        split_at = int(len(train[0]) * (1.0 - validation_split))
        if not 0 < split_at < len(train[0]):
            raise ValueError(
                f"validation_split={validation_split} leaves no training or no "
                f"validation samples out of {len(train[0])}."
            )
        val = [None if a is None else a[split_at:] for a in train]
        train = [None if a is None else a[:split_at] for a in train]
    if len(train[0]) == 0:
        raise ValueError("Cannot fit on an empty data set.")
    if es is not None and es.monitor == "val_loss" and val is None:
        raise ValueError(
            "Early stopping monitors 'val_loss' but there is no validation data; "
            "set validation_split or validation_data, or monitor 'loss'."
        )
    return train, val
