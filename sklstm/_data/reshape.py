"""SequenceReshaper: 2-D tables into 3-D LSTM sequences (and back).

It and :class:`~sklstm.SequenceFlattener` (:mod:`sklstm._data.flatten`)
use the same *time-major* column order: the flat row
``[x0_t0, x1_t0, ..., x0_t1, x1_t1, ...]`` holds every feature of the first
timestep, then every feature of the second, and so on. This is exactly what
``X3d.reshape(n_samples, -1)`` produces, so the two are inverse of each other.
"""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import (
    check_array,
    check_is_fitted,
    validate_data,
)

__all__ = ["DOC_LINK_TEMPLATE", "SequenceReshaper"]

#: Where the HTML repr of an sklstm estimator links to (its API page).
DOC_LINK_TEMPLATE = (
    "https://sklstm.readthedocs.io/en/stable/generated/"
    "{estimator_module}.{estimator_name}.html"
)


def _ndim(X):
    """Number of dimensions of ``X`` without copying it, or None if unknown."""
    ndim = getattr(X, "ndim", None)
    if ndim is None:
        try:
            ndim = np.ndim(X)
        except (TypeError, ValueError):  # ragged lists: validate_data reports them
            ndim = None
    return ndim


def _shape(X):
    shape = getattr(X, "shape", None)
    return None if shape is None else tuple(shape)


def _divisors(n):
    """The divisors of ``n`` as readable text, e.g. '1, 2, 3 or 6'."""
    divisors = [str(d) for d in range(1, n + 1) if n % d == 0]
    *head, last = divisors
    return f"{', '.join(head)} or {last}" if head else last


