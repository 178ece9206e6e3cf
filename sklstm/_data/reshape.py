"""Transformers that move between 2-D tables and 3-D LSTM sequences.

Both transformers use the same *time-major* column order: the flat row
``[x0_t0, x1_t0, ..., x0_t1, x1_t1, ...]`` holds every feature of the first
timestep, then every feature of the second, and so on. This is exactly what
``X3d.reshape(n_samples, -1)`` produces, so the two are inverse of each other.
"""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_array,
    check_is_fitted,
    validate_data,
)

__all__ = ["DOC_LINK_TEMPLATE", "SequenceFlattener", "SequenceReshaper"]

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


class SequenceFlattener(TransformerMixin, BaseEstimator):
    """Flatten 3-D sequences into 2-D rows for tabular estimators.

    Turns ``X`` of shape ``(n_samples, timesteps, n_features)`` into an array
    of shape ``(n_samples, timesteps * n_features)`` in *time-major* order
    (all features of step 1, then all features of step 2, ...), i.e.
    ``X.reshape(n_samples, -1)``; the result is a view whenever the input is
    C-contiguous. 2-D input passes through unchanged, so the flattener can
    sit in front of any scikit-learn estimator in a
    :class:`~sklearn.pipeline.Pipeline`. Missing values are passed through.

    Attributes
    ----------
    input_shape_ : tuple of int
        Per-sample shape seen during :term:`fit`: ``(timesteps, n_features)``
        for 3-D input, ``(n_features,)`` for 2-D input. :meth:`transform`
        requires the same per-sample shape.

    n_features_in_ : int
        ``X.shape[1]`` during :term:`fit`, as for every scikit-learn
        estimator: the number of columns for 2-D input and the number of
        timesteps for 3-D input. Use `input_shape_` for the full shape.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the columns seen during :term:`fit`. Defined only when `X`
        is a DataFrame whose column names are all strings.

    See Also
    --------
    SequenceReshaper : The reverse operation, 2-D rows to 3-D sequences.

    Examples
    --------
    >>> import numpy as np
    >>> from sklstm import SequenceFlattener
    >>> X = np.arange(8.0).reshape(2, 2, 2)  # 2 samples, 2 steps, 2 features
    >>> flattener = SequenceFlattener().fit(X)
    >>> flattener.transform(X)
    array([[0., 1., 2., 3.],
           [4., 5., 6., 7.]])
    >>> flattener.get_feature_names_out().tolist()
    ['x0_t0', 'x1_t0', 'x0_t1', 'x1_t1']
    """

    _doc_link_module = "sklstm"
    _doc_link_template = DOC_LINK_TEMPLATE
    _parameter_constraints: dict = {}

    def __init__(self):
        pass

    def _check_ndim(self, X):
        ndim = _ndim(X)
        if ndim is not None and ndim not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} expects 2-D input (n_samples, "
                "n_features) or 3-D input (n_samples, timesteps, n_features), "
                f"got a {ndim}-D array of shape {_shape(X) or ()}. Reshape your data, "
                "e.g. X.reshape(-1, 1) for a single feature or "
                "X.reshape(len(X), timesteps, -1) for sequences."
            )

    def _validate(self, X, reset):
        params = dict(dtype="numeric", ensure_all_finite=False, copy=False)
        X = validate_data(self, X, allow_nd=True, reset=reset, **params)
        # check_array only enforces the ndim limits through allow_nd; be exact.
        self._check_ndim(X)
        if X.ndim == 3 and 0 in X.shape[1:]:
            raise ValueError(
                f"Found array with 0 timesteps or 0 features (shape={X.shape}) "
                "while a minimum of 1 is required. Pass non-empty sequences."
            )
        return X

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the per-sample shape of `X`.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Sequences to flatten, or rows to pass through.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted flattener.
        """
        self._check_ndim(X)
        X = self._validate(X, reset=True)
        self.input_shape_ = tuple(int(d) for d in X.shape[1:])
        return self

    def transform(self, X):
        """Flatten `X` to ``(n_samples, timesteps * n_features)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps, n_features) or \
                (n_samples, n_features)
            Same per-sample shape as during :term:`fit`.

        Returns
        -------
        X_2d : ndarray of shape (n_samples, timesteps * n_features)
            Time-major flattening of `X`; a view when `X` is C-contiguous.
            2-D input is returned as validated.
        """
        check_is_fitted(self)
        self._check_ndim(X)
        shape = _shape(X)
        if shape is not None and shape[1:] != self.input_shape_:
            if len(shape) == 2 and len(self.input_shape_) == 1:
                detail = (
                    f"X has {shape[1]} features, but {type(self).__name__} is "
                    f"expecting {self.n_features_in_} features as input"
                )
            else:
                detail = (
                    f"X has per-sample shape {shape[1:]}, but "
                    f"{type(self).__name__} was fitted on per-sample shape "
                    f"{self.input_shape_}"
                )
            raise ValueError(
                f"{detail}. Pass data with the same layout as at fit, or refit "
                "the flattener."
            )
        X = self._validate(X, reset=False)
        return X if X.ndim == 2 else np.reshape(X, (X.shape[0], -1))

    def get_feature_names_out(self, input_features=None):
        """Get output feature names for transformation.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            For 2-D input, the input column names (checked against
            `feature_names_in_` as usual). For 3-D input, one name per
            feature of a timestep, used instead of ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            For 3-D input ``{feature}_t{step}`` in time-major order, e.g.
            ``x0_t0, x1_t0, x0_t1, x1_t1``; for 2-D input the input names.
        """
        check_is_fitted(self, "input_shape_")
        if len(self.input_shape_) == 1:
            return _check_feature_names_in(self, input_features)
        timesteps, n_features = self.input_shape_
        if input_features is None:
            bases = [f"x{i}" for i in range(n_features)]
        else:
            bases = [str(name) for name in input_features]
            if len(bases) != n_features:
                raise ValueError(
                    f"input_features has {len(bases)} names but each timestep "
                    f"has {n_features} features; pass one name per feature."
                )
        names = [f"{base}_t{t}" for t in range(timesteps) for base in bases]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = True
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
