"""Small reference sequence problems with known answers.

Four toy problems from the classic Keras LSTM tutorial on one-to-many and
many-to-many sequence regression. Each loader returns a
:class:`~sklearn.utils.Bunch` with the training data, a single test sample,
its exact expected answer, and the predictions the tutorial printed for each
architecture (useful as a sanity range for a trained model).

All arrays are float64 and freshly built on every call.
"""

import numpy as np
from sklearn.utils import Bunch

from ._model import architectures as _architectures

__all__ = [
    "ARCHITECTURES",
    "REFERENCE_PROBLEMS",
    "load_many_to_many",
    "load_one_to_many",
    "load_reference",
]

#: Names of the reference problems accepted by :func:`load_reference`.
REFERENCE_PROBLEMS = (
    "one_to_many_1",
    "one_to_many_2",
    "many_to_many_1",
    "many_to_many_2",
)

#: Architecture names used as keys of the ``printed`` entries (all of
#: sklstm's architectures, from :mod:`sklstm._model.architectures`).
ARCHITECTURES = _architectures.ARCHITECTURES

_PRINTED = {
    "one_to_many_1": {
        "simple": [10.98, 12.11],
        "stacked": [11.00, 11.99],
        "bidirectional": [11.04, 12.08],
    },
    "one_to_many_2": {
        "simple": [40.95, 60.94],
        "stacked": [40.98, 60.99],
        "bidirectional": [41.10, 61.16],
    },
    "many_to_many_1": {
        "encoder_decoder": [316.03, 322.27, 328.55],
        "bidirectional_encoder_decoder": [315.75, 321.47, 327.94],
    },
    "many_to_many_2": {
        "encoder_decoder": [324.58, 328.90, 335.68],
        "bidirectional_encoder_decoder": [330.49, 335.35, 339.64],
    },
}


def _check_n_features(n_features):
    if isinstance(n_features, bool) or n_features not in (1, 2):
        raise ValueError(
            f"n_features={n_features!r} is not available; the reference "
            "problems have n_features=1 or n_features=2."
        )
    return int(n_features)


def _bunch(
    problem,
    X,
    y,
    X_test,
    y_test,
    units,
    descr,
    target_feature_index=None,
    n_target_features=1,
):
    to_float = [np.asarray(a, dtype=np.float64) for a in (X, y, X_test, y_test)]
    X, y, X_test, y_test = to_float
    printed = {arch: list(values) for arch, values in _PRINTED[problem].items()}
    return Bunch(
        X=X,
        y=y,
        X_test=X_test,
        y_test=y_test,
        printed=printed,
        units=units,
        target_feature_index=target_feature_index,
        n_target_features=n_target_features,
        problem=problem,
        DESCR=descr,
    )


def load_one_to_many(n_features=1):
    """Load a one-to-many reference problem: one step in, two values out.

    - ``n_features=1``: `X` is 1, 4, 7, ..., 43 as 15 samples of one step and
      one feature, shape (15, 1, 1); `y` is ``[x + 1, x + 2]``, shape (15, 2).
      The test input ``[[[10]]]`` expects ``[[11, 12]]``.
    - ``n_features=2``: `X` is ``[2k, 3k]`` for k = 1..25, shape (25, 1, 2);
      `y` is ``[x1 + 1, x2 + 1]``, shape (25, 2): one step of two features
      (``data.n_target_features == 2``), each continuing its own. The test input
      ``[[[40, 60]]]`` expects ``[[41, 61]]``.

    The tutorial printed predictions for the "simple", "stacked" and
    "bidirectional" architectures, with 50 LSTM units.

    Parameters
    ----------
    n_features : {1, 2}, default=1
        Number of features per timestep.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        The problem's training and test data, the tutorial's printed
        predictions and units, with the attributes :func:`load_reference`
        lists.

    Examples
    --------
    >>> from sklstm.datasets import load_one_to_many
    >>> data = load_one_to_many()
    >>> data.X.shape, data.y.shape
    ((15, 1, 1), (15, 2))
    >>> data.X_test.tolist(), data.y_test.tolist()
    ([[[10.0]]], [[11.0, 12.0]])
    >>> data.printed["stacked"]
    [11.0, 11.99]
    """
    n_features = _check_n_features(n_features)
    if n_features == 1:
        x = np.arange(1, 44, 3)
        X = x.reshape(-1, 1, 1)
        y = np.column_stack([x + 1, x + 2])
        return _bunch(
            "one_to_many_1",
            X,
            y,
            [[[10]]],
            [[11, 12]],
            50,
            "One-to-many, 1 feature: 15 samples x = 1, 4, ..., 43 of shape "
            "(1 step, 1 feature); target [x + 1, x + 2]. "
            "Test x = 10 -> [11, 12].",
        )
    k = np.arange(1, 26)
    X = np.column_stack([2 * k, 3 * k]).reshape(-1, 1, 2)
    y = X[:, 0, :] + 1
    return _bunch(
        "one_to_many_2",
        X,
        y,
        [[[40, 60]]],
        [[41, 61]],
        50,
        "One-to-many, 2 features: 25 samples [2k, 3k], k = 1..25, of shape "
        "(1 step, 2 features); target [2k + 1, 3k + 1]: one step of two "
        "features, each continuing its own. Test [40, 60] -> [41, 61].",
        n_target_features=2,  # (25, 2) is one step of two features, not two steps
    )


