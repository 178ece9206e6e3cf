"""The public :func:`sklstm.save` and :func:`sklstm.load` of LSTMSeqRegressor.

The format and its checks live in :mod:`sklstm._persistence.files`, which
knows no estimator class; these two functions name the one it stores.
"""

from .._persistence.files import read, write
from .regressor import LSTMSeqRegressor

__all__ = ["load", "save"]


def save(estimator, path):
    """Save a fitted LSTMSeqRegressor in sklstm's safe, shareable format.

    Unlike a pickle, the file holds no code, only the Keras model in Keras's
    native ``.keras`` format and plain JSON, so it is safe to share.

    Parameters
    ----------
    estimator : LSTMSeqRegressor
        Fitted estimator whose parameters are plain values: optimizer and loss
        as strings, no callbacks, an int or None ``random_state``.
    path : str, path-like or binary file object
        Where to write; ``.sklstm`` is the customary extension.

    Raises
    ------
    NotFittedError
        If the estimator is not fitted.
    TypeError
        If a parameter cannot be stored as plain JSON.

    See Also
    --------
    load : Load the file again, running no code from it.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from sklstm import LSTMSeqRegressor, load, save
    >>> X = np.linspace(0, 1, 30).reshape(10, 3, 1)
    >>> est = LSTMSeqRegressor(units=4, epochs=2, random_state=0)
    >>> est = est.fit(X, X[:, -1, 0])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(est, Path(tmp) / "model.sklstm")
    ...     loaded = load(Path(tmp) / "model.sklstm")
    >>> bool((loaded.predict(X) == est.predict(X)).all())
    True
    """
    write(estimator, path, LSTMSeqRegressor)


def load(path):
    """Load an LSTMSeqRegressor saved by :func:`save`, running no code from it.

    Parameters
    ----------
    path : str, path-like or binary file object
        A file written by :func:`save`.

    Returns
    -------
    estimator : LSTMSeqRegressor
        The fitted estimator, with the same parameters, fitted attributes,
        weights and optimizer state (``partial_fit`` and ``warm_start``
        continue the training).

    Raises
    ------
    UnsafeModelError
        If the file is truncated or tampered with (extra members such as a
        pickle, values that are not plain data, unknown parameters, Keras
        layers that sklstm does not build, shapes that disagree with the
        recorded ones) or comes from another sklstm major.minor version.

    See Also
    --------
    save : Write the file.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from sklstm import LSTMSeqRegressor, load, save
    >>> X = np.linspace(0, 1, 30).reshape(10, 3, 1)
    >>> est = LSTMSeqRegressor(architecture="simple", units=4, epochs=2)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(est.fit(X, X[:, -1, 0]), Path(tmp) / "model.sklstm")
    ...     loaded = load(Path(tmp) / "model.sklstm")
    >>> loaded.get_params() == est.get_params(), loaded.history_ == est.history_
    (True, True)
    """
    return read(path, LSTMSeqRegressor)
