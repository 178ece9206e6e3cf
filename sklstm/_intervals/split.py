"""The time-ordered split of the windows into training and calibration parts.

The *last* windows calibrate and the earlier ones train, never shuffled: a
forecaster is judged on the future, so its calibration residuals must come
from windows later than every training window, as its test windows will be.
``gap`` windows between the two parts are dropped, so that overlapping
windows do not share targets across the split.
"""

import math
from numbers import Integral

__all__ = ["calibration_split"]


def calibration_split(n_samples, calibration_size, gap):
    """Return ``(n_train, n_calibration)`` for ``n_samples`` time-ordered windows.

    Windows ``[0, n_train)`` train, ``[n_train, n_train + gap)`` are dropped
    and the last ``n_calibration`` calibrate. A float ``calibration_size`` is
    a fraction of ``n_samples`` (rounded up, as ``train_test_split`` rounds
    its test part); an int is a number of windows.
    """
    if isinstance(calibration_size, Integral):
        n_cal = int(calibration_size)
    else:
        n_cal = math.ceil(calibration_size * n_samples)
    n_train = n_samples - n_cal - gap
    if n_cal < 1 or n_train < 1:
        raise ValueError(
            f"got {n_samples} sample(s) (windows): calibration_size="
            f"{calibration_size} calibrates {n_cal} and gap={gap} drops {gap}, "
            f"which leaves {max(n_train, 0)} to train on and {n_cal} to "
            "calibrate, and both need at least one. Pass more windows or a "
            "smaller calibration_size or gap, or fit the estimator yourself "
            "and pass prefit=True."
        )
    return n_train, n_cal
