"""Seeds by construction, in one place: every random draw of a fit and its source.

A fit draws nothing from global random state (NumPy's, Python's, Keras's or
TensorFlow's), so fits in parallel threads and the user's own seeds never
disturb each other. From the estimator's ``random_state`` come two seeds
(:func:`fit_seeds`): one builds the network, one shuffles the samples.

- The build seed is the root of :class:`LayerSeeds`, which hands every
  initializer and dropout mask a seed of its own, in the order the builder
  creates them.
- The shuffle seed orders the samples of epoch ``e``: the fused engine draws
  a stateless permutation keyed by :func:`epoch_key` ``(seed, e)``; Keras's
  loop shuffles its ``tf.data`` pipeline with :func:`dataset_seed`, so that a
  continuation (``initial_epoch``) does not replay the first epochs' order.
"""

import numpy as np
from sklearn.utils import check_random_state

from .tf import tf

__all__ = ["LayerSeeds", "dataset_seed", "epoch_key", "fit_seeds"]


def fit_seeds(random_state):
    """The (build, shuffle) seeds of a fit, drawn from ``random_state``.

    Examples
    --------
    >>> fit_seeds(0) == fit_seeds(0), fit_seeds(0) == fit_seeds(1)
    (True, False)
    """
    rng = check_random_state(random_state)
    return tuple(int(s) for s in rng.randint(2**31 - 1, size=2))


class LayerSeeds:
    """Hand out distinct 31-bit seeds, reproducibly from one root seed."""

    def __init__(self, seed):
        self._rng = np.random.default_rng(seed)

    def __call__(self):
        return int(self._rng.integers(0, 2**31 - 1))


def epoch_key(seed, epoch):
    """The stateless random key of one epoch's permutation (in-graph)."""
    return tf.stack([seed, epoch])


def dataset_seed(seed, initial_epoch):
    """The ``tf.data`` shuffle seed of a Keras-loop fit from ``initial_epoch``."""
    return int(seed) + int(initial_epoch)
