"""What both training engines train on: float32 arrays, split for validation.

The fused engine hands the arrays to TensorFlow without copying them
(:func:`as_tensor`), so training holds no second copy of X: at most one
float32 array, the caller's own when it is float32, C-contiguous, writeable
and 64-byte aligned, else one aligned float32 copy.
"""

import numpy as np

from .._utils.tf import tf

__all__ = ["as_tensor", "split_arrays"]

_ALIGN = 64  # bytes: TensorFlow's CPU kernels use memory in place only so aligned


def _aligned(a):
    """``a`` as float32 that TensorFlow can share: copied only if it must be."""
    a = np.asarray(a)
    if (
        a.dtype == np.float32
        and a.flags.c_contiguous
        and a.flags.writeable  # DLPack cannot export read-only arrays
        and a.ctypes.data % _ALIGN == 0
    ):
        return a
    buf = np.empty(a.size * 4 + _ALIGN, np.uint8)
    start = -buf.ctypes.data % _ALIGN
    out = buf[start : start + a.size * 4].view(np.float32).reshape(a.shape)
    out[...] = a
    return out


def as_tensor(a):
    """A float32 TensorFlow tensor sharing ``a``'s memory (via DLPack)."""
    a = _aligned(a)
    if a.size == 0:
        return tf.constant(a)
    return tf.experimental.dlpack.from_dlpack(a.__dlpack__())


def _arrays(x, y, w=None):
    x, y = _aligned(x), _aligned(y)
    if len(x) != len(y) or (w is not None and len(w) != len(y)):
        raise ValueError("x, y and sample weights must have the same length.")
    if w is not None:  # broadcast (n,) weights over output steps and features
        w = _aligned(np.reshape(w, (len(y),) + (1,) * max(y.ndim - 2, 0)))
    return [x, y, w]


def split_arrays(x, y, sample_weight, validation_split, es=None):
    """Return the training and validation (or None) ``[x, y, w]`` arrays.

    ``es`` (an :class:`~sklstm._training.stopping.EarlyStopping` or None) is checked
    to have validation data if it monitors ``val_loss``.
    """
    train, val = _arrays(x, y, sample_weight), None
    if validation_split:
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
            "set validation_split, or monitor 'loss'."
        )
    return train, val