class SequenceReshaper(TransformerMixin, BaseEstimator):
    """Reshape 2-D rows into 3-D sequences for a recurrent network.

    Turns ``X`` of shape ``(n_samples, timesteps * n_features)`` into an array
    of shape ``(n_samples, timesteps, n_features)``. Columns are read in
    *time-major* order: all features of step 1, then all features of step 2,
    ... This is exactly the layout produced by ``X3d.reshape(n_samples, -1)``,
    which :meth:`inverse_transform` reproduces.

    The result is a view of the input (no copy) whenever the validated input
    is a C-contiguous numeric array. Missing values are passed through.

    Parameters
    ----------
    timesteps : int, default=None
        Number of timesteps per sample. If None, it is derived from
        ``n_features``; if both are None every column is one timestep of a
        single feature.

    n_features : int, default=None
        Number of features per timestep. If None, it is derived from
        ``timesteps`` (or is 1 if ``timesteps`` is None too). When both are
        given their product must equal the number of columns.

    Attributes
    ----------
    timesteps_ : int
        Resolved number of timesteps per sample.

    n_features_ : int
        Resolved number of features per timestep.

    n_features_in_ : int
        Number of columns of the 2-D input seen during :term:`fit`
        (``timesteps_ * n_features_``).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the columns seen during :term:`fit`. Defined only when `X`
        has column names that are all strings.

    See Also
    --------
    SequenceFlattener : The reverse operation, 3-D sequences to 2-D rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import SequenceReshaper
    >>> X = np.arange(12.0).reshape(2, 6)
    >>> reshaper = SequenceReshaper(n_features=2).fit(X)
    >>> reshaper.timesteps_, reshaper.n_features_
    (3, 2)
    >>> X3d = reshaper.transform(X)
    >>> X3d[0]
    array([[0., 1.],
           [2., 3.],
           [4., 5.]])
    >>> np.array_equal(reshaper.inverse_transform(X3d), X)
    True
    """

    _doc_link_module = "sklstm"
    _doc_link_template = DOC_LINK_TEMPLATE
    _parameter_constraints: dict = {
        "timesteps": [Interval(Integral, 1, None, closed="left"), None],
        "n_features": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(self, *, timesteps=None, n_features=None):
        self.timesteps = timesteps
        self.n_features = n_features

    def _check_not_3d(self, X):
        ndim = _ndim(X)
        if ndim is not None and ndim >= 3:
            raise ValueError(
                f"{type(self).__name__} expects 2-D input of shape "
                f"(n_samples, timesteps * n_features), but X is already "
                f"{ndim}-D with shape {_shape(X) or ''}. Remove the reshaper "
                "(the data is already sequences), or flatten it first with "
                "SequenceFlattener."
            )

    def _resolve(self, n_columns):
        timesteps, n_features = self.timesteps, self.n_features
        divisors = _divisors(n_columns)
        if timesteps is None and n_features is None:
            return n_columns, 1
        if n_features is None:
            if n_columns % timesteps:
                raise ValueError(
                    f"timesteps={timesteps} must divide the {n_columns} columns; "
                    f"try {divisors}."
                )
            return timesteps, n_columns // timesteps
        if timesteps is None:
            if n_columns % n_features:
                raise ValueError(
                    f"n_features={n_features} must divide the {n_columns} "
                    f"columns; try {divisors}."
                )
            return n_columns // n_features, n_features
        if timesteps * n_features != n_columns:
            raise ValueError(
                f"timesteps={timesteps} x n_features={n_features} = "
                f"{timesteps * n_features} does not match the {n_columns} "
                f"columns; their product must be {n_columns}. Set only one of "
                f"them (valid values: {divisors}) and the other is derived."
            )
        return timesteps, n_features

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Resolve the number of timesteps and features from `X`.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps * n_features)
            Rows to split into sequences, in time-major column order.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted reshaper.
        """
        self._check_not_3d(X)
        X = validate_data(self, X, dtype="numeric", ensure_all_finite=False)
        self.timesteps_, self.n_features_ = self._resolve(X.shape[1])
        return self

    def transform(self, X):
        """Reshape `X` to 3-D: (n_samples, `timesteps_`, `n_features_`).

        Parameters
        ----------
        X : array-like of shape (n_samples, `timesteps_` * `n_features_`)
            Rows to split into sequences, in time-major column order.

        Returns
        -------
        X_3d : ndarray of shape (n_samples, `timesteps_`, `n_features_`)
            A view of the validated input when it is C-contiguous.
        """
        check_is_fitted(self)
        self._check_not_3d(X)
        shape = _shape(X)
        if shape is not None and len(shape) == 2 and shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {shape[1]} features, but {type(self).__name__} is "
                f"expecting {self.n_features_in_} features as input "
                f"(timesteps_={self.timesteps_} x n_features_={self.n_features_} "
                "at fit). Pass data with the same columns as at fit, or refit "
                "the reshaper on the new layout."
            )
        X = validate_data(
            self, X, dtype="numeric", ensure_all_finite=False, copy=False, reset=False
        )
        return np.reshape(X, (X.shape[0], self.timesteps_, self.n_features_))

    def inverse_transform(self, X):
        """Flatten sequences back to 2-D rows in time-major order.

        Parameters
        ----------
        X : array-like of shape (n_samples, `timesteps_`, `n_features_`)
            Sequences, e.g. the output of :meth:`transform`.

        Returns
        -------
        X_2d : ndarray of shape (n_samples, `timesteps_` * `n_features_`)
            A view of the input when it is C-contiguous.
        """
        check_is_fitted(self)
        X = check_array(
            X,
            dtype="numeric",
            ensure_all_finite=False,
            allow_nd=True,
            ensure_2d=False,
            estimator=self,
            input_name="X",
        )
        expected = (self.timesteps_, self.n_features_)
        if X.ndim != 3 or X.shape[1:] != expected:
            raise ValueError(
                f"inverse_transform expects sequences of shape (n_samples, "
                f"{expected[0]}, {expected[1]}) as produced by transform, got "
                f"shape {X.shape}. Reshape X to (-1, {expected[0]}, "
                f"{expected[1]}) first."
            )
        return np.reshape(X, (X.shape[0], -1))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