def load_many_to_many(n_features=1):
    """Load a many-to-many reference problem: three steps in, three out.

    - ``n_features=1``: `X` is the multiples of 5 from 5 to 300 cut into 20
      samples of 3 steps, shape (20, 3, 1); `y` is the multiples of 5 from 20
      to 315 cut the same way (``X + 15``). The test input
      ``[[[300], [305], [310]]]`` expects ``[[[315], [320], [325]]]``.
    - ``n_features=2``: feature 1 is the multiples of 5 from 5 to 300,
      feature 2 those from 20 to 315, stacked as columns and cut into
      shape (20, 3, 2); `y` is the multiples of 5 from 35 to 330, shape
      (20, 3, 1). The test input ``[[[300, 315], [305, 320], [310, 325]]]``
      expects ``[[[330], [335], [340]]]``.

    The tutorial printed predictions for the "encoder_decoder" and
    "bidirectional_encoder_decoder" architectures, with 100 LSTM units.

    Parameters
    ----------
    n_features : {1, 2}, default=1
        Number of features per timestep.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        The problem's training and test data, the tutorial's printed
        predictions and units, with the attributes :func:`load_reference`
        lists.

    Examples
    --------
    >>> from sklstm.datasets import load_many_to_many
    >>> data = load_many_to_many(n_features=2)
    >>> data.X.shape, data.y.shape
    ((20, 3, 2), (20, 3, 1))
    >>> data.X[0].tolist()
    [[5.0, 20.0], [10.0, 25.0], [15.0, 30.0]]
    >>> data.y_test.ravel().tolist()
    [330.0, 335.0, 340.0]
    """
    n_features = _check_n_features(n_features)
    first = np.arange(5, 301, 5)
    if n_features == 1:
        return _bunch(
            "many_to_many_1",
            first.reshape(20, 3, 1),
            np.arange(20, 316, 5).reshape(20, 3, 1),
            [[[300], [305], [310]]],
            [[[315], [320], [325]]],
            100,
            "Many-to-many, 1 feature: multiples of 5 from 5 to 300 as 20 "
            "samples of 3 steps; target the same steps shifted by 15 (20 to "
            "315). Test [300, 305, 310] -> [315, 320, 325].",
        )
    second = np.arange(20, 316, 5)
    return _bunch(
        "many_to_many_2",
        np.column_stack([first, second]).reshape(20, 3, 2),
        np.arange(35, 331, 5).reshape(20, 3, 1),
        [[[300, 315], [305, 320], [310, 325]]],
        [[[330], [335], [340]]],
        100,
        "Many-to-many, 2 features: columns 5..300 and 20..315 (multiples of 5) "
        "as 20 samples of 3 steps; target 35..330 (first feature + 30). "
        "Test [[300, 315], [305, 320], [310, 325]] -> [330, 335, 340].",
        target_feature_index=1,  # 35, 40, 45 continue 20, 25, 30
    )


def load_reference(problem):
    """Load a reference problem by name.

    Parameters
    ----------
    problem : str
        One of :data:`REFERENCE_PROBLEMS`: ``"one_to_many_1"``,
        ``"one_to_many_2"``, ``"many_to_many_1"`` or ``"many_to_many_2"``
        (the suffix is the number of features).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes ``X`` (training sequences of
        shape (n_samples, timesteps, n_features)), ``y`` (training targets),
        ``X_test`` (one test input, shaped like a sample of ``X`` with a
        leading 1), ``y_test`` (its exact expected answer, shaped like a
        sample of ``y`` with a leading 1), ``printed`` (dict of architecture
        name to the list of predictions the tutorial printed for ``X_test``),
        ``units`` (LSTM units the tutorial used), ``target_feature_index``
        (the input feature the target continues, when the target has fewer
        features than the input, else None; the estimator's parameter of
        that name), ``n_target_features`` (how many features each step of
        a 2-D ``y`` has: 2 for ``one_to_many_2``, whose ``[x1 + 1, x2 + 1]``
        is one step of two features, else 1; the estimator's parameter of
        that name), ``problem`` (one of :data:`REFERENCE_PROBLEMS`) and
        ``DESCR`` (short description).

    Examples
    --------
    >>> from sklstm.datasets import REFERENCE_PROBLEMS, load_reference
    >>> [load_reference(name).X.shape for name in REFERENCE_PROBLEMS]
    [(15, 1, 1), (25, 1, 2), (20, 3, 1), (20, 3, 2)]
    """
    if problem not in REFERENCE_PROBLEMS:
        raise ValueError(
            f"Unknown reference problem {problem!r}; use one of "
            f"{', '.join(map(repr, REFERENCE_PROBLEMS))}."
        )
    kind, n_features = problem.rsplit("_", 1)
    loader = load_one_to_many if kind == "one_to_many" else load_many_to_many
    return loader(n_features=int(n_features))
